/**
 * OpenTelemetry traces with the real SDK: a publishing request's trace runs
 * through its publish span to a client span per delivery attempt, whose
 * traceparent the receiver gets; a parcel upload's and a confirm's trace
 * runs the same way to the attempts of the events they fire, on both stores;
 * spans reach an in-memory exporter, and a loopback OTLP/HTTP collector
 * stand-in as the standard exporter sends them.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createTracing } from '../src/metrics/tracing.js';
import { describeWithPostgres } from './helpers/cluster.js';
import { buildX12PurchaseOrder } from './helpers/edi-builders.js';
import { hookPath, tradingNetwork } from './helpers/parcels.js';
import { createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { call, eventually, ok, startTestServer, type TestServer } from './helpers/server.js';

const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const CALLER_TRACEPARENT = `00-${CALLER_TRACE}-${CALLER_SPAN}-01`;

let server: TestServer | undefined;
let receiver: Receiver | undefined;
let collector: Server | undefined;

afterEach(async () => {
  await server?.close();
  await receiver?.close();
  collector?.close();
  collector?.closeAllConnections();
  server = undefined;
  receiver = undefined;
  collector = undefined;
});

/** A callback at `path` of the receiver, and one event published for it under the caller's traceparent. */
async function publishOne(path: string, retries: number): Promise<{ callbackId: number; eventId: number }> {
  const s = server as TestServer;
  const callback = await ok(s, 'POST', '/v2/callbacks/create', {
    callBackUrl: (receiver as Receiver).urlFor(path),
    callBackEvent: 'InBox',
    networkId: 1,
    retries,
    frequency: 1,
  });
  const answer = await call(
    s,
    'POST',
    '/v2/callbacks/events/publish',
    { events: [{ callBackEvent: 'InBox', networkId: 1, mailboxId: 1 }] },
    { headers: { traceparent: CALLER_TRACEPARENT } },
  );
  expect(answer.status).toBe(200);
  return { callbackId: callback.callBackQueueId, eventId: answer.body.data.eventIds[0] };
}

describe('traces to an in-memory exporter', () => {
  it('carries the publishing request through its publish span to a client span per attempt and to the receiver', async () => {
    const exporter = new InMemorySpanExporter();
    receiver = await startReceiver();
    receiver.reply('/flaky', (_request, nth) => (nth === 1 ? { status: 503 } : {}));
    server = await startTestServer({}, { tracing: createTracing({}, { exporter, immediate: true }) });
    const { callbackId, eventId } = await publishOne('/flaky', 1);
    const requests = await receiver.waitForRequests(2, { path: '/flaky', timeoutMs: 20_000 });

    const spans = await eventually(async () => {
      const done = exporter.getFinishedSpans();
      return done.filter((span) => span.name === 'POST').length === 2 ? done : null;
    });
    const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
    const request = spans.find((span) => span.name === 'POST /v2/callbacks/events/publish') as ReadableSpan;
    expect(request).toBeDefined();
    expect(request.spanContext().traceId).toBe(CALLER_TRACE);
    expect(parentOf(request)).toBe(CALLER_SPAN);
    expect(request.attributes).toMatchObject({ 'http.route': '/v2/callbacks/events/publish', 'http.response.status_code': 200 });

    const publish = spans.find((span) => span.name === 'gridhook publish') as ReadableSpan;
    expect(parentOf(publish)).toBe(request.spanContext().spanId);

    const attempts = spans.filter((span) => span.name === 'POST');
    for (const [index, attempt] of attempts.entries()) {
      expect(attempt.kind).toBe(2 /* CLIENT */);
      expect(attempt.spanContext().traceId).toBe(CALLER_TRACE);
      expect(parentOf(attempt)).toBe(publish.spanContext().spanId);
      expect(attempt.attributes).toMatchObject({
        'gridhook.callback.id': callbackId,
        'gridhook.event.id': eventId,
        'gridhook.attempt': index + 1,
        'gridhook.outcome': index === 0 ? 'Retry' : 'Delivered',
        'http.response.status_code': index === 0 ? 503 : 200,
      });
      // The receiver was sent this attempt's own context.
      expect(requests[index]?.headers.traceparent).toBe(
        `00-${CALLER_TRACE}-${attempt.spanContext().spanId}-01`,
      );
    }
    expect(attempts[0]?.status.code).toBe(2 /* ERROR */);
  });

  it('sends no traceparent to receivers when tracing is off', async () => {
    receiver = await startReceiver();
    server = await startTestServer({}, { tracing: null });
    await publishOne('/plain', 0);
    const [request] = await receiver.waitForRequests(1, { path: '/plain' });
    expect(request?.headers.traceparent).toBeUndefined();
  });
});

const UPLOAD_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CONFIRM_TRACE = '5c0f4b7e2a9d4c1b8e3f6a7d9b2c4e10';

/**
 * A parcel upload and its confirm, each under a caller's traceparent: the
 * InBox and OutBox events routing fires and the ConfirmDelivery event the
 * confirm fires are delivered in their request's trace, below a span of the
 * write that created them.
 */
function parcelSuite(start: (tracing: ReturnType<typeof createTracing>) => Promise<TestServer>): void {
  it('carries the upload and the confirm requests to the attempts of the events they fire', async () => {
    const exporter = new InMemorySpanExporter();
    receiver = await startReceiver();
    server = await start(createTracing({}, { exporter, immediate: true }));
    const net = await tradingNetwork(server, receiver);
    const file = buildX12PurchaseOrder({
      sender: { qualifier: net.buyer.qualifier, id: net.buyer.id },
      receiver: { qualifier: net.supplier.qualifier, id: net.supplier.id },
    });
    const uploaded = await call(
      server,
      'POST',
      '/v2/parcels/upload',
      { fileName: 'order.edi', content: Buffer.from(file, 'latin1').toString('base64') },
      { key: net.buyer.user.key, headers: { traceparent: `00-${UPLOAD_TRACE}-${CALLER_SPAN}-01` } },
    );
    expect(uploaded.status).toBe(200);
    expect(uploaded.body.data.status).toBe('InBoxReady');
    await receiver.waitForRequests(1, { path: hookPath(net, net.supplier, 'InBox') });
    await receiver.waitForRequests(1, { path: hookPath(net, net.buyer, 'OutBox') });
    const confirmed = await call(
      server,
      'POST',
      '/v2/parcels/confirm',
      { parcelId: uploaded.body.data.parcelId },
      { key: net.supplier.user.key, headers: { traceparent: `00-${CONFIRM_TRACE}-${CALLER_SPAN}-01` } },
    );
    expect(confirmed.status).toBe(200);
    await receiver.waitForRequests(1, { path: hookPath(net, net.buyer, 'ConfirmDelivery') });

    const spans = await eventually(async () => {
      const done = exporter.getFinishedSpans();
      return done.filter((span) => span.name === 'POST').length === 3 ? done : null;
    });
    const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
    const inTrace = (traceId: string) => spans.filter((span) => span.spanContext().traceId === traceId);
    const expectChain = (traceId: string, route: string, writeName: string, eventTypes: string[]) => {
      const trace = inTrace(traceId);
      const request = trace.find((span) => span.name === `POST ${route}`) as ReadableSpan;
      expect(request, route).toBeDefined();
      expect(parentOf(request)).toBe(CALLER_SPAN);
      const write = trace.find((span) => span.name === writeName) as ReadableSpan;
      expect(write, writeName).toBeDefined();
      expect(parentOf(write)).toBe(request.spanContext().spanId);
      const attempts = trace.filter((span) => span.name === 'POST');
      expect(attempts.map((span) => span.attributes['gridhook.event.type']).sort()).toEqual(eventTypes);
      for (const attempt of attempts) {
        expect(parentOf(attempt)).toBe(write.spanContext().spanId);
        expect(attempt.attributes['gridhook.outcome']).toBe('Delivered');
      }
    };
    expectChain(UPLOAD_TRACE, '/v2/parcels/upload', 'gridhook route parcel', ['InBox', 'OutBox']);
    expectChain(CONFIRM_TRACE, '/v2/parcels/confirm', 'gridhook confirm parcel', ['ConfirmDelivery']);
    const [inbox] = receiver.requestsTo(hookPath(net, net.supplier, 'InBox'));
    expect(inbox?.headers.traceparent).toMatch(new RegExp(`^00-${UPLOAD_TRACE}-[0-9a-f]{16}-01$`));
  });
}

describe('parcel events traced on SQLite', () => {
  parcelSuite((tracing) => startTestServer({}, { tracing }));
});

const availability = await postgresAvailable();
describeWithPostgres('parcel events traced on PostgreSQL', availability, () => {
  afterAll(() => dropTestDatabases());
  parcelSuite(async (tracing) => startTestServer({ databaseUrl: (await createTestDatabase()).url }, { tracing }));
});

describe('traces over OTLP/HTTP', () => {
  it('exports the spans to the endpoint OTEL_EXPORTER_OTLP_ENDPOINT names', async () => {
    const bodies: { path: string; type: string; body: string }[] = [];
    collector = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        bodies.push({
          path: request.url ?? '',
          type: request.headers['content-type'] ?? '',
          body: Buffer.concat(chunks).toString('utf8'),
        });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    collector.listen(0, '127.0.0.1');
    await once(collector, 'listening');
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;

    receiver = await startReceiver();
    server = await startTestServer({}, { tracing: createTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'gridhook-test' }) });
    const { eventId } = await publishOne('/otlp', 0);
    await receiver.waitForRequests(1, { path: '/otlp' });
    await eventually(async () => (await server?.store.getEvent(eventId))?.status === 'Delivered');
    // Closing shuts the provider down, which exports what the batch holds.
    await server.close();
    server = undefined;

    expect(bodies.length).toBeGreaterThan(0);
    expect(bodies.every((b) => b.path === '/v1/traces' && b.type.startsWith('application/json'))).toBe(true);
    const exported = bodies.flatMap((b) => (JSON.parse(b.body) as { resourceSpans: any[] }).resourceSpans);
    const service = exported[0].resource.attributes.find((a: any) => a.key === 'service.name');
    expect(service.value.stringValue).toBe('gridhook-test');
    const spans = exported.flatMap((r) => r.scopeSpans.flatMap((s: any) => s.spans));
    expect(spans.map((s: any) => s.name)).toEqual(
      expect.arrayContaining(['POST /v2/callbacks/events/publish', 'gridhook publish', 'POST']),
    );
    const attempt = spans.find((s: any) => s.name === 'POST');
    expect(attempt.traceId).toBe(CALLER_TRACE);
    expect(attempt.attributes).toEqual(
      expect.arrayContaining([{ key: 'gridhook.event.id', value: { intValue: eventId } }]),
    );
  });

  it('stays off without OTEL_* settings, and names a wrong exporter', () => {
    expect(createTracing({})).toBeNull();
    expect(createTracing({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' })).toBeNull();
    expect(() => createTracing({ OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(/OTEL_TRACES_EXPORTER must be otlp, console or none/);
  });
});
