/**
 * Per-key request rate limits. A request is counted against its API key once
 * that key has been seen to authenticate, and against its client address
 * otherwise (no key, an unknown key, SOAP): inventing a fresh key per request
 * therefore buys no extra requests. Root keys are the operator's and are not
 * limited. Counters live in the process, so with several API processes each
 * allows the limit.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GridhookError } from '../errors.js';
import { hashApiKey } from '../services/api-keys.js';
import { API_KEY_HEADER } from './rest/auth.js';

const WINDOW_MS = 60_000;
/** Keys remembered as valid; beyond this the oldest are forgotten (and counted by address until seen again). */
const KNOWN_KEYS_LIMIT = 10_000;
/** Probes (load balancers, orchestrators) and Prometheus scrapes poll often and carry no API key. */
const UNLIMITED_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

function apiKeyHashOf(request: FastifyRequest): string | null {
  const header = request.headers[API_KEY_HEADER];
  const key = (Array.isArray(header) ? header[0] : header)?.trim();
  return key ? hashApiKey(key) : null;
}

export async function installRateLimit(app: FastifyInstance, perMinute: number): Promise<void> {
  if (perMinute <= 0) return;
  /** Hash of a key that authenticated → whether it is a Root key. */
  const known = new Map<string, boolean>();
  const hashes = new WeakMap<FastifyRequest, string | null>();
  const hashOf = (request: FastifyRequest): string | null => {
    let hash = hashes.get(request);
    if (hash === undefined) {
      hash = apiKeyHashOf(request);
      hashes.set(request, hash);
    }
    return hash;
  };

  app.addHook('onResponse', async (request) => {
    // Set by the /v2 authentication hook; absent on other routes.
    const principal = request.principal;
    if (!principal) return;
    const hash = hashOf(request);
    if (hash === null || known.has(hash)) return;
    if (known.size >= KNOWN_KEYS_LIMIT) known.delete(known.keys().next().value as string);
    known.set(hash, principal.role === 'Root');
  });

  await app.register(rateLimit, {
    // Not per route: route hooks run after the /v2 authentication hook, and
    // a request refused for its key must be counted too.
    global: false,
    max: perMinute,
    timeWindow: WINDOW_MS,
    cache: KNOWN_KEYS_LIMIT,
    keyGenerator: (request) => {
      const hash = hashOf(request);
      return hash !== null && known.has(hash) ? `key:${hash}` : `ip:${request.ip}`;
    },
    allowList: (request, key) =>
      UNLIMITED_ROUTES.has(request.routeOptions.url ?? '') || (key.startsWith('key:') && known.get(key.slice(4)) === true),
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new GridhookError(
        'RateLimitExceeded',
        `Too many requests: at most ${context.max} a minute are accepted per API key (or per client address ` +
          `without a valid key); retry after ${seconds} s.`,
        { retryAfterSeconds: seconds },
      );
    },
  });
  app.addHook('onRequest', app.rateLimit());
}
