/**
 * Endpoint health, end to end on both stores with real receivers: a callback
 * turns `failing` on its first failure and healthy on a success; a 410 Gone
 * suspends it at once; failing longer than its network allows suspends it
 * (the health job, on a clock moved days ahead). Either way its Pending
 * events are kept, a CallBackSuspended event reaches every Active callback
 * subscribed to it in the network, a warn line is logged and the metric
 * counts it; activating it again sends the kept events.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallbackSuspender } from '../src/delivery/callback-suspender.js';
import { HealthJob } from '../src/delivery/health-job.js';
import { createLogger } from '../src/logger.js';
import { describeWithPostgres } from './helpers/cluster.js';
import { createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { eventually, ok, startTestServer, type TestServer } from './helpers/server.js';

const DAY_MS = 24 * 60 * 60 * 1000;

function suite(start: (log: NodeJS.WritableStream) => Promise<TestServer>): void {
  let server: TestServer;
  let receiver: Receiver;
  const logLines: Record<string, unknown>[] = [];
  const log = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) logLines.push(JSON.parse(line));
      done();
    },
  });

  beforeAll(async () => {
    server = await start(log);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await server?.close();
    await receiver?.close();
  });

  async function network(name: string, settings: Record<string, unknown> = {}) {
    const { networkId } = await ok(server, 'POST', '/v2/networks/create', { name, ...settings });
    const { mailboxId } = await ok(server, 'POST', '/v2/mailboxes/create', { networkId, name });
    const watcher = await ok(server, 'POST', '/v2/callbacks/create', {
      networkId,
      callBackEvent: 'CallBackSuspended',
      callBackUrl: receiver.urlFor(`/${name}/notices`),
    });
    return { networkId, mailboxId, watcher: watcher.callBackQueueId as number };
  }

  const publish = (networkId: number, mailboxId: number, count: number) =>
    ok(server, 'POST', '/v2/callbacks/events/publish', {
      events: Array.from({ length: count }, (_, i) => ({ callBackEvent: 'InBox', networkId, mailboxId, parcelId: i + 1 })),
    });

  const callback = (id: number) => ok(server, 'GET', `/v2/callbacks/${id}`);

  async function suspendedCount(cause: string): Promise<number> {
    const text = (await server.metrics?.render()) ?? '';
    const line = text.split('\n').find((l) => l.startsWith(`gridhook_callbacks_suspended_total{cause="${cause}"}`));
    return Number(line?.split(' ').at(-1) ?? Number.NaN);
  }

  it('a 410 Gone suspends at once, keeps the events, and tells the network', async () => {
    const net = await network('gone');
    receiver.reply('/gone/hook', { status: 410 });
    const gone = (
      await ok(server, 'POST', '/v2/callbacks/create', {
        networkId: net.networkId,
        callBackEvent: 'InBox',
        callBackUrl: receiver.urlFor('/gone/hook'),
        retries: 5,
      })
    ).callBackQueueId as number;
    const goneBefore = await suspendedCount('gone');

    const { eventIds } = await publish(net.networkId, net.mailboxId, 3);
    const [notice] = await receiver.waitForRequests(1, { path: '/gone/notices' });
    expect(notice!.json()).toMatchObject({
      callBackQueueId: net.watcher,
      callBackEvent: 'CallBackSuspended',
      suspendedCallBackQueueId: gone,
      networkId: net.networkId,
      isTest: false,
    });
    const suspended = await callback(gone);
    expect(suspended).toMatchObject({
      status: 'Suspended',
      health: 'suspended-by-gridhook',
      suspendReason: expect.stringContaining('410 Gone'),
      keptEvents: 3,
    });
    for (const eventId of eventIds) {
      const event = await ok(server, 'GET', `/v2/callbacks/events/${eventId}`);
      // Kept, and no retry was used on the 410 itself.
      expect(event).toMatchObject({ status: 'Pending' });
      expect(event.callsRemaining).toBe(6);
    }
    expect(await suspendedCount('gone')).toBe(goneBefore + 1);
    expect(
      logLines.find((l) => l.callbackId === gone && l.cause === 'gone' && l.level === 40 && l.keptEvents === 3),
    ).toBeDefined();

    // Fixed receiver, re-activated: the kept events go out.
    receiver.reply('/gone/hook', { status: 200 });
    const refused = receiver.requestsTo('/gone/hook').length;
    const activated = await ok(server, 'POST', '/v2/callbacks/update', { callBackQueueId: gone, status: 'Active' });
    expect(activated).toMatchObject({ status: 'Active', health: 'healthy', suspendReason: null });
    const delivered = await receiver.waitForRequests(refused + 3, { path: '/gone/hook' });
    expect(new Set(delivered.slice(refused).map((r) => r.json().eventId))).toEqual(new Set(eventIds));
    await eventually(async () => (await callback(gone)).health === 'healthy');
  });

  it('re-activating with keptEvents "cancel" cancels what the suspension kept', async () => {
    const net = await network('cancel');
    receiver.reply('/cancel/hook', { status: 410 });
    const id = (
      await ok(server, 'POST', '/v2/callbacks/create', {
        networkId: net.networkId,
        callBackEvent: 'InBox',
        callBackUrl: receiver.urlFor('/cancel/hook'),
      })
    ).callBackQueueId as number;
    const { eventIds } = await publish(net.networkId, net.mailboxId, 2);
    await eventually(async () => (await callback(id)).health === 'suspended-by-gridhook');
    await ok(server, 'POST', '/v2/callbacks/update', { callBackQueueId: id, status: 'Active', keptEvents: 'cancel' });
    for (const eventId of eventIds) {
      expect((await ok(server, 'GET', `/v2/callbacks/events/${eventId}`)).status).toBe('Canceled');
    }
  });

  it('is failing while attempts fail and suspended once that lasts longer than its network allows', async () => {
    const strict = await network('strict', { autoSuspendAfterSeconds: 3_600 });
    const lenient = await network('lenient');
    expect((await ok(server, 'GET', `/v2/networks/${strict.networkId}`)).autoSuspendAfterSeconds).toBe(3_600);
    const failing = async (net: typeof strict, path: string) => {
      receiver.reply(path, { status: 500 });
      const id = (
        await ok(server, 'POST', '/v2/callbacks/create', {
          networkId: net.networkId,
          callBackEvent: 'InBox',
          callBackUrl: receiver.urlFor(path),
          frequency: 3_600,
        })
      ).callBackQueueId as number;
      return id;
    };
    const a = await failing(strict, '/strict/hook');
    const b = await failing(lenient, '/lenient/hook');
    await publish(strict.networkId, strict.mailboxId, 1);
    await publish(lenient.networkId, lenient.mailboxId, 1);
    await receiver.waitForRequests(1, { path: '/strict/hook' });
    await receiver.waitForRequests(1, { path: '/lenient/hook' });
    const failingA = await eventually(async () => {
      const view = await callback(a);
      return view.health === 'failing' && view;
    });
    expect(Date.parse(failingA.failingSince)).toBeGreaterThan(0);
    await eventually(async () => (await callback(b)).health === 'failing');

    // Two hours on: past the strict network's hour, within the server's five days.
    const failingBefore = await suspendedCount('failing');
    const logger = createLogger('silent');
    const suspender = new CallbackSuspender({
      store: server.store,
      logger,
      ...(server.metrics ? { onSuspended: (cause) => server.metrics!.callbackSuspended(cause) } : {}),
    });
    const job = (offsetMs: number) =>
      new HealthJob({
        store: server.store,
        suspender,
        logger,
        autoSuspendAfterMs: server.config.autoSuspendAfterSeconds * 1000,
        clock: { now: () => Date.now() + offsetMs },
      });
    expect(await job(2 * 3_600_000).runOnce()).toBe(1);
    expect(await callback(a)).toMatchObject({ health: 'suspended-by-gridhook', suspendReason: expect.stringContaining('1 h') });
    expect((await callback(b)).health).toBe('failing');
    // The notice is due at the job's (moved) clock, so it is read from the queue rather than waited for.
    const notices = await ok(server, 'POST', '/v2/callbacks/queue-list', { callBackQueueId: strict.watcher });
    expect(notices.events).toMatchObject([{ callBackEvent: 'CallBackSuspended', suspendedCallBackQueueId: a, status: 'Pending' }]);
    expect((await ok(server, 'POST', '/v2/callbacks/queue-list', { callBackQueueId: lenient.watcher })).totalRecords).toBe(0);

    expect(await job(6 * DAY_MS).runOnce()).toBeGreaterThanOrEqual(1);
    expect(await callback(b)).toMatchObject({ health: 'suspended-by-gridhook', suspendReason: expect.stringContaining('5 days') });
    expect(await suspendedCount('failing')).toBeGreaterThanOrEqual(failingBefore + 2);
  });

  it('a success ends failing', async () => {
    const net = await network('recovering');
    receiver.reply('/recovering/hook', (_request, nth) => ({ status: nth === 1 ? 503 : 200 }));
    const id = (
      await ok(server, 'POST', '/v2/callbacks/create', {
        networkId: net.networkId,
        callBackEvent: 'InBox',
        callBackUrl: receiver.urlFor('/recovering/hook'),
        retrySchedule: [1],
      })
    ).callBackQueueId as number;
    await publish(net.networkId, net.mailboxId, 1);
    await eventually(async () => (await callback(id)).health === 'failing');
    await receiver.waitForRequests(2, { path: '/recovering/hook' });
    await eventually(async () => (await callback(id)).health === 'healthy');
    expect((await callback(id)).failingSince).toBeNull();
  });

  it('refuses bad auto-suspend periods, naming the field', async () => {
    for (const bad of [0, 59, 'soon', 400 * 86_400]) {
      const response = await ok(server, 'POST', '/v2/networks/create', { name: 'bad', autoSuspendAfterSeconds: bad }).catch(
        (error: Error) => error.message,
      );
      expect(response).toMatch(/answered 400: .*autoSuspendAfterSeconds/);
    }
  });
}

describe('endpoint health on SQLite', () => suite((log) => startTestServer({ logLevel: 'info' }, { logDestination: log })));

const availability = await postgresAvailable();
describeWithPostgres('endpoint health on PostgreSQL', availability, () => {
  afterAll(() => dropTestDatabases());
  suite(async (log) =>
    startTestServer({ databaseUrl: (await createTestDatabase()).url, logLevel: 'info' }, { logDestination: log }),
  );
});
