/**
 * The web console's two cookies. `ll_session` carries the session id: httpOnly, `SameSite=Strict`,
 * `Secure` when the request came over TLS, path `/`. `ll_csrf` carries the CSRF token the page reads
 * and echoes in `x-csrf-token` on every state-changing call (double submit); the server also holds
 * its hash, so a cookie planted by another site does not pass.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'll_session';
export const CSRF_COOKIE = 'll_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** The value of one cookie of a `Cookie` header; undefined when absent. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return value === '' ? undefined : value;
  }
  return undefined;
}

export const sessionIdOf = (request: FastifyRequest): string | undefined =>
  readCookie(request.headers.cookie, SESSION_COOKIE);

function cookie(name: string, value: string, options: { httpOnly: boolean; secure: boolean; maxAgeS: number }): string {
  return [
    `${name}=${value}`,
    'Path=/',
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeS))}`,
    'SameSite=Strict',
    ...(options.httpOnly ? ['HttpOnly'] : []),
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

/** Sets both cookies for a session that lasts until `expiresAt`. */
export function setSessionCookies(
  request: FastifyRequest,
  reply: FastifyReply,
  session: { id: string; csrfToken: string; expiresAt: number },
  now: number,
): void {
  const secure = request.protocol === 'https';
  const maxAgeS = (session.expiresAt - now) / 1000;
  reply.header('set-cookie', [
    cookie(SESSION_COOKIE, session.id, { httpOnly: true, secure, maxAgeS }),
    cookie(CSRF_COOKIE, session.csrfToken, { httpOnly: false, secure, maxAgeS }),
  ]);
}

/** Tells the browser to drop both cookies. */
export function clearSessionCookies(request: FastifyRequest, reply: FastifyReply): void {
  const secure = request.protocol === 'https';
  reply.header('set-cookie', [
    cookie(SESSION_COOKIE, '', { httpOnly: true, secure, maxAgeS: 0 }),
    cookie(CSRF_COOKIE, '', { httpOnly: false, secure, maxAgeS: 0 }),
  ]);
}
