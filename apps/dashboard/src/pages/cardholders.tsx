import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, CardholderDetail, CardholderSummary, EnrollmentCode, DeviceView, Identity, Page, SessionRow } from '../api';
import { Empty, ErrorNote, LoadMore, ResultBadge } from '../components/common';
import { usePagedList } from '../components/paged-list';
import { ago, dateTime, money } from '../format';
import { can } from '../roles';
import { href, navigate } from '../router';

export function CardholdersPage({ query }: { query: URLSearchParams }) {
  const q = query.get('q') ?? '';
  const [text, setText] = useState(q);
  const list = usePagedList<CardholderSummary>('cardholders', { q: q || undefined });

  return (
    <div class="page">
      <header class="page-head">
        <div>
          <h1>Cardholders</h1>
          <p class="muted">Find a cardholder by customer number to see their devices, revoke one, or enroll a new one.</p>
        </div>
      </header>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          const typed = text.trim();
          // An exact customer number goes straight to the cardholder.
          if (typed && list.items.length === 1 && list.items[0].customerNumber === typed) navigate(`/cardholders/${typed}`);
          else navigate('/cardholders', { q: typed || undefined }, true);
        }}
      >
        <label>
          Customer number
          <input name="q" value={text} placeholder="Starts with…" onInput={(e) => setText(e.currentTarget.value)} />
        </label>
        <button class="button primary" type="submit">
          Search
        </button>
        {text.trim() && /^[A-Za-z0-9_-]{1,64}$/.test(text.trim()) ? (
          <a class="button secondary" href={href(`/cardholders/${text.trim()}`)}>
            Open {text.trim()}
          </a>
        ) : null}
      </form>
      <ErrorNote error={list.error} />
      {list.loaded && list.items.length === 0 ? (
        <Empty title={q ? `No cardholder starts with ${q}` : 'No cardholders yet'}>
          <p>
            Cardholders are created when the issuer’s backend (or an operator here) creates an enrollment code for a customer number. Type a customer number
            and choose <em>Open</em> to enroll one.
          </p>
        </Empty>
      ) : (
        <table class="table">
          <thead>
            <tr>
              <th>Customer number</th>
              <th>Name</th>
              <th class="num">Active devices</th>
              <th>Since</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((cardholder) => (
              <tr class="clickable" onClick={() => navigate(`/cardholders/${cardholder.customerNumber}`)}>
                <td class="mono">
                  <a href={href(`/cardholders/${cardholder.customerNumber}`)}>{cardholder.customerNumber}</a>
                </td>
                <td>{cardholder.displayName ?? '—'}</td>
                <td class="num">{cardholder.activeDevices}</td>
                <td>{dateTime(cardholder.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <LoadMore cursor={list.cursor} loading={list.loading} onMore={list.more} />
    </div>
  );
}

export function CardholderPage({ customerNumber, identity }: { customerNumber: string; identity: Identity }) {
  const [detail, setDetail] = useState<CardholderDetail | null | 'missing'>(null);
  const [sessions, setSessions] = useState<SessionRow[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [enrollment, setEnrollment] = useState<EnrollmentCode | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    api<CardholderDetail>(`cardholders/${encodeURIComponent(customerNumber)}`).then(setDetail, (failure) => {
      if (failure.status === 404) setDetail('missing');
      else setError(failure);
    });
    api<Page<SessionRow>>('sessions', { query: { customerNumber, limit: '10' } }).then((page) => setSessions(page.items), setError);
  }, [customerNumber]);
  useEffect(load, [load]);

  const revoke = async (device: DeviceView) => {
    if (!confirm(`Revoke “${device.name}”? It stops working at once and gets no more approval requests.`)) return;
    setBusy(true);
    try {
      await api(`devices/${device.id}/revoke`, { method: 'POST' });
      load();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const enroll = async () => {
    setBusy(true);
    try {
      setEnrollment(await api<EnrollmentCode>(`cardholders/${encodeURIComponent(customerNumber)}/enrollments`, { method: 'POST', body: {} }));
      load();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const operator = can(identity, 'operator');
  return (
    <div class="page">
      <a class="back" href={href('/cardholders')}>← Cardholders</a>
      <header class="page-head">
        <div>
          <h1>
            Cardholder <span class="mono">{customerNumber}</span>
          </h1>
          {detail && detail !== 'missing' ? (
            <p class="muted">
              {detail.displayName ?? 'No name given'} · since {dateTime(detail.createdAt)} · {detail.activeDevices} active device{detail.activeDevices === 1 ? '' : 's'}
            </p>
          ) : null}
        </div>
        {operator ? (
          <button class="button primary" disabled={busy} onClick={enroll}>
            Create enrollment code
          </button>
        ) : null}
      </header>
      <ErrorNote error={error} />
      {enrollment ? (
        <section class="panel enrollment">
          <img class="qr" alt="QR code of the activation link" src={`data:image/svg+xml;base64,${btoa(enrollment.qrCodeSvg)}`} />
          <div>
            <h2>Enrollment code created</h2>
            <p>Open this link on the cardholder’s phone, or scan the QR code with its camera. It works once, until {dateTime(enrollment.expiresAt)}.</p>
            <p>
              <a class="mono break" href={enrollment.activationUrl} target="_blank" rel="noreferrer">
                {enrollment.activationUrl}
              </a>
            </p>
            <button class="button secondary" onClick={() => navigator.clipboard?.writeText(enrollment.activationUrl)}>
              Copy link
            </button>
          </div>
        </section>
      ) : null}
      {detail === 'missing' ? (
        <Empty title={`No cardholder ${customerNumber} yet`}>
          <p>{operator ? 'Create an enrollment code to enroll their first device; the cardholder is created with it.' : 'An operator can create an enrollment code for them.'}</p>
        </Empty>
      ) : detail ? (
        <>
          <section class="panel">
            <h2>Devices</h2>
            {detail.devices.length ? (
              <table class="table">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Status</th>
                    <th>Mode</th>
                    <th>Enrolled</th>
                    <th>Last used</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {detail.devices.map((device) => (
                    <tr data-device-id={device.id} class={device.status === 'revoked' ? 'dim' : ''}>
                      <td>{device.name}</td>
                      <td>
                        <span class={`pill pill-${device.status}`}>{device.status}</span>
                        {device.revokedAt ? <span class="muted small"> {dateTime(device.revokedAt)}</span> : null}
                      </td>
                      <td>
                        {device.mode === 'push' ? 'Push' : 'Poll'}
                        {device.pushStatus === 'expired' ? <span class="muted small"> (push expired)</span> : null}
                      </td>
                      <td>{dateTime(device.createdAt)}</td>
                      <td>{device.lastUsedAt ? ago(device.lastUsedAt) : 'never'}</td>
                      <td class="actions">
                        {operator && device.status === 'active' ? (
                          <button class="button danger small" disabled={busy} onClick={() => revoke(device)}>
                            Revoke
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p class="muted">No device enrolled yet.</p>
            )}
          </section>
          <section class="panel">
            <h2>Recent authentications</h2>
            {sessions.length ? (
              <table class="table">
                <thead>
                  <tr>
                    <th>Received</th>
                    <th>Merchant</th>
                    <th class="num">Amount</th>
                    <th>Result</th>
                  </tr>
                </thead>
                <tbody>
                  {sessions.map((row) => (
                    <tr class="clickable" onClick={() => navigate(`/sessions/${row.sessionId}`)}>
                      <td>{dateTime(row.receivedAt)}</td>
                      <td>{row.merchantName}</td>
                      <td class="num">{money(row.amount, row.currency)}</td>
                      <td>
                        <ResultBadge result={row.result} notMe={row.declineReason === 'not_me'} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p class="muted">None yet.</p>
            )}
            <p>
              <a href={href('/sessions', { customerNumber })}>All sessions of {customerNumber} →</a> · <a href={href('/audit', { customerNumber })}>Audit events →</a>
            </p>
          </section>
          <section class="panel">
            <h2>Enrollment codes</h2>
            {detail.enrollments.length ? (
              <table class="table">
                <thead>
                  <tr>
                    <th>Created</th>
                    <th>Expires</th>
                    <th>Used</th>
                  </tr>
                </thead>
                <tbody>
                  {detail.enrollments.map((e) => (
                    <tr>
                      <td>{dateTime(e.createdAt)}</td>
                      <td>{dateTime(e.expiresAt)}</td>
                      <td>{e.usedAt ? dateTime(e.usedAt) : Date.parse(e.expiresAt) < Date.now() ? 'expired unused' : 'not yet'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p class="muted">None.</p>
            )}
          </section>
        </>
      ) : null}
    </div>
  );
}
