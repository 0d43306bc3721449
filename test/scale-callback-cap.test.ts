/**
 * The per-callback cap holds across workers, under load: four `gridhook
 * worker` processes on one PostgreSQL database drain two callbacks whose
 * receiver takes a while to answer, and the receiver, counting the requests
 * it holds for each callback at once, never sees more than the cap, while
 * every event is delivered. Each worker sends at most three at a time, so
 * the cap is reached only by workers together, and the four together could
 * send three times the cap to one callback: only the cap shared through the
 * database keeps the count down.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, expect, it } from 'vitest';
import { openStore } from '../src/store/open-store.js';
import { alive, createCallbacks, DeliveryTally, describeWithPostgres, publishInBox, waitFor } from './helpers/cluster.js';
import { createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';
import { startGridhook, stopGracefully, type GridhookProcess } from './helpers/process.js';
import { startReceiver } from './helpers/receiver.js';

const WORKERS = 4;
const CAP = 4;
/** Each worker's delivery concurrency: less than the cap, so no worker reaches it alone. */
const PER_WORKER = 3;
const PATHS = ['/first', '/second'];
/** Each input fans out to both callbacks. */
const INPUTS = 300;
const ANSWER_MS = 15;

const cleanup: (() => Promise<unknown> | void)[] = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describeWithPostgres('the per-callback cap across workers on PostgreSQL', await postgresAvailable(), () => {
  afterAll(dropTestDatabases);

  it(`never lets the receiver hold more than ${CAP} requests of one callback at once, from ${WORKERS} workers`, async () => {
    const database = await createTestDatabase();
    cleanup.push(() => database.drop());
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-cap-'));
    cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));

    // Counted when a request has arrived and until its answer is sent; the
    // worker's lease (and its share of the cap) outlasts both.
    const held = new Map<string, number>();
    const most = new Map<string, number>();
    const receiver = await startReceiver({
      defaultReply: (request) => {
        const now = (held.get(request.path) ?? 0) + 1;
        held.set(request.path, now);
        most.set(request.path, Math.max(most.get(request.path) ?? 0, now));
        setTimeout(() => held.set(request.path, held.get(request.path)! - 1), ANSWER_MS);
        return { status: 200, delayMs: ANSWER_MS };
      },
    });
    cleanup.push(() => receiver.close());

    const store = await openStore(database.url, { applicationName: 'gridhook-test-publisher' });
    cleanup.push(() => store.close());
    await store.migrate();
    await createCallbacks(store, PATHS.map((p) => receiver.urlFor(p)));

    const env = {
      GRIDHOOK_DATABASE_URL: database.url,
      GRIDHOOK_DATA_DIR: dataDir,
      GRIDHOOK_ALLOW_PRIVATE_URLS: 'true',
      GRIDHOOK_DELIVERY_CONCURRENCY: String(PER_WORKER),
      GRIDHOOK_PER_CALLBACK_CONCURRENCY: String(CAP),
      GRIDHOOK_POLL_INTERVAL_MS: '200',
    };
    const workers: GridhookProcess[] = [];
    cleanup.push(() => Promise.all(workers.filter(alive).map((worker) => stopGracefully(worker))));
    workers.push(...(await Promise.all(Array.from({ length: WORKERS }, () => startGridhook('worker', env)))));

    const tally = new DeliveryTally(receiver);
    await publishInBox(store, INPUTS, 25);
    await waitFor('every event delivered', () => tally.unique >= INPUTS * PATHS.length, 60_000);

    for (const p of PATHS) {
      expect(most.get(p), `most requests of ${p} held at once`).toBeLessThanOrEqual(CAP);
      expect(most.get(p)).toBeGreaterThanOrEqual(2);
    }
    // More than one worker delivered.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>('SELECT count(DISTINCT worker_id)::INTEGER AS n FROM attempts');
      expect(rows[0]?.n, 'workers that recorded attempts').toBeGreaterThan(1);
    } finally {
      await client.end();
    }
  }, 120_000);
});
