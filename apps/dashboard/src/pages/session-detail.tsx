import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, SessionEvent, SessionRow, SessionTimeline, TimelineEvent } from '../api';
import { ErrorNote, ResultBadge } from '../components/common';
import { dateTime, duration, money, preciseTime } from '../format';
import { useLiveSessions } from '../live';
import { href } from '../router';

export function SessionDetailPage({ sessionId }: { sessionId: string }) {
  const [timeline, setTimeline] = useState<SessionTimeline | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    api<SessionTimeline>(`sessions/${encodeURIComponent(sessionId)}`).then(
      (loaded) => {
        setTimeline(loaded);
        setError(null);
      },
      setError,
    );
  }, [sessionId]);
  useEffect(load, [load]);
  // A session still in flight reloads its timeline as it changes (the push and fetch rows follow in the background).
  useLiveSessions((event: SessionEvent) => {
    const id = event.type === 'callback.settled' ? event.sessionId : event.session.sessionId;
    if (id === sessionId) setTimeout(load, 300);
  }, load);

  if (error) return <div class="page"><ErrorNote error={error} /></div>;
  if (!timeline) return <div class="page muted">Loading…</div>;
  const { session, events } = timeline;
  const start = Date.parse(session.receivedAt);
  return (
    <div class="page">
      <a class="back" href={href('/sessions')}>← Live sessions</a>
      <header class="page-head">
        <div>
          <h1>
            {session.merchantName} · {money(session.amount, session.currency)}
          </h1>
          <p class="muted mono">{session.sessionId}</p>
        </div>
        <ResultBadge result={session.result} notMe={session.declineReason === 'not_me'} />
      </header>
      <section class="panel summary">
        <p class="explain">{explain(session, events)}</p>
        <dl class="facts">
          <dt>Customer</dt>
          <dd><a href={href(`/cardholders/${session.customerNumber}`)}>{session.customerNumber}</a></dd>
          <dt>Card</dt>
          <dd class="mono">{session.cardNumber ?? '—'}</dd>
          <dt>Merchant</dt>
          <dd>{session.merchantName}{session.merchantCountry ? ` (${session.merchantCountry})` : ''}</dd>
          <dt>Received</dt>
          <dd>{dateTime(session.receivedAt)}</dd>
          <dt>State</dt>
          <dd>{session.state}{session.declineReason ? ` · ${session.declineReason}` : ''}{session.errorReason ? ` · ${session.errorReason}` : ''}</dd>
          <dt>Callback</dt>
          <dd>{session.callbackOutcome ?? (session.result ? 'sending' : 'not yet')}</dd>
        </dl>
      </section>
      <section class="panel">
        <h2>Timeline</h2>
        <ol class="timeline">
          {events.map((event) => (
            <li class={`event event-${event.kind} ${tone(event)}`}>
              <div class="event-time">
                <span class="mono">{preciseTime(event.at)}</span>
                <span class="muted small">+{duration(Date.parse(event.at) - start)}</span>
              </div>
              <div class="event-body">
                <div class="event-title">{title(event)}</div>
                <div class="event-details">{details(event)}</div>
              </div>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

function deviceName(event: TimelineEvent): string {
  return event.device ? `“${event.device.name ?? 'unknown device'}”` : 'a device';
}

function title(event: TimelineEvent): string {
  const d = event.details;
  switch (event.kind) {
    case 'webhook':
      return 'Webhook received from Enfuce ID';
    case 'webhook_rejected':
      return `Webhook refused with ${d.status} (${d.errorCode})`;
    case 'push':
      return `Push to ${deviceName(event)}: ${d.outcome}`;
    case 'fetched':
      return `${deviceName(event)} fetched the challenge (poll)`;
    case 'opened':
      return `${deviceName(event)} opened the challenge`;
    case 'assertion_rejected':
      return `Approval from ${deviceName(event)} refused`;
    case 'decision':
      return d.decision === 'approve' ? `Approved on ${deviceName(event)}` : `Declined on ${deviceName(event)}${d.reason === 'not_me' ? ': “not me”' : ''}`;
    case 'settled':
      return `Session ended: ${d.state} → ${d.result}`;
    case 'callback_attempt':
      return `Callback attempt ${d.attempt}: ${d.result} → ${d.statusCode ?? 'no answer'}`;
    case 'callback_settled':
      return `Callback ${d.outcome === 'delivered' ? 'delivered to Enfuce ID' : d.outcome}`;
  }
}

function details(event: TimelineEvent): string {
  const d = event.details;
  switch (event.kind) {
    case 'webhook':
      return [money(d.amount, d.currency), d.merchantName, d.merchantCountry, d.cardNumber ? `card ${d.cardNumber}` : null].filter(Boolean).join(' · ');
    case 'webhook_rejected':
      return String(d.reason ?? '');
    case 'push':
      return [d.statusCode ? `push service answered ${d.statusCode}` : 'no answer', `in ${duration(d.durationMs)}`, d.error].filter(Boolean).join(' · ');
    case 'assertion_rejected':
      return String(d.reason ?? '');
    case 'decision':
      return d.decision === 'approve'
        ? [
            `passkey${d.userVerified ? ', user verified (biometric or PIN)' : ''}`,
            d.credentialDeviceType === 'multiDevice' ? `synced passkey${d.credentialBackedUp ? ', backed up' : ''}` : d.credentialDeviceType === 'singleDevice' ? 'device-bound passkey' : null,
            d.authenticatorAttachment ? `${d.authenticatorAttachment} authenticator` : null,
            d.origin ? `from ${d.origin}` : null,
          ]
            .filter(Boolean)
            .join(' · ')
        : `reason: ${d.reason ?? 'other'}`;
    case 'settled':
      return [d.declineReason ? `decline reason: ${d.declineReason}` : null, d.errorReason ? `why: ${d.errorReason}` : null].filter(Boolean).join(' · ');
    case 'callback_attempt':
      return [`${duration(d.durationMs)}`, d.error].filter(Boolean).join(' · ');
    default:
      return '';
  }
}

function tone(event: TimelineEvent): string {
  const d = event.details;
  if (event.kind === 'push') return d.outcome === 'accepted' ? 'good' : 'bad';
  if (event.kind === 'assertion_rejected' || event.kind === 'webhook_rejected') return 'bad';
  if (event.kind === 'callback_attempt') return d.statusCode >= 200 && d.statusCode < 300 ? 'good' : 'bad';
  if (event.kind === 'callback_settled') return d.outcome === 'delivered' ? 'good' : 'bad';
  if (event.kind === 'settled') return d.result === 'SUCCESS' ? 'good' : d.result === 'FAIL' ? 'warn' : 'bad';
  return '';
}

/** One sentence for support: what happened and why. */
export function explain(session: SessionRow, events: TimelineEvent[]): string {
  const pushes = events.filter((e) => e.kind === 'push');
  const accepted = pushes.filter((e) => e.details.outcome === 'accepted').length;
  const seen = events.some((e) => e.kind === 'fetched' || e.kind === 'opened');
  const decision = events.find((e) => e.kind === 'decision');
  const took = session.settledAt ? duration(Date.parse(session.settledAt) - Date.parse(session.receivedAt)) : null;
  const callback = session.callbackOutcome === 'delivered' ? ' Enfuce ID received the result.' : session.callbackOutcome ? ` The callback to Enfuce ID ended as ${session.callbackOutcome.replace('_', ' ')}.` : '';
  const reach = `${accepted} of ${pushes.length} push${pushes.length === 1 ? '' : 'es'} accepted${seen ? ', and the challenge was seen on a device' : ''}`;
  switch (session.result) {
    case 'SUCCESS':
      return `The cardholder approved on ${decision ? deviceName(decision) : 'a device'} with a verified passkey, ${took} after the webhook.${callback}`;
    case 'FAIL':
      return session.declineReason === 'not_me'
        ? `The cardholder declined and said it was not them (“not me”), ${took} after the webhook: treat as possible card fraud.${callback}`
        : `The cardholder declined on ${decision ? deviceName(decision) : 'a device'}, ${took} after the webhook.${callback}`;
    case 'TIMEOUT':
      return `Nobody answered in time (${reach}).${seen ? ' The cardholder saw the challenge but did not approve or decline.' : ' No device showed it to the cardholder.'}${callback}`;
    case 'ERROR':
      return `No device could be asked: ${session.errorReason ?? 'an internal failure'} (${reach}).${callback}`;
    default:
      return `Waiting for the cardholder (${reach}).`;
  }
}
