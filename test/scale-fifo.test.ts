/**
 * Ordered delivery at scale, through failures: 10,000 events across 20 FIFO
 * keys (4 callbacks ordered by partner, 5 sender/recipient pairs each) go to
 * a receiver that fails 10% of attempts at random. Per key, the first
 * successful deliveries arrive in strictly increasing eventId order, and
 * every event is delivered. On PostgreSQL three `gridhook worker` processes
 * share the work and one is killed with SIGKILL in the middle, so its leases
 * expire while later events of its keys wait; on SQLite one worker delivers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/open-store.js';
import { sealedWithTestBox } from './helpers/sealing.js';
import { generateSecret } from '../src/delivery/signature.js';
import { alive, describeWithPostgres, leasedTo, openInspector, queueState, waitFor, workerIdOf } from './helpers/cluster.js';
import { createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';
import { killHard, startGridhook, stopGracefully, type GridhookProcess } from './helpers/process.js';
import { startReceiver } from './helpers/receiver.js';

const CALLBACKS = 4;
const PAIRS = 5;
const KEYS = CALLBACKS * PAIRS;
/** Each input fans out to every callback: 10,000 events. */
const INPUTS = 2_500;
const EVENTS = CALLBACKS * INPUTS;
const FAILURE_RATE = 0.1;

const cleanup: (() => Promise<unknown> | void)[] = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-fifo-'));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function deliverInOrder(databaseUrl: string, dataDir: string, workerCount: number, kill: boolean): Promise<void> {
  const started = Date.now();
  /** Per key, the eventIds whose first successful delivery arrived, in arrival order. */
  const firstSuccesses = new Map<string, number[]>();
  const delivered = new Set<number>();
  const keyOf = new Map<number, string>();
  let attempts = 0;
  let failures = 0;
  const receiver = await startReceiver({
    defaultReply: (request) => {
      attempts += 1;
      if (Math.random() < FAILURE_RATE) {
        failures += 1;
        return { status: 500 };
      }
      const { eventId } = request.json<{ eventId: number }>();
      if (!delivered.has(eventId)) {
        delivered.add(eventId);
        const key = keyOf.get(eventId) as string;
        firstSuccesses.set(key, [...(firstSuccesses.get(key) ?? []), eventId]);
      }
      return { status: 200 };
    },
  });
  cleanup.push(() => receiver.close());
  const store = await openStore(databaseUrl, { applicationName: 'gridhook-test-publisher' });
  cleanup.push(() => store.close());
  await store.migrate();
  const db = await openInspector(databaseUrl);
  cleanup.push(() => db.close());

  const callbackIds: number[] = [];
  for (let c = 0; c < CALLBACKS; c++) {
    const callback = await store.createCallback(
      {
        networkId: 1,
        mailboxId: 0,
        ecGridId: 0,
        url: receiver.urlFor(`/fifo-${c}`),
        eventType: 'InBox',
        frequency: 1,
        // Enough that no event fails for good at a 10% failure rate.
        retries: 20,
        status: 'Active',
        ordering: 'fifo',
        orderingKey: 'partner',
        seal: sealedWithTestBox(generateSecret()),
      },
      Date.now(),
    );
    callbackIds.push(callback.callbackId);
  }

  const env = {
    GRIDHOOK_DATABASE_URL: databaseUrl,
    GRIDHOOK_DATA_DIR: dataDir,
    GRIDHOOK_ALLOW_PRIVATE_URLS: 'true',
    GRIDHOOK_DELIVERY_CONCURRENCY: '32',
    GRIDHOOK_PER_CALLBACK_CONCURRENCY: '8',
    GRIDHOOK_DELIVERY_TIMEOUT_MS: '5000',
    GRIDHOOK_LEASE_MS: '6000',
    GRIDHOOK_POLL_INTERVAL_MS: '200',
    GRIDHOOK_SHUTDOWN_GRACE_MS: '2000',
  };
  const workers: GridhookProcess[] = [];
  cleanup.push(() => Promise.all(workers.filter(alive).map((worker) => stopGracefully(worker))));
  workers.push(...(await Promise.all(Array.from({ length: workerCount }, () => startGridhook('worker', env)))));

  for (let done = 0; done < INPUTS; done += 250) {
    const inputs = Array.from({ length: 250 }, (_, i) => {
      const pair = (done + i) % PAIRS;
      return {
        eventType: 'InBox' as const,
        networkId: 1,
        mailboxId: 1,
        ecGridId: 0,
        parcelId: done + i + 1,
        fileName: `order-${done + i + 1}.edi`,
        senderEcGridId: 100 + pair,
        recipientEcGridId: 200 + pair,
      };
    });
    const { eventIds } = await store.publishEvents(inputs, { now: Date.now() });
    // Fan-out order: each input's events, by callback id.
    eventIds.forEach((eventId, n) => keyOf.set(eventId, `${n % CALLBACKS}/${(done + Math.floor(n / CALLBACKS)) % PAIRS}`));
  }
  expect(keyOf.size).toBe(EVENTS);

  if (kill) {
    const [victim] = workers as [GridhookProcess];
    await waitFor('a quarter of the events delivered', () => delivered.size >= EVENTS / 4, 60_000);
    await waitFor('the worker to kill holding leases', async () => (await leasedTo(db, workerIdOf(victim))).length > 0, 20_000, 5);
    await killHard(victim);
    expect(delivered.size).toBeLessThan(EVENTS);
    workers.push(await startGridhook('worker', env));
  }

  await waitFor('every event delivered', () => delivered.size === EVENTS, 180_000, 200);
  for (const [key, ids] of firstSuccesses) {
    const outOfOrder = ids.findIndex((id, i) => i > 0 && id <= ids[i - 1]!);
    expect(outOfOrder, `key ${key}: ${ids.slice(Math.max(0, outOfOrder - 2), outOfOrder + 2).join(', ')}`).toBe(-1);
  }
  expect(firstSuccesses.size).toBe(KEYS);
  expect([...firstSuccesses.values()].map((ids) => ids.length)).toEqual(Array.from({ length: KEYS }, () => EVENTS / KEYS));
  expect(failures).toBeGreaterThan(0);
  const clean = await waitFor(
    'a clean queue',
    async () => {
      const state = await queueState(db);
      return state.Delivered === EVENTS && state.leased === 0 ? state : null;
    },
    15_000,
    100,
  );
  expect(clean).toEqual({ Pending: 0, Delivered: EVENTS, Failed: 0, Canceled: 0, leased: 0 });
  console.info(
    `[fifo] ${EVENTS} events, ${KEYS} keys, ${workerCount} worker(s)${kill ? ', one killed' : ''}: ${attempts} attempts, ` +
      `${failures} failed at random; ${Date.now() - started} ms`,
  );
}

const availability = await postgresAvailable();

describeWithPostgres('ordered delivery by three workers on PostgreSQL, through a kill', availability, () => {
  afterAll(dropTestDatabases);

  it(`delivers ${EVENTS} events across ${KEYS} keys in eventId order per key`, async () => {
    const database = await createTestDatabase();
    cleanup.push(() => database.drop());
    await deliverInOrder(database.url, tempDir(), 3, true);
  }, 300_000);
});

describe('ordered delivery on SQLite', () => {
  it(`delivers ${EVENTS} events across ${KEYS} keys in eventId order per key`, async () => {
    const dir = tempDir();
    await deliverInOrder(`sqlite:${path.join(dir, 'gridhook.db')}`, dir, 1, false);
  }, 300_000);
});
