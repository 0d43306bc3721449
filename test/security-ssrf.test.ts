/**
 * SSRF, end to end: callbacks registered over the API and delivered by the
 * real engine, with a DNS resolver this test controls. Nothing leaves
 * 127.0.0.1: every forbidden address is refused before a connection is made,
 * and the receivers below count the connections they get.
 */
import { isIP } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LookupFunction, ResolvedAddress } from '../src/domain/url-policy.js';
import { call, ok, startTestServer, type TestServer } from './helpers/server.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { sealedWithTestBox, TEST_ENCRYPTION_KEY } from './helpers/sealing.js';

/**
 * Each name answers its script in order (the last answer repeats); a name
 * without a script does not resolve. Every lookup is recorded.
 */
function scriptedDns(): LookupFunction & {
  script(name: string, ...answers: string[][]): void;
  calls: string[];
} {
  const scripts = new Map<string, ResolvedAddress[][]>();
  const calls: string[] = [];
  const lookup = async (hostname: string): Promise<ResolvedAddress[]> => {
    calls.push(hostname);
    const answers = scripts.get(hostname);
    if (!answers || answers.length === 0) {
      throw Object.assign(new Error(`test resolver: ${hostname} is unknown`), { code: 'ENOTFOUND' });
    }
    return answers.length > 1 ? answers.shift()! : answers[0]!;
  };
  return Object.assign(lookup, {
    calls,
    script(name: string, ...answers: string[][]) {
      scripts.set(
        name,
        answers.map((list) => list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))),
      );
    },
  });
}

const PUBLIC = '93.184.216.34';

let receiver: Receiver;
let dns: ReturnType<typeof scriptedDns>;
let strict: TestServer;

beforeAll(async () => {
  receiver = await startReceiver();
  dns = scriptedDns();
  strict = await startTestServer(
    { allowPrivateUrls: false, allowedNetworks: [], encryptionKey: TEST_ENCRYPTION_KEY },
    { lookup: dns },
  );
});
afterAll(async () => {
  await strict.close();
  await receiver.close();
});

async function createCallback(server: TestServer, url: string, extra: Record<string, unknown> = {}) {
  return call(server, 'POST', '/v2/callbacks/create', { callBackUrl: url, callBackEvent: 'InBox', retries: 1, ...extra });
}

async function attemptLog(server: TestServer, eventId: number): Promise<{ error: string | null; httpStatus: number | null }[]> {
  const event = await ok(server, 'GET', `/v2/callbacks/events/${eventId}`);
  return event.attemptLog;
}

describe('DNS rebinding, through the API and the engine', () => {
  it('refuses at connect time a name that was public when registered and is loopback when delivered', async () => {
    dns.script('rebind.test', [PUBLIC], ['127.0.0.1']);
    const url = `https://rebind.test:${receiver.port}/rebind`;
    const created = await createCallback(strict, url);
    expect(created.status).toBe(200);
    expect(dns.calls.filter((n) => n === 'rebind.test')).toHaveLength(1);

    const tested = await ok(strict, 'POST', '/v2/callbacks/test', { callBackQueueId: created.body.data.callBackQueueId });
    expect(tested).toMatchObject({
      delivered: false,
      httpStatus: null,
      error: 'refused to connect to rebind.test: it resolves to 127.0.0.1, not a public address (loopback)',
      status: 'Pending',
    });
    expect(dns.calls.filter((n) => n === 'rebind.test')).toHaveLength(2);
    const log = await attemptLog(strict, tested.eventId);
    expect(log).toEqual([
      expect.objectContaining({
        httpStatus: null,
        error: 'refused to connect to rebind.test: it resolves to 127.0.0.1, not a public address (loopback)',
      }),
    ]);
    expect(receiver.connections).toBe(0);
  });

  it('refuses a published event in the delivery loop, retries it, and fails it with the reason logged', async () => {
    dns.script('loop-rebind.test', [PUBLIC], ['169.254.169.254']);
    // An event type no other callback of this file has, so the event fans out to this one only.
    const created = await createCallback(strict, `https://loop-rebind.test:${receiver.port}/loop`, {
      callBackEvent: 'OutBoxError',
      retries: 1,
      frequency: 1,
      networkId: 0,
      mailboxId: 1,
    });
    expect(created.status).toBe(200);
    const published = await ok(strict, 'POST', '/v2/callbacks/events/publish', {
      events: [{ callBackEvent: 'OutBoxError', mailboxId: 1, parcelId: 42, fileName: 'rebind.edi' }],
    });
    const [eventId] = published.eventIds as number[];
    let event: any;
    const deadline = Date.now() + 10_000;
    do {
      await new Promise((resolve) => setTimeout(resolve, 100));
      event = await ok(strict, 'GET', `/v2/callbacks/events/${eventId}`);
    } while (event.status === 'Pending' && Date.now() < deadline);
    expect(event.status).toBe('Failed');
    expect(event.attemptLog).toHaveLength(2);
    for (const attempt of event.attemptLog) {
      expect(attempt).toMatchObject({
        httpStatus: null,
        error: 'refused to connect to loop-rebind.test: it resolves to 169.254.169.254, not a public address (cloud metadata)',
      });
    }
    expect(receiver.connections).toBe(0);
  });
});

describe('every forbidden address class, refused at connect time', () => {
  const cases: [address: string, reason: string][] = [
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['0.0.0.0', 'unspecified ("this network")'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'loopback (IPv4 127.0.0.1 inside IPv6)'],
    ['::ffff:a00:1', 'private (IPv4 10.0.0.1 inside IPv6)'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'cloud metadata'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['fd12:3456::1', 'private (unique local)'],
    ['64:ff9b::a9fe:a9fe', 'cloud metadata (IPv4 169.254.169.254 inside IPv6)'],
    ['240.0.0.1', 'reserved'],
  ];

  it.each(cases)('%s (%s)', async (address, reason) => {
    const name = `to-${address.replace(/[:.]/g, '-')}.test`;
    // Unresolvable when registered (accepted: DNS may not be set up yet), forbidden when delivered.
    dns.script(name, [], [address]);
    const created = await createCallback(strict, `https://${name}/in`);
    expect(created.status).toBe(200);
    const tested = await ok(strict, 'POST', '/v2/callbacks/test', { callBackQueueId: created.body.data.callBackQueueId });
    expect(tested.delivered).toBe(false);
    expect(tested.error).toBe(`refused to connect to ${name}: it resolves to ${address}, not a public address (${reason})`);
    expect(receiver.connections).toBe(0);
  });

  it('refuses a name with one public and one private answer', async () => {
    dns.script('mixed.test', [], [PUBLIC, '10.9.8.7']);
    const created = await createCallback(strict, 'https://mixed.test/in');
    const tested = await ok(strict, 'POST', '/v2/callbacks/test', { callBackQueueId: created.body.data.callBackQueueId });
    expect(tested.error).toBe('refused to connect to mixed.test: it resolves to 10.9.8.7, not a public address (private)');
  });

  it('refuses an IP literal stored before the policy was strict, in any spelling, without a lookup', async () => {
    for (const [url, shown] of [
      ['https://2130706433/in', '127.0.0.1'],
      ['https://0x7f.0.0.1/in', '127.0.0.1'],
      ['https://017700000001/in', '127.0.0.1'],
      ['https://0x7f000001/in', '127.0.0.1'],
      ['https://127.1/in', '127.0.0.1'],
      ['https://[::ffff:169.254.169.254]/in', '::ffff:a9fe:a9fe'],
      ['https://[0:0:0:0:0:0:0:1]/in', '::1'],
    ] as const) {
      // Straight into the store, as a URL registered under GRIDHOOK_ALLOW_PRIVATE_URLS would be.
      const callback = await strict.store.createCallback(
        {
          networkId: 1,
          mailboxId: 0,
          ecGridId: 0,
          url,
          eventType: 'OutBox',
          frequency: 1,
          retries: 0,
          status: 'Active',
          seal: sealedWithTestBox('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'),
        },
        Date.now(),
      );
      const before = dns.calls.length;
      const tested = await ok(strict, 'POST', '/v2/callbacks/test', { callBackQueueId: callback.callbackId });
      expect(tested.error).toMatch(new RegExp(`^refused to connect to ${shown.replace(/[.[\]]/g, '\\$&')}: not a public address`));
      // Other callbacks' retries may look their names up meanwhile; no address was looked up.
      expect(dns.calls.slice(before).filter((name) => isIP(name) !== 0 || /^[0-9a-fx.]+$/i.test(name))).toEqual([]);
    }
  });
});

describe('registration and update check the URL the same way', () => {
  it.each([
    'https://127.0.0.1/in',
    'https://2130706433/in',
    'https://0x7f.1/in',
    'https://017700000001/in',
    'https://0.0.0.0/in',
    'https://[::1]/in',
    'https://[::ffff:127.0.0.1]/in',
    'https://10.0.0.1/in',
    'https://169.254.169.254/latest/meta-data/',
    'https://[fd00:ec2::254]/in',
    'https://100.64.1.1/in',
    'https://224.1.1.1/in',
    'https://localhost/in',
    'https://metadata.localhost/in',
    'http://example.com/in',
    'file:///etc/passwd',
    'gopher://example.com/',
    'https://user:pass@example.com/in',
  ])('refuses %s on create and on update', async (url) => {
    const created = await createCallback(strict, url);
    expect(created.status).toBe(400);
    expect(created.body).toMatchObject({ success: false, errorCode: 'InvalidParameter' });
    expect(created.body.message).toMatch(/^callBackUrl: /);

    const good = await createCallback(strict, 'https://hooks.example.com/in');
    expect(good.status).toBe(200);
    const id = good.body.data.callBackQueueId;
    const updated = await call(strict, 'POST', '/v2/callbacks/update', { callBackQueueId: id, callBackUrl: url });
    expect(updated.status).toBe(400);
    expect(updated.body.message).toBe(created.body.message);
    expect((await ok(strict, 'GET', `/v2/callbacks/${id}`)).callBackUrl).toBe('https://hooks.example.com/in');
  });

  it('refuses on create and on update a name that resolves inside when registered', async () => {
    dns.script('internal.test', ['10.20.30.40']);
    const created = await createCallback(strict, 'https://internal.test/in');
    expect(created.status).toBe(400);
    expect(created.body.message).toContain('internal.test is not a public address (it resolves to 10.20.30.40: private)');

    const good = await createCallback(strict, 'https://hooks.example.com/in');
    const updated = await call(strict, 'POST', '/v2/callbacks/update', {
      callBackQueueId: good.body.data.callBackQueueId,
      callBackUrl: 'https://internal.test/other',
    });
    expect(updated.status).toBe(400);
    expect(updated.body.message).toContain('it resolves to 10.20.30.40: private');
  });
});

describe('redirects and the settings that lift the policy', () => {
  let dev: TestServer;
  afterEach(async () => {
    await dev?.close();
  });

  it('never follows a redirect, not even to an address the policy allows', async () => {
    dev = await startTestServer({ allowPrivateUrls: true });
    receiver.reply('/moved', { status: 307, headers: { location: receiver.urlFor('/target') } });
    const created = await ok(dev, 'POST', '/v2/callbacks/create', { callBackUrl: receiver.urlFor('/moved'), callBackEvent: 'InBox' });
    const tested = await ok(dev, 'POST', '/v2/callbacks/test', { callBackQueueId: created.callBackQueueId });
    expect(tested).toMatchObject({ delivered: false, httpStatus: 307 });
    expect(tested.error).toBe(`redirect not followed: HTTP 307 to ${receiver.urlFor('/target')}`);
    expect(receiver.requestsTo('/target')).toHaveLength(0);
    expect(receiver.requestsTo('/moved')).toHaveLength(1);
  });

  it('GRIDHOOK_ALLOW_PRIVATE_URLS=true allows http and loopback', async () => {
    dev = await startTestServer({ allowPrivateUrls: true });
    const created = await ok(dev, 'POST', '/v2/callbacks/create', { callBackUrl: receiver.urlFor('/dev'), callBackEvent: 'InBox' });
    const tested = await ok(dev, 'POST', '/v2/callbacks/test', { callBackQueueId: created.callBackQueueId });
    expect(tested).toMatchObject({ delivered: true, httpStatus: 200 });
  });

  it('GRIDHOOK_ALLOWED_NETWORKS lets exactly its networks through', async () => {
    const allowDns = scriptedDns();
    allowDns.script('partner.internal', ['127.0.0.1']);
    allowDns.script('other.internal', ['10.0.0.1']);
    dev = await startTestServer({ allowPrivateUrls: false, allowedNetworks: ['127.0.0.0/8'] }, { lookup: allowDns });
    const refused = await call(dev, 'POST', '/v2/callbacks/create', {
      callBackUrl: 'https://other.internal/in',
      callBackEvent: 'InBox',
    });
    expect(refused.status).toBe(400);

    const before = receiver.connections;
    const created = await ok(dev, 'POST', '/v2/callbacks/create', {
      callBackUrl: `https://partner.internal:${receiver.port}/allowed`,
      callBackEvent: 'InBox',
    });
    const tested = await ok(dev, 'POST', '/v2/callbacks/test', { callBackQueueId: created.callBackQueueId });
    // The receiver speaks plain HTTP, so the TLS handshake fails, but the connection was allowed and made.
    expect(tested.delivered).toBe(false);
    expect(tested.error).not.toMatch(/refused to connect/);
    expect(receiver.connections).toBeGreaterThan(before);
  });
});
