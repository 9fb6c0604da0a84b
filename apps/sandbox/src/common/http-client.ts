/**
 * The one way the sandbox's parties call each other and the authenticator: JSON
 * over HTTP, each call with its own timeout, never throwing for an answer that
 * came back (any status) or one that did not (network error, timeout).
 */
export type HttpAnswer<T = any> =
  | { ok: true; status: number; body: T; durationMs: number }
  | { ok: false; status?: number; body?: T; error?: string; durationMs: number };

export interface HttpCall {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  /** A JSON body, or a string sent as it is (with its own content-type header). */
  body?: unknown;
  timeoutMs: number;
}

export async function callHttp<T = any>(url: string, call: HttpCall): Promise<HttpAnswer<T>> {
  const started = performance.now();
  const isText = typeof call.body === 'string';
  const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
  if (call.body !== undefined && !isText && !hasHeader(headers, 'content-type')) headers['content-type'] = 'application/json';
  try {
    const response = await fetch(url, {
      method: call.method ?? (call.body === undefined ? 'GET' : 'POST'),
      headers,
      body: call.body === undefined ? undefined : isText ? (call.body as string) : JSON.stringify(call.body),
      redirect: 'manual',
      signal: AbortSignal.timeout(call.timeoutMs),
    });
    const text = await response.text();
    const body = parseJson(text) as T;
    const durationMs = elapsed(started);
    return response.ok ? { ok: true, status: response.status, body, durationMs } : { ok: false, status: response.status, body, durationMs };
  } catch (error) {
    const failure = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    const reason = failure?.name === 'TimeoutError' ? `no answer within ${call.timeoutMs} ms` : (failure?.cause?.code ?? failure?.cause?.message ?? failure?.message ?? String(error));
    return { ok: false, error: reason, durationMs: elapsed(started) };
  }
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** What went wrong with a call, in a few words, for logs and the timeline. */
export function describeFailure(answer: HttpAnswer): string {
  if (answer.ok) return `${answer.status}`;
  if (answer.status === undefined) return answer.error ?? 'no answer';
  const body = answer.body as { errorCode?: string; errorName?: string; message?: string } | undefined;
  const detail = body?.errorCode ?? body?.errorName;
  return detail ? `${answer.status} ${detail}` : `${answer.status}`;
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
