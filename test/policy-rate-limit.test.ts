/**
 * maxPerSecond end to end, with a real receiver counting arrivals: over REST
 * on both stores (the field, its bad values); the proof, ≤ N a second
 * ± 10% over 30 s, on SQLite in one process and on PostgreSQL with 4 worker
 * processes sharing the bucket; events over the limit wait and none fails;
 * and a receiver's 429 with Retry-After still pauses the whole limited
 * callback without using a retry.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { alive, describeWithPostgres, openInspector, waitFor } from './helpers/cluster.js';
import { createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';
import { startGridhook, stopGracefully, type GridhookProcess } from './helpers/process.js';
import { startReceiver, type ReceivedRequest, type Receiver } from './helpers/receiver.js';
import { call, eventually, ok, startTestServer, type TestServer } from './helpers/server.js';

type Api = Pick<TestServer, 'url' | 'rootKey'>;

/** The measurement: N a second over 30 s, ± 10%. */
const PER_SECOND = 40;
const SECONDS = 30;
const TOLERANCE = 0.1;
/** More than 30 s' worth, so the callback has a backlog all through the measurement. */
const EVENTS = PER_SECOND * SECONDS + 150;

async function limitedCallback(api: Api, receiver: Receiver, pathName: string, body: Record<string, unknown> = {}) {
  const { networkId } = await ok(api, 'POST', '/v2/networks/create', { name: pathName });
  const { mailboxId } = await ok(api, 'POST', '/v2/mailboxes/create', { networkId, name: pathName });
  const created = await ok(api, 'POST', '/v2/callbacks/create', {
    networkId,
    callBackEvent: 'InBox',
    callBackUrl: receiver.urlFor(pathName),
    ...body,
  });
  const publish = async (count: number): Promise<number[]> => {
    const ids: number[] = [];
    for (let done = 0; done < count; done += 1_000) {
      const size = Math.min(1_000, count - done);
      const { eventIds } = await ok(api, 'POST', '/v2/callbacks/events/publish', {
        events: Array.from({ length: size }, (_, i) => ({
          callBackEvent: 'InBox',
          networkId,
          mailboxId,
          parcelId: done + i + 1,
        })),
      });
      ids.push(...(eventIds as number[]));
    }
    return ids;
  };
  return { callbackId: created.callBackQueueId as number, created, publish };
}

/** Arrivals in each whole second from the first one, for `seconds` seconds. */
function perSecond(requests: readonly ReceivedRequest[], seconds: number): number[] {
  const start = requests[0]!.receivedAt;
  const counts = Array.from({ length: seconds }, () => 0);
  for (const request of requests) {
    const second = Math.floor((request.receivedAt - start) / 1_000);
    if (second < seconds) counts[second]! += 1;
  }
  return counts;
}

/**
 * Publishes a backlog to a callback limited to PER_SECOND, counts what the
 * receiver gets over SECONDS, then lifts the limit and checks every event was
 * delivered by exactly one attempt: the waiting ones used none.
 */
async function measureRate(api: Api, receiver: Receiver, pathName: string, attemptsOf: () => Promise<number>) {
  receiver.reply(pathName, { status: 200 });
  const callback = await limitedCallback(api, receiver, pathName, { maxPerSecond: PER_SECOND, retries: 0 });
  const eventIds = await callback.publish(EVENTS);
  await receiver.waitForRequests(1, { path: pathName, timeoutMs: 30_000 });
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1_000 + 500));
  const arrivals = receiver.requestsTo(pathName);
  const counts = perSecond(arrivals, SECONDS);
  const total = counts.reduce((sum, n) => sum + n, 0);

  const queue = await ok(api, 'POST', '/v2/callbacks/queue-list', {
    callBackQueueId: callback.callbackId,
    status: 'Failed',
    // Totals are counted a page and 1,000 records ahead: a page of 500 counts all of them.
    recordsPerPage: 500,
  });
  const failed = queue.totalRecords as number;

  await ok(api, 'POST', '/v2/callbacks/update', { callBackQueueId: callback.callbackId, maxPerSecond: null });
  await receiver.waitForRequests(EVENTS, { path: pathName, timeoutMs: 60_000 });
  const delivered = await eventually(async () => {
    const list = await ok(api, 'POST', '/v2/callbacks/queue-list', {
      callBackQueueId: callback.callbackId,
      status: 'Delivered',
      recordsPerPage: 500,
    });
    return list.totalRecords === EVENTS && list.totalRecords;
  }, 30_000);
  return { counts, total, failed, delivered, eventIds, attempts: await attemptsOf() };
}

function expectWithinLimit(measured: Awaited<ReturnType<typeof measureRate>>): void {
  const { counts, total, failed, delivered, attempts } = measured;
  const summary = `per second: ${counts.join(' ')}; total ${total}`;
  expect(Math.max(...counts), summary).toBeLessThanOrEqual(PER_SECOND * (1 + TOLERANCE));
  expect(total, summary).toBeLessThanOrEqual(PER_SECOND * SECONDS * (1 + TOLERANCE));
  expect(total, summary).toBeGreaterThanOrEqual(PER_SECOND * SECONDS * (1 - TOLERANCE));
  // Events over the limit waited: none failed (retries 0), each went out once, with one attempt.
  expect(failed).toBe(0);
  expect(delivered).toBe(EVENTS);
  expect(attempts).toBe(EVENTS);
}

function restSuite(start: () => Promise<TestServer>): void {
  let server: TestServer;
  let receiver: Receiver;

  beforeAll(async () => {
    server = await start();
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await server?.close();
    await receiver?.close();
  });

  it('keeps maxPerSecond on create and update, answers it, and clears it with null', async () => {
    const { callbackId, created } = await limitedCallback(server, receiver, '/field', { maxPerSecond: 5 });
    expect(created.maxPerSecond).toBe(5);
    expect((await ok(server, 'GET', `/v2/callbacks/${callbackId}`)).maxPerSecond).toBe(5);
    const listed = await ok(server, 'POST', '/v2/callbacks/list', { networkId: created.networkId });
    expect(listed.callBacks.map((c: { maxPerSecond: number | null }) => c.maxPerSecond)).toEqual([5]);

    await ok(server, 'POST', '/v2/callbacks/update', { callBackQueueId: callbackId, maxPerSecond: 7 });
    await ok(server, 'POST', '/v2/callbacks/update', { callBackQueueId: callbackId, frequency: 2 });
    expect((await ok(server, 'GET', `/v2/callbacks/${callbackId}`)).maxPerSecond).toBe(7);
    await ok(server, 'POST', '/v2/callbacks/update', { callBackQueueId: callbackId, maxPerSecond: null });
    expect((await ok(server, 'GET', `/v2/callbacks/${callbackId}`)).maxPerSecond).toBeNull();

    const { created: plain } = await limitedCallback(server, receiver, '/unlimited');
    expect(plain.maxPerSecond).toBeNull();
  });

  it('refuses bad rates on create and update with a 400 naming maxPerSecond', async () => {
    const { callbackId } = await limitedCallback(server, receiver, '/bad');
    for (const maxPerSecond of [0, -1, 1.5, 10_001, '5', true]) {
      const bodies = [
        ['/v2/callbacks/create', { callBackEvent: 'InBox', callBackUrl: receiver.urlFor('/bad'), maxPerSecond }],
        ['/v2/callbacks/update', { callBackQueueId: callbackId, maxPerSecond }],
      ] as const;
      for (const [route, body] of bodies) {
        const response = await call(server, 'POST', route, body);
        expect(response.status, `${route} ${JSON.stringify(maxPerSecond)}`).toBe(400);
        expect(response.body).toMatchObject({
          success: false,
          errorCode: 'InvalidParameter',
          message: expect.stringMatching(/^maxPerSecond: /),
        });
      }
    }
  });

  it('a 429 with Retry-After pauses the whole limited callback without using a retry', async () => {
    receiver.reply('/busy', (_request, nth) => (nth === 1 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 }));
    const busy = await limitedCallback(server, receiver, '/busy', { maxPerSecond: 5, retries: 0 });
    const [first] = await busy.publish(1);
    const [refused] = await receiver.waitForRequests(1, { path: '/busy' });
    const paused = await eventually(async () => {
      const view = await ok(server, 'GET', `/v2/callbacks/${busy.callbackId}`);
      return view.pausedUntil !== null && view;
    });
    const pausedUntil = Date.parse(paused.pausedUntil);
    expect(pausedUntil).toBeGreaterThanOrEqual(refused!.receivedAt + 1_000);

    const later = await busy.publish(3);
    const all = await receiver.waitForRequests(1 + 4, { path: '/busy' });
    for (const request of all.slice(1)) expect(request.receivedAt).toBeGreaterThanOrEqual(pausedUntil - 1);
    expect(new Set(all.slice(1).map((r) => r.json().eventId))).toEqual(new Set([first, ...later]));
    const event = await eventually(async () => {
      const e = await ok(server, 'GET', `/v2/callbacks/events/${first}`);
      return e.status === 'Delivered' && e;
    });
    expect(event.attemptLog.map((a: { httpStatus: number }) => a.httpStatus)).toEqual([429, 200]);
  });
}

describe('maxPerSecond over REST on SQLite', () => restSuite(() => startTestServer()));

const availability = await postgresAvailable();
describeWithPostgres('maxPerSecond over REST on PostgreSQL', availability, () => {
  afterAll(() => dropTestDatabases());
  restSuite(async () => startTestServer({ databaseUrl: (await createTestDatabase()).url }));
});

describe('the rate a receiver sees on SQLite, one process', () => {
  it(`is ${PER_SECOND} a second ± 10% over ${SECONDS} s, and the waiting events do not fail`, async () => {
    const server = await startTestServer();
    const receiver = await startReceiver();
    try {
      const measured = await measureRate(server, receiver, '/sqlite-rate', async () => {
        const db = await openInspector(server.config.databaseUrl);
        try {
          const [row] = await db.rows<{ n: number }>('SELECT count(*) AS n FROM attempts');
          return Number(row!.n);
        } finally {
          await db.close();
        }
      });
      console.info(`SQLite, 1 process, maxPerSecond ${PER_SECOND}: per second ${measured.counts.join(' ')}; total ${measured.total}`);
      expectWithinLimit(measured);
    } finally {
      await server.close();
      await receiver.close();
    }
  }, 180_000);
});

const cleanup: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describeWithPostgres('the rate a receiver sees on PostgreSQL, 4 worker processes', availability, () => {
  afterAll(dropTestDatabases);

  it(`is ${PER_SECOND} a second ± 10% over ${SECONDS} s in all, and the waiting events do not fail`, async () => {
    const database = await createTestDatabase();
    cleanup.push(() => database.drop());
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-rate-'));
    cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const receiver = await startReceiver();
    cleanup.push(() => receiver.close());
    const adminKey = 'gh_rate_limit_test_root_key_0123456789ab';
    const env = {
      GRIDHOOK_DATABASE_URL: database.url,
      GRIDHOOK_DATA_DIR: dataDir,
      GRIDHOOK_ADMIN_KEY: adminKey,
      GRIDHOOK_ALLOW_PRIVATE_URLS: 'true',
    };
    const processes: GridhookProcess[] = [];
    cleanup.push(() => Promise.all(processes.filter(alive).map((proc) => stopGracefully(proc))));
    const apiProcess = await startGridhook('api', env);
    processes.push(apiProcess);
    processes.push(...(await Promise.all([1, 2, 3, 4].map(() => startGridhook('worker', env)))));
    const api = { url: apiProcess.url as string, rootKey: adminKey };

    const db = await openInspector(database.url);
    cleanup.push(() => db.close());
    const measured = await measureRate(api, receiver, '/pg-rate', async () => {
      const [row] = await db.rows<{ n: number | string }>('SELECT count(*) AS n FROM attempts');
      return Number(row!.n);
    });
    console.info(
      `PostgreSQL, 4 workers, maxPerSecond ${PER_SECOND}: per second ${measured.counts.join(' ')}; total ${measured.total}`,
    );
    expectWithinLimit(measured);
    // All four shared the work: the bucket, not one process, held the rate.
    const workers = await waitFor(
      'attempts by every worker',
      async () => {
        const rows = await db.rows<{ worker_id: string }>('SELECT DISTINCT worker_id FROM attempts');
        return rows.length >= 2 && rows;
      },
      5_000,
    );
    expect(workers.length).toBeGreaterThanOrEqual(2);
  }, 240_000);
});
