/**
 * Graceful shutdown of a real `gridhook worker` process: on SIGTERM it lets
 * attempts in flight finish for the grace period and records them, gives
 * back the leases of those still running, and exits within the bound. The
 * events it gave back are delivered by another worker at once, not when
 * their lease would have expired.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  alive,
  createCallbacks,
  describeWithPostgres,
  logEntries,
  openInspector,
  publishInBox,
  waitFor,
  waitForListener,
  withStore,
} from './helpers/cluster.js';
import { createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';
import { startGridhook, stopGracefully, type GridhookProcess } from './helpers/process.js';
import { generateApiKey } from '../src/services/api-keys.js';
import { buildLargeX12PurchaseOrder } from './helpers/edi-builders.js';
import { startReceiver } from './helpers/receiver.js';
import { ok } from './helpers/server.js';

/** Events per callback. */
const EVENTS = 4;
const GRACE_MS = 1_500;
/** Longer than the test: a redelivery can only come from a released lease. */
const LEASE_MS = 60_000;
const SLOW_MS = 20_000;
const QUICK_MS = 400;

const cleanup: (() => Promise<unknown> | void)[] = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/**
 * `ready`, when given, resolves once the idle second worker can be woken
 * (on PostgreSQL: its LISTEN connection is up).
 */
async function shutdownScenario(
  databaseUrl: string,
  dataDir: string,
  pollIntervalMs: number,
  ready?: (worker: GridhookProcess) => Promise<void>,
): Promise<void> {
  const receiver = await startReceiver();
  cleanup.push(() => receiver.close());
  // The first attempts at /slow outlast the grace period; redeliveries answer at once.
  receiver.reply('/slow', (_request, nth) => (nth <= EVENTS ? { delayMs: SLOW_MS } : {}));
  receiver.reply('/quick', { delayMs: QUICK_MS });
  const [slowId, quickId] = await withStore(databaseUrl, async (store) => {
    const ids = await createCallbacks(store, [receiver.urlFor('/slow'), receiver.urlFor('/quick')]);
    await publishInBox(store, EVENTS);
    return ids;
  });

  const env = {
    GRIDHOOK_DATABASE_URL: databaseUrl,
    GRIDHOOK_DATA_DIR: dataDir,
    GRIDHOOK_ALLOW_PRIVATE_URLS: 'true',
    GRIDHOOK_DELIVERY_TIMEOUT_MS: String(SLOW_MS + 10_000),
    GRIDHOOK_LEASE_MS: String(LEASE_MS),
    GRIDHOOK_POLL_INTERVAL_MS: String(pollIntervalMs),
    GRIDHOOK_SHUTDOWN_GRACE_MS: String(GRACE_MS),
  };
  const processes: GridhookProcess[] = [];
  cleanup.push(() => Promise.all(processes.filter(alive).map((proc) => stopGracefully(proc))));
  const first = await startGridhook('worker', env);
  processes.push(first);
  await receiver.waitForRequests(EVENTS, { path: '/slow', timeoutMs: 15_000 });
  await receiver.waitForRequests(EVENTS, { path: '/quick', timeoutMs: 15_000 });
  // Started only now, it finds every event leased to the first worker and goes idle.
  const second = await startGridhook('worker', env);
  processes.push(second);
  await ready?.(second);
  expect(receiver.requests).toHaveLength(2 * EVENTS);

  const signalledAt = Date.now();
  const exit = await stopGracefully(first);
  const stoppedAfter = Date.now() - signalledAt;
  expect(exit).toBe(0);
  // It waited out the grace period for the slow attempts, and not much longer.
  expect(stoppedAfter).toBeGreaterThanOrEqual(GRACE_MS - 100);
  expect(stoppedAfter).toBeLessThan(GRACE_MS + 2_500);
  const released = logEntries(first).find((entry) => String(entry.msg).startsWith('released leases'));
  expect(released?.released).toBe(EVENTS);

  // The quick attempts finished within the grace period and were recorded: none is sent again.
  const db = await openInspector(databaseUrl);
  cleanup.push(() => db.close());
  const quick = await db.rows<{ status: string; attempts: number }>(
    'SELECT status, attempts FROM events WHERE callback_id = ?',
    [quickId],
  );
  expect(quick).toEqual(Array.from({ length: EVENTS }, () => ({ status: 'Delivered', attempts: 1 })));

  // The slow ones were given back and the second worker delivers them now, long before their lease ran out.
  const redelivered = await receiver.waitForRequests(2 * EVENTS, { path: '/slow', timeoutMs: 8_000 });
  expect(Date.now() - signalledAt).toBeLessThan(LEASE_MS / 4);
  const ids = (requests: typeof redelivered) => requests.map((r) => r.json<{ eventId: number }>().eventId).sort();
  expect(ids(redelivered.slice(EVENTS))).toEqual(ids(redelivered.slice(0, EVENTS)));
  await waitFor(
    'the given-back events recorded as Delivered',
    async () =>
      (
        await db.rows<{ n: number | string }>(
          "SELECT count(*) AS n FROM events WHERE callback_id = ? AND status = 'Delivered' AND lease_owner IS NULL",
          [slowId],
        )
      ).map((row) => Number(row.n))[0] === EVENTS,
    5_000,
  );
  expect(receiver.requestsTo('/quick')).toHaveLength(EVENTS);
}

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-shutdown-'));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const availability = await postgresAvailable();

describeWithPostgres('graceful shutdown on PostgreSQL', availability, () => {
  afterAll(dropTestDatabases);

  it('finishes or gives back in-flight deliveries within the grace period; another worker is woken for them', async () => {
    const database = await createTestDatabase();
    cleanup.push(() => database.drop());
    // The second worker never polls within the test: only the release's notification can wake it.
    await shutdownScenario(database.url, tempDir(), 30_000, (worker) => waitForListener(database.url, worker));
  }, 60_000);
});

describe('graceful shutdown on SQLite', () => {
  it('finishes or gives back in-flight deliveries within the grace period; another worker delivers them', async () => {
    const dir = tempDir();
    await shutdownScenario(`sqlite:${path.join(dir, 'gridhook.db')}`, dir, 200);
  }, 60_000);
});

describe('SIGTERM while a slow download is open', () => {
  it('stops claiming at once and exits within the grace period even though a client holds a download', async () => {
    const dir = tempDir();
    const receiver = await startReceiver();
    cleanup.push(() => receiver.close());
    receiver.reply('/steady', { delayMs: 150 });
    const rootKey = generateApiKey().key;
    const proc = await startGridhook('serve', {
      GRIDHOOK_DATA_DIR: dir,
      GRIDHOOK_ADMIN_KEY: rootKey,
      GRIDHOOK_ALLOW_PRIVATE_URLS: 'true',
      GRIDHOOK_SHUTDOWN_GRACE_MS: String(GRACE_MS),
      GRIDHOOK_POLL_INTERVAL_MS: '50',
    });
    cleanup.push(() => (alive(proc) ? stopGracefully(proc) : undefined));
    const api = { url: proc.url!, rootKey };
    await ok(api, 'POST', '/v2/callbacks/create', { callBackUrl: receiver.urlFor('/steady'), callBackEvent: 'InBox' });
    const inbox = await ok(api, 'POST', '/v2/mailboxes/create', { networkId: 1, name: 'partner' });
    await ok(api, 'POST', '/v2/ids/create', { mailboxId: 1, qualifier: 'ZZ', id: 'SHUTDOWNA' });
    await ok(api, 'POST', '/v2/ids/create', { mailboxId: inbox.mailboxId, qualifier: 'ZZ', id: 'SHUTDOWNB' });
    const file = buildLargeX12PurchaseOrder({
      minBytes: 12 * 1024 * 1024,
      sender: { qualifier: 'ZZ', id: 'SHUTDOWNA' },
      receiver: { qualifier: 'ZZ', id: 'SHUTDOWNB' },
    });
    const parcel = await ok(api, 'POST', '/v2/parcels/upload', {
      mailboxId: 1,
      fileName: 'big.x12',
      content: Buffer.from(file, 'latin1').toString('base64'),
    });

    // A download whose client never reads: the answer stalls once the socket buffers fill.
    const socket = net.connect(Number(new URL(api.url).port), '127.0.0.1');
    socket.on('error', () => undefined);
    cleanup.push(() => void socket.destroy());
    await once(socket, 'connect');
    const body = JSON.stringify({ parcelId: parcel.parcelId });
    socket.write(
      `POST /v2/parcels/download HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-API-Key: ${rootKey}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    socket.pause();

    await ok(api, 'POST', '/v2/callbacks/events/publish', {
      events: Array.from({ length: 200 }, (_, i) => ({ callBackEvent: 'InBox', mailboxId: 1, parcelId: i + 1 })),
    });
    await receiver.waitForRequests(8, { path: '/steady', timeoutMs: 15_000 });

    const signalledAt = Date.now();
    const exit = await stopGracefully(proc);
    expect(exit).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(GRACE_MS + 1_000);
    const received = logEntries(proc).find((entry) => entry.msg === 'signal received');
    const signalTime = Number(received?.time);
    expect(signalTime).toBeGreaterThanOrEqual(signalledAt - 5);
    // No attempt starts after the signal: whatever arrives later left before it.
    const late = receiver.requestsTo('/steady').filter((request) => request.receivedAt > signalTime + 50);
    expect(late).toEqual([]);
  }, 60_000);
});
