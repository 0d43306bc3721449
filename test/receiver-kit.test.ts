/**
 * The receiver kit (`gridhook/receiver`): verifyWebhook and the node:http and Fastify handlers,
 * sent real signed deliveries by a real gridhook (the callback test call), and replays of them
 * altered: a tampered body, an old timestamp, a body that is not a payload. Also imports the kit
 * by its package name from the build, as an integrator does.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeSignature } from '../src/delivery/signature.js';
import {
  BadSignatureError,
  MalformedBodyError,
  StaleTimestampError,
  WebhookError,
  fastifyWebhookReceiver,
  nodeWebhookHandler,
  verifyWebhook,
  type GridhookEvent,
} from '../src/receiver/index.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { ok, startTestServer, type TestServer } from './helpers/server.js';

const ROOT = path.resolve(import.meta.dirname, '..');

let server: TestServer;
let capture: Receiver;

beforeAll(async () => {
  server = await startTestServer();
  capture = await startReceiver();
});

afterAll(async () => {
  await capture?.close();
  await server?.close();
});

/** A real delivery of the test event, as gridhook sent it, and the callback's secret. */
async function realDelivery(): Promise<{ headers: Record<string, string>; body: string; secret: string; callbackId: number }> {
  const hook = `/kit-${Math.random().toString(36).slice(2)}`;
  const callback = await ok(server, 'POST', '/v2/callbacks/create', { callBackUrl: capture.urlFor(hook), callBackEvent: 'InBox' });
  await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId: callback.callBackQueueId });
  const [received] = capture.requestsTo(hook);
  const headers = Object.fromEntries(Object.entries(received!.headers).map(([k, v]) => [k, String(v)]));
  return { headers, body: received!.body, secret: callback.secret, callbackId: callback.callBackQueueId };
}

function resigned(headers: Record<string, string>, body: string, secret: string, atSeconds: number): Record<string, string> {
  return {
    ...headers,
    'webhook-timestamp': String(atSeconds),
    'webhook-signature': computeSignature(secret, headers['webhook-id']!, atSeconds, body),
  };
}

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('verifyWebhook', () => {
  it('answers the typed payload of a real delivery, from a string, bytes or a fetch Headers', async () => {
    const { headers, body, secret, callbackId } = await realDelivery();
    const event: GridhookEvent = verifyWebhook(body, headers, secret);
    expect(event).toMatchObject({ callBackQueueId: callbackId, callBackEvent: 'InBox', parcelId: 0, fileName: 'test.edi', isTest: true });
    expect(verifyWebhook(Buffer.from(body), new Headers(headers), secret)).toEqual(event);
    expect(headers['webhook-id']).toMatch(/^evt_[0-9a-f]{32}$/);
  });

  it('throws BadSignatureError for a tampered body, a wrong secret or a missing header', async () => {
    const { headers, body, secret } = await realDelivery();
    const tampered = thrown(() => verifyWebhook(body.replace('"isTest":true', '"isTest":false'), headers, secret));
    expect(tampered).toBeInstanceOf(BadSignatureError);
    expect(tampered).toMatchObject({ code: 'BadSignature', status: 401 });
    expect(thrown(() => verifyWebhook(body, headers, 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD'))).toBeInstanceOf(BadSignatureError);
    const { 'webhook-signature': _signature, ...unsigned } = headers;
    const missing = thrown(() => verifyWebhook(body, unsigned, secret)) as Error;
    expect(missing).toBeInstanceOf(BadSignatureError);
    expect(missing.message).toMatch(/webhook-signature header is missing/);
  });

  it('throws StaleTimestampError for the delivery replayed ten minutes later', async () => {
    const { headers, body, secret } = await realDelivery();
    const then = Math.floor(Date.now() / 1000) - 600;
    const stale = thrown(() => verifyWebhook(body, resigned(headers, body, secret, then), secret));
    expect(stale).toBeInstanceOf(StaleTimestampError);
    expect(stale).toMatchObject({ code: 'StaleTimestamp', status: 401, timestamp: then });
  });

  it('throws MalformedBodyError for a signed body that is not a delivery payload', async () => {
    const { headers, secret } = await realDelivery();
    const now = Math.floor(Date.now() / 1000);
    for (const [body, message] of [
      ['not json', /not JSON/],
      ['[1]', /not a JSON object/],
      ['{"eventId":"1"}', /eventId must be a whole number/],
    ] as const) {
      const error = thrown(() => verifyWebhook(body, resigned(headers, body, secret, now), secret)) as WebhookError;
      expect(error).toBeInstanceOf(MalformedBodyError);
      expect(error.status).toBe(400);
      expect(error.message).toMatch(message);
    }
  });

  it('accepts the old secret during a rotation grace, and either of two secrets given', async () => {
    const { secret, callbackId } = await realDelivery();
    const rotated = await ok(server, 'POST', '/v2/callbacks/rotate-secret', { callBackQueueId: callbackId });
    const callback = await ok(server, 'GET', `/v2/callbacks/${callbackId}`);
    const hook = new URL(callback.callBackUrl).pathname;
    await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId: callbackId });
    const received = capture.requestsTo(hook).at(-1)!;
    const headers = Object.fromEntries(Object.entries(received.headers).map(([k, v]) => [k, String(v)]));
    expect(verifyWebhook(received.body, headers, secret).isTest).toBe(true);
    expect(verifyWebhook(received.body, headers, rotated.secret).isTest).toBe(true);
    expect(verifyWebhook(received.body, headers, ['whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD', secret]).isTest).toBe(true);
  });
});

describe('the handlers, as gridhook delivers to them', () => {
  const events: { event: GridhookEvent; webhookId: string }[] = [];
  const refused: WebhookError[] = [];
  let secret: string;
  let callbackId: number;
  let nodeServer: http.Server;
  let nodeUrl: string;
  let fastify: FastifyInstance;
  let fastifyUrl: string;

  beforeAll(async () => {
    // One callback, pointed at each handler in turn.
    const probe = await ok(server, 'POST', '/v2/callbacks/create', { callBackUrl: capture.urlFor('/probe'), callBackEvent: 'InBox' });
    secret = probe.secret;
    callbackId = probe.callBackQueueId;
    const onEvent = (event: GridhookEvent, webhookId: string): void => void events.push({ event, webhookId });
    nodeServer = http.createServer(nodeWebhookHandler({ secret: [probe.secret], onEvent, onRefused: (error) => void refused.push(error) }));
    await new Promise<void>((resolve) => nodeServer.listen(0, '127.0.0.1', resolve));
    nodeUrl = `http://127.0.0.1:${(nodeServer.address() as AddressInfo).port}/webhooks/ecgrid`;
    fastify = Fastify();
    fastify.post('/other', async (request) => ({ parsedByTheAppsOwnParser: request.body }));
    await fastify.register(fastifyWebhookReceiver, { secret: probe.secret, onEvent });
    fastifyUrl = `${await fastify.listen({ port: 0, host: '127.0.0.1' })}/webhooks/ecgrid`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => (nodeServer ? nodeServer.close(() => resolve()) : resolve()));
    await fastify?.close();
  });

  for (const kind of ['node:http', 'Fastify'] as const) {
    it(`${kind}: a real delivery reaches onEvent and is answered 200; altered replays are refused 401/400`, async () => {
      const url = kind === 'node:http' ? nodeUrl : fastifyUrl;
      await ok(server, 'POST', '/v2/callbacks/update', { callBackQueueId: callbackId, callBackUrl: url });
      const tested = await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId: callbackId });
      expect(tested).toMatchObject({ delivered: true, httpStatus: 200, status: 'Delivered' });
      const delivered = events.at(-1)!;
      expect(delivered.webhookId).toBe(tested.webhookId);
      expect(delivered.event).toMatchObject({ eventId: tested.eventId, isTest: true, callBackQueueId: callbackId });

      const { headers, body } = await realDelivery();
      const now = Math.floor(Date.now() / 1000);
      const send = async (h: Record<string, string>, b: string) => {
        const sent = { ...h };
        for (const name of ['host', 'content-length', 'connection']) delete sent[name];
        const response = await fetch(url, { method: 'POST', headers: sent, body: b });
        return { status: response.status, body: (await response.json()) as { error: string } };
      };
      const signedHere = resigned(headers, body, secret, now);
      expect(await send(signedHere, body)).toEqual({ status: 200, body: { received: true } });
      expect(await send(signedHere, body.replace('"parcelId":0', '"parcelId":9'))).toMatchObject({ status: 401, body: { error: 'BadSignature' } });
      expect(await send(resigned(headers, body, secret, now - 600), body)).toMatchObject({ status: 401, body: { error: 'StaleTimestamp' } });
      expect(await send(resigned(headers, '{}', secret, now), '{}')).toMatchObject({ status: 400, body: { error: 'MalformedBody' } });
    });
  }

  it("node:http: onRefused sees each refusal; Fastify: the app's other routes keep their JSON parser", async () => {
    expect(refused.map((error) => error.code)).toEqual(['BadSignature', 'StaleTimestamp', 'MalformedBody']);
    const other = await fetch(fastifyUrl.replace('/webhooks/ecgrid', '/other'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await other.json()).toEqual({ parsedByTheAppsOwnParser: { a: 1 } });
  });

  it('a handler that throws answers 500, so gridhook keeps the event to retry', async () => {
    const failing = http.createServer(
      nodeWebhookHandler({
        secret,
        onEvent: () => {
          throw new Error('database down');
        },
      }),
    );
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(failing.address() as AddressInfo).port}/webhooks/ecgrid`;
      await ok(server, 'POST', '/v2/callbacks/update', { callBackQueueId: callbackId, callBackUrl: url });
      const tested = await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId: callbackId });
      expect(tested).toMatchObject({ delivered: false, httpStatus: 500, status: 'Pending' });
    } finally {
      await new Promise<void>((resolve) => failing.close(() => resolve()));
    }
  });
});

describe("the package's export", () => {
  it("`import { verifyWebhook } from 'gridhook/receiver'` works from the build and verifies a real delivery", async () => {
    if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'receiver', 'index.js'))) {
      throw new Error('dist/ is missing the receiver kit: run `npm test` (it compiles first) or `npm run build`');
    }
    expect(fs.existsSync(path.join(ROOT, 'dist', 'src', 'receiver', 'index.d.ts'))).toBe(true);
    const { headers, body, secret } = await realDelivery();
    const script = `
      import { verifyWebhook, StaleTimestampError } from 'gridhook/receiver';
      const [headers, body, secret] = JSON.parse(process.argv[1]);
      const event = verifyWebhook(body, headers, secret);
      console.log(JSON.stringify({ isTest: event.isTest, errorClass: typeof StaleTimestampError }));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, JSON.stringify([headers, body, secret])], {
      cwd: ROOT,
    });
    expect(JSON.parse(stdout)).toEqual({ isTest: true, errorClass: 'function' });
  });
});
