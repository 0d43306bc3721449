/**
 * A connection's plans follow the tables' growth: a pooled connection that
 * planned the result write while events held three rows drops that plan once
 * it is older than the lifetime, and the write then reads a few entries per
 * result, not the 30,000 events queued since. Counted, not timed: each write
 * runs in a transaction of its own, and pg_stat_get_xact_* count what its
 * scans of events returned.
 *
 * Skipped without a PostgreSQL server, like test/store-postgres.test.ts.
 */
import pg from 'pg';
import { afterAll, afterEach, expect, it } from 'vitest';
import { openPostgresStore } from '../src/store/postgres/postgres-store.js';
import { refreshPlans } from '../src/store/postgres/plan-refresh.js';
import { describeWithPostgres } from './helpers/cluster.js';
import { createTestDatabase, dropTestDatabases, eventsReadInTransaction, postgresAvailable } from './helpers/postgres.js';
import { newCallback, T0 } from './store-conformance/fixtures.js';

const BACKLOG = 30_000;
/** What a write of 16 results may read: a few probes per result. */
const MAX_READ = 200;
const LIFETIME_MS = 300;

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describeWithPostgres('PostgreSQL plans that follow the tables', await postgresAvailable(), () => {
  afterAll(dropTestDatabases);

  /** A one-connection pool that planned the result write on three events, then 30,000 more queued. */
  async function plannedSmall(lifetimeMs: number) {
    const db = await createTestDatabase();
    const store = openPostgresStore(db.url);
    const callbackId = (await store.createCallback(newCallback(), T0)).callbackId;
    await store.close();
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    cleanups.push(async () => {
      await pool.end();
      void db.drop();
    });
    refreshPlans(pool, lifetimeMs);
    const load = (from: number, count: number) =>
      pool.query(
        `INSERT INTO events (callback_id, event_type, network_id, mailbox_id, ecgrid_id, parcel_id, file_name,
                             status, max_attempts, next_attempt_at, created_at)
         SELECT $1, 'InBox', 1, 1, 0, g, 'parcel.edi', 'Pending', 4, g, g FROM generate_series($2::INTEGER, $3::INTEGER) g`,
        [callbackId, from, from + count - 1],
      );
    await pool.query('ALTER TABLE events SET (autovacuum_enabled = false)');
    await load(1, 3);
    const ids = async (count: number) =>
      (await pool.query<{ id: string }>(`SELECT id FROM events WHERE attempts = 0 ORDER BY id LIMIT $1`, [count])).rows.map((row) =>
        Number(row.id),
      );
    /** Records a failed attempt for each event; answers what the write read of events. */
    const record = async (eventIds: number[]): Promise<number> => {
      const client = await pool.connect();
      const each = <T>(value: T) => eventIds.map(() => value);
      try {
        await client.query('BEGIN');
        const before = await eventsReadInTransaction(client);
        await client.query('SELECT record_attempts($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)', [
          eventIds,
          each('w'),
          each(T0),
          each(20),
          each(500),
          each('HTTP 500'),
          each('Retry'),
          each(T0 + 3_600_000),
          each(null),
          each(null),
          each(null),
          each(null),
        ]);
        const read = (await eventsReadInTransaction(client)) - before;
        await client.query('COMMIT');
        return read;
      } finally {
        client.release();
      }
    };
    expect(await record(await ids(3))).toBeLessThan(MAX_READ);
    await load(4, BACKLOG);
    return { ids, record };
  }

  it('keeps a plan made on three events while it is young, whatever it reads', async () => {
    const { ids, record } = await plannedSmall(60_000);
    // The plan this test is about: without a new one, a write reads the backlog.
    expect(await record(await ids(16))).toBeGreaterThan(BACKLOG);
  });

  it('plans the write again from the grown table once the plan is older than its lifetime', async () => {
    const { ids, record } = await plannedSmall(LIFETIME_MS);
    await new Promise((resolve) => setTimeout(resolve, LIFETIME_MS + 50));
    for (let i = 0; i < 3; i++) expect(await record(await ids(16))).toBeLessThan(MAX_READ);
  });
});
