import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, Overview } from '../api';
import { TimeChart } from '../components/chart';
import { Empty, ErrorNote, ResultBadge, Stat } from '../components/common';
import { ago, duration, money, percent } from '../format';
import { useLiveSessions } from '../live';
import { href } from '../router';

export const RESULT_COLORS = { SUCCESS: '#16a34a', FAIL: '#f59e0b', ERROR: '#dc2626', TIMEOUT: '#7c3aed', PENDING: '#3b82f6' };

// Live changes refresh the figures, at most this often.
const REFRESH_AFTER_EVENT_MS = 3000;
const REFRESH_EVERY_MS = 30_000;

export function OverviewPage() {
  const [window, setWindow] = useState<'hour' | 'day'>('hour');
  const [overview, setOverview] = useState<Overview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const pending = useRef<number | undefined>(undefined);

  const load = useCallback(() => {
    api<Overview>('overview', { query: { window } }).then(
      (loaded) => {
        setOverview(loaded);
        setError(null);
      },
      setError,
    );
  }, [window]);

  useEffect(() => {
    load();
    const timer = setInterval(load, REFRESH_EVERY_MS);
    return () => clearInterval(timer);
  }, [load]);

  const status = useLiveSessions(
    () => {
      pending.current ??= setTimeout(() => {
        pending.current = undefined;
        load();
      }, REFRESH_AFTER_EVENT_MS) as unknown as number;
    },
    load,
  );

  const charts = useMemo(() => {
    if (!overview) return null;
    const times = overview.series.map((bucket) => Date.parse(bucket.at) / 1000);
    return {
      times,
      results: (['SUCCESS', 'FAIL', 'ERROR', 'TIMEOUT', 'PENDING'] as const).map((result) => ({
        label: { SUCCESS: 'Approved', FAIL: 'Declined', ERROR: 'Error', TIMEOUT: 'Timed out', PENDING: 'Pending' }[result],
        color: RESULT_COLORS[result],
        values: overview.series.map((bucket) => bucket[result]),
      })),
      decision: [
        { label: 'p50', color: '#0f766e', values: overview.series.map((bucket) => seconds(bucket.decisionP50)) },
        { label: 'p95', color: '#f97316', values: overview.series.map((bucket) => seconds(bucket.decisionP95)) },
      ],
      pushFailures: [{ label: 'Push failures', color: '#dc2626', values: overview.series.map((bucket) => bucket.pushFailed) }],
    };
  }, [overview]);

  const totals = overview?.totals;
  return (
    <div class="page">
      <header class="page-head">
        <div>
          <h1>Overview</h1>
          <p class="muted">Authentications received in the last {window}, by result. <LiveDot status={status} /></p>
        </div>
        <div class="segmented" role="group" aria-label="Window">
          {(['hour', 'day'] as const).map((option) => (
            <button class={option === window ? 'on' : ''} onClick={() => setWindow(option)}>
              Last {option}
            </button>
          ))}
        </div>
      </header>
      <ErrorNote error={error} />
      {totals && totals.notMe > 0 ? (
        <a class="alert" href={href('/sessions', { notMe: 'true' })}>
          <strong>{totals.notMe} “not me” report{totals.notMe === 1 ? '' : 's'}</strong> in the last {window}: the cardholder said they did not make the purchase. Possible card fraud — review them.
        </a>
      ) : null}
      {totals ? (
        <>
          <section class="stats">
            <Stat label="Authentications" value={totals.total} hint={`${totals.PENDING} awaiting a result`} />
            <Stat label="Approval rate" value={percent(totals.approvalRate)} hint={`${totals.SUCCESS} approved of ${totals.SUCCESS + totals.FAIL + totals.ERROR + totals.TIMEOUT} ended`} tone="good" />
            <Stat label="Declined" value={totals.FAIL} hint={`${totals.notMe} “not me”`} tone={totals.notMe ? 'warn' : undefined} />
            <Stat label="Errors · timeouts" value={`${totals.ERROR} · ${totals.TIMEOUT}`} tone={totals.ERROR ? 'bad' : undefined} />
            <Stat label="Webhook → decision" value={duration(totals.decisionMs.p50)} hint={`p50 · p95 ${duration(totals.decisionMs.p95)}`} />
            <Stat
              label="Callbacks delivered"
              value={percent(totals.callback.successRate)}
              hint={`${totals.callback.delivered} of ${totals.callback.settled} · p50 ${duration(totals.callback.latencyMs.p50)} · p95 ${duration(totals.callback.latencyMs.p95)}`}
              tone={totals.callback.settled > totals.callback.delivered ? 'bad' : undefined}
            />
            <Stat label="Push failures" value={totals.push.failed} hint={`of ${totals.push.sent} pushes sent`} tone={totals.push.failed ? 'bad' : undefined} />
          </section>
          {totals.total === 0 ? (
            <Empty title={`No authentications in the last ${window}`}>
              <p>Every time Enfuce ID calls the webhook, the authentication appears here and in Live sessions within a second.</p>
              <ol>
                <li>
                  In <a href={href('/cardholders')}>Cardholders</a>, create an enrollment code for a customer number and open its link on a phone to enroll a passkey.
                </li>
                <li>
                  Send a webhook for that customer number: <code>POST /v1/authenticate/{'{customerNumber}'}/{'{sessionId}'}</code> with the Enfuce credentials.
                </li>
                <li>Approve or decline on the phone and watch the result arrive.</li>
              </ol>
            </Empty>
          ) : null}
          {charts ? (
            <section class="grid-2">
              <div class="panel wide">
                <h2>Authentications by result</h2>
                <TimeChart times={charts.times} series={charts.results} stacked />
              </div>
              <div class="panel">
                <h2>Time from webhook to decision</h2>
                <TimeChart times={charts.times} series={charts.decision} unit=" s" height={180} />
              </div>
              <div class="panel">
                <h2>Push delivery failures</h2>
                <TimeChart times={charts.times} series={charts.pushFailures} stacked height={180} />
              </div>
            </section>
          ) : null}
          <section class="panel">
            <h2>Latest “not me” reports</h2>
            {overview!.notMe.length ? (
              <table class="table">
                <thead>
                  <tr>
                    <th>Received</th>
                    <th>Customer</th>
                    <th>Merchant</th>
                    <th class="num">Amount</th>
                    <th>Card</th>
                    <th>Result</th>
                  </tr>
                </thead>
                <tbody>
                  {overview!.notMe.map((row) => (
                    <tr class="clickable" onClick={() => (location.hash = href(`/sessions/${row.sessionId}`))}>
                      <td>{ago(row.receivedAt)}</td>
                      <td>
                        <a href={href(`/cardholders/${row.customerNumber}`)} onClick={(e) => e.stopPropagation()}>
                          {row.customerNumber}
                        </a>
                      </td>
                      <td>{row.merchantName}</td>
                      <td class="num">{money(row.amount, row.currency)}</td>
                      <td class="mono">{row.cardNumber ?? '—'}</td>
                      <td>
                        <ResultBadge result={row.result} notMe />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p class="muted">None so far. A cardholder who declines with “This wasn’t me” shows up here.</p>
            )}
          </section>
        </>
      ) : (
        !error && <div class="muted">Loading…</div>
      )}
    </div>
  );
}

export function LiveDot({ status }: { status: string }) {
  return (
    <span class={`live-dot live-${status}`} data-status={status}>
      {status === 'live' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
    </span>
  );
}

function seconds(ms: number | null): number | null {
  return ms === null ? null : ms / 1000;
}
