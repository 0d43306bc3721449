/**
 * A `gridhook api` process on PostgreSQL, as operators see it: /readyz
 * follows whether the database can be reached (503 while it cannot, 200 again
 * once it can) while /healthz only says the process is up; a lost
 * connection is logged, not fatal; a statement stuck past
 * GRIDHOOK_STATEMENT_TIMEOUT_MS is cancelled and answered with 503; the pool
 * never holds more connections than GRIDHOOK_POOL_SIZE.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, expect, it } from 'vitest';
import { alive, describeWithPostgres, logEntries, waitFor } from './helpers/cluster.js';
import { adminQuery, createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';
import { startGridhook, stopGracefully, type GridhookProcess } from './helpers/process.js';
import { call, ok } from './helpers/server.js';

const ADMIN_KEY = 'gh_ops_database_test_root_key_0123456789';
const POOL_SIZE = 2;
const STATEMENT_TIMEOUT_MS = 1_000;

const cleanup: (() => Promise<unknown> | void)[] = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const availability = await postgresAvailable();

describeWithPostgres('gridhook api on PostgreSQL, for operators', availability, () => {
  afterAll(dropTestDatabases);

  async function startApi(): Promise<{
    proc: GridhookProcess;
    api: { url: string; rootKey: string };
    database: string;
    url: string;
  }> {
    const database = await createTestDatabase();
    const name = new URL(database.url).pathname.slice(1);
    cleanup.push(async () => {
      await adminQuery(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await database.drop();
    });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-ops-db-'));
    cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const proc = await startGridhook('api', {
      GRIDHOOK_DATABASE_URL: database.url,
      GRIDHOOK_DATA_DIR: dataDir,
      GRIDHOOK_ADMIN_KEY: ADMIN_KEY,
      GRIDHOOK_ALLOW_PRIVATE_URLS: 'true',
      GRIDHOOK_POOL_SIZE: String(POOL_SIZE),
      GRIDHOOK_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
    });
    cleanup.push(() => (alive(proc) ? stopGracefully(proc) : undefined));
    return { proc, api: { url: proc.url as string, rootKey: ADMIN_KEY }, database: name, url: database.url };
  }

  it('answers /readyz 503 while the database cannot be reached and 200 again once it can', async () => {
    const { proc, api, database } = await startApi();
    const probe = (route: string) => call(api, 'GET', route, undefined, { key: null });
    expect(await probe('/readyz')).toMatchObject({ status: 200, body: { success: true, data: { status: 'ok' } } });

    // New connections refused and every open one cut: as good as a database gone.
    await adminQuery(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
    await adminQuery('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [database]);
    const down = await probe('/readyz');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ success: false, errorCode: 'ServiceUnavailable', data: null });
    expect(await probe('/healthz')).toMatchObject({ status: 200, body: { data: { status: 'ok' } } });
    expect((await call(api, 'POST', '/v2/callbacks/list', {})).status).toBe(503);

    await adminQuery(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
    await waitFor('/readyz to answer 200 again', async () => (await probe('/readyz')).status === 200, 10_000, 100);
    await ok(api, 'POST', '/v2/callbacks/list', {});

    // The cut pooled connection was reported through the process log, as a warning.
    const warned = logEntries(proc).filter((entry) => entry.msg === 'database connection lost; reconnecting');
    expect(warned.length).toBeGreaterThan(0);
    expect(warned.every((entry) => entry.level === 40)).toBe(true);
    expect(alive(proc)).toBe(true);
  }, 60_000);

  it('cancels a statement stuck past GRIDHOOK_STATEMENT_TIMEOUT_MS and answers 503 instead of hanging', async () => {
    const { api, url } = await startApi();
    await ok(api, 'POST', '/v2/callbacks/list', {});
    const locker = new pg.Client({ connectionString: url });
    locker.on('error', () => undefined);
    await locker.connect();
    cleanup.push(() => locker.end());
    // Holds every reader of the table up until it ends.
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE callbacks IN ACCESS EXCLUSIVE MODE');
    const startedAt = Date.now();
    const stuck = await call(api, 'POST', '/v2/callbacks/list', {});
    const waited = Date.now() - startedAt;
    expect(stuck.status).toBe(503);
    expect(stuck.body).toMatchObject({ success: false, errorCode: 'ServiceUnavailable' });
    expect(waited).toBeGreaterThanOrEqual(STATEMENT_TIMEOUT_MS - 100);
    expect(waited).toBeLessThan(STATEMENT_TIMEOUT_MS + 3_000);
    // Readiness does not depend on that table.
    expect((await call(api, 'GET', '/readyz', undefined, { key: null })).status).toBe(200);
    await locker.query('ROLLBACK');
    await ok(api, 'POST', '/v2/callbacks/list', {});
  }, 60_000);

  it('holds at most GRIDHOOK_POOL_SIZE connections however many requests arrive at once', async () => {
    const { proc, api, database } = await startApi();
    let peak = 0;
    const sample = async (): Promise<void> => {
      const { rows } = await adminQuery<{ n: string }>(
        'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = $2',
        [database, `gridhook-api-${proc.child.pid}`],
      );
      peak = Math.max(peak, Number(rows[0]?.n ?? 0));
    };
    const requests = Array.from({ length: 60 }, (_, i) =>
      ok(api, 'POST', '/v2/callbacks/create', { callBackUrl: `http://127.0.0.1:9/hook/${i}`, callBackEvent: 'InBox' }),
    );
    const sampling = (async () => {
      for (let i = 0; i < 20; i += 1) await sample();
    })();
    const created = await Promise.all(requests);
    await sampling;
    await sample();
    expect(created).toHaveLength(60);
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(POOL_SIZE);
  }, 60_000);
});
