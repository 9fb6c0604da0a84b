import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, Identity, Role, useIdentity } from './api';
import { AuditPage } from './pages/audit';
import { CardholderPage, CardholdersPage } from './pages/cardholders';
import { OverviewPage } from './pages/overview';
import { QueuesPage } from './pages/queues';
import { SessionDetailPage } from './pages/session-detail';
import { SessionsPage } from './pages/sessions';
import { SignInPage } from './pages/sign-in';
import { UsersPage } from './pages/users';
import { can } from './roles';
import { href, navigate, useRoute } from './router';
import './styles.css';

const NAV: { path: string; label: string; role?: Role }[] = [
  { path: '/', label: 'Overview' },
  { path: '/sessions', label: 'Live sessions' },
  { path: '/cardholders', label: 'Cardholders' },
  { path: '/audit', label: 'Audit log' },
  { path: '/users', label: 'Admin users', role: 'admin' },
  { path: '/queues', label: 'Queues', role: 'admin' },
];

function App() {
  const route = useRoute();
  const [identity, setIdentity] = useState<Identity | null | undefined>(undefined);
  useIdentity(identity ?? null, () => setIdentity(null));

  useEffect(() => {
    // Not signed in (401), or the API unreachable: either way, the sign-in page.
    api<Identity>('me').then(setIdentity, () => setIdentity(null));
  }, []);

  if (identity === undefined) return <div class="boot">Loading…</div>;
  if (identity === null) {
    return (
      <SignInPage
        onSignedIn={(signedIn) => {
          setIdentity(signedIn);
          if (route.path === '/sign-in') navigate('/', {}, true);
        }}
      />
    );
  }

  const signOut = async () => {
    await api('sign-out', { method: 'POST' }).catch(() => undefined);
    setIdentity(null);
    navigate('/sign-in', {}, true);
  };

  return (
    <div class="layout">
      <aside class="sidebar">
        <div class="brand">
          <span class="brand-mark">A</span>
          <div>
            <div class="brand-name">Assent</div>
            <div class="brand-sub">Operations</div>
          </div>
        </div>
        <nav>
          {NAV.filter((item) => !item.role || can(identity, item.role)).map((item) => (
            <a class={`nav-link ${section(route.path) === item.path ? 'active' : ''}`} href={href(item.path)}>
              {item.label}
            </a>
          ))}
        </nav>
        <div class="sidebar-foot">
          <div class="who" title={identity.email}>
            {identity.email}
          </div>
          <div class="role">{identity.role}</div>
          <button class="button link" onClick={signOut}>
            Sign out
          </button>
        </div>
      </aside>
      <main class="content">{page(route.path, route.query, identity)}</main>
    </div>
  );
}

function section(path: string): string {
  const first = path.split('/')[1] ?? '';
  return first ? `/${first}` : '/';
}

function page(path: string, query: URLSearchParams, identity: Identity) {
  const [, first, second] = path.split('/');
  switch (first) {
    case '':
    case 'sign-in':
      return <OverviewPage />;
    case 'sessions':
      return second ? <SessionDetailPage sessionId={decodeURIComponent(second)} /> : <SessionsPage query={query} />;
    case 'cardholders':
      return second ? <CardholderPage customerNumber={decodeURIComponent(second)} identity={identity} /> : <CardholdersPage query={query} />;
    case 'audit':
      return <AuditPage query={query} />;
    case 'users':
      return can(identity, 'admin') ? <UsersPage identity={identity} /> : <NotAllowed />;
    case 'queues':
      return can(identity, 'admin') ? <QueuesPage /> : <NotAllowed />;
    default:
      return <NotAllowed />;
  }
}

function NotAllowed() {
  return (
    <div class="page">
      <h1>Not here</h1>
      <p>This page does not exist, or needs a role you do not have.</p>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
