import { AuthenticationResult } from '@assent/domain';

export interface CallbackAttemptOutcome {
  /** HTTP status, or undefined when no answer came (network error or timeout). */
  status?: number;
  error?: string;
  durationMs: number;
}

export interface CallbackCredentials {
  username: string;
  password: string;
}

/** One POST of the result to Enfuce ID's callback (seed 000), bounded by its own timeout. */
export async function postCallback(
  callbackUrl: string,
  result: AuthenticationResult,
  credentials: CallbackCredentials,
  timeoutMs: number,
): Promise<CallbackAttemptOutcome> {
  const started = performance.now();
  const authorization = Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64');
  try {
    const response = await fetch(callbackUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${authorization}` },
      body: JSON.stringify({ result }),
      redirect: 'error', // a redirect would carry our credentials somewhere we did not check
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Drain the body so the connection returns to the pool; its content is not needed.
    await response.arrayBuffer().catch(() => undefined);
    return { status: response.status, durationMs: elapsed(started) };
  } catch (error) {
    const reason = (error as Error | undefined)?.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : describe(error);
    return { error: reason, durationMs: elapsed(started) };
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

/** fetch wraps the network error; its cause says what happened (ECONNREFUSED, …). */
function describe(error: unknown): string {
  const failure = error as { message?: string; cause?: { code?: string; message?: string } } | undefined;
  return failure?.cause?.code ?? failure?.cause?.message ?? failure?.message ?? String(error);
}
