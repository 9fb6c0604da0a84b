/** Enfuce invalidates a callback 150 s after its webhook (seed 000). */
export const ENFUCE_DEADLINE_SECONDS = 150;

/** Contract §2: retry on network errors and timeouts (no status), 408, 429 and 5xx. */
export function isRetryableCallbackStatus(status: number | undefined): boolean {
  return status === undefined || status === 408 || status === 429 || status >= 500;
}

export function isDeliveredStatus(status: number): boolean {
  return status >= 200 && status < 300;
}

/** The last moment Enfuce accepts a callback, in epoch ms. */
export function callbackDeadline(receivedAtMs: number): number {
  return receivedAtMs + ENFUCE_DEADLINE_SECONDS * 1000;
}

// An attempt needs at least this long to mean anything; starting one closer to the
// deadline would only race Enfuce's invalidation.
export const MIN_USEFUL_ATTEMPT_MS = 250;

const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 8000;

/**
 * Exponential backoff with "equal jitter": never shorter than half the step, and
 * random above that, so the retries of many sessions spread out when Enfuce comes
 * back after an outage instead of arriving together.
 */
export function callbackRetryDelay(attemptsMade: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** How long the next attempt may take, or 0 when no attempt may start any more. */
export function attemptBudget(nowMs: number, deadlineMs: number, attemptTimeoutMs: number): number {
  const left = deadlineMs - nowMs;
  return left < MIN_USEFUL_ATTEMPT_MS ? 0 : Math.min(attemptTimeoutMs, left);
}

/**
 * The wait before the next attempt, shortened when needed so that one last attempt
 * with a useful budget still starts before the deadline. Once the deadline has
 * passed nothing is posted any more, and what a retry still has to do (record the
 * outcome in Postgres, which may be down) waits the ordinary backoff, not a tight loop.
 */
export function callbackRetryDelayBefore(deadlineMs: number, nowMs: number, attemptsMade: number, random: () => number = Math.random): number {
  if (nowMs >= deadlineMs) return callbackRetryDelay(attemptsMade, random);
  const latestStart = deadlineMs - MIN_USEFUL_ATTEMPT_MS - nowMs;
  return Math.max(0, Math.min(callbackRetryDelay(attemptsMade, random), latestStart));
}
