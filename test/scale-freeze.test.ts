/**
 * A worker that freezes past its leases and then resumes, on PostgreSQL: two
 * `gridhook worker` processes drain a queue; one is stopped (SIGSTOP) while
 * it holds leases, the other takes those events over once the leases have
 * expired, and then the frozen one is let go on (SIGCONT) with its old
 * attempts and results still in hand. Everything is delivered; what arrives
 * twice is only what the frozen worker held (each at most once more) or a
 * retry of an attempt recorded as failed; the queue ends clean and both stop
 * cleanly. That a late result cannot free the lease its event's new holder
 * has is the store's rule, proven on both stores by the conformance suite
 * ("a late Retry from a worker that lost its lease ...").
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { openStore } from '../src/store/open-store.js';
import {
  alive,
  createCallbacks,
  DeliveryTally,
  describeWithPostgres,
  failedAttemptsByEvent,
  leasedTo,
  openInspector,
  publishInBox,
  stopHoldingLeases,
  waitFor,
  waitForCleanQueue,
  workerIdOf,
} from './helpers/cluster.js';
import { createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';
import { startGridhook, stopGracefully, type GridhookProcess } from './helpers/process.js';
import { startReceiver } from './helpers/receiver.js';

const CALLBACKS = 5;
const INPUTS = 300;
const EVENTS = CALLBACKS * INPUTS;
const CONCURRENCY = 8;
const LEASE_MS = 2_000;

const cleanup: (() => Promise<unknown> | void)[] = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describeWithPostgres('a worker frozen past its leases on PostgreSQL', await postgresAvailable(), () => {
  afterAll(dropTestDatabases);

  it('resumes after the other worker took its events over, and sends twice only what it held', async () => {
    const database = await createTestDatabase();
    cleanup.push(() => database.drop());
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-freeze-'));
    cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const receiver = await startReceiver({ defaultReply: { status: 200, delayMs: 20 } });
    cleanup.push(() => receiver.close());
    const store = await openStore(database.url, { applicationName: 'gridhook-test-publisher' });
    cleanup.push(() => store.close());
    await store.migrate();
    const db = await openInspector(database.url);
    cleanup.push(() => db.close());
    await createCallbacks(store, Array.from({ length: CALLBACKS }, (_, i) => receiver.urlFor(`/hook-${i}`)));

    const env = {
      GRIDHOOK_DATABASE_URL: database.url,
      GRIDHOOK_DATA_DIR: dataDir,
      GRIDHOOK_ALLOW_PRIVATE_URLS: 'true',
      GRIDHOOK_DELIVERY_CONCURRENCY: String(CONCURRENCY),
      GRIDHOOK_DELIVERY_TIMEOUT_MS: '1500',
      GRIDHOOK_LEASE_MS: String(LEASE_MS),
      GRIDHOOK_POLL_INTERVAL_MS: '200',
      GRIDHOOK_SHUTDOWN_GRACE_MS: '2000',
    };
    const workers: GridhookProcess[] = [];
    cleanup.push(() =>
      Promise.all(
        workers.filter(alive).map((worker) => {
          worker.child.kill('SIGCONT');
          return stopGracefully(worker);
        }),
      ),
    );
    workers.push(...(await Promise.all([startGridhook('worker', env), startGridhook('worker', env)])));
    const [frozen] = workers as [GridhookProcess, GridhookProcess];
    const frozenId = workerIdOf(frozen);
    const tally = new DeliveryTally(receiver);

    const published = await publishInBox(store, INPUTS);
    expect(published).toHaveLength(EVENTS);
    await waitFor('a fifth of the events delivered', () => tally.unique >= EVENTS / 5, 25_000);

    const heldAtFreeze = await stopHoldingLeases(db, frozen, frozenId);
    expect(heldAtFreeze.size).toBeGreaterThan(0);
    expect(heldAtFreeze.size).toBeLessThanOrEqual(CONCURRENCY);

    // Past its leases, the other worker takes its events over and delivers them.
    await waitFor(
      "the frozen worker's events taken over",
      async () => (await leasedTo(db, frozenId)).every((id) => !heldAtFreeze.has(id)) && [...heldAtFreeze].every((id) => tally.eventIds().has(id)),
      20_000,
      100,
    );
    frozen.child.kill('SIGCONT');

    await waitFor('every event delivered', () => tally.unique === EVENTS, 40_000, 100);
    await waitForCleanQueue(db, EVENTS);
    expect(tally.eventIds()).toEqual(new Set(published));

    // Every extra delivery is one the frozen worker held, once more, or the retry of a failed attempt.
    const failedAttempts = await failedAttemptsByEvent(db);
    let fromFreeze = 0;
    for (const [eventId, times] of tally.duplicated()) {
      const extra = times - 1 - Math.min(times - 1, failedAttempts.get(eventId) ?? 0);
      if (extra === 0) continue;
      expect(heldAtFreeze.has(eventId), `event ${eventId} sent ${times} times`).toBe(true);
      expect(extra).toBe(1);
      fromFreeze += 1;
    }
    expect(fromFreeze).toBeLessThanOrEqual(heldAtFreeze.size);

    // Both went on, and both stop cleanly.
    expect(workers.every(alive)).toBe(true);
    expect(await Promise.all(workers.map((worker) => stopGracefully(worker)))).toEqual([0, 0]);
  }, 120_000);
});
