import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSender, type Sender, type SenderOptions } from '../src/delivery/sender.js';
import { signatureHeaders } from '../src/delivery/signature.js';
import { makeJob, TEST_SIGNING_SECRET } from './helpers/delivery-job.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { openWithTestBox } from './helpers/sealing.js';

const DEV = { allowPrivateUrls: true, allowedNetworks: [] };

let receiver: Receiver;
const senders: Sender[] = [];

function sender(options: Partial<SenderOptions> = {}): Sender {
  const created = createSender({ timeoutMs: 2_000, maxResponseBytes: 4_096, policy: DEV, openSealed: openWithTestBox, ...options });
  senders.push(created);
  return created;
}

beforeAll(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await Promise.all(senders.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await receiver.close();
});

describe('sender', () => {
  it('posts the signed JSON payload and counts a 2xx as delivered', async () => {
    receiver.reply('/ok', { status: 204 });
    const job = makeJob({ url: receiver.urlFor('/ok?tenant=7') });
    const now = Date.now();
    const result = await sender().send(job, now);

    expect(result).toMatchObject({ delivered: true, httpStatus: 204, error: null, retryAfterMs: null });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    const [request] = receiver.requestsTo('/ok');
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe('/ok?tenant=7');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['user-agent']).toBe('gridhook');
    expect(request!.json()).toMatchObject({ eventId: job.eventId, callBackQueueId: job.callbackId, isTest: false });
    const expected = signatureHeaders(job.webhookId, request!.body, { ...job.secrets, secret: TEST_SIGNING_SECRET }, now);
    expect(request!.headers['webhook-id']).toBe(job.webhookId);
    expect(request!.headers['webhook-timestamp']).toBe(expected['webhook-timestamp']);
    expect(request!.headers['webhook-signature']).toBe(expected['webhook-signature']);
  });

  it('reuses one keep-alive connection for consecutive attempts', async () => {
    const local = await startReceiver();
    try {
      const s = sender();
      const sendOne = async (eventId: number) =>
        expect((await s.send(makeJob({ eventId, url: local.urlFor('/') }), Date.now())).delivered).toBe(true);
      // undici's pool may open a second connection while the first is still settling.
      await sendOne(1);
      await sendOne(2);
      const warm = local.connections;
      for (let i = 3; i <= 12; i++) await sendOne(i);
      expect(local.requests).toHaveLength(12);
      expect(warm).toBeLessThanOrEqual(2);
      expect(local.connections).toBe(warm);
    } finally {
      await local.close();
    }
  });

  it('counts another status as failed, with the start of the answer in the error', async () => {
    receiver.reply('/boom', { status: 500, body: 'database\n is down' });
    const result = await sender().send(makeJob({ url: receiver.urlFor('/boom') }), Date.now());
    expect(result).toMatchObject({ delivered: false, httpStatus: 500, error: 'HTTP 500: database is down', retryAfterMs: null });
  });

  it('does not follow redirects and names the Location', async () => {
    receiver.reply('/moved', { status: 302, headers: { location: '/elsewhere' } });
    const result = await sender().send(makeJob({ url: receiver.urlFor('/moved') }), Date.now());
    expect(result).toMatchObject({ delivered: false, httpStatus: 302, error: 'redirect not followed: HTTP 302 to /elsewhere' });
    expect(receiver.requestsTo('/elsewhere')).toHaveLength(0);
  });

  it('gives up on a receiver that does not answer within the timeout', async () => {
    receiver.reply('/hang', { hang: true });
    const started = Date.now();
    const result = await sender({ timeoutMs: 300 }).send(makeJob({ url: receiver.urlFor('/hang') }), started);
    expect(result).toMatchObject({ delivered: false, httpStatus: null, error: 'timeout after 300 ms' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result.durationMs).toBeGreaterThanOrEqual(250);
  });

  it('counts a slow answer as a timeout even when the status is 2xx', async () => {
    receiver.reply('/slow', { delayMs: 600 });
    const result = await sender({ timeoutMs: 200 }).send(makeJob({ url: receiver.urlFor('/slow') }), Date.now());
    expect(result).toMatchObject({ delivered: false, httpStatus: null, error: 'timeout after 200 ms' });
  });

  it('counts an answer whose body does not finish within the timeout as failed', async () => {
    receiver.reply('/stall', { status: 200, hangAfterHeaders: true });
    const result = await sender({ timeoutMs: 300 }).send(makeJob({ url: receiver.urlFor('/stall') }), Date.now());
    expect(result).toMatchObject({
      delivered: false,
      httpStatus: 200,
      error: 'timeout after 300 ms while reading the answer',
    });
  });

  it('reports a refused connection', async () => {
    const port = await freePort();
    const result = await sender().send(makeJob({ url: `http://127.0.0.1:${port}/` }), Date.now());
    expect(result).toMatchObject({ delivered: false, httpStatus: null, error: 'connection refused' });
  });

  it('reports a connection the receiver resets', async () => {
    receiver.reply('/reset', { reset: true });
    const result = await sender().send(makeJob({ url: receiver.urlFor('/reset') }), Date.now());
    expect(result.delivered).toBe(false);
    expect(result.httpStatus).toBeNull();
    expect(result.error).toMatch(/^connection (reset|closed by the receiver before a complete answer)$/);
  });

  it('reads at most maxResponseBytes of an answer and drops the rest', async () => {
    const local = await startReceiver({ defaultReply: { status: 200, streamBytes: 512 * 1024 * 1024 } });
    try {
      const started = Date.now();
      const result = await sender({ maxResponseBytes: 1_024 }).send(makeJob({ url: local.urlFor('/') }), started);
      expect(result).toMatchObject({ delivered: true, httpStatus: 200, error: null });
      expect(Date.now() - started).toBeLessThan(1_500);
      // Only what fits in socket buffers was ever written, far from the 512 MiB offered.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(local.streamedBytes).toBeLessThan(64 * 1024 * 1024);
    } finally {
      await local.close();
    }
  });

  it('keeps a short piece of a long error answer', async () => {
    receiver.reply('/long-error', { status: 502, body: 'x'.repeat(10_000) });
    const result = await sender().send(makeJob({ url: receiver.urlFor('/long-error') }), Date.now());
    expect(result.error).toBe(`HTTP 502: ${'x'.repeat(200)}`);
  });

  it('names a binary or compressed answer instead of keeping its bytes as text', async () => {
    const binary = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x81, 0x90, 0xc3]);
    receiver.reply('/binary', { status: 500, headers: { 'content-type': 'application/octet-stream' }, body: binary });
    receiver.reply('/untyped', { status: 500, body: binary });
    receiver.reply('/gzip', { status: 500, headers: { 'content-encoding': 'gzip' }, body: Buffer.from([0x1f, 0x8b, 0x08, 0x00]) });
    const binaryResult = await sender().send(makeJob({ url: receiver.urlFor('/binary') }), Date.now());
    expect(binaryResult.error).toBe('HTTP 500: (binary answer of type application/octet-stream, 7 bytes, not shown)');
    expect(binaryResult.response?.body).toBe('(binary answer of type application/octet-stream, 7 bytes, not shown)');
    const untyped = await sender().send(makeJob({ url: receiver.urlFor('/untyped') }), Date.now());
    expect(untyped.error).toBe('HTTP 500: (binary answer, 7 bytes, not shown)');
    const gzip = await sender().send(makeJob({ url: receiver.urlFor('/gzip') }), Date.now());
    expect(gzip.error).toBe('HTTP 500: (gzip-encoded answer, 4 bytes, not shown)');
  });

  it('keeps a text answer as text: one cut at the byte limit inside a character, or one bad byte in a page that says it is text', async () => {
    // 'é' is two bytes: the limit falls between them.
    receiver.reply('/cut', { status: 500, body: Buffer.from(`${'a'.repeat(1_023)}é and more`) });
    const cut = await sender({ maxResponseBytes: 1_024 }).send(makeJob({ url: receiver.urlFor('/cut') }), Date.now());
    expect(cut.response?.body).toBe('a'.repeat(1_023));
    receiver.reply('/latin', { status: 500, headers: { 'content-type': 'text/html; charset=utf-8' }, body: Buffer.from('caf\xe9 closed', 'latin1') });
    const latin = await sender().send(makeJob({ url: receiver.urlFor('/latin') }), Date.now());
    expect(latin.error).toBe('HTTP 500: caf\ufffd closed');
  });

  it('reads Retry-After on 429 and 503, in seconds or as a date', async () => {
    const now = Date.now();
    receiver.reply('/busy', { status: 429, headers: { 'retry-after': '7' } });
    receiver.reply('/down', { status: 503, headers: { 'retry-after': new Date(now + 120_000).toUTCString() } });
    receiver.reply('/error', { status: 500, headers: { 'retry-after': '7' } });
    const s = sender();

    expect(await s.send(makeJob({ url: receiver.urlFor('/busy') }), now)).toMatchObject({ httpStatus: 429, retryAfterMs: 7_000 });
    const down = await s.send(makeJob({ url: receiver.urlFor('/down') }), now);
    expect(down.httpStatus).toBe(503);
    expect(down.retryAfterMs).toBeGreaterThan(115_000);
    expect(down.retryAfterMs).toBeLessThanOrEqual(120_000);
    expect(await s.send(makeJob({ url: receiver.urlFor('/error') }), now)).toMatchObject({ httpStatus: 500, retryAfterMs: null });
  });

  it('fails an attempt whose URL is unusable without throwing', async () => {
    const result = await sender().send(makeJob({ url: 'not a url' }), Date.now());
    expect(result).toMatchObject({ delivered: false, httpStatus: null, error: '"not a url" is not an http or https URL' });
  });

  it('handles many attempts at once', async () => {
    const s = sender();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => s.send(makeJob({ eventId: 10_000 + i, webhookId: `evt_${10_000 + i}`, url: receiver.urlFor('/many') }), Date.now())),
    );
    expect(results.every((r) => r.delivered)).toBe(true);
    expect(new Set(receiver.requestsTo('/many').map((r) => r.headers['webhook-id'])).size).toBe(200);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
