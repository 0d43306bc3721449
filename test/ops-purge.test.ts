/**
 * Retention: delivered events, with their attempts, are deleted once older
 * than GRIDHOOK_RETENTION_DAYS, in bounded batches, by processes with the
 * worker role: at start, then every interval, until they stop. Everything
 * else (Pending, Failed, recent deliveries) stays.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { PurgeJob } from '../src/delivery/purge-job.js';
import { createLogger, type Logger } from '../src/logger.js';
import { openPostgresStore } from '../src/store/postgres/postgres-store.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { alive, describeWithPostgres, logEntries, waitFor, withStore } from './helpers/cluster.js';
import { createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';
import { startGridhook, stopGracefully, type GridhookProcess } from './helpers/process.js';
import { attempt, claimAll, newCallback, publishTo, sleep, T0 } from './store-conformance/fixtures.js';

const DAY_MS = 24 * 60 * 60 * 1000;

const cleanup: (() => Promise<unknown> | void)[] = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-purge-'));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A logger whose entries the test can read. */
function capturingLogger(): { logger: Logger; entries: Record<string, unknown>[] } {
  const entries: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) entries.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger('info', sink), entries };
}

interface PurgeCall {
  before: number;
  limit: number;
  deleted: number;
}

function describePurgeOn(name: string, open: () => Promise<Store>): void {
  it(`${name}: purges finished events past retention in batches, at start and every interval, until stopped`, async () => {
    const store = await open();
    cleanup.push(() => store.close());
    await store.migrate();
    const callback = await store.createCallback(newCallback(), T0);
    await publishTo(store, callback.callbackId, 8, T0);
    const jobs = await claimAll(store, 'w', T0);
    expect(jobs).toHaveLength(8);
    const old = jobs.slice(0, 5);
    const [failed, recent, pending] = [jobs[5]!, jobs[6]!, jobs[7]!];
    await store.recordAttempts([
      ...old.map((job) => attempt(job, 'Delivered')),
      attempt(failed, 'Failed', { startedAt: T0 + 20 * DAY_MS }),
      attempt(recent, 'Delivered', { startedAt: T0 + 20 * DAY_MS }),
    ]);

    const calls: PurgeCall[] = [];
    const counting = {
      async purgeFinishedEvents(before: number, limit: number) {
        const deleted = await store.purgeFinishedEvents(before, limit);
        calls.push({ before, limit, deleted });
        return deleted;
      },
      purgeIdempotencyKeys: (before: number, limit: number) => store.purgeIdempotencyKeys(before, limit),
    };
    const clock = { now: () => T0 + 31 * DAY_MS };
    const { logger, entries } = capturingLogger();
    const job = new PurgeJob({ store: counting, logger, clock, retentionDays: 30, intervalMs: 100, batchSize: 2, pauseMs: 1 });
    cleanup.push(() => job.stop());
    job.start();

    // At start: the five old deliveries, two at a time.
    await waitFor('the first run', () => calls.length >= 3, 5_000, 5);
    expect(calls.slice(0, 3)).toEqual([
      { before: T0 + DAY_MS, limit: 2, deleted: 2 },
      { before: T0 + DAY_MS, limit: 2, deleted: 2 },
      { before: T0 + DAY_MS, limit: 2, deleted: 1 },
    ]);
    for (const gone of old) {
      expect(await store.getEvent(gone.eventId)).toBeNull();
      expect(await store.listAttempts(gone.eventId)).toEqual([]);
    }
    expect((await store.getEvent(failed.eventId))?.status).toBe('Failed');
    expect((await store.getEvent(recent.eventId))?.status).toBe('Delivered');
    expect(await store.listAttempts(recent.eventId)).toHaveLength(1);
    expect((await store.getEvent(pending.eventId))?.status).toBe('Pending');
    expect(entries.find((entry) => entry.msg === 'purged finished events past retention')).toMatchObject({ purged: 5 });

    // A later run, once the recent delivery has aged past retention too.
    clock.now = () => T0 + 51 * DAY_MS;
    await waitFor('the recent delivery purged', async () => (await store.getEvent(recent.eventId)) === null, 5_000, 10);
    await waitFor('the failed event purged', async () => (await store.getEvent(failed.eventId)) === null, 5_000, 10);

    await job.stop();
    const runs = calls.length;
    await store.recordAttempts([attempt(pending, 'Delivered')]);
    await sleep(300);
    expect(calls).toHaveLength(runs);
    expect((await store.getEvent(pending.eventId))?.status).toBe('Delivered');
  });
}

describe('purge job', () => {
  describePurgeOn('SQLite', async () => openSqliteStore(path.join(tempDir(), 'gridhook.db')));

  /** A store with `backlog` purgeable events, deleting at most `limit` a call. */
  function fakeStore(backlog: number, failFirst = false) {
    const calls: number[] = [];
    let left = backlog;
    let failing = failFirst;
    return {
      calls,
      store: {
        async purgeIdempotencyKeys() {
          return 0;
        },
        async purgeFinishedEvents(_before: number, limit: number) {
          calls.push(Date.now());
          if (failing) {
            failing = false;
            throw new Error('database unavailable');
          }
          const deleted = Math.min(left, limit);
          left -= deleted;
          return deleted;
        },
      },
    };
  }

  it('does nothing when retention is 0', async () => {
    const fake = fakeStore(10);
    const job = new PurgeJob({ store: fake.store, logger: createLogger('silent'), retentionDays: 0, intervalMs: 10 });
    expect(job.enabled).toBe(false);
    job.start();
    expect(await job.run()).toBe(0);
    await sleep(50);
    await job.stop();
    expect(fake.calls).toEqual([]);
  });

  it('ends a run between batches when stopped, without waiting out the pause', async () => {
    const fake = fakeStore(100_000);
    const job = new PurgeJob({
      store: fake.store,
      logger: createLogger('silent'),
      retentionDays: 30,
      batchSize: 1_000,
      pauseMs: 10_000,
    });
    job.start();
    await waitFor('the first batch', () => fake.calls.length === 1, 1_000, 5);
    const stopping = Date.now();
    await job.stop();
    expect(Date.now() - stopping).toBeLessThan(1_000);
    await sleep(50);
    expect(fake.calls).toHaveLength(1);
  });

  it('while the process delivers, pauses after each batch long enough that the purge takes at most its share of the time', async () => {
    let delivering = true;
    const starts: number[] = [];
    let left = 6_000;
    const store = {
      async purgeIdempotencyKeys() {
        return 0;
      },
      async purgeFinishedEvents(_before: number, limit: number) {
        starts.push(performance.now());
        await sleep(60);
        const deleted = Math.min(left, limit);
        left -= deleted;
        // Half way through the deliveries end: the pauses shrink back to pauseMs.
        if (left === 3_000) delivering = false;
        return deleted;
      },
    };
    const job = new PurgeJob({
      store,
      logger: createLogger('silent'),
      retentionDays: 1,
      batchSize: 1_000,
      pauseMs: 0,
      delivering: () => delivering,
      shareWhileDelivering: 0.1,
    });
    expect(await job.run()).toBe(6_000);
    const gaps = starts.slice(1).map((start, i) => start - starts[i]!);
    // A batch of 60 ms at a 10% share is followed by 540 ms of pause: 600 ms from start to start.
    for (const gap of gaps.slice(0, 2)) expect(gap).toBeGreaterThanOrEqual(590);
    for (const gap of gaps.slice(2)) expect(gap).toBeLessThan(450);
    expect(gaps).toHaveLength(6);
    expect(() => new PurgeJob({ store, logger: createLogger('silent'), retentionDays: 1, shareWhileDelivering: 0 })).toThrow(
      /shareWhileDelivering/,
    );
  });

  it('reports a failed run and tries again at the next interval', async () => {
    const fake = fakeStore(3, true);
    const { logger, entries } = capturingLogger();
    const job = new PurgeJob({ store: fake.store, logger, retentionDays: 1, intervalMs: 50, batchSize: 2, pauseMs: 0 });
    cleanup.push(() => job.stop());
    job.start();
    await waitFor('the purge after the failure', () => entries.some((entry) => entry.purged === 3), 5_000, 5);
    expect(entries[0]).toMatchObject({ level: 50, msg: 'purging finished events failed; the next run tries again' });
    // The failed call, then two batches of the next run.
    expect(fake.calls.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses settings it cannot keep', () => {
    const store = fakeStore(0).store;
    const logger = createLogger('silent');
    expect(() => new PurgeJob({ store, logger, retentionDays: -1 })).toThrow(/retentionDays/);
    expect(() => new PurgeJob({ store, logger, retentionDays: 30, batchSize: 0 })).toThrow(/batchSize/);
    expect(() => new PurgeJob({ store, logger, retentionDays: 30, intervalMs: 0.5 })).toThrow(/intervalMs/);
  });
});

describe('the retention setting', () => {
  it('defaults to 30 days, reads GRIDHOOK_RETENTION_DAYS and --retention-days, and allows 0', () => {
    expect(loadConfig({}, {}).retentionDays).toBe(30);
    expect(loadConfig({}, { GRIDHOOK_RETENTION_DAYS: '7' }).retentionDays).toBe(7);
    expect(loadConfig({ 'retention-days': '90' }, { GRIDHOOK_RETENTION_DAYS: '7' }).retentionDays).toBe(90);
    expect(loadConfig({}, { GRIDHOOK_RETENTION_DAYS: '0' }).retentionDays).toBe(0);
    expect(() => loadConfig({}, { GRIDHOOK_RETENTION_DAYS: '-1' })).toThrow(/GRIDHOOK_RETENTION_DAYS/);
    expect(() => loadConfig({}, { GRIDHOOK_RETENTION_DAYS: 'a month' })).toThrow(/GRIDHOOK_RETENTION_DAYS/);
  });
});

describe('gridhook processes and retention', () => {
  it('runs in worker processes only, and only when retention is on', async () => {
    const dataDir = tempDir();
    const databaseUrl = `sqlite:${path.join(dataDir, 'gridhook.db')}`;
    const longAgo = Date.now() - 40 * DAY_MS;
    const { oldIds, recentIds } = await withStore(databaseUrl, async (store) => {
      const callback = await store.createCallback(newCallback({ url: 'http://127.0.0.1:9/hook' }), longAgo);
      const deliver = async (count: number, at: number) => {
        await publishTo(store, callback.callbackId, count, at);
        const jobs = await claimAll(store, 'seed', at);
        await store.recordAttempts(jobs.map((job) => attempt(job, 'Delivered', { startedAt: at })));
        return jobs.map((job) => job.eventId);
      };
      return { oldIds: await deliver(5, longAgo), recentIds: await deliver(3, Date.now()) };
    });
    const env = { GRIDHOOK_DATABASE_URL: databaseUrl, GRIDHOOK_DATA_DIR: dataDir, GRIDHOOK_RETENTION_DAYS: '30' };
    const processes: GridhookProcess[] = [];
    cleanup.push(() => Promise.all(processes.filter(alive).map((proc) => stopGracefully(proc))));
    const count = () => withStore(databaseUrl, async (store) => {
      const present = await Promise.all([...oldIds, ...recentIds].map((id) => store.getEvent(id)));
      return present.filter(Boolean).length;
    });

    processes.push(
      ...(await Promise.all([
        startGridhook('api', { ...env, GRIDHOOK_ADMIN_KEY: 'gh_ops_purge_test_root_key_0123456789' }),
        startGridhook('worker', { ...env, GRIDHOOK_RETENTION_DAYS: '0' }),
      ])),
    );
    await sleep(500);
    expect(await count()).toBe(8);

    const worker = await startGridhook('worker', env);
    processes.push(worker);
    const purged = await waitFor(
      'the purge logged',
      () => logEntries(worker).find((entry) => entry.msg === 'purged finished events past retention'),
      10_000,
    );
    expect(purged).toMatchObject({ purged: 5 });
    expect(await count()).toBe(3);
    for (const proc of processes.splice(0)) expect(await stopGracefully(proc)).toBe(0);
  }, 60_000);
});

const availability = await postgresAvailable();

describeWithPostgres('purge job on PostgreSQL', availability, () => {
  afterAll(dropTestDatabases);
  describePurgeOn('PostgreSQL', async () => {
    const database = await createTestDatabase();
    cleanup.push(() => database.drop());
    return openPostgresStore(database.url);
  });
});
