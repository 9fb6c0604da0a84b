import { useEffect, useRef, useState } from 'preact/hooks';
import type { SessionEvent, SessionRow } from '../api';
import { Empty, ErrorNote, LoadMore, ResultBadge } from '../components/common';
import { usePagedList } from '../components/paged-list';
import { ago, money, shortId } from '../format';
import { useLiveSessions } from '../live';
import { href, navigate } from '../router';
import { LiveDot } from './overview';

interface Filter {
  result?: string;
  customerNumber?: string;
  merchant?: string;
  notMe?: string;
}

const RESULT_OF_STATE: Record<string, SessionRow['result']> = { APPROVED: 'SUCCESS', DECLINED: 'FAIL', ERROR: 'ERROR', TIMEOUT: 'TIMEOUT', PENDING: null };

export function SessionsPage({ query }: { query: URLSearchParams }) {
  const filter: Filter = {
    result: query.get('result') ?? undefined,
    customerNumber: query.get('customerNumber') ?? undefined,
    merchant: query.get('merchant') ?? undefined,
    notMe: query.get('notMe') ?? undefined,
  };
  const list = usePagedList<SessionRow>('sessions', { ...filter });
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [, tick] = useState(0);
  const filterRef = useRef(filter);
  filterRef.current = filter;

  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 5000);
    return () => clearInterval(timer);
  }, []);

  // Events that arrive while the first page is being reloaded: the page was read from
  // Postgres before some of them, so they are applied again on top of it when it lands
  // (applying an event twice changes nothing), or the page would drop a session just shown.
  const duringReload = useRef<SessionEvent[] | null>(null);
  const reload = async () => {
    duringReload.current = [];
    await list.reload();
    const missed = duringReload.current;
    duringReload.current = null;
    missed.forEach(apply);
  };

  const apply = (event: SessionEvent) => {
    duringReload.current?.push(event);
    list.setItems((current) => {
      const f = filterRef.current;
      if (event.type === 'callback.settled') {
        return current.map((row) => (row.sessionId === event.sessionId ? { ...row, callbackOutcome: event.callbackOutcome, callbackSettledAt: new Date(event.at).toISOString() } : row));
      }
      const s = event.session;
      const existing = current.find((row) => row.sessionId === s.sessionId);
      const update: SessionRow =
        event.type === 'session.received'
          ? { ...(existing ?? blankRow(s)) }
          : {
              ...(existing ?? blankRow(s)),
              state: event.session.state,
              result: RESULT_OF_STATE[event.session.state] ?? null,
              declineReason: event.session.declineReason ?? null,
              errorReason: event.session.errorReason ?? null,
              decidedByDeviceId: event.session.decidedByDeviceId ?? null,
              settledAt: new Date(event.at).toISOString(),
            };
      if (existing) return current.map((row) => (row.sessionId === s.sessionId ? update : row));
      if (!matches(update, f)) return current;
      setFresh((ids) => new Set(ids).add(s.sessionId));
      return [update, ...current].sort((a, b) => Date.parse(b.receivedAt) - Date.parse(a.receivedAt));
    });
  };

  const status = useLiveSessions(apply, () => void reload());

  const setFilter = (change: Partial<Filter>) => navigate('/sessions', { ...filter, ...change }, true);

  return (
    <div class="page">
      <header class="page-head">
        <div>
          <h1>Live sessions</h1>
          <p class="muted">
            Every authentication, newest first; new ones and their results appear by themselves. <LiveDot status={status} />
          </p>
        </div>
      </header>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Result
          <select name="result" value={filter.notMe ? 'NOT_ME' : (filter.result ?? '')} onChange={(e) => {
            const value = e.currentTarget.value;
            setFilter(value === 'NOT_ME' ? { result: undefined, notMe: 'true' } : { result: value || undefined, notMe: undefined });
          }}>
            <option value="">All</option>
            <option value="PENDING">Pending</option>
            <option value="SUCCESS">Approved (SUCCESS)</option>
            <option value="FAIL">Declined (FAIL)</option>
            <option value="NOT_ME">Declined: “not me”</option>
            <option value="ERROR">Error (ERROR)</option>
            <option value="TIMEOUT">Timed out (TIMEOUT)</option>
          </select>
        </label>
        <DebouncedInput label="Customer number" name="customerNumber" value={filter.customerNumber} onChange={(value) => setFilter({ customerNumber: value })} />
        <DebouncedInput label="Merchant" name="merchant" value={filter.merchant} onChange={(value) => setFilter({ merchant: value })} />
        {filter.result || filter.customerNumber || filter.merchant || filter.notMe ? (
          <button type="button" class="button link" onClick={() => navigate('/sessions', {}, true)}>
            Clear filters
          </button>
        ) : null}
      </form>
      <ErrorNote error={list.error} />
      {list.loaded && list.items.length === 0 ? (
        <Empty title={Object.values(filter).some(Boolean) ? 'No sessions match these filters' : 'No authentications yet'}>
          <p>
            Sessions appear here the moment Enfuce ID calls the webhook, and update as the cardholder answers. Enroll a device in{' '}
            <a href={href('/cardholders')}>Cardholders</a> to start.
          </p>
        </Empty>
      ) : (
        <table class="table sessions-table">
          <thead>
            <tr>
              <th>Received</th>
              <th>Session</th>
              <th>Customer</th>
              <th>Merchant</th>
              <th class="num">Amount</th>
              <th>Card</th>
              <th>Result</th>
              <th>Callback</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((row) => (
              <tr key={row.sessionId} data-session-id={row.sessionId} class={`clickable ${fresh.has(row.sessionId) ? 'fresh' : ''}`} onClick={() => navigate(`/sessions/${row.sessionId}`)}>
                <td title={row.receivedAt}>{ago(row.receivedAt)}</td>
                <td class="mono">
                  <a href={href(`/sessions/${row.sessionId}`)}>{shortId(row.sessionId)}</a>
                </td>
                <td>{row.customerNumber}</td>
                <td>{row.merchantName}</td>
                <td class="num">{money(row.amount, row.currency)}</td>
                <td class="mono">{row.cardNumber ?? '—'}</td>
                <td>
                  <ResultBadge result={row.result} notMe={row.declineReason === 'not_me'} />
                </td>
                <td>{callbackLabel(row)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <LoadMore cursor={list.cursor} loading={list.loading} onMore={list.more} />
    </div>
  );
}

function DebouncedInput({ label, name, value, onChange }: { label: string; name: string; value?: string; onChange: (value: string | undefined) => void }) {
  const [text, setText] = useState(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);
  useEffect(() => {
    if (text === (value ?? '')) return;
    const timer = setTimeout(() => onChange(text.trim() || undefined), 400);
    return () => clearTimeout(timer);
  }, [text]);
  return (
    <label>
      {label}
      <input name={name} value={text} onInput={(e) => setText(e.currentTarget.value)} placeholder="Any" />
    </label>
  );
}

function blankRow(s: { sessionId: string; customerNumber: string; merchantName: string; amount: number; currency: string; cardNumber: string | null; receivedAt: number }): SessionRow {
  return {
    sessionId: s.sessionId,
    customerNumber: s.customerNumber,
    merchantName: s.merchantName,
    merchantCountry: null,
    amount: s.amount,
    currency: s.currency,
    cardNumber: s.cardNumber,
    state: 'PENDING',
    result: null,
    declineReason: null,
    errorReason: null,
    decidedByDeviceId: null,
    receivedAt: new Date(s.receivedAt).toISOString(),
    settledAt: null,
    callbackOutcome: null,
    callbackSettledAt: null,
  };
}

/** The same filters as the API's, for rows that arrive live. */
function matches(row: SessionRow, filter: Filter): boolean {
  if (filter.notMe && row.declineReason !== 'not_me') return false;
  if (filter.result === 'PENDING' && row.result !== null) return false;
  if (filter.result && filter.result !== 'PENDING' && row.result !== filter.result) return false;
  if (filter.customerNumber && row.customerNumber !== filter.customerNumber) return false;
  if (filter.merchant && !row.merchantName.toLowerCase().includes(filter.merchant.toLowerCase())) return false;
  return true;
}

function callbackLabel(row: SessionRow) {
  if (row.callbackOutcome === 'delivered') return <span class="ok">Delivered</span>;
  if (row.callbackOutcome) return <span class="bad">{row.callbackOutcome.replace('_', ' ')}</span>;
  return row.result ? <span class="muted">Sending…</span> : <span class="muted">—</span>;
}
