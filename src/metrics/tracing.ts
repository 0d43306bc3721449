/**
 * OpenTelemetry traces, off unless OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or OTEL_TRACES_EXPORTER) is set:
 *
 *   POST /v2/callbacks/events/publish     SERVER, joins the caller's traceparent
 *   └─ gridhook publish                   INTERNAL, its traceparent kept with each event
 *      └─ POST (one per attempt)          CLIENT, callback id, event id, attempt, outcome;
 *                                         its traceparent sent to the receiver
 *
 * A parcel upload (gridhook route parcel), a parcel confirm (gridhook confirm
 * parcel) and a callback test (gridhook test event) are traced the same way.
 *
 * The provider is this process's own, not the global one, so an embedding
 * application's tracing is left alone; only the AsyncLocalStorage context
 * manager is global (set once), for a request's span to be the parent of
 * what its handler does.
 */
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  trace,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-node';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  ATTR_URL_FULL,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DeliveryObserver } from '../delivery/observer.js';
import type { AttemptResult, DeliveryJob } from '../store/store.js';

export interface TracingOptions {
  /** Where spans go. Default: from the OTEL_* environment (OTLP/HTTP, or the console). */
  exporter?: SpanExporter;
  /** Export each span as it ends rather than in batches (tests). */
  immediate?: boolean;
  serviceVersion?: string;
}

const propagator = new W3CTraceContextPropagator();
let contextManagerSet = false;

/** The W3C traceparent of a span, e.g. 00-<trace id>-<span id>-01. */
function traceparentOf(span: Span): string | null {
  const carrier: Record<string, string> = {};
  propagator.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, defaultTextMapSetter);
  return carrier.traceparent ?? null;
}

function contextOf(traceparent: string | null | undefined): Context {
  if (!traceparent) return ROOT_CONTEXT;
  return propagator.extract(ROOT_CONTEXT, { traceparent }, defaultTextMapGetter);
}

/** The callback URL without its query, which may carry a receiver's token. */
function safeUrl(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

export class Tracing {
  readonly observer: DeliveryObserver;
  private readonly tracer: Tracer;
  private readonly requestSpans = new WeakMap<FastifyRequest, Span>();

  constructor(private readonly provider: NodeTracerProvider) {
    this.tracer = provider.getTracer('gridhook');
    const attemptSpans = new WeakMap<DeliveryJob, Span>();
    this.observer = {
      beforeSend: (job) => {
        const span = this.tracer.startSpan(
          'POST',
          {
            kind: SpanKind.CLIENT,
            attributes: {
              [ATTR_HTTP_REQUEST_METHOD]: 'POST',
              [ATTR_URL_FULL]: safeUrl(job.url),
              'gridhook.callback.id': job.callbackId,
              'gridhook.event.id': job.eventId,
              'gridhook.event.type': job.eventType,
              'gridhook.attempt': job.attempts + 1,
            },
          },
          contextOf(job.traceparent),
        );
        const sent = { ...job, traceparent: traceparentOf(span) };
        attemptSpans.set(sent, span);
        return sent;
      },
      afterAttempt: (job, result: AttemptResult) => {
        const span = attemptSpans.get(job);
        if (span === undefined) return;
        attemptSpans.delete(job);
        span.setAttribute('gridhook.outcome', result.outcome);
        if (result.httpStatus !== null) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, result.httpStatus);
        if (result.outcome !== 'Delivered') {
          span.setAttribute(ATTR_ERROR_TYPE, result.httpStatus === null ? 'no_answer' : String(result.httpStatus));
          span.setStatus({ code: SpanStatusCode.ERROR, message: result.error ?? 'not delivered' });
        }
        span.end();
      },
    };
  }

  /**
   * A span per API request, joining the caller's trace when it sent a
   * traceparent, and active while the route's handler runs.
   */
  installHttp(app: FastifyInstance): void {
    app.addHook('onRequest', (request, _reply, done) => {
      const route = request.routeOptions.url;
      const span = this.tracer.startSpan(
        route ? `${request.method} ${route}` : request.method,
        {
          kind: SpanKind.SERVER,
          attributes: {
            [ATTR_HTTP_REQUEST_METHOD]: request.method,
            [ATTR_URL_PATH]: request.url.split('?')[0] ?? request.url,
            ...(route ? { [ATTR_HTTP_ROUTE]: route } : {}),
          },
        },
        propagator.extract(ROOT_CONTEXT, request.headers, defaultTextMapGetter),
      );
      this.requestSpans.set(request, span);
      done();
    });
    // The handler runs from done(): inside context.with, its span is the
    // active one for everything the handler awaits.
    app.addHook('preHandler', (request, _reply, done) => {
      const span = this.requestSpans.get(request);
      if (span === undefined) done();
      else context.with(trace.setSpan(ROOT_CONTEXT, span), done);
    });
    app.addHook('onResponse', (request, reply, done) => {
      const span = this.requestSpans.get(request);
      if (span !== undefined) {
        this.requestSpans.delete(request);
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, reply.statusCode);
        if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      }
      done();
    });
  }

  /**
   * Runs a write that creates events inside a span of its own (a child of
   * the active request's); `write` gets that span's traceparent to keep with
   * the events, so their delivery spans join this trace.
   */
  async publish<T>(name: string, write: (traceparent: string | null) => Promise<T>): Promise<T> {
    const span = this.tracer.startSpan(name, { kind: SpanKind.INTERNAL }, context.active());
    try {
      return await write(traceparentOf(span));
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  }

  /** Exports what is still buffered and stops. */
  shutdown(): Promise<void> {
    return this.provider.shutdown();
  }
}

/** The exporter the standard OTEL_* variables ask for, or null when they leave tracing off. */
function exporterFromEnv(env: NodeJS.ProcessEnv): SpanExporter | null {
  const chosen = (env.OTEL_TRACES_EXPORTER ?? '').trim().toLowerCase();
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (chosen === 'none' || (chosen === '' && !endpoint)) return null;
  if (chosen === 'console') return new ConsoleSpanExporter();
  if (chosen !== '' && chosen !== 'otlp') {
    throw new Error(`OTEL_TRACES_EXPORTER must be otlp, console or none, got "${env.OTEL_TRACES_EXPORTER}"`);
  }
  // Headers, timeout and compression the exporter reads from the
  // OTEL_EXPORTER_OTLP_* variables itself; the endpoint is given, from `env`.
  const url = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || `${(endpoint ?? 'http://localhost:4318').replace(/\/+$/, '')}/v1/traces`;
  return new OTLPTraceExporter({ url });
}

/** Tracing as configured, or null when it is off. */
export function createTracing(env: NodeJS.ProcessEnv, options: TracingOptions = {}): Tracing | null {
  const exporter = options.exporter ?? exporterFromEnv(env);
  if (exporter === null) return null;
  if (!contextManagerSet) {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    contextManagerSet = true;
  }
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME || 'gridhook',
      ...(options.serviceVersion ? { [ATTR_SERVICE_VERSION]: options.serviceVersion } : {}),
    }),
    spanProcessors: [options.immediate ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)],
  });
  return new Tracing(provider);
}
