import { useEffect, useState } from 'preact/hooks';
import { AuditEventView, exportUrl } from '../api';
import { Empty, ErrorNote, LoadMore } from '../components/common';
import { usePagedList } from '../components/paged-list';
import { dateTime, shortId } from '../format';
import { href, navigate } from '../router';

const TYPES = [
  ['', 'All events'],
  ['admin.', 'Admin: all'],
  ['admin.signed_in', 'Admin signed in'],
  ['admin.sign_in_failed', 'Admin sign-in failed'],
  ['admin.locked_out', 'Admin locked out'],
  ['admin.access_denied', 'Admin access denied'],
  ['admin.user_created', 'Admin user created'],
  ['admin.user_changed', 'Admin user changed'],
  ['admin.audit_exported', 'Audit log exported'],
  ['device.', 'Devices: all'],
  ['device.registered', 'Device registered'],
  ['device.revoked', 'Device revoked'],
  ['device.auth_failed', 'Revoked device token used'],
  ['webhook.rejected', 'Webhook rejected'],
  ['assertion.rejected', 'Approval rejected'],
  ['session.decided', 'Session decided'],
  ['enrollment.created', 'Enrollment code created'],
  ['enrollment.rejected', 'Enrollment code rejected'],
  ['push_subscription.rejected', 'Push endpoint rejected'],
  ['issuer.auth_failed', 'Issuer API credentials wrong'],
];

const FILTERS = ['type', 'customerNumber', 'sessionId', 'actor', 'from', 'to'] as const;

export function AuditPage({ query }: { query: URLSearchParams }) {
  const filter = Object.fromEntries(FILTERS.map((name) => [name, query.get(name) ?? undefined])) as Record<(typeof FILTERS)[number], string | undefined>;
  const list = usePagedList<AuditEventView>('audit-events', filter);
  const [open, setOpen] = useState<string | null>(null);

  const set = (name: string, value: string) => navigate('/audit', { ...filter, [name]: value || undefined }, true);
  return (
    <div class="page">
      <header class="page-head">
        <div>
          <h1>Audit log</h1>
          <p class="muted">Every security event and admin action, newest first. Append-only: the database refuses to change or delete it.</p>
        </div>
        <a class="button secondary" href={exportUrl(filter)} download>
          Export CSV
        </a>
      </header>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Event
          <select name="type" value={filter.type ?? ''} onChange={(e) => set('type', e.currentTarget.value)}>
            {TYPES.map(([value, label]) => (
              <option value={value}>{label}</option>
            ))}
          </select>
        </label>
        <FilterInput label="Customer number" name="customerNumber" value={filter.customerNumber} onCommit={set} />
        <FilterInput label="Session id" name="sessionId" value={filter.sessionId} onCommit={set} />
        <FilterInput label="Admin (email)" name="actor" value={filter.actor} onCommit={set} />
        <label>
          From
          <input type="datetime-local" name="from" value={local(filter.from)} onChange={(e) => set('from', iso(e.currentTarget.value))} />
        </label>
        <label>
          To
          <input type="datetime-local" name="to" value={local(filter.to)} onChange={(e) => set('to', iso(e.currentTarget.value))} />
        </label>
      </form>
      <ErrorNote error={list.error} />
      {list.loaded && list.items.length === 0 ? (
        <Empty title="No audit events match">
          <p>Sign-ins, device enrollments and revocations, refused webhooks and approvals are recorded here as they happen.</p>
        </Empty>
      ) : (
        <table class="table audit-table">
          <thead>
            <tr>
              <th>When</th>
              <th>Event</th>
              <th>Admin</th>
              <th>Customer</th>
              <th>Session</th>
              <th>Device</th>
              <th>From</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((event) => (
              <tr data-type={event.type} class="clickable" onClick={() => setOpen(open === event.id ? null : event.id)}>
                <td class="nowrap">{dateTime(event.occurredAt)}</td>
                <td>
                  <span class={`pill pill-${event.type.split('.')[1] ?? ''}`}>{event.type}</span>
                </td>
                <td>{event.actor ?? '—'}</td>
                <td>{event.customerNumber ? <a href={href(`/cardholders/${event.customerNumber}`)}>{event.customerNumber}</a> : '—'}</td>
                <td class="mono">{event.sessionId ? <a href={href(`/sessions/${event.sessionId}`)}>{shortId(event.sessionId)}</a> : '—'}</td>
                <td class="mono">{event.deviceId ? shortId(event.deviceId) : '—'}</td>
                <td class="mono small">{event.remoteAddress ?? '—'}</td>
                <td class="details-cell">{open === event.id ? <pre>{JSON.stringify({ ...event.details, requestId: event.requestId }, null, 2)}</pre> : summary(event.details)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <LoadMore cursor={list.cursor} loading={list.loading} onMore={list.more} />
    </div>
  );
}

function FilterInput({ label, name, value, onCommit }: { label: string; name: string; value?: string; onCommit: (name: string, value: string) => void }) {
  const [text, setText] = useState(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);
  return (
    <label>
      {label}
      <input name={name} value={text} placeholder="Any" onInput={(e) => setText(e.currentTarget.value)} onChange={(e) => onCommit(name, e.currentTarget.value.trim())} />
    </label>
  );
}

function summary(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(' · ');
}

function local(isoValue?: string): string {
  if (!isoValue) return '';
  const date = new Date(isoValue);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

function iso(localValue: string): string {
  return localValue ? new Date(localValue).toISOString() : '';
}
