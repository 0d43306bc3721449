/**
 * Backup and restore on PostgreSQL with the commands docs/operations.md gives:
 * `pg_dump --format=custom` while a real `gridhook serve` takes and delivers
 * events, then, with gridhook stopped, `pg_restore --clean --if-exists
 * --no-owner --single-transaction` into the same database. gridhook starts on
 * the restored database as it was at the dump: the events and attempt logs of
 * then, none made after, the schema current, the sequences past every restored
 * ID, and callback credentials still sealed with the data dir's key.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { describeWithPostgres } from './helpers/cluster.js';
import { createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';
import { CLI, startGridhook, stopGracefully, type GridhookProcess } from './helpers/process.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { eventually, ok } from './helpers/server.js';

const run = promisify(execFile);
const ROOT_KEY = 'gh_pg_dump_test_root_key_0123456789abcdef';

const availability = await postgresAvailable();
describeWithPostgres('pg_dump and pg_restore round trip', availability, () => {
  const cleanup: (() => unknown)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
    await dropTestDatabases();
  });

  it('restores the database as it was at the dump, and gridhook delivers on it', async () => {
    const database = await createTestDatabase();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-pg-dump-'));
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const receiver: Receiver = await startReceiver();
    cleanup.push(() => receiver.close());
    const env = {
      GRIDHOOK_DATABASE_URL: database.url,
      GRIDHOOK_DATA_DIR: dir,
      GRIDHOOK_ADMIN_KEY: ROOT_KEY,
      GRIDHOOK_ALLOW_PRIVATE_URLS: 'true',
      GRIDHOOK_POLL_INTERVAL_MS: '100',
    };
    let serving: GridhookProcess = await startGridhook('serve', env);
    cleanup.push(() => (serving.child.exitCode === null ? stopGracefully(serving) : undefined));
    const api = () => ({ url: serving.url as string, rootKey: ROOT_KEY });

    const callback = await ok(api(), 'POST', '/v2/callbacks/create', {
      callBackUrl: receiver.urlFor('/hook'),
      callBackEvent: 'InBox',
      basicAuth: { user: 'partner', password: 'sealed-at-rest' },
    });
    const publish = async (count: number) =>
      (
        await ok(api(), 'POST', '/v2/callbacks/events/publish', {
          events: Array.from({ length: count }, (_, i) => ({ callBackEvent: 'InBox', mailboxId: 1, fileName: `f${i}.edi` })),
        })
      ).eventIds as number[];
    const before = await publish(20);
    await receiver.waitForRequests(20, { path: '/hook' });
    // The receiver sees a request before its result is recorded: the dump must hold every result.
    const settled = await eventually(async () => {
      const events = await Promise.all(before.map((id) => ok(api(), 'GET', `/v2/callbacks/events/${id}`)));
      return events.every((e) => e.status === 'Delivered') ? events : null;
    });
    const delivered = settled[0];

    const dump = path.join(dir, 'gridhook.dump');
    await run('pg_dump', ['--format=custom', `--file=${dump}`, database.url]);
    const after = await publish(5);
    await receiver.waitForRequests(25, { path: '/hook' });
    await stopGracefully(serving);

    await run('pg_restore', ['--clean', '--if-exists', '--no-owner', '--single-transaction', `--dbname=${database.url}`, dump]);
    const migrated = await run(process.execPath, [CLI, 'migrate'], { env: { ...process.env, ...env } });
    expect(migrated.stdout).toMatch(/up to date/);

    serving = await startGridhook('serve', env);
    const restored = await ok(api(), 'GET', `/v2/callbacks/events/${before[0]}`);
    expect(restored).toMatchObject({ eventId: before[0], webhookId: delivered.webhookId, status: 'Delivered' });
    expect(restored.attemptLog).toHaveLength(1);
    const listed = await ok(api(), 'POST', '/v2/callbacks/queue-list', {
      callBackQueueId: callback.callBackQueueId,
      recordsPerPage: 100,
    });
    const ids = (listed.events as { eventId: number }[]).map((e) => e.eventId);
    expect(ids.sort((a, b) => a - b)).toEqual([...before].sort((a, b) => a - b));
    for (const gone of after) expect(ids).not.toContain(gone);

    const [fresh] = await publish(1);
    expect(fresh).toBeGreaterThan(Math.max(...before));
    const sent = await eventually(async () => {
      const event = await ok(api(), 'GET', `/v2/callbacks/events/${fresh}`);
      return event.status === 'Delivered' ? event : null;
    });
    const request = receiver.requestsTo('/hook').find((r) => r.headers['webhook-id'] === sent.webhookId);
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from('partner:sealed-at-rest').toString('base64')}`);
  }, 120_000);
});
