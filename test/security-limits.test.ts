/**
 * The limits that keep one client from exhausting the service: request rate
 * per key, body size per route, callbacks per network, event payload size,
 * the size of a receiver's answer headers, and how long a slow client may
 * hold a connection.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import net from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createSender } from '../src/delivery/sender.js';
import { soapEnvelope, soapOperations } from './helpers/api-surface.js';
import { makeJob } from './helpers/delivery-job.js';
import { startGridhook, stopGracefully } from './helpers/process.js';
import { generateApiKey } from '../src/services/api-keys.js';
import { addUser, call, ok, startTestServer, type TestServer } from './helpers/server.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { openWithTestBox } from './helpers/sealing.js';

const servers: TestServer[] = [];
async function serverWith(overrides: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const server = await startTestServer(overrides);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('request rate per API key', () => {
  it('answers 429 RateLimitExceeded with Retry-After once a key used its minute, other keys unaffected', async () => {
    const server = await serverWith({ rateLimitPerMinute: 5 });
    const a = await addUser(server, 'NetworkAdmin', 1);
    const b = await addUser(server, 'NetworkAdmin', 1);
    const statuses: number[] = [];
    let limited;
    for (let i = 0; i < 8; i += 1) {
      const answer = await call(server, 'GET', '/v2/users/me', undefined, { key: a.key });
      statuses.push(answer.status);
      if (answer.status === 429) limited ??= answer;
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(limited).toBeDefined();
    expect(limited!.body).toEqual({
      success: false,
      errorCode: 'RateLimitExceeded',
      message: expect.stringMatching(/^Too many requests: at most 5 a minute .*; retry after \d+ s\.$/),
      data: null,
    });
    const retryAfter = Number(limited!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await call(server, 'GET', '/v2/users/me', undefined, { key: b.key })).status).toBe(200);
  });

  it('counts made-up keys against the client address, so fresh keys buy no extra requests', async () => {
    const server = await serverWith({ rateLimitPerMinute: 5 });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      const key = `gh_${randomBytes(32).toString('base64url')}`;
      statuses.push((await call(server, 'POST', '/v2/callbacks/list', {}, { key })).status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
  });

  it('does not limit the Root key, the health probes or a zero setting', async () => {
    const server = await serverWith({ rateLimitPerMinute: 3 });
    for (let i = 0; i < 10; i += 1) {
      expect((await call(server, 'GET', '/v2/users/me')).status).toBe(200);
      expect((await call(server, 'GET', '/healthz', undefined, { key: null })).status).toBe(200);
    }
    const off = await serverWith({ rateLimitPerMinute: 0 });
    const user = await addUser(off, 'NetworkUser', 1);
    for (let i = 0; i < 20; i += 1) expect((await call(off, 'GET', '/v2/users/me', undefined, { key: user.key })).status).toBe(200);
  });

  it('answers SOAP callers over the limit with a RateLimitExceeded fault and Retry-After', async (context) => {
    const server = await serverWith({ rateLimitPerMinute: 3 });
    const ops = await soapOperations(server.url);
    const op = ops.find((o) => o.operation.name === 'Login');
    if (!op) context.skip();
    let last = { status: 0, text: '' };
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i += 1) {
      const response = await fetch(`${server.url}/v4.1/prod/ECGridOS.asmx`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${op!.operation.soapAction}"` },
        body: soapEnvelope(op!.namespace, 'Login', '<LoginName>nobody</LoginName><Password>wrong</Password>'),
      });
      last = { status: response.status, text: await response.text() };
      retryAfter = response.headers.get('retry-after');
    }
    expect(last.text).toContain('<faultcode>soap:Client</faultcode>');
    expect(last.text).toContain('<ErrorCode>RateLimitExceeded</ErrorCode>');
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });
});

describe('body size per route', () => {
  it('reads at most GRIDHOOK_CALL_BODY_LIMIT_BYTES for ordinary calls and GRIDHOOK_BODY_LIMIT_BYTES for publishing', async () => {
    const server = await serverWith({ callBodyLimitBytes: 8_192, bodyLimitBytes: 512 * 1024 });
    const padded = { callBackUrl: 'https://hooks.example.com/in', callBackEvent: 'InBox', padding: 'x'.repeat(10_000) };
    const tooBig = await call(server, 'POST', '/v2/callbacks/create', padded);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toMatchObject({ errorCode: 'PayloadTooLarge', message: 'body: is larger than the limit of 8192 bytes; send less per request.' });

    const events = Array.from({ length: 1_000 }, (_, i) => ({ callBackEvent: 'InBox', mailboxId: 1, parcelId: i, fileName: 'f'.repeat(200) }));
    const bulk = await call(server, 'POST', '/v2/callbacks/events/publish', { events });
    expect(bulk.status).toBe(200);
    const overBulk = await call(server, 'POST', '/v2/callbacks/events/publish', { events, padding: 'x'.repeat(512 * 1024) });
    expect(overBulk.status).toBe(413);
    expect(overBulk.body.message).toContain('524288 bytes');
  });

  it('answers a client still sending a far larger body with the 413 envelope, not a broken pipe', async () => {
    // A process of its own: in this one, the test's own writing would pace the server's reading.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-drain-'));
    const key = generateApiKey();
    const proc = await startGridhook('api', {
      GRIDHOOK_DATA_DIR: dataDir,
      GRIDHOOK_ADMIN_KEY: key.key,
      GRIDHOOK_CALL_BODY_LIMIT_BYTES: String(64 * 1024),
    });
    try {
      // Node's fetch writes the whole body before it reads the answer: closing
      // the connection while it writes gives it EPIPE instead of the 413 (half
      // the time, before the fix), so it is tried several times.
      const body = JSON.stringify({ callBackUrl: 'https://hooks.example.com/in', padding: 'x'.repeat(30 * 1024 * 1024) });
      for (let i = 0; i < 8; i++) {
        const response = await fetch(`${proc.url}/v2/callbacks/create`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': key.key },
          body,
        });
        expect(response.status).toBe(413);
        expect(await response.json()).toMatchObject({ errorCode: 'PayloadTooLarge' });
      }
      expect((await fetch(`${proc.url}/healthz`)).status).toBe(200);
    } finally {
      await stopGracefully(proc);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('closes the connection of a body past the drain bound rather than reading it all', async () => {
    const server = await serverWith({ callBodyLimitBytes: 1024 });
    const socket = net.connect(Number(new URL(server.url).port), '127.0.0.1');
    socket.on('error', () => undefined);
    await once(socket, 'connect');
    const total = 64 * 1024 * 1024;
    socket.write(
      `POST /v2/callbacks/create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
        `X-API-Key: ${server.rootKey}\r\nContent-Length: ${total}\r\n\r\n`,
    );
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    let closed = false;
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    void ended.then(() => (closed = true));
    while (!closed && sent < total) {
      const more = socket.write(chunk);
      sent += chunk.length;
      if (!more) await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), ended]);
    }
    expect(closed).toBe(true);
    expect(sent).toBeLessThan(total);
  });

  it('bounds what one event may carry', async () => {
    const server = await serverWith({});
    const longName = await call(server, 'POST', '/v2/callbacks/events/publish', {
      events: [{ callBackEvent: 'InBox', mailboxId: 1, fileName: 'f'.repeat(256) }],
    });
    expect(longName.status).toBe(400);
    expect(longName.body.message).toBe('events[0].fileName: must be a string of at most 255 characters');
    const many = await call(server, 'POST', '/v2/callbacks/events/publish', {
      events: Array.from({ length: 1_001 }, () => ({ callBackEvent: 'InBox', mailboxId: 1 })),
    });
    expect(many.status).toBe(400);
    expect(many.body.message).toBe('events: must be a list of 1 to 1000 events');
    const longKey = await call(server, 'POST', '/v2/callbacks/events/publish', {
      idempotencyKey: 'k'.repeat(201),
      events: [{ callBackEvent: 'InBox', mailboxId: 1 }],
    });
    expect(longKey.status).toBe(400);
    const longUrl = await call(server, 'POST', '/v2/callbacks/create', {
      callBackUrl: `https://hooks.example.com/${'p'.repeat(2_048)}`,
      callBackEvent: 'InBox',
    });
    expect(longUrl.status).toBe(400);
  });
});

describe('callbacks per network', () => {
  it('refuses a callback beyond GRIDHOOK_MAX_CALLBACKS_PER_NETWORK, on create and on a move into a full network', async () => {
    const server = await serverWith({ maxCallbacksPerNetwork: 2 });
    const other = await ok(server, 'POST', '/v2/networks/create', { name: 'Other' });
    const create = (networkId: number) =>
      call(server, 'POST', '/v2/callbacks/create', { networkId, callBackUrl: 'https://hooks.example.com/in', callBackEvent: 'InBox' });
    expect((await create(1)).status).toBe(200);
    expect((await create(1)).status).toBe(200);
    const third = await create(1);
    expect(third.status).toBe(409);
    expect(third.body).toMatchObject({
      errorCode: 'InvalidState',
      message: 'Network 1 already has 2 callbacks, the most allowed (2); delete unused callbacks first.',
    });
    const elsewhere = await create(other.networkId);
    expect(elsewhere.status).toBe(200);
    expect((await create(other.networkId)).status).toBe(200);
    const moved = await call(server, 'POST', '/v2/callbacks/update', {
      callBackQueueId: elsewhere.body.data.callBackQueueId,
      networkId: 1,
    });
    expect(moved.status).toBe(409);
    expect(moved.body.errorCode).toBe('InvalidState');
  });
});

describe("a receiver's answer", () => {
  let receiver: Receiver;
  afterAll(async () => {
    await receiver?.close();
  });

  it('fails the attempt when its headers exceed GRIDHOOK_MAX_RESPONSE_HEADER_BYTES', async () => {
    receiver = await startReceiver();
    receiver.reply('/huge-headers', { status: 200, headers: { 'x-padding': 'h'.repeat(64 * 1024) } });
    receiver.reply('/fine', { status: 200, headers: { 'x-padding': 'h'.repeat(1024) } });
    const sender = createSender({
      timeoutMs: 2_000,
      maxResponseBytes: 1_024,
      maxHeaderBytes: 16 * 1024,
      policy: { allowPrivateUrls: true, allowedNetworks: [] },
      openSealed: openWithTestBox,
    });
    try {
      const huge = await sender.send(makeJob({ url: receiver.urlFor('/huge-headers') }), Date.now());
      expect(huge).toMatchObject({ delivered: false, httpStatus: null });
      expect(huge.error).toMatch(/^invalid HTTP answer \(HPE_HEADER_OVERFLOW\)|header/i);
      const fine = await sender.send(makeJob({ url: receiver.urlFor('/fine') }), Date.now());
      expect(fine.delivered).toBe(true);
    } finally {
      await sender.close();
    }
  });
});

describe('slow clients', () => {
  /** A raw connection to the API, and when the server closed it. */
  async function connect(server: TestServer): Promise<{ socket: net.Socket; closed: Promise<number>; received: () => string }> {
    const { port } = new URL(server.url);
    const socket = net.connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('error', () => {});
    const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())));
    return { socket, closed, received: () => data };
  }

  function dribble(socket: net.Socket, text: string, everyMs: number): NodeJS.Timeout {
    let i = 0;
    const timer = setInterval(() => {
      if (socket.destroyed || i >= text.length) return clearInterval(timer);
      socket.write(text[i]!);
      i += 1;
    }, everyMs);
    return timer;
  }

  it('drops a client that dribbles its headers (slowloris) after GRIDHOOK_REQUEST_TIMEOUT_MS', async () => {
    const server = await serverWith({ requestTimeoutMs: 1_000 });
    const { socket, closed, received } = await connect(server);
    const started = Date.now();
    socket.write('GET /v2/users/me HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const timer = dribble(socket, `X-Slow: ${'a'.repeat(1_000)}`, 100);
    const at = await closed;
    clearInterval(timer);
    expect(at - started).toBeLessThan(3_000);
    expect(received()).toMatch(/^HTTP\/1\.1 408|^$/);
  });

  it('drops a client that dribbles its body', async () => {
    const server = await serverWith({ requestTimeoutMs: 1_000 });
    const { socket, closed } = await connect(server);
    const started = Date.now();
    socket.write(
      `POST /v2/callbacks/list HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: ${server.rootKey}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
    );
    const timer = dribble(socket, ' '.repeat(999), 100);
    const at = await closed;
    clearInterval(timer);
    expect(at - started).toBeLessThan(3_000);
  });

  it('closes an idle keep-alive connection after GRIDHOOK_KEEP_ALIVE_TIMEOUT_MS', async () => {
    const server = await serverWith({ keepAliveTimeoutMs: 300 });
    const { socket, closed, received } = await connect(server);
    socket.write(`GET /v2/users/me HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: ${server.rootKey}\r\n\r\n`);
    const answered = Date.now();
    const at = await closed;
    expect(received()).toMatch(/^HTTP\/1\.1 200/);
    expect(at - answered).toBeLessThan(2_000);
  });
});
