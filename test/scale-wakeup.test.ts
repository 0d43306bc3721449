/**
 * Roles apart on PostgreSQL: an event published through a `gridhook api`
 * process wakes an idle `gridhook worker` process at once (LISTEN/NOTIFY),
 * long before the worker's own poll would have found it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { alive, describeWithPostgres, openInspector, waitForListener, workerIdOf } from './helpers/cluster.js';
import { createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';
import { startGridhook, stopGracefully, type GridhookProcess } from './helpers/process.js';
import { startReceiver } from './helpers/receiver.js';
import { ok } from './helpers/server.js';

const ADMIN_KEY = 'gh_scale_wakeup_test_root_key_0123456789';
const POLL_INTERVAL_MS = 30_000;
/** Far below the poll interval, with room for a loaded machine. */
const WAKE_BOUND_MS = 3_000;

const cleanup: (() => Promise<unknown> | void)[] = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const availability = await postgresAvailable();

describeWithPostgres('roles apart on PostgreSQL', availability, () => {
  afterAll(dropTestDatabases);

  it('delivers what the api process accepted through an idle worker process at once, not at its next poll', async () => {
    const database = await createTestDatabase();
    cleanup.push(() => database.drop());
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-wakeup-'));
    cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const receiver = await startReceiver();
    cleanup.push(() => receiver.close());
    const env = {
      GRIDHOOK_DATABASE_URL: database.url,
      GRIDHOOK_DATA_DIR: dataDir,
      GRIDHOOK_ADMIN_KEY: ADMIN_KEY,
      GRIDHOOK_ALLOW_PRIVATE_URLS: 'true',
      GRIDHOOK_POLL_INTERVAL_MS: String(POLL_INTERVAL_MS),
    };
    const processes: GridhookProcess[] = [];
    cleanup.push(() => Promise.all(processes.filter(alive).map((proc) => stopGracefully(proc))));
    const [apiProcess, worker] = await Promise.all([startGridhook('api', env), startGridhook('worker', env)]);
    processes.push(apiProcess, worker);
    const api = { url: apiProcess.url as string, rootKey: ADMIN_KEY };
    expect(worker.url).toBeNull();

    await waitForListener(database.url, worker);

    const callback = await ok(api, 'POST', '/v2/callbacks/create', {
      callBackUrl: receiver.urlFor('/hook'),
      callBackEvent: 'InBox',
    });
    const latencies: number[] = [];
    for (let round = 1; round <= 3; round += 1) {
      // Long enough for the worker to have gone back to sleep after the previous round.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const publishedAt = Date.now();
      await ok(api, 'POST', '/v2/callbacks/events/publish', {
        events: [{ callBackEvent: 'InBox', networkId: 1, mailboxId: 1, ecGridId: 0, parcelId: round }],
      });
      const [request] = (await receiver.waitForRequests(round, { path: '/hook', timeoutMs: POLL_INTERVAL_MS / 2 })).slice(-1);
      expect(request!.json()).toMatchObject({ callBackQueueId: callback.callBackQueueId, parcelId: round });
      latencies.push(request!.receivedAt - publishedAt);
    }
    for (const latency of latencies) expect(latency).toBeLessThan(WAKE_BOUND_MS);

    // The api process serves only: every attempt was the worker's.
    const db = await openInspector(database.url);
    cleanup.push(() => db.close());
    expect(await db.rows('SELECT DISTINCT worker_id FROM attempts')).toEqual([{ worker_id: workerIdOf(worker) }]);
  }, 60_000);
});
