import type { FastifyInstance } from 'fastify';
import type { GridhookMetrics } from './prometheus.js';
import { UNAUTHORIZED_TEXT, scrapeAllowed } from './scrape-auth.js';

/**
 * Counts and times every API request by its route template (/v2/callbacks/:id,
 * not the ID itself, so the series stay few), and serves GET /metrics on the
 * API's own port. /metrics is left out of the OpenAPI document: it is for
 * Prometheus, not for API clients.
 */
export function installHttpMetrics(app: FastifyInstance, metrics: GridhookMetrics, options: { serve: boolean; token: string }): void {
  app.addHook('onResponse', (request, reply, done) => {
    // Unmatched paths share one series: their raw URLs are unbounded.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  if (!options.serve) return;
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!scrapeAllowed(request.headers.authorization, options.token)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="metrics"')
        .type('text/plain; charset=utf-8')
        .send(UNAUTHORIZED_TEXT);
    }
    return reply.type(metrics.contentType).send(await metrics.render());
  });
}
