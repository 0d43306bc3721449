/**
 * The PostgreSQL claim reads a few index entries per event it leases, not
 * the backlog, whatever the planner's statistics on events say: never
 * gathered (a bulk load autovacuum has not analyzed yet), or gathered when
 * the queue looked different. Without timing anything: the claim runs in a
 * transaction of its own, and pg_stat_get_xact_* count the rows and index
 * entries its scans of events returned.
 *
 * Skipped without a PostgreSQL server, like test/store-postgres.test.ts.
 */
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openPostgresStore, type PostgresStore } from '../src/store/postgres/postgres-store.js';
import {
  createTestDatabase,
  dropTestDatabases,
  eventsReadInTransaction,
  postgresAvailable,
  type TestDatabase,
} from './helpers/postgres.js';
import { LEASE_MS, newCallback, T0 } from './store-conformance/fixtures.js';

/** Big enough that reading it once is many times what a claim may read. */
const BACKLOG = 30_000;
/** What one claim of at most 100 events may read: a walk of 400, a few probes per callback and event. */
const MAX_READ = 3_000;

const availability = await postgresAvailable();

if (!availability.ok && process.env.CI !== 'true') {
  describe.skip(`PostgreSQL claim plans (skipped: ${availability.reason})`, () => {
    it('needs a PostgreSQL server (set GRIDHOOK_TEST_DATABASE_URL)', () => undefined);
  });
} else {
  describeClaimPlans();
}

function describeClaimPlans(): void {
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  afterAll(dropTestDatabases);

  interface Queue {
    client: pg.Client;
    busy: number;
    other: number;
    /** Adds events due from `dueAt` on, one per millisecond. */
    load(callbackId: number, count: number, dueAt: number, status?: 'Pending' | 'Delivered'): Promise<void>;
    /** Claims as a worker would; answers the jobs per callback and what the claim read of events. */
    claim(now: number): Promise<{ jobs: Map<number, number>; read: number }>;
  }

  async function queue(): Promise<Queue> {
    const db: TestDatabase = await createTestDatabase();
    const store: PostgresStore = openPostgresStore(db.url);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    cleanups.push(async () => {
      await client.end();
      await store.close();
      void db.drop();
    });
    const busy = (await store.createCallback(newCallback(), T0)).callbackId;
    const other = (await store.createCallback(newCallback({ eventType: 'OutBox' }), T0)).callbackId;
    // Only what each test analyzes itself.
    await client.query('ALTER TABLE events SET (autovacuum_enabled = false)');
    return {
      client,
      busy,
      other,
      async load(callbackId, count, dueAt, status = 'Pending') {
        await client.query(
          `INSERT INTO events (callback_id, event_type, network_id, mailbox_id, ecgrid_id, parcel_id, file_name,
                               status, max_attempts, next_attempt_at, created_at, finished_at)
           SELECT c.id, c.event_type, 1, 1, 0, g, 'parcel.edi', $4, 4,
                  CASE WHEN $4 = 'Pending' THEN $3::BIGINT + g END, $3::BIGINT + g,
                  CASE WHEN $4 = 'Pending' THEN NULL ELSE $3::BIGINT + g END
           FROM callbacks c CROSS JOIN generate_series(1, $2::INTEGER) g
           WHERE c.id = $1`,
          [callbackId, count, dueAt, status],
        );
      },
      async claim(now) {
        await client.query('BEGIN');
        try {
          const before = await eventsReadInTransaction(client);
          const rows = await client.query<{ callback_id: string }>(
            'SELECT callback_id FROM claim_events($1, $2, $3, $4, $5, FALSE)',
            ['w', now, now + LEASE_MS, 100, 16],
          );
          const read = (await eventsReadInTransaction(client)) - before;
          await client.query('COMMIT');
          const jobs = new Map<number, number>();
          for (const row of rows.rows) jobs.set(Number(row.callback_id), (jobs.get(Number(row.callback_id)) ?? 0) + 1);
          return { jobs, read };
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      },
    };
  }

  describe('PostgreSQL claim plans', () => {
    it('reads a few entries per leased event of a bulk load never analyzed, then at the cap', async () => {
      const q = await queue();
      await q.load(q.busy, BACKLOG, T0 - 600_000);
      await q.load(q.other, 20, T0 - 1_000);

      const first = await q.claim(T0);
      expect(first.jobs).toEqual(
        new Map([
          [q.busy, 16],
          [q.other, 16],
        ]),
      );
      expect(first.read).toBeLessThan(MAX_READ);

      // Both callbacks at their cap: the walk cannot settle it, so every
      // callback with Pending events is looked at.
      const atCap = await q.claim(T0);
      expect(atCap.jobs.size).toBe(0);
      expect(atCap.read).toBeLessThan(MAX_READ);
    });

    it('reads a few entries per leased event right after a bulk load of 1,000,000 events, before ANALYZE', { timeout: 180_000 }, async () => {
      const q = await queue();
      await q.load(q.busy, 1_000_000, T0 - 2_000_000);
      await q.load(q.other, 20, T0 - 1_000);

      // Several claims: the plans stay generic whatever the planner learns along the way.
      for (let i = 0; i < 6; i++) {
        const { jobs, read } = await q.claim(T0 + i);
        expect(jobs).toEqual(
          i === 0
            ? new Map([
                [q.busy, 16],
                [q.other, 16],
              ])
            : new Map(),
        );
        expect(read).toBeLessThan(MAX_READ);
      }
    });

    it('reads a few entries per leased event when analyzed before another callback queued behind the backlog', async () => {
      const q = await queue();
      await q.load(q.busy, BACKLOG, T0 - 600_000);
      await q.client.query('ANALYZE events');
      await q.load(q.other, 20, T0 - 1_000);

      const { jobs, read } = await q.claim(T0);
      expect(jobs.get(q.other)).toBe(16);
      expect(read).toBeLessThan(MAX_READ);
    });

    it('reads a few entries per leased event when analyzed while nothing was Pending', async () => {
      const q = await queue();
      await q.load(q.busy, BACKLOG, T0 - 86_400_000, 'Delivered');
      await q.client.query('ANALYZE events');
      await q.load(q.busy, BACKLOG, T0 - 600_000);
      await q.load(q.other, 20, T0 - 1_000);

      const first = await q.claim(T0);
      expect(first.jobs.get(q.busy)).toBe(16);
      expect(first.jobs.get(q.other)).toBe(16);
      expect(first.read).toBeLessThan(MAX_READ);

      const atCap = await q.claim(T0);
      expect(atCap.jobs.size).toBe(0);
      expect(atCap.read).toBeLessThan(MAX_READ);
    });
  });
}
