/**
 * The live stream reads the store, not the process it runs in: a real
 * `gridhook api` streams the attempts a separate `gridhook worker` records
 * (SQLite file and PostgreSQL). And on PostgreSQL, where an ID is taken before
 * its transaction commits, an event whose transaction commits after a later
 * one's still reaches the stream.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { describeWithPostgres } from './helpers/cluster.js';
import { openStream, type OpenStream } from './helpers/event-stream.js';
import { createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';
import { startGridhook, stopGracefully, type GridhookProcess } from './helpers/process.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { ok, startTestServer, type TestServer } from './helpers/server.js';

const ADMIN_KEY = 'gh_event_stream_test_root_key_0123456789';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function apartSuite(databaseUrl: () => Promise<string>): void {
  it('streams from an API process the attempts a separate worker process records', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-stream-'));
    cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const env = {
      GRIDHOOK_DATABASE_URL: (await databaseUrl()).replace('<dir>', dataDir),
      GRIDHOOK_DATA_DIR: dataDir,
      GRIDHOOK_ADMIN_KEY: ADMIN_KEY,
      GRIDHOOK_ALLOW_PRIVATE_URLS: 'true',
      GRIDHOOK_POLL_INTERVAL_MS: '100',
    };
    const receiver = await startReceiver();
    cleanup.push(() => receiver.close());
    const api: GridhookProcess = await startGridhook('api', env);
    cleanup.push(() => stopGracefully(api));
    const worker = await startGridhook('worker', env);
    cleanup.push(() => stopGracefully(worker));
    const target = { url: api.url as string, rootKey: ADMIN_KEY };

    await ok(target, 'POST', '/v2/callbacks/create', { callBackUrl: receiver.urlFor('/apart'), callBackEvent: 'InBox' });
    const stream = await openStream(target.url, { headers: { 'x-api-key': ADMIN_KEY } });
    cleanup.push(() => stream.close());
    const published = await ok(target, 'POST', '/v2/callbacks/events/publish', {
      events: [{ callBackEvent: 'InBox', networkId: 1, mailboxId: 1, ecGridId: 0 }],
    });
    const [eventId] = published.eventIds as number[];
    await stream.waitFor((m) => m.event === 'event' && m.data.eventId === eventId);
    const attempt = await stream.waitFor((m) => m.event === 'attempt' && m.data.eventId === eventId, 20_000);
    expect(attempt.data).toMatchObject({ attempt: { httpStatus: 200 }, event: { status: 'Delivered' } });
    expect(receiver.requestsTo('/apart').length).toBe(1);
  }, 60_000);
}

describe('the live stream with the API and the worker apart, on SQLite', () =>
  apartSuite(async () => 'sqlite:<dir>/gridhook.db'));

const availability = await postgresAvailable();
describeWithPostgres('the live stream on PostgreSQL', availability, () => {
  afterAll(() => dropTestDatabases());

  apartSuite(async () => (await createTestDatabase()).url);

  it('streams an event whose transaction commits after a later event', async () => {
    const database = await createTestDatabase();
    const server: TestServer = await startTestServer({ databaseUrl: database.url });
    cleanup.push(() => server.close());
    const receiver = await startReceiver();
    cleanup.push(() => receiver.close());
    const callback = await ok(server, 'POST', '/v2/callbacks/create', {
      callBackUrl: receiver.urlFor('/late'),
      callBackEvent: 'InBox',
    });
    const stream: OpenStream = await openStream(server.url, { headers: { 'x-api-key': server.rootKey } });
    cleanup.push(() => stream.close());

    const held = new pg.Client({ connectionString: database.url });
    await held.connect();
    cleanup.push(() => held.end());
    await held.query('BEGIN');
    const inserted = await held.query<{ id: string }>(
      `INSERT INTO events (callback_id, event_type, network_id, mailbox_id, ecgrid_id, status, max_attempts, created_at, finished_at)
       VALUES ($1, 'InBox', 1, 1, 0, 'Canceled', 1, $2, $2) RETURNING id`,
      [callback.callBackQueueId, Date.now()],
    );
    const lateId = Number(inserted.rows[0]?.id);

    const published = await ok(server, 'POST', '/v2/callbacks/events/publish', {
      events: [{ callBackEvent: 'InBox', networkId: 1, mailboxId: 1, ecGridId: 0 }],
    });
    const [laterId] = published.eventIds as number[];
    expect(laterId).toBeGreaterThan(lateId);
    await stream.waitFor((m) => m.event === 'event' && m.data.eventId === laterId);
    expect(stream.messages.some((m) => m.event === 'event' && m.data.eventId === lateId)).toBe(false);

    await held.query('COMMIT');
    const late = await stream.waitFor((m) => m.event === 'event' && m.data.eventId === lateId);
    expect(late.data).toMatchObject({ eventId: lateId, status: 'Canceled' });
  }, 60_000);
});
