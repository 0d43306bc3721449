/**
 * The console's session cookie. A browser signs in once (POST
 * /v2/sessions/sign-in) and then calls the REST API with this cookie instead
 * of an X-API-Key header. The cookie is HttpOnly (no script can read it) and
 * SameSite=Strict; every call it authenticates must also carry
 * CONSOLE_HEADER, which a cross-site page cannot send without a CORS
 * preflight that gridhook never grants: that is the CSRF defence.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'gridhook_session';
export const CONSOLE_HEADER = 'x-gridhook-console';

export function sessionCookieOf(request: FastifyRequest): string | undefined {
  const value = request.cookies[SESSION_COOKIE];
  return value?.trim() ? value : undefined;
}

/**
 * Secure when the request reached gridhook itself over https. Fastify's trustProxy is off, so behind a
 * TLS-terminating proxy the request is http and the flag is not set (docs/console.md).
 */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, sessionId: string): void {
  reply.setCookie(SESSION_COOKIE, sessionId, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
  });
}
