import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryEngine, type DeliveryEngineOptions } from '../src/delivery/engine.js';
import { createSender, type Sender } from '../src/delivery/sender.js';
import { generateSecret } from '../src/delivery/signature.js';
import type { EventType } from '../src/domain/types.js';
import { createLogger } from '../src/logger.js';
import { openSqliteStore, SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { openWithTestBox, sealedWithTestBox } from './helpers/sealing.js';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Harness {
  store: Store;
  receiver: Receiver;
  sender: Sender;
  engine(options?: Partial<DeliveryEngineOptions>): DeliveryEngine;
  callback(path: string, options?: { frequency?: number; retries?: number; mailboxId?: number }): Promise<number>;
  publish(count: number, mailboxId?: number, eventType?: EventType): Promise<number[]>;
  waitFor<T>(what: string, probe: () => Promise<T | false>, timeoutMs?: number): Promise<T>;
}

async function harness(senderTimeoutMs = 5_000): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'gridhook-delivery-'));
  const store = openSqliteStore(join(dir, 'gridhook.db'));
  await store.migrate();
  const receiver = await startReceiver();
  const sender = createSender({
    timeoutMs: senderTimeoutMs,
    maxResponseBytes: 4_096,
    policy: { allowPrivateUrls: true, allowedNetworks: [] },
    openSealed: openWithTestBox,
  });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => store.close());
  cleanups.push(() => receiver.close());
  cleanups.push(() => sender.close());

  let parcel = 0;
  return {
    store,
    receiver,
    sender,
    engine(options = {}) {
      const engine = new DeliveryEngine({
        store,
        sender,
        logger: createLogger('silent'),
        workerId: `test-${Math.random().toString(36).slice(2)}`,
        concurrency: 32,
        perCallbackConcurrency: 8,
        leaseMs: 30_000,
        pollIntervalMs: 200,
        ...options,
      });
      cleanups.push(() => engine.stop(0));
      return engine;
    },
    async callback(path, { frequency = 1, retries = 2, mailboxId = 1 } = {}) {
      const callback = await store.createCallback(
        {
          networkId: 1,
          mailboxId,
          ecGridId: 0,
          url: receiver.urlFor(path),
          eventType: 'InBox',
          frequency,
          retries,
          status: 'Active',
          seal: sealedWithTestBox(generateSecret()),
        },
        Date.now(),
      );
      return callback.callbackId;
    },
    async publish(count, mailboxId = 1, eventType = 'InBox') {
      const inputs = Array.from({ length: count }, () => ({
        eventType,
        networkId: 1,
        mailboxId,
        ecGridId: 0,
        parcelId: ++parcel,
        fileName: `parcel-${parcel}.edi`,
      }));
      return (await store.publishEvents(inputs, { now: Date.now() })).eventIds;
    },
    async waitFor(what, probe, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await probe();
        if (value !== false) return value;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

/** The real store, with these of its methods run through `before` first (to count or hold them up). */
function hooked(store: Store, names: (keyof Store)[], before: (name: keyof Store) => Promise<void> | void): Store {
  return new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      if (!names.includes(name as keyof Store)) return value.bind(target);
      return async (...args: unknown[]) => {
        await before(name as keyof Store);
        return value.apply(target, args);
      };
    },
  });
}

async function statuses(store: Store, eventIds: number[]): Promise<string[]> {
  return Promise.all(eventIds.map(async (id) => (await store.getEvent(id))!.status));
}

describe('delivery engine', () => {
  it('sends events leased by a claim it offered to a publish, and honours the per-callback limit', async () => {
    const h = await harness();
    await h.callback('/offered');
    // A poll interval far beyond the test: only the offered claim and the writes of results can move events.
    const engine = h.engine({ concurrency: 16, perCallbackConcurrency: 4, pollIntervalMs: 60_000 });
    engine.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const offer = engine.offerClaim();
    expect(offer?.request).toMatchObject({ workerId: engine.workerId, limit: 16, perCallbackLimit: 4 });
    const inputs = Array.from({ length: 10 }, (_, i) => ({
      eventType: 'InBox' as const,
      networkId: 1,
      mailboxId: 1,
      ecGridId: 0,
      parcelId: i + 1,
      fileName: `offered-${i}.edi`,
    }));
    let taken = 0;
    const { eventIds } = await h.store.publishEvents(inputs, {
      // Later than the offer, as a publish always is.
      now: Date.now() + 5,
      claim: { request: offer!.request, take: (jobs) => ((taken = jobs.length), offer!.take(jobs)) },
    });
    offer!.cancel();
    // SQLite leases in the publishing write; any store's engine gets them all delivered.
    await h.waitFor('all Delivered', async () => (await statuses(h.store, eventIds)).every((s) => s === 'Delivered'));
    expect(taken).toBeLessThanOrEqual(4);
    if (h.store instanceof SqliteStore) expect(taken).toBe(4);
    expect(new Set(h.receiver.requestsTo('/offered').map((r) => r.headers['webhook-id'])).size).toBe(10);
    expect(h.receiver.requestsTo('/offered')).toHaveLength(10);
  });

  it('sends every event of publishes written together, each carrying a claim offer', async () => {
    const h = await harness(10_000);
    h.receiver.reply('/hang', { hang: true });
    await h.callback('/hang', { mailboxId: 1 });
    await h.callback('/fast', { mailboxId: 2 });
    // Only offered claims and result writes can move events here, and the hanging receiver writes none.
    // claimBatch 4: each publish gets an offer of its own (16 free slots).
    const engine = h.engine({ concurrency: 16, perCallbackConcurrency: 4, claimBatch: 4, pollIntervalMs: 60_000 });
    engine.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const publish = (mailboxId: number, now: number) => {
      const offer = engine.offerClaim();
      const input = { eventType: 'InBox' as const, networkId: 1, mailboxId, ecGridId: 0, parcelId: now, fileName: 'p.edi' };
      return h.store
        .publishEvents([input], { now, ...(offer && { claim: offer }) })
        .finally(() => offer?.cancel());
    };
    // Same turn of the event loop: one write. The first claim takes the hanging callback's event,
    // less than it could; the second publish's event must still go out.
    // The second publish is a little later, as on a busy machine: its event is not yet due at the first's time.
    const at = Date.now() + 5;
    const [, fast] = await Promise.all([publish(1, at), publish(2, at + 3)]);
    await h.receiver.waitForRequests(1, { path: '/fast', timeoutMs: 5_000 });
    await h.waitFor('fast event Delivered', async () => (await h.store.getEvent(fast.eventIds[0]!))?.status === 'Delivered', 5_000);
    expect(h.receiver.hanging).toBe(1);
  });

  it('wakes its claim loop when an offer that held every free slot is canceled unused', async () => {
    const h = await harness();
    await h.callback('/later');
    const engine = h.engine({ concurrency: 8, perCallbackConcurrency: 4, claimBatch: 8, pollIntervalMs: 60_000 });
    engine.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // As a store that leaves claims to the engine: the offer is not used, the publish only signals.
    const offer = engine.offerClaim();
    expect(offer?.request.limit).toBe(8);
    const ids = await h.publish(3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(h.receiver.requestsTo('/later')).toHaveLength(0);
    offer!.cancel();
    await h.receiver.waitForRequests(3, { path: '/later', timeoutMs: 5_000 });
    await h.waitFor('all Delivered', async () => (await statuses(h.store, ids)).every((s) => s === 'Delivered'), 5_000);
  });

  it('gives its slots back when an offered claim is canceled, and offers nothing once stopped', async () => {
    const h = await harness();
    const engine = h.engine({ concurrency: 8, perCallbackConcurrency: 2 });
    expect(engine.offerClaim()).toBeNull();
    engine.start();
    // Past the engine's first claim, whose slots are reserved while it runs.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const first = engine.offerClaim();
    expect(first?.request.limit).toBe(8);
    expect(engine.offerClaim()).toBeNull();
    first!.cancel();
    first!.cancel();
    const second = engine.offerClaim();
    expect(second?.request.limit).toBe(8);
    second!.take([]);
    second!.cancel();
    expect(engine.offerClaim()?.request.limit).toBe(8);
    await engine.stop(0);
    expect(engine.offerClaim()).toBeNull();
  });

  it('delivers every published event exactly once', async () => {
    const h = await harness();
    await h.callback('/a');
    await h.callback('/b');
    const engine = h.engine();
    engine.start();
    const ids = await h.publish(60);
    expect(ids).toHaveLength(120);

    await h.receiver.waitForRequests(60, { path: '/a' });
    await h.receiver.waitForRequests(60, { path: '/b' });
    await h.waitFor('all Delivered', async () => (await statuses(h.store, ids)).every((s) => s === 'Delivered'));
    expect(new Set(h.receiver.requests.map((r) => r.headers['webhook-id'])).size).toBe(120);
    expect(h.receiver.requests).toHaveLength(120);
    const event = await h.store.getEvent(ids[0]!);
    expect(event).toMatchObject({ attempts: 1, lastHttpStatus: 200, lastError: null });
  });

  it('picks up events published while idle without waiting for the poll interval', async () => {
    const h = await harness();
    await h.callback('/idle');
    const engine = h.engine({ pollIntervalMs: 60_000 });
    engine.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await h.publish(1);
    await h.receiver.waitForRequests(1, { path: '/idle', timeoutMs: 2_000 });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('retries a failing receiver no sooner than the frequency, growing, then marks the event Failed', async () => {
    const h = await harness();
    h.receiver.reply('/down', { status: 500, body: 'nope' });
    await h.callback('/down', { frequency: 1, retries: 2 });
    h.engine().start();
    const [id] = await h.publish(1);

    await h.waitFor('Failed', async () => (await h.store.getEvent(id!))!.status === 'Failed');
    const times = h.receiver.requestsTo('/down').map((r) => r.receivedAt);
    expect(times).toHaveLength(3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(1_000 - 20);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(2_000 - 20);
    const webhookId = (await h.store.getEvent(id!))!.webhookId;
    expect(webhookId).toMatch(/^evt_[0-9a-f]{32}$/);
    expect(new Set(h.receiver.requestsTo('/down').map((r) => r.headers['webhook-id']))).toEqual(new Set([webhookId]));

    const event = await h.store.getEvent(id!);
    expect(event).toMatchObject({ attempts: 3, callsRemaining: 0, lastHttpStatus: 500, lastError: 'HTTP 500: nope' });
    const attempts = await h.store.listAttempts(id!);
    expect(attempts.map((a) => a.httpStatus)).toEqual([500, 500, 500]);
  });

  it("waits for the receiver's Retry-After when it is longer than the schedule", async () => {
    const h = await harness();
    h.receiver.reply('/busy', (_req, nth) => (nth === 1 ? { status: 503, headers: { 'retry-after': '2' } } : {}));
    await h.callback('/busy', { frequency: 1, retries: 1 });
    h.engine().start();
    const [id] = await h.publish(1);

    await h.waitFor('Delivered', async () => (await h.store.getEvent(id!))!.status === 'Delivered');
    const [first, second] = h.receiver.requestsTo('/busy').map((r) => r.receivedAt);
    expect(second! - first!).toBeGreaterThanOrEqual(2_000 - 20);
  });

  it('writes results beside a result write that is slow to end, not behind it', async () => {
    const h = await harness();
    let releaseFirst: () => void = () => undefined;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    let writes = 0;
    // The first result write is held up, as a busy database would hold it.
    const store = hooked(h.store, ['recordAndClaim', 'recordAttempts'], async () => {
      if (++writes === 1) await firstHeld;
    });
    await h.callback('/a');
    // A write's claim reserves up to claimBatch slots: kept small, the rest stay free to claim the second event.
    h.engine({ store, claimBatch: 2 }).start();
    cleanups.push(() => releaseFirst());
    const [first] = await h.publish(1);
    await h.receiver.waitForRequests(1, { path: '/a' });
    await h.waitFor('the first write to start', async () => writes >= 1);
    const [second] = await h.publish(1);
    await h.waitFor('the second event Delivered', async () => (await h.store.getEvent(second!))!.status === 'Delivered', 2_000);
    expect((await h.store.getEvent(first!))!.status).toBe('Pending');
    releaseFirst();
    await h.waitFor('the first event Delivered', async () => (await h.store.getEvent(first!))!.status === 'Delivered');
  });

  it('does not ask the store when the next event is due after each short claim while it delivers', async () => {
    const h = await harness();
    h.receiver.reply('/slow', { delayMs: 25 });
    await h.callback('/slow');
    let asked = 0;
    const store = hooked(h.store, ['nextDueAt'], () => {
      asked++;
    });
    // Two at a time at 25 ms each: the 60 events take about 750 ms, 15 polls of 50 ms.
    h.engine({ store, perCallbackConcurrency: 2, pollIntervalMs: 50 }).start();
    const ids = await h.publish(60);
    await h.waitFor('Delivered', async () => (await statuses(h.store, ids)).every((s) => s === 'Delivered'));
    expect(asked).toBeLessThanOrEqual(2);
  });

  it('sends each retry at its time while other attempts are out, not at the next poll', async () => {
    const h = await harness(10_000);
    h.receiver.reply('/hang', { hang: true });
    for (const path of ['/flaky-1', '/flaky-2']) h.receiver.reply(path, (_req, nth) => (nth === 1 ? { status: 500 } : {}));
    await h.callback('/hang', { mailboxId: 1 });
    // Retried after 1 s and after 2 s: the second is due after the first has come.
    await h.callback('/flaky-1', { mailboxId: 2, frequency: 1 });
    await h.callback('/flaky-2', { mailboxId: 2, frequency: 2 });
    h.engine({ pollIntervalMs: 10_000 }).start();

    await h.publish(1, 1);
    await h.receiver.waitForRequests(1, { path: '/hang' });
    const ids = await h.publish(1, 2);
    await h.waitFor('Delivered', async () => (await statuses(h.store, ids)).every((s) => s === 'Delivered'), 8_000);
    for (const [path, frequencyMs] of [['/flaky-1', 1_000], ['/flaky-2', 2_000]] as const) {
      const [first, second] = h.receiver.requestsTo(path).map((r) => r.receivedAt);
      expect(second! - first!).toBeGreaterThanOrEqual(frequencyMs - 20);
      expect(second! - first!).toBeLessThan(frequencyMs + 2_000);
    }
  });

  it("does not let one callback's hanging receiver delay another callback", async () => {
    const h = await harness(10_000);
    h.receiver.reply('/hang', { hang: true });
    await h.callback('/hang', { mailboxId: 1 });
    await h.callback('/fast', { mailboxId: 2 });
    const engine = h.engine({ concurrency: 6, perCallbackConcurrency: 3 });
    engine.start();

    await h.publish(20, 1);
    await h.receiver.waitForRequests(3, { path: '/hang' });
    const fast = await h.publish(40, 2);
    await h.receiver.waitForRequests(40, { path: '/fast', timeoutMs: 3_000 });
    await h.waitFor('fast events Delivered', async () => (await statuses(h.store, fast)).every((s) => s === 'Delivered'), 3_000);

    // All of it happened while the hanging callback held exactly its share.
    expect(h.receiver.hanging).toBe(3);
    expect(h.receiver.requestsTo('/hang')).toHaveLength(3);
  });

  it('gives back the leases of attempts still running when stopped', async () => {
    const h = await harness(10_000);
    h.receiver.reply('/hang', { hang: true });
    await h.callback('/hang');
    const engine = h.engine();
    engine.start();
    const [id] = await h.publish(1);
    await h.receiver.waitForRequests(1, { path: '/hang' });

    const other = { workerId: 'other', now: Date.now(), leaseMs: 30_000, limit: 10, perCallbackLimit: 10 };
    expect(await h.store.claimDueEvents(other)).toHaveLength(0);

    const stopping = Date.now();
    await engine.stop(100);
    expect(Date.now() - stopping).toBeLessThan(1_000);

    const claimed = await h.store.claimDueEvents({ ...other, now: Date.now() });
    expect(claimed.map((job) => job.eventId)).toEqual([id]);
    expect(claimed[0]!.attempts).toBe(0);
  });

  it('lets attempts in flight finish and records them when stopped within the grace period', async () => {
    const h = await harness();
    h.receiver.reply('/slow', { delayMs: 300 });
    await h.callback('/slow');
    const engine = h.engine();
    engine.start();
    const [id] = await h.publish(1);
    await h.receiver.waitForRequests(1, { path: '/slow' });
    await engine.stop(5_000);
    expect((await h.store.getEvent(id!))!.status).toBe('Delivered');
  });

  it('delivers a test event at once with deliverNow, without the loop running', async () => {
    const h = await harness();
    const callbackId = await h.callback('/test');
    const engine = h.engine();
    const job = await h.store.createTestEvent(callbackId, { workerId: engine.workerId, now: Date.now(), leaseMs: 30_000, perCallbackLimit: 4 });
    const result = await engine.deliverNow(job!);

    expect(result).toMatchObject({ eventId: job!.eventId, outcome: 'Delivered', httpStatus: 200, error: null });
    expect((await h.store.getEvent(job!.eventId))!.status).toBe('Delivered');
    const [request] = h.receiver.requestsTo('/test');
    expect(request!.json()).toMatchObject({ eventId: job!.eventId, isTest: true });
  });

  it('keeps running through store outages and records the results once the store is back', async () => {
    const h = await harness();
    await h.callback('/ok');
    let claimFailures = 2;
    let recordFailures = 2;
    const flaky = new Proxy(h.store, {
      get(target, property, receiver) {
        if (property === 'claimDueEvents' && claimFailures > 0) {
          return async () => {
            claimFailures -= 1;
            throw new Error('database is down');
          };
        }
        if ((property === 'recordAttempts' || property === 'recordAndClaim') && recordFailures > 0) {
          return async () => {
            recordFailures -= 1;
            throw new Error('database is down');
          };
        }
        const value = Reflect.get(target, property, receiver) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const engine = h.engine({ store: flaky });
    const ids = await h.publish(5);
    engine.start();

    await h.waitFor('all Delivered', async () => (await statuses(h.store, ids)).every((s) => s === 'Delivered'));
    expect(claimFailures).toBe(0);
    expect(recordFailures).toBe(0);
    expect(h.receiver.requestsTo('/ok')).toHaveLength(5);
  });

  it('tells a claim the database refused for a row apart from an outage, and keeps claiming at the poll interval', async () => {
    const h = await harness();
    await h.callback('/ok');
    const failures = [
      Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' }),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ];
    const failing = new Proxy(h.store, {
      get(target, property, receiver) {
        const failure = failures[0];
        if (property === 'claimDueEvents' && failure !== undefined) {
          return async () => {
            failures.shift();
            throw failure;
          };
        }
        const value = Reflect.get(target, property, receiver) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const lines: { msg: string; code?: string; retryInMs: number }[] = [];
    const log = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as { msg: string; code?: string; retryInMs: number });
        done();
      },
    });
    const engine = h.engine({ store: failing, logger: createLogger('error', log, 'json') });
    const ids = await h.publish(3);
    engine.start();

    await h.waitFor('all Delivered', async () => (await statuses(h.store, ids)).every((s) => s === 'Delivered'));
    expect(lines.map(({ msg, code, retryInMs }) => ({ msg, code, retryInMs }))).toEqual([
      { msg: "claiming due events failed: the database refused a row's data; retrying", code: '22021', retryInMs: 200 },
      { msg: 'claiming due events failed: the database is unavailable; retrying', code: undefined, retryInMs: 100 },
    ]);
  });
});
