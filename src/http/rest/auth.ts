/** X-API-Key (or console session cookie) authentication for the /v2 routes. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GridhookError } from '../../errors.js';
import type { Principal } from '../../domain/types.js';
import type { Services } from '../../services/index.js';
import { CONSOLE_HEADER, sessionCookieOf } from './session-cookie.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling; set by the X-API-Key hook before any /v2 handler runs. */
    principal: Principal | null;
  }
}

export const API_KEY_HEADER = 'x-api-key';

/**
 * Authenticates every request of the instance it is added to, before its body
 * is even read: an unauthenticated caller learns nothing about its input.
 */
export function requireApiKey(app: FastifyInstance, services: Services): void {
  app.addHook('onRequest', async (request) => {
    const header = request.headers[API_KEY_HEADER];
    const key = Array.isArray(header) ? header[0] : header;
    if (!key?.trim()) {
      const session = sessionCookieOf(request);
      if (session !== undefined) {
        request.principal = await authenticateSession(request, services, session);
        return;
      }
      throw new GridhookError('InvalidAPIKey', 'X-API-Key: the header is missing; send your API key in the X-API-Key header.', {
        field: 'X-API-Key',
      });
    }
    request.principal = await services.auth.authenticate(key);
  });
}

/**
 * Checks the request's credential again, as on arrival: a long-lived answer (a
 * live stream) ends once its key is revoked or its session is over.
 */
export function reauthenticator(request: FastifyRequest, services: Services): () => Promise<Principal> {
  const header = request.headers[API_KEY_HEADER];
  const key = Array.isArray(header) ? header[0] : header;
  if (key?.trim()) return () => services.auth.authenticate(key);
  const session = sessionCookieOf(request);
  if (session !== undefined) return () => services.sessions.authenticate(session);
  return () => Promise.resolve(principalOf(request));
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new GridhookError('InvalidAPIKey', 'X-API-Key: the request is not authenticated.');
  return request.principal;
}

/** A console call: the session cookie counts only with the console's header beside it (CSRF). */
async function authenticateSession(request: FastifyRequest, services: Services, session: string): Promise<Principal> {
  if (request.headers[CONSOLE_HEADER] === undefined) {
    throw new GridhookError(
      'AccessDenied',
      `${CONSOLE_HEADER}: a call authenticated by the session cookie must send this header (any value); ` +
        'it proves the call comes from the console and not from another site.',
      { field: CONSOLE_HEADER },
    );
  }
  return services.sessions.authenticate(session);
}
