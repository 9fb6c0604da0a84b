import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'assent_admin';

/** The dashboard session token from the Cookie header, if any. */
export function sessionTokenOf(request: Pick<FastifyRequest, 'headers'>): string | undefined {
  for (const pair of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = pair.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=') || undefined;
  }
  return undefined;
}

/**
 * httpOnly so no script can read it; SameSite=Strict so no other site's page can
 * make the browser send it; Secure whenever the service is served over https.
 */
export function setSessionCookie(reply: FastifyReply, token: string, options: { maxAgeSeconds: number; secure: boolean }): void {
  void reply.header('set-cookie', cookie(token, options.maxAgeSeconds, options.secure));
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  void reply.header('set-cookie', cookie('', 0, secure));
}

function cookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeSeconds}`, ...(secure ? ['Secure'] : [])].join('; ');
}
