import { useCallback, useEffect, useState } from 'preact/hooks';
import { AdminUserView, api, Identity, Role } from '../api';
import { ErrorNote } from '../components/common';
import { dateTime } from '../format';

export function UsersPage({ identity }: { identity: Identity }) {
  const [users, setUsers] = useState<AdminUserView[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [form, setForm] = useState({ email: '', role: 'viewer' as Role, password: '' });

  const load = useCallback(() => {
    api<{ items: AdminUserView[] }>('users').then((page) => setUsers(page.items), setError);
  }, []);
  useEffect(load, [load]);

  const change = async (user: AdminUserView, body: Record<string, unknown>) => {
    try {
      await api(`users/${user.id}`, { method: 'PATCH', body });
      setError(null);
      load();
    } catch (failure) {
      setError(failure);
    }
  };

  const create = async (event: Event) => {
    event.preventDefault();
    try {
      await api('users', { method: 'POST', body: form });
      setForm({ email: '', role: 'viewer', password: '' });
      setError(null);
      load();
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <div class="page">
      <header class="page-head">
        <div>
          <h1>Admin users</h1>
          <p class="muted">Viewers read everything; operators also create enrollment codes and revoke devices; admins also manage users and see the queues.</p>
        </div>
      </header>
      <ErrorNote error={error} />
      <table class="table">
        <thead>
          <tr>
            <th>Email</th>
            <th>Role</th>
            <th>Status</th>
            <th>Last sign-in</th>
            <th>Created</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr>
              <td>{user.email}</td>
              <td>
                <select value={user.role} disabled={user.email === identity.email} onChange={(e) => change(user, { role: e.currentTarget.value })}>
                  <option value="viewer">viewer</option>
                  <option value="operator">operator</option>
                  <option value="admin">admin</option>
                </select>
              </td>
              <td>{user.disabled ? <span class="pill pill-revoked">disabled</span> : user.locked ? <span class="pill pill-locked_out">locked</span> : <span class="pill pill-active">active</span>}</td>
              <td>{dateTime(user.lastSignInAt)}</td>
              <td>{dateTime(user.createdAt)}</td>
              <td class="actions">
                {user.locked ? (
                  <button class="button secondary small" onClick={() => change(user, { unlock: true })}>
                    Unlock
                  </button>
                ) : null}
                {user.email !== identity.email ? (
                  <button class="button secondary small" onClick={() => change(user, { disabled: !user.disabled })}>
                    {user.disabled ? 'Enable' : 'Disable'}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="panel form-row" onSubmit={create}>
        <h2>Add a user</h2>
        <label>
          Email
          <input type="email" required value={form.email} onInput={(e) => setForm({ ...form, email: e.currentTarget.value })} />
        </label>
        <label>
          Role
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.currentTarget.value as Role })}>
            <option value="viewer">viewer</option>
            <option value="operator">operator</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <label>
          Initial password
          <input type="password" required minLength={12} autoComplete="new-password" value={form.password} onInput={(e) => setForm({ ...form, password: e.currentTarget.value })} />
        </label>
        <button class="button primary" type="submit">
          Add user
        </button>
      </form>
    </div>
  );
}
