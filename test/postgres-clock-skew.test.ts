/**
 * Two workers on one PostgreSQL database, one of whose clocks is ten minutes
 * fast: leases and due times are the database's, so the fast worker neither
 * takes over a lease the other still holds nor sends a retry the other
 * scheduled before it is due, and what it writes is in the database's time.
 * The skew goes in through the local time source the workers read, as a
 * machine's wrong clock would; the store and the receiver are real.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPostgresStore } from '../src/store/postgres/postgres-store.js';
import type { ClockReading } from '../src/store/postgres/server-clock.js';
import { describeWithPostgres, openInspector, type Inspector } from './helpers/cluster.js';
import { adminQuery, createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { eventually, ok, startTestServer, type TestServer } from './helpers/server.js';

const SKEW_MS = 10 * 60_000;
const LEASE_MS = 20_000;
/** The receiver holds the slow deliveries this long: the steps that need the fast worker fit inside it. */
const SLOW_MS = 12_000;
const RETRY_STEP_S = 30;

interface Route {
  networkId: number;
  mailboxId: number;
}

interface EventRow {
  status: string;
  attempts: number;
  lease_owner: string | null;
  lease_until: number | null;
  next_attempt_at: number | null;
  /** The database's clock_timestamp() when the row was read, in ms. */
  db_now: number;
}

const availability = await postgresAvailable();
describeWithPostgres('workers with different clocks on one PostgreSQL database', availability, () => {
  let receiver: Receiver;
  let steady: TestServer;
  let fast: TestServer | undefined;
  let db: Inspector;
  let databaseUrl: string;
  const fastLog: string[] = [];
  const routes: Record<string, Route> = {};

  beforeAll(async () => {
    databaseUrl = (await createTestDatabase()).url;
    receiver = await startReceiver();
    receiver.reply('/slow', { delayMs: SLOW_MS });
    receiver.reply('/held', { delayMs: SLOW_MS });
    receiver.reply('/flaky', (_request, nth) => (nth === 1 ? { status: 503 } : { status: 200 }));
    receiver.reply('/flaky-fast', { status: 503 });
    // One slot, so while it holds the slow delivery only the fast worker can take anything else.
    steady = await startTestServer({
      databaseUrl,
      deliveryConcurrency: 1,
      perCallbackConcurrency: 1,
      leaseMs: LEASE_MS,
      deliveryTimeoutMs: SLOW_MS + 3_000,
    });
    db = await openInspector(databaseUrl);
    for (const path of ['/slow', '/held', '/flaky', '/flaky-fast', '/probe']) {
      const { networkId } = await ok(steady, 'POST', '/v2/networks/create', { name: path.slice(1) });
      const { mailboxId } = await ok(steady, 'POST', '/v2/mailboxes/create', { networkId, name: path.slice(1) });
      await ok(steady, 'POST', '/v2/callbacks/create', {
        networkId,
        callBackEvent: 'InBox',
        callBackUrl: receiver.urlFor(path),
        ...(path.startsWith('/flaky') && { retrySchedule: [RETRY_STEP_S] }),
      });
      routes[path] = { networkId, mailboxId };
    }
  });

  afterAll(async () => {
    await fast?.close();
    await steady?.close();
    await receiver?.close();
    await db?.close();
    await dropTestDatabases();
  });

  const publish = async (server: TestServer, path: string): Promise<number> => {
    const { eventIds } = await ok(server, 'POST', '/v2/callbacks/events/publish', {
      events: [{ callBackEvent: 'InBox', ...routes[path] }],
    });
    return eventIds[0];
  };

  const event = async (eventId: number): Promise<EventRow> => {
    const [row] = await db.rows<EventRow>(
      `SELECT status, attempts, lease_owner, lease_until, next_attempt_at,
              (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT AS db_now
       FROM events WHERE id = ?`,
      [eventId],
    );
    return { ...row!, lease_until: toNumber(row!.lease_until), next_attempt_at: toNumber(row!.next_attempt_at), db_now: Number(row!.db_now) };
  };

  it('neither takes over a live lease nor sends a retry early, and writes leases and due times in the database time', async () => {
    // The steady worker fails the flaky event once (its retry is due in 30 s), then holds the slow one.
    const flaky = await publish(steady, '/flaky');
    await eventually(async () => (await event(flaky)).attempts === 1 && (await event(flaky)).lease_owner === null);
    const slow = await publish(steady, '/slow');
    await receiver.waitForRequests(1, { path: '/slow' });
    expect((await event(slow)).lease_owner).toBe(steady.engine.workerId);

    fast = await startTestServer(
      {
        databaseUrl,
        leaseMs: LEASE_MS,
        deliveryTimeoutMs: SLOW_MS + 3_000,
        logLevel: 'warn',
      },
      {
        localTime: () => Date.now() + SKEW_MS,
        logDestination: new Writable({
          write(chunk: Buffer, _encoding, done) {
            fastLog.push(chunk.toString());
            done();
          },
        }),
      },
    );
    const fastWorker = fast.engine.workerId;

    // Only the fast worker has a free slot: once the probe is delivered, it has claimed, and any
    // event that looked due to it then was claimed in the same claim.
    const probe = await publish(fast, '/probe');
    await eventually(async () => (await event(probe)).status === 'Delivered');
    const [probeAttempt] = await db.rows<{ worker_id: string }>('SELECT worker_id FROM attempts WHERE event_id = ?', [probe]);
    expect(probeAttempt!.worker_id).toBe(fastWorker);
    expect((await event(slow)).lease_owner).toBe(steady.engine.workerId);
    expect(await event(flaky)).toMatchObject({ status: 'Pending', attempts: 1, lease_owner: null });
    expect(receiver.requestsTo('/slow')).toHaveLength(1);
    expect(receiver.requestsTo('/flaky')).toHaveLength(1);

    // A lease the fast worker takes ends a lease's length after the database's now.
    const held = await publish(fast, '/held');
    await receiver.waitForRequests(1, { path: '/held' });
    const leased = await event(held);
    expect(leased.lease_owner).toBe(fastWorker);
    expect(leased.lease_until! - leased.db_now).toBeGreaterThan(0);
    expect(leased.lease_until! - leased.db_now).toBeLessThanOrEqual(LEASE_MS);
    const [slot] = await db.rows<{ until: number | string }>('SELECT until FROM lease_slots WHERE event_id = ? AND owner = ?', [
      held,
      fastWorker,
    ]);
    expect(Number(slot!.until) - leased.db_now).toBeLessThanOrEqual(LEASE_MS);

    // A retry the fast worker schedules is due one step (and its jitter) after the database's now.
    const flakyFast = await publish(fast, '/flaky-fast');
    await eventually(async () => (await event(flakyFast)).attempts === 1 && (await event(flakyFast)).lease_owner === null);
    const retry = await event(flakyFast);
    const [retryAttempt] = await db.rows<{ worker_id: string }>('SELECT worker_id FROM attempts WHERE event_id = ?', [flakyFast]);
    expect(retryAttempt!.worker_id).toBe(fastWorker);
    expect(retry.next_attempt_at! - retry.db_now).toBeGreaterThan(0);
    expect(retry.next_attempt_at! - retry.db_now).toBeLessThanOrEqual(RETRY_STEP_S * 1_250);

    // The slow delivery ends once, by the worker that leased it.
    await eventually(async () => (await event(slow)).status === 'Delivered', SLOW_MS + 5_000);
    expect((await event(slow)).attempts).toBe(1);
    expect(receiver.requestsTo('/slow')).toHaveLength(1);

    const skewLine = fastLog.map((line) => JSON.parse(line) as Record<string, unknown>).find((entry) => 'databaseTime' in entry);
    expect(skewLine).toMatchObject({ level: 40, localTime: expect.any(String), databaseTime: expect.any(String) });
    expect(Date.parse(skewLine!.localTime as string) - Date.parse(skewLine!.databaseTime as string)).toBeGreaterThan(SKEW_MS - 5_000);
  });

  it("tells the server's time however the local clock steps, measuring again soon after a lost connection", async () => {
    let skewMs = SKEW_MS;
    const reported: ClockReading[] = [];
    const applicationName = `gridhook-clock-${process.pid}`;
    const store = openPostgresStore((await createTestDatabase()).url, {
      applicationName,
      localTime: () => Date.now() + skewMs,
      onClockSkew: (reading) => reported.push(reading),
      onError: () => undefined,
    });
    /** Whether the store's clock brackets a reading of the server's (rounding aside). */
    const onServerTime = async (): Promise<boolean> => {
      const before = store.clock.now();
      const { rows } = await adminQuery<{ now: number }>('SELECT extract(epoch FROM clock_timestamp())::FLOAT8 * 1000 AS now');
      const after = store.clock.now();
      return before - 1 <= rows[0]!.now && rows[0]!.now <= after + 1;
    };
    try {
      await store.clock.sync();
      expect(await onServerTime()).toBe(true);
      await store.clock.sync();
      expect(reported).toHaveLength(1);
      expect(reported[0]!.localTime - reported[0]!.databaseTime).toBeGreaterThan(SKEW_MS - 1_000);

      // Someone sets this machine's clock three minutes slow; a lost connection measures again.
      skewMs = -3 * 60_000;
      expect(await onServerTime()).toBe(false);
      await adminQuery('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
      await eventually(onServerTime);
      expect(reported).toHaveLength(1);

      // Back within a second it is not reported; off again, it is.
      skewMs = 0;
      await store.clock.sync();
      skewMs = 5_000;
      await store.clock.sync();
      expect(reported).toHaveLength(2);
    } finally {
      await store.close();
    }
  });
});

function toNumber(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}
