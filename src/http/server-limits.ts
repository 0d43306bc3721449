/**
 * Limits on what one client can make the API hold: how long it may take to
 * send a request (a slowloris client dribbling headers or a body a byte at a
 * time), how long an idle keep-alive connection stays, and how large a body
 * each route reads.
 */
import http from 'node:http';
import type { FastifyInstance, FastifyServerFactory } from 'fastify';
import type { Config } from '../config.js';

/**
 * Routes that carry bulk data get GRIDHOOK_BODY_LIMIT_BYTES; every other
 * route GRIDHOOK_CALL_BODY_LIMIT_BYTES, far more than any of their bodies
 * needs. A route that sets its own bodyLimit (parcel uploads) keeps it.
 */
const BULK_ROUTES = new Set(['/v2/callbacks/events/publish']);

/** Node checks the timeouts below on this beat; the default (30 s) would let a short timeout run much longer. */
const MAX_CHECK_INTERVAL_MS = 30_000;
const MIN_CHECK_INTERVAL_MS = 250;

export function serverFactory(config: Pick<Config, 'requestTimeoutMs' | 'keepAliveTimeoutMs'>): FastifyServerFactory {
  return (handler) => {
    const requestTimeout = config.requestTimeoutMs;
    const server = http.createServer(
      {
        requestTimeout,
        headersTimeout: requestTimeout,
        keepAliveTimeout: config.keepAliveTimeoutMs,
        connectionsCheckingInterval: Math.min(
          MAX_CHECK_INTERVAL_MS,
          Math.max(MIN_CHECK_INTERVAL_MS, Math.floor(requestTimeout / 4)),
        ),
      },
      handler,
    );
    return server;
  };
}

export function installBodyLimits(
  app: FastifyInstance,
  config: Pick<Config, 'bodyLimitBytes' | 'callBodyLimitBytes'>,
): void {
  app.addHook('onRoute', (route) => {
    if (route.bodyLimit !== undefined || !route.url.startsWith('/v2/')) return;
    route.bodyLimit = BULK_ROUTES.has(route.url) ? config.bodyLimitBytes : config.callBodyLimitBytes;
  });
}
