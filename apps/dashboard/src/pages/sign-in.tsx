import { useState } from 'preact/hooks';
import { api, Identity } from '../api';
import { ErrorNote } from '../components/common';

export function SignInPage({ onSignedIn }: { onSignedIn: (identity: Identity) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api<Identity>('sign-in', { method: 'POST', body: { email, password } }));
    } catch (failure) {
      setError(failure);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="sign-in">
      <form class="sign-in-card" onSubmit={submit}>
        <div class="brand">
          <span class="brand-mark">A</span>
          <div>
            <div class="brand-name">Assent</div>
            <div class="brand-sub">Operations dashboard</div>
          </div>
        </div>
        <label>
          Email
          <input name="email" type="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        <ErrorNote error={error} />
        <button class="button primary" type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p class="muted small">
          No account yet? An administrator creates one with <code>npm run admin:create</code>.
        </p>
      </form>
    </div>
  );
}
