/**
 * The HTTP application: the REST API v2 under /v2 (X-API-Key on every route),
 * its OpenAPI document at /openapi.json, the /healthz and /readyz probes, and
 * the ECGridOS SOAP endpoint (soap/, described by its WSDLs instead).
 * Routes are thin: they translate between the API's words and the services.
 */
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { GridhookError, invalidParameter } from '../errors.js';
import type { Logger } from '../logger.js';
import { installHttpMetrics } from '../metrics/http-metrics.js';
import type { GridhookMetrics } from '../metrics/prometheus.js';
import type { Tracing } from '../metrics/tracing.js';
import type { Services } from '../services/index.js';
import { consoleRoutes, defaultConsoleDir } from './console/routes.js';
import { installListPacing, ListPacer, takeTurn } from './list-pacer.js';
import { installRateLimit } from './rate-limit.js';
import { refuseUnstorableText } from './rest/storable-text.js';
import { requireApiKey } from './rest/auth.js';
import { callbackRoutes } from './rest/callbacks.js';
import { installUnreadBodyDrain } from './body-drain.js';
import { installErrorHandler, sendError } from './rest/error-handler.js';
import { eventRoutes } from './rest/events.js';
import { eventStreamRoutes } from './rest/event-stream.js';
import { ecGridIdRoutes } from './rest/ids.js';
import { mailboxRoutes } from './rest/mailboxes.js';
import { networkRoutes } from './rest/networks.js';
import { parcelRoutes } from './rest/parcels.js';
import { ErrorEnvelope, ErrorResponses, HealthView, Ok } from './rest/schemas.js';
import { sessionRoutes } from './rest/sessions.js';
import { statsRoutes } from './rest/stats.js';
import { userRoutes } from './rest/users.js';
import { installBodyLimits, serverFactory } from './server-limits.js';
import { soapOperations } from './soap/handlers.js';
import { soapPlugin } from './soap/plugin.js';

export interface AppDeps {
  services: Services;
  config: Config;
  logger: Logger;
  /** The built console; defaults to the package's dist/console. */
  consoleDir?: string;
  /** Counts requests; and serves GET /metrics too unless GRIDHOOK_METRICS_PORT gives it a listener of its own. */
  metrics?: GridhookMetrics | null;
  /** A span per request, when tracing is on. */
  tracing?: Tracing | null;
  /** True while this process's engine is delivering: list calls then yield to it. Default: never. */
  delivering?: () => boolean;
}

/** The calls that read many records or aggregate them: paced while deliveries are under way. */
const LIST_ROUTES: ReadonlySet<string> = new Set([
  '/v2/callbacks/queue-list',
  '/v2/callbacks/list',
  '/v2/callbacks/health',
  '/v2/ids/list',
  '/v2/ids/find',
  '/v2/mailboxes/list',
  '/v2/networks/list',
  '/v2/parcels/inbox-list',
  '/v2/parcels/outbox-list',
  '/v2/users/list',
  '/v2/stats/overview',
  '/v2/stats/latency',
]);

/** The SOAP operations that read the event history, paced as LIST_ROUTES are. */
const SOAP_LIST_OPERATIONS: ReadonlySet<string> = new Set([
  'CallBackEventListEx',
  'CallBackPendingList',
  'CallBackPendingListEx',
  'CallBackFailedList',
  'CallBackFailedListEx',
]);

export async function buildApp({ services, config, logger, consoleDir, metrics, tracing, delivering }: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: config.bodyLimitBytes,
    serverFactory: serverFactory(config),
    ajv: {
      customOptions: {
        // "1" for an integer is the caller's mistake, said plainly, not guessed at.
        coerceTypes: false,
        // Extra properties are ignored, not stripped or refused, for clients that send more.
        removeAdditional: false,
        // Defaults are the services' business (SOAP has none of these schemas).
        useDefaults: false,
        // The failing schema is needed to say what the field accepts.
        verbose: true,
      },
      plugins: [(ajv) => ajv.addKeyword({ keyword: 'x-expect', schemaType: 'string' })],
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandler(app, logger, config.bodyLimitBytes);
  installUnreadBodyDrain(app, config.bodyLimitBytes);
  await app.register(cookie);
  installJsonParser(app);
  installBodyLimits(app, config);
  await installRateLimit(app, config.rateLimitPerMinute);
  const onWaited = (ms: number): void => metrics?.listCallWaited(ms / 1000);
  const pacer = delivering ? new ListPacer({ share: config.listSharePercent / 100, delivering }) : null;
  if (pacer) installListPacing(app, pacer, LIST_ROUTES, onWaited);
  tracing?.installHttp(app);
  if (metrics) installHttpMetrics(app, metrics, { serve: config.metricsPort === 0, token: config.metricsToken });
  const routes = trackRoutes(app);
  app.setNotFoundHandler((request, reply) => sendError(reply, routeNotFound(request, routes)));

  app.addSchema(ErrorEnvelope);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'gridhook REST API',
        version: '2',
        description:
          'Callbacks (webhooks) for EDI networks, compatible with the ECGrid REST API v2. Every /v2 call needs ' +
          'the X-API-Key header. Answers are {"success": true, "data": …}; errors are {"success": false, ' +
          '"errorCode", "message", "data": null} (see ErrorEnvelope).',
      },
      components: {
        securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' } },
      },
      security: [{ apiKey: [] }],
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  });

  const open = { tags: ['operations'], security: [] };
  app.get(
    '/healthz',
    { schema: { ...open, summary: 'The process is up', response: { 200: Ok(HealthView) } } },
    async () => ({ success: true as const, data: { status: 'ok' as const } }),
  );
  app.get(
    '/readyz',
    {
      schema: { ...open, summary: 'The database can be reached', response: { 200: Ok(HealthView), ...ErrorResponses } },
    },
    async () => {
      try {
        await services.ready();
      } catch (err) {
        logger.error({ err }, 'readiness check failed');
        throw new GridhookError('ServiceUnavailable', 'database: cannot be reached; try again shortly.', { cause: err });
      }
      return { success: true as const, data: { status: 'ok' as const } };
    },
  );
  app.get('/openapi.json', { schema: { ...open, summary: 'This API as an OpenAPI 3.1 document' } }, async () =>
    app.swagger(),
  );

  await app.register(sessionRoutes(services, config.signInsPerMinute));
  await app.register(async (v2) => {
    v2.decorateRequest('principal', null);
    requireApiKey(v2, services);
    refuseUnstorableText(v2);
    await v2.register(callbackRoutes(services));
    await v2.register(eventRoutes(services));
    await v2.register(eventStreamRoutes(services, services.eventStream, logger));
    await v2.register(networkRoutes(services));
    await v2.register(mailboxRoutes(services));
    await v2.register(ecGridIdRoutes(services));
    await v2.register(userRoutes(services));
    await v2.register(parcelRoutes(services, config));
    await v2.register(statsRoutes(services));
  });

  await app.register(soapPlugin, {
    operations: soapOperations(services),
    ...(pacer && {
      beforeOperation: async (operation: string, reply: FastifyReply) => {
        if (SOAP_LIST_OPERATIONS.has(operation)) await takeTurn(pacer, reply, onWaited);
      },
    }),
  });
  await app.register(consoleRoutes, { dir: consoleDir ?? defaultConsoleDir() });

  await app.ready();
  return app;
}

/**
 * JSON is the only body the API reads. An empty body counts as none (so a
 * DELETE sent with a JSON content type works), and a malformed one is
 * refused with the parser's own reason.
 */
function installJsonParser(app: FastifyInstance): void {
  const secureParse = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    secureParse(request, text, (error, value) => {
      if (!error) {
        done(null, value);
        return;
      }
      done(invalidParameter('body', `is not valid JSON (${jsonProblem(text)}); send a JSON object`), undefined);
    });
  });
}

function jsonProblem(text: string): string {
  try {
    JSON.parse(text);
    return '"__proto__" and "constructor.prototype" keys are not accepted';
  } catch (err) {
    return (err as Error).message;
  }
}

interface KnownRoute {
  method: string;
  pattern: RegExp;
}

function trackRoutes(app: FastifyInstance): KnownRoute[] {
  const routes: KnownRoute[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const source = route.url
      .split('/')
      // Every path parameter of this API is a numeric ID, so "/v2/callbacks/nope" is no route at all.
      .map((part) => (part.startsWith(':') ? '\\d+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    for (const method of methods) routes.push({ method, pattern: new RegExp(`^${source}$`) });
  });
  return routes;
}

/** 404 for an unknown path; for a known path called with the wrong method, says which methods it takes. */
function routeNotFound(request: FastifyRequest, routes: KnownRoute[]): GridhookError {
  const path = request.url.split('?')[0] ?? request.url;
  const allowed = [...new Set(routes.filter((r) => r.pattern.test(path)).map((r) => r.method))].filter((m) => m !== 'HEAD');
  if (allowed.length > 0) {
    return new GridhookError(
      'ObjectNotFound',
      `${request.method} ${path} is not a route: ${path} answers ${allowed.join(', ')} only. See /openapi.json.`,
    );
  }
  return new GridhookError(
    'ObjectNotFound',
    `${request.method} ${path} is not a route of this API. See /openapi.json for the routes.`,
  );
}
