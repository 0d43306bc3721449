/**
 * At-least-once across a crash: a real `gridhook serve` is killed with SIGKILL
 * while deliveries are in flight, started again on the same database, and every
 * accepted event still reaches the receiver with its original eventId.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { killHard, startGridhook, stopGracefully, type GridhookProcess } from './helpers/process.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { eventually, ok } from './helpers/server.js';

const EVENTS = 400;
const ADMIN_KEY = 'gh_crash_recovery_test_root_key_0123456789';

let receiver: Receiver | null = null;
let proc: GridhookProcess | null = null;
let dataDir: string | null = null;

afterEach(async () => {
  if (proc && proc.child.exitCode === null && proc.child.signalCode === null) await stopGracefully(proc);
  await receiver?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  proc = null;
  receiver = null;
  dataDir = null;
});

it('loses no event when the process is killed mid-delivery and restarted', async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-crash-'));
  receiver = await startReceiver({ defaultReply: { status: 200, delayMs: 150 } });
  const env = {
    GRIDHOOK_DATA_DIR: dataDir,
    GRIDHOOK_ADMIN_KEY: ADMIN_KEY,
    GRIDHOOK_ALLOW_PRIVATE_URLS: 'true',
    GRIDHOOK_DELIVERY_TIMEOUT_MS: '1000',
    GRIDHOOK_LEASE_MS: '2000',
    GRIDHOOK_POLL_INTERVAL_MS: '100',
  };

  proc = await startGridhook('serve', env);
  const api = { url: proc.url as string, rootKey: ADMIN_KEY };
  const callback = await ok(api, 'POST', '/v2/callbacks/create', {
    callBackUrl: receiver.urlFor('/hook'),
    callBackEvent: 'InBox',
    frequency: 1,
    retries: 5,
  });
  for (let batch = 0; batch < EVENTS / 100; batch += 1) {
    const events = Array.from({ length: 100 }, (_, i) => ({
      callBackEvent: 'InBox',
      networkId: 1,
      mailboxId: 1,
      ecGridId: 0,
      parcelId: batch * 100 + i + 1,
      fileName: `order-${batch * 100 + i + 1}.edi`,
    }));
    await ok(api, 'POST', '/v2/callbacks/events/publish', { events });
  }

  await receiver.waitForRequests(30, { timeoutMs: 20_000 });
  await killHard(proc);
  const beforeKill = receiver.requests.length;
  expect(beforeKill).toBeLessThan(EVENTS);

  proc = await startGridhook('serve', env);
  const restarted = { url: proc.url as string, rootKey: ADMIN_KEY };
  const received = () => new Set(receiver!.requests.map((r) => r.json<{ eventId: number }>().eventId));
  await eventually(async () => received().size === EVENTS, 60_000);

  const byEvent = new Map<number, Set<number>>();
  for (const request of receiver.requests) {
    const body = request.json<{ eventId: number; parcelId: number }>();
    byEvent.set(body.eventId, (byEvent.get(body.eventId) ?? new Set()).add(body.parcelId));
  }
  // A redelivery keeps its eventId and carries the same parcel.
  for (const parcels of byEvent.values()) expect(parcels.size).toBe(1);
  const parcelIds = new Set([...byEvent.values()].flatMap((p) => [...p]));
  expect(parcelIds.size).toBe(EVENTS);
  // Only attempts that were in flight at the kill can arrive twice.
  const duplicates = receiver.requests.length - EVENTS;
  expect(duplicates).toBeLessThanOrEqual(16);

  const delivered = await eventually(async () => {
    const page = await ok(restarted, 'POST', '/v2/callbacks/queue-list', {
      callBackQueueId: callback.callBackQueueId,
      status: 'Delivered',
      recordsPerPage: 1,
    });
    return page.totalRecords === EVENTS ? page : null;
  });
  expect(delivered.totalRecords).toBe(EVENTS);
}, 120_000);
