/**
 * At-least-once at scale, under failure: three `gridhook worker` processes
 * deliver 10,000 events to a local receiver while one of them is killed with
 * SIGKILL mid-flight and started again and, on PostgreSQL, the database
 * connections of another are cut (pg_terminate_backend). Every event
 * arrives; of what arrives twice, only events the killed worker held leases
 * on (at most its delivery concurrency) are owed to the failures, and
 * anything else must be a retry of an attempt recorded as failed; the queue
 * ends clean: all Delivered, no lease left.
 *
 * On SQLite the workers share one database file; there is no connection to
 * cut there, so that scenario is the kill and restart alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/open-store.js';
import {
  alive,
  createCallbacks,
  DeliveryTally,
  describeWithPostgres,
  failedAttemptsByEvent,
  logEntries,
  openInspector,
  publishInBox,
  stopHoldingLeases,
  waitFor,
  waitForCleanQueue,
  workerIdOf,
} from './helpers/cluster.js';
import { adminQuery, createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';
import { killHard, startGridhook, stopGracefully, type GridhookProcess } from './helpers/process.js';
import { startReceiver } from './helpers/receiver.js';

const CALLBACKS = 10;
/** Each input fans out to every callback: 10,000 events. */
const INPUTS = 1_000;
const EVENTS = CALLBACKS * INPUTS;
const WORKERS = 3;
/** Attempts in flight at once in one worker: the most a kill can leave half done. */
const CONCURRENCY = 32;

/** What a test started, undone after it in reverse order whether it passed or not. */
const cleanup: (() => Promise<unknown> | void)[] = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function workerEnv(databaseUrl: string, dataDir: string, pollIntervalMs: number): Record<string, string> {
  return {
    GRIDHOOK_DATABASE_URL: databaseUrl,
    GRIDHOOK_DATA_DIR: dataDir,
    GRIDHOOK_ALLOW_PRIVATE_URLS: 'true',
    GRIDHOOK_DELIVERY_CONCURRENCY: String(CONCURRENCY),
    GRIDHOOK_PER_CALLBACK_CONCURRENCY: '16',
    // Generous for a 10 ms receiver, so that only a badly starved machine times out.
    GRIDHOOK_DELIVERY_TIMEOUT_MS: '5000',
    // Short, so that the killed worker's leases come back within the test.
    GRIDHOOK_LEASE_MS: '6000',
    GRIDHOOK_POLL_INTERVAL_MS: String(pollIntervalMs),
    GRIDHOOK_SHUTDOWN_GRACE_MS: '2000',
  };
}

interface Outcome {
  /** Events the killed worker held leases on when it died. */
  leasedAtKill: number;
  /** Events delivered again because the killed worker held them. */
  fromKill: number;
  /** Extra deliveries of attempts recorded as failed (timed out) that the receiver got anyway. */
  fromRetries: number;
  elapsedMs: number;
}

/**
 * The scenario on one database. `cut`, when given, cuts the database
 * connections of the worker it is handed once half the events have arrived,
 * and answers how many it cut.
 */
async function deliverThroughFailures(
  databaseUrl: string,
  dataDir: string,
  pollIntervalMs: number,
  cut?: (worker: GridhookProcess) => Promise<number>,
): Promise<Outcome> {
  const started = Date.now();
  const receiver = await startReceiver({ defaultReply: { status: 200, delayMs: 10 } });
  cleanup.push(() => receiver.close());
  const store = await openStore(databaseUrl, { applicationName: 'gridhook-test-publisher' });
  cleanup.push(() => store.close());
  await store.migrate();
  const db = await openInspector(databaseUrl);
  cleanup.push(() => db.close());
  const workers: GridhookProcess[] = [];
  cleanup.push(() => Promise.all(workers.filter(alive).map((worker) => stopGracefully(worker))));
  const tally = new DeliveryTally(receiver);

  await createCallbacks(store, Array.from({ length: CALLBACKS }, (_, i) => receiver.urlFor(`/hook-${i}`)));
  const env = workerEnv(databaseUrl, dataDir, pollIntervalMs);
  workers.push(...(await Promise.all(Array.from({ length: WORKERS }, () => startGridhook('worker', env)))));
  const [victim, severed] = workers as [GridhookProcess, GridhookProcess, GridhookProcess];
  const victimId = workerIdOf(victim);
  const severedId = workerIdOf(severed);

  const published = await publishInBox(store, INPUTS);
  expect(published).toHaveLength(EVENTS);

  await waitFor('a quarter of the events delivered', () => tally.unique >= EVENTS / 4, 25_000);
  const leasedAtKill = await stopHoldingLeases(db, victim, victimId);
  await killHard(victim);
  // A dead worker's leases stay as they were until they expire: exactly the
  // events it may have sent without recording.
  expect(leasedAtKill.size).toBeGreaterThan(0);
  expect(leasedAtKill.size).toBeLessThanOrEqual(CONCURRENCY);
  expect(tally.unique).toBeLessThan(EVENTS);
  workers.push(await startGridhook('worker', env));

  let cutAt = 0;
  if (cut) {
    await waitFor('half of the events delivered', () => tally.unique >= EVENTS / 2, 25_000);
    cutAt = Date.now();
    expect(await cut(severed)).toBeGreaterThan(0);
    expect(tally.unique).toBeLessThan(EVENTS);
  }

  await waitFor('every event delivered', () => tally.unique === EVENTS, 40_000, 100);
  const clean = await waitForCleanQueue(db, EVENTS);
  expect(clean).toEqual({ Pending: 0, Delivered: EVENTS, Failed: 0, Canceled: 0, leased: 0 });

  // What arrived is exactly what was published, each event under its own id.
  expect(tally.eventIds()).toEqual(new Set(published));
  const [withSuccess] = await db.rows<{ n: number | string }>(
    'SELECT count(DISTINCT event_id) AS n FROM attempts WHERE http_status = 200',
  );
  expect(Number(withSuccess?.n)).toBe(EVENTS);

  // Every extra delivery is explained: by a lease the killed worker held
  // (its attempts in flight), or by an attempt recorded as failed (a timeout
  // on a starved machine) whose request had reached the receiver after all.
  const failedAttempts = await failedAttemptsByEvent(db);
  let fromKill = 0;
  let fromRetries = 0;
  for (const [eventId, times] of tally.duplicated()) {
    const extra = times - 1;
    const retried = Math.min(extra, failedAttempts.get(eventId) ?? 0);
    fromRetries += retried;
    if (extra > retried) {
      expect(leasedAtKill.has(eventId)).toBe(true);
      expect(extra - retried).toBe(1);
      fromKill += 1;
    }
  }
  expect(fromKill + fromRetries).toBe(tally.requests - EVENTS);
  expect(fromKill).toBeLessThanOrEqual(leasedAtKill.size);
  expect(fromKill).toBeLessThanOrEqual(CONCURRENCY);

  if (cut) {
    // The worker whose connections were cut reconnected and went on delivering.
    const [after] = await db.rows<{ n: number | string }>(
      'SELECT count(*) AS n FROM attempts WHERE worker_id = ? AND started_at > ?',
      [severedId, cutAt],
    );
    expect(Number(after?.n)).toBeGreaterThan(0);
    expect(alive(severed)).toBe(true);
    expect(logEntries(severed).some((entry) => entry.msg === 'database connection lost; reconnecting')).toBe(true);
  }

  // Every worker still running stops cleanly.
  const survivors = workers.filter(alive);
  expect(survivors).toHaveLength(WORKERS);
  expect(await Promise.all(survivors.map((worker) => stopGracefully(worker)))).toEqual(survivors.map(() => 0));

  return { leasedAtKill: leasedAtKill.size, fromKill, fromRetries, elapsedMs: Date.now() - started };
}

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-scale-'));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function report(store: string, outcome: Outcome): void {
  console.info(
    `[scale] ${store}: ${EVENTS} events, ${WORKERS} workers; killed worker held ${outcome.leasedAtKill} leases, ` +
      `${outcome.fromKill} delivered twice because of the kill (in-flight capacity ${CONCURRENCY}), ` +
      `${outcome.fromRetries} more after timed-out attempts; ${outcome.elapsedMs} ms`,
  );
}

const availability = await postgresAvailable();

describeWithPostgres('several workers on PostgreSQL, through a kill and a cut connection', availability, () => {
  afterAll(dropTestDatabases);

  it(`delivers all ${EVENTS} events to a clean queue, sending twice only what the kill left in flight`, async () => {
    const database = await createTestDatabase();
    cleanup.push(() => database.drop());
    const name = new URL(database.url).pathname.slice(1);
    const outcome = await deliverThroughFailures(database.url, tempDir(), 1_000, async (worker) => {
      const pid = worker.child.pid as number;
      const { rows } = await adminQuery<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
         WHERE datname = $1 AND application_name IN ($2, $3) AND pg_terminate_backend(pid)`,
        [name, `gridhook-worker-${pid}`, `gridhook-worker-${pid}-listen`],
      );
      return rows.length;
    });
    report('PostgreSQL', outcome);
  }, 150_000);
});

describe('several workers on one SQLite file, through a kill', () => {
  it(`delivers all ${EVENTS} events to a clean queue, sending twice only what the kill left in flight`, async () => {
    const dir = tempDir();
    const outcome = await deliverThroughFailures(`sqlite:${path.join(dir, 'gridhook.db')}`, dir, 100);
    report('SQLite', outcome);
  }, 150_000);
});
