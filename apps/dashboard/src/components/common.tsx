import type { ComponentChildren } from 'preact';
import type { SessionRow } from '../api';

const RESULT_LABEL: Record<string, string> = { SUCCESS: 'Approved', FAIL: 'Declined', ERROR: 'Error', TIMEOUT: 'Timed out', PENDING: 'Pending' };

export function ResultBadge({ result, notMe }: { result: SessionRow['result']; notMe?: boolean }) {
  const key = result ?? 'PENDING';
  return (
    <span class={`badge badge-${key.toLowerCase()}`} title={key}>
      {RESULT_LABEL[key]}
      {notMe ? <span class="badge-flag">not me</span> : null}
    </span>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <h3>{title}</h3>
      {children}
    </div>
  );
}

export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  return <div class="error-note" role="alert">{message}</div>;
}

export function LoadMore({ cursor, loading, onMore }: { cursor: string | null; loading: boolean; onMore: () => void }) {
  if (!cursor) return null;
  return (
    <div class="load-more">
      <button class="button secondary" disabled={loading} onClick={onMore}>
        {loading ? 'Loading…' : 'Load older'}
      </button>
    </div>
  );
}

export function Stat({ label, value, hint, tone }: { label: string; value: ComponentChildren; hint?: ComponentChildren; tone?: string }) {
  return (
    <div class={`stat ${tone ? `stat-${tone}` : ''}`}>
      <div class="stat-label">{label}</div>
      <div class="stat-value">{value}</div>
      {hint ? <div class="stat-hint">{hint}</div> : null}
    </div>
  );
}
