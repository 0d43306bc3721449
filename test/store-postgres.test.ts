/**
 * The PostgreSQL store: the shared conformance suite, then what only a
 * server shared by several processes brings — concurrent claimers, wake-ups
 * across processes, connections cut under the store, concurrent migrations.
 * Each test gets a database of its own (test/helpers/postgres.ts).
 *
 * Without a server the file reports itself skipped, with the reason; on CI
 * (CI=true) a missing server fails it instead, so the PostgreSQL half can
 * never silently stop running there.
 */
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { GridhookError } from '../src/errors.js';
import { MIGRATIONS } from '../src/store/postgres/migrations.js';
import { openPostgresStore, type PostgresStore, type PostgresStoreOptions } from '../src/store/postgres/postgres-store.js';
import { KEYS_CHANNEL } from '../src/store/postgres/principal-cache.js';
import type { DeliveryJob } from '../src/store/store.js';
import {
  adminQuery,
  createEmptyDatabase,
  createTestDatabase,
  dropTestDatabases,
  postgresAvailable,
  type TestDatabase,
} from './helpers/postgres.js';
import { attempt, eventInput, expectGridhookError, LEASE_MS, newCallback, T0, waitUntil } from './store-conformance/fixtures.js';
import { describeStoreConformance } from './store-conformance/store-conformance.js';

const availability = await postgresAvailable();

if (!availability.ok && process.env.CI !== 'true') {
  describe.skip(`PostgreSQL store (skipped: ${availability.reason})`, () => {
    it('needs a PostgreSQL server (set GRIDHOOK_TEST_DATABASE_URL)', () => undefined);
  });
} else if (!availability.ok) {
  describe('PostgreSQL store', () => {
    it('has a PostgreSQL server to test against, as CI requires', () => {
      throw new Error(`${availability.reason}; set GRIDHOOK_TEST_DATABASE_URL`);
    });
  });
} else {
  describePostgres();
}

function describePostgres(): void {
  const databases: TestDatabase[] = [];
  const stores: PostgresStore[] = [];

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    for (const db of databases.splice(0)) void db.drop();
  });

  afterAll(dropTestDatabases);

  async function database(empty = false): Promise<TestDatabase> {
    const db = empty ? await createEmptyDatabase() : await createTestDatabase();
    databases.push(db);
    return db;
  }

  function open(db: TestDatabase, options: PostgresStoreOptions = {}): PostgresStore {
    const store = openPostgresStore(db.url, options);
    stores.push(store);
    return store;
  }

  /** Two processes on one database, b subscribed to new work, and how often b has heard of some since. */
  async function publisherAndListener() {
    const db = await database();
    const [a, b] = [open(db), open(db)];
    const callback = await a.createCallback(newCallback(), T0);
    let heard = 0;
    b.onNewWork(() => {
      heard += 1;
    });
    await waitUntil(() => b.listenerBackendPid !== null);
    heard = 0;
    return { a, callback, heard: () => heard };
  }

  describeStoreConformance('PostgreSQL', async () => openPostgresStore((await database()).url));

  describe('PostgreSQL store', () => {
    it('migrates an empty database from several processes at once, exactly once', async () => {
      const db = await database(true);
      const racers = Array.from({ length: 4 }, () => open(db));
      await Promise.all(racers.map((store) => store.migrate()));
      await racers[0]!.migrate();
      const versions = await adminRows<{ version: number }>(db, 'SELECT version FROM schema_migrations ORDER BY 1');
      expect(versions.map((v) => v.version)).toEqual(MIGRATIONS.map((m) => m.version).sort((x, y) => x - y));
      expect(await racers[1]!.getNetwork(1)).toMatchObject({ networkId: 1, name: 'Default network' });
      expect((await racers[2]!.listMailboxes({}, { pageNo: 1, recordsPerPage: 10 })).totalRecords).toBe(1);
    });

    it('keeps tables in the schema it is given, apart from another schema in the same database', async () => {
      const db = await database(true);
      const a = open(db, { schema: 'tenant_a' });
      const b = open(db, { schema: 'tenant_b' });
      await Promise.all([a.migrate(), b.migrate()]);
      await a.createCallback(newCallback(), T0);
      expect(await a.countCallbacks({})).toBe(1);
      expect(await b.countCallbacks({})).toBe(0);
      const tables = await adminRows<{ schema: string }>(
        db,
        "SELECT DISTINCT table_schema AS schema FROM information_schema.tables WHERE table_name = 'events' ORDER BY 1",
      );
      expect(tables.map((t) => t.schema)).toEqual(['tenant_a', 'tenant_b']);
      expect(() => openPostgresStore(db.url, { schema: 'Bad-Name' })).toThrow(/schema/);
    });

    it('refuses a database written by a newer gridhook', async () => {
      const db = await database();
      const store = open(db);
      await adminRows(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)");
      await expect(store.migrate()).rejects.toThrow(/schema version 999/);
    });

    it('answers ids, times and counts as JavaScript numbers', async () => {
      const store = open(await database());
      const callback = await store.createCallback(newCallback(), T0);
      const { eventIds } = await store.publishEvents([eventInput()], { now: T0 });
      expect(typeof callback.callbackId).toBe('number');
      expect(typeof eventIds[0]).toBe('number');
      expect((await store.getEvent(eventIds[0]!))?.createdAt).toBe(T0);
      expect(await store.countCallbacks({})).toBe(1);
    });

    it('ping throws ServiceUnavailable when the server cannot be reached', async () => {
      const store = openPostgresStore('postgres://postgres@127.0.0.1:1/postgres');
      stores.push(store);
      const error = await expectGridhookError(store.ping(), 'ServiceUnavailable');
      expect(error.message).toMatch(/database is unavailable/);
      await expectGridhookError(store.getNetwork(1), 'ServiceUnavailable');
    });

    it('two processes publishing with one idempotency key create the events once', async () => {
      const db = await database();
      const [a, b] = [open(db), open(db)];
      await a.createCallback(newCallback(), T0);
      const inputs = Array.from({ length: 50 }, (_, i) => eventInput({ parcelId: i + 1 }));
      const results = await Promise.all(
        [a, b, a, b].map((store) => store.publishEvents(inputs, { now: T0, idempotencyKey: 'k', idempotencyNetworkId: 1 })),
      );
      expect(results.filter((r) => !r.replayed)).toHaveLength(1);
      for (const result of results) expect(result.eventIds).toEqual(results[0]!.eventIds);
      expect((await a.listEvents({}, { pageNo: 1, recordsPerPage: 1 })).totalRecords).toBe(50);
    });

    it('a suspend racing a publish leaves no pending event on the suspended callback', async () => {
      const db = await database();
      const [a, b] = [open(db), open(db)];
      const inputs = Array.from({ length: 200 }, (_, i) => eventInput({ parcelId: i + 1 }));
      for (let round = 0; round < 20; round++) {
        const callback = await a.createCallback(newCallback(), T0);
        await Promise.all([
          a.publishEvents(inputs, { now: T0 }),
          b.updateCallback(callback.callbackId, { status: 'Suspended' }, T0),
        ]);
        const pending = await a.listEvents({ callbackId: callback.callbackId, status: 'Pending' }, { pageNo: 1, recordsPerPage: 1 });
        expect(pending.totalRecords).toBe(0);
        await a.deleteCallback(callback.callbackId, T0);
      }
    });

    it('workers of two processes never hold one event at once nor pass the per-callback limit', async () => {
      const db = await database();
      const [a, b] = [open(db, { poolSize: 6 }), open(db, { poolSize: 6 })];
      const perCallbackLimit = 3;
      const callbacks = [];
      for (const eventType of ['InBox', 'OutBox', 'InBoxError', 'OutBoxError'] as const) {
        callbacks.push(await a.createCallback(newCallback({ eventType }), T0));
      }
      const now = Date.now();
      const inputs = callbacks.flatMap((c) =>
        Array.from({ length: 150 }, (_, i) => eventInput({ eventType: c.eventType, parcelId: i + 1 })),
      );
      const { eventIds } = await a.publishEvents(inputs, { now });

      const held = new Map<number, string>();
      const heldPerCallback = new Map<number, number>();
      const problems: string[] = [];
      let delivered = 0;
      let overLimitSeen = 0;
      let monitoring = true;

      // Reads the committed leases directly, over and over, while the workers run.
      const monitor = (async () => {
        const client = new pg.Client({ connectionString: db.url });
        await client.connect();
        try {
          while (monitoring) {
            const over = await client.query(
              `SELECT callback_id, count(*)::INT AS n FROM events WHERE status = 'Pending' AND lease_until > $1
               GROUP BY callback_id HAVING count(*) > $2`,
              [Date.now(), perCallbackLimit],
            );
            overLimitSeen += over.rowCount ?? 0;
          }
        } finally {
          await client.end();
        }
      })();

      const worker = async (store: PostgresStore, workerId: string): Promise<void> => {
        for (let idle = 0; delivered < eventIds.length && idle < 200; ) {
          const jobs: DeliveryJob[] = await store.claimDueEvents({
            workerId,
            now: Date.now(),
            leaseMs: 60_000,
            limit: 1 + Math.floor(Math.random() * 5),
            perCallbackLimit,
          });
          if (jobs.length === 0) {
            idle += 1;
            await new Promise((resolve) => setTimeout(resolve, 2));
            continue;
          }
          idle = 0;
          for (const job of jobs) {
            const holder = held.get(job.eventId);
            if (holder !== undefined) problems.push(`event ${job.eventId} leased to ${workerId} while ${holder} holds it`);
            held.set(job.eventId, workerId);
            const n = (heldPerCallback.get(job.callbackId) ?? 0) + 1;
            heldPerCallback.set(job.callbackId, n);
            if (n > perCallbackLimit) problems.push(`callback ${job.callbackId} has ${n} events out`);
          }
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
          // A fifth come back for another round; the rest are done.
          const results = jobs.map((job) => {
            held.delete(job.eventId);
            heldPerCallback.set(job.callbackId, (heldPerCallback.get(job.callbackId) ?? 1) - 1);
            const retry = Math.random() < 0.2;
            if (!retry) delivered += 1;
            return {
              eventId: job.eventId,
              workerId,
              startedAt: Date.now(),
              durationMs: 1,
              httpStatus: retry ? 503 : 200,
              error: retry ? 'HTTP 503' : null,
              outcome: retry ? ('Retry' as const) : ('Delivered' as const),
              nextAttemptAt: retry ? Date.now() : null,
            };
          });
          await store.recordAttempts(results);
        }
      };

      const started = Date.now();
      await Promise.all([
        ...[0, 1, 2, 3].map((i) => worker(a, `a${i}`)),
        ...[0, 1, 2, 3].map((i) => worker(b, `b${i}`)),
      ]);
      const elapsedMs = Date.now() - started;
      monitoring = false;
      await monitor;

      expect(problems).toEqual([]);
      expect(overLimitSeen).toBe(0);
      expect(delivered).toBe(eventIds.length);
      const notDelivered = await a.listEvents({ status: 'Pending' }, { pageNo: 1, recordsPerPage: 1 });
      expect(notDelivered.totalRecords).toBe(0);
      const attemptCounts = await adminRows<{ mismatched: number }>(
        db,
        `SELECT count(*)::INT AS mismatched FROM events e
         WHERE e.attempts <> (SELECT count(*) FROM attempts a WHERE a.event_id = e.id)`,
      );
      expect(attemptCounts[0]?.mismatched).toBe(0);
      expect(elapsedMs).toBeLessThan(20_000);
    });

    it('a publish in one process wakes the listeners of another at once', async () => {
      const { a, callback, heard } = await publisherAndListener();

      const latencies: number[] = [];
      for (let i = 0; i < 5; i++) {
        const before = heard();
        const sent = performance.now();
        await a.publishEvents([eventInput({ parcelId: i + 1 })], { now: T0 });
        await waitUntil(() => heard() > before, 1_000);
        latencies.push(performance.now() - sent);
      }
      expect(Math.max(...latencies)).toBeLessThan(1_000);

      // So do retries and releases, which make work due as well.
      const [job] = await a.claimDueEvents({ workerId: 'w', now: T0, leaseMs: LEASE_MS, limit: 1, perCallbackLimit: 10 });
      let before = heard();
      await a.releaseLeases('w', [job!.eventId]);
      await waitUntil(() => heard() > before, 1_000);
      await a.updateCallback(callback.callbackId, { status: 'Suspended' }, T0);
      await a.updateCallback(callback.callbackId, { status: 'Active' }, T0);
      const [canceled] = (await a.listEvents({ status: 'Canceled' }, { pageNo: 1, recordsPerPage: 1 })).items;
      before = heard();
      await a.retryEvent(canceled!.eventId, T0);
      await waitUntil(() => heard() > before, 1_000);
    });

    it('remembers where a mailbox and an ECGrid ID belong, and does not remember one that is missing', async () => {
      const db = await database();
      const store = open(db);
      const network = await store.createNetwork('Other');
      const mailbox = await store.createMailbox(network.networkId, 'M');
      const record = await store.createEcGridId({ mailboxId: mailbox.mailboxId, qualifier: 'ZZ', id: 'X', description: '' });
      const ids = { networkId: network.networkId, mailboxId: mailbox.mailboxId, ecGridId: record.ecGridId };
      const first = await store.findScopeOwners(ids);
      // No row ever moves; moving one behind the store's back shows the second answer is not read again.
      await adminRows(db, `UPDATE mailboxes SET network_id = 1 WHERE id = ${mailbox.mailboxId}`);
      await adminRows(db, `UPDATE ecgrid_ids SET network_id = 1 WHERE id = ${record.ecGridId}`);
      expect(await store.findScopeOwners(ids)).toEqual(first);
      expect(first.mailbox).toEqual({ networkId: network.networkId, mailboxId: mailbox.mailboxId });

      const missing = { networkId: 0, mailboxId: mailbox.mailboxId + 1, ecGridId: 0 };
      expect((await store.findScopeOwners(missing)).mailbox).toBeNull();
      await store.createMailbox(network.networkId, 'Created since');
      expect((await store.findScopeOwners(missing)).mailbox).toEqual({
        networkId: network.networkId,
        mailboxId: mailbox.mailboxId + 1,
      });
    });

    describe('API keys looked up by another process', () => {
      const alice = { loginName: 'alice', passwordHash: 'x', role: 'NetworkAdmin' as const, networkId: 1, mailboxId: 0 };

      async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
        const deadline = Date.now() + timeoutMs;
        while (!(await condition())) {
          if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms`);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }

      /** Two processes on one database; each has looked the key up while it hears key changes. */
      async function twoProcesses() {
        const db = await database();
        // b's subscription is cut on purpose below; its report of that is expected.
        const [a, b] = [open(db), open(db, { onError: () => undefined })];
        const user = await a.createUser(alice);
        await a.setApiKey(user.userId, 'hash-1', 'gh_1');
        for (const store of [a, b]) {
          await store.findPrincipalByKeyHash('hash-1');
          await waitUntil(() => store.listenerBackendPid !== null);
          expect(await store.findPrincipalByKeyHash('hash-1')).toMatchObject({ userId: user.userId });
        }
        return { db, a, b, user };
      }

      it('answers a key it has just found without reading it again, for at most a second', async () => {
        const { db, b, user } = await twoProcesses();
        // Revoked behind gridhook's back: no notification, so only the entry's age ends it.
        await adminRows(db, `UPDATE api_keys SET revoked_at = 1 WHERE user_id = ${user.userId}`);
        expect(await b.findPrincipalByKeyHash('hash-1')).toMatchObject({ userId: user.userId });
        await until(async () => (await b.findPrincipalByKeyHash('hash-1')) === null, 2_000);
      });

      it('stops answering a key another process replaced, as soon as the change commits', async () => {
        const { a, b, user } = await twoProcesses();
        await a.setApiKey(user.userId, 'hash-2', 'gh_2');
        await until(async () => (await b.findPrincipalByKeyHash('hash-1')) === null, 300);
        expect(await b.findPrincipalByKeyHash('hash-2')).toMatchObject({ userId: user.userId });
      });

      it("stops answering a suspended user's key, as soon as the change commits, in both processes", async () => {
        const { a, b, user } = await twoProcesses();
        expect(await a.findPrincipalByKeyHash('hash-1')).toMatchObject({ userId: user.userId });
        await b.updateUserStatus(user.userId, 'Suspended');
        expect(await b.findPrincipalByKeyHash('hash-1')).toBeNull();
        await until(async () => (await a.findPrincipalByKeyHash('hash-1')) === null, 300);
      });

      it('does not keep a key it read while a change to keys was heard', async () => {
        const db = await database();
        const reader = `keys-reader-${process.pid}`;
        const [a, b] = [open(db), open(db, { applicationName: reader })];
        const user = await a.createUser(alice);
        await a.setApiKey(user.userId, 'hash-1', 'gh_1');
        // Its first call starts b's subscription; a key not found is never kept.
        expect(await b.findPrincipalByKeyHash('hash-unknown')).toBeNull();
        await waitUntil(() => b.listenerBackendPid !== null);

        // b's read of the key waits behind a lock while a change to keys is announced.
        const holder = new pg.Client({ connectionString: db.url });
        await holder.connect();
        try {
          await holder.query('BEGIN');
          await holder.query('LOCK TABLE api_keys IN ACCESS EXCLUSIVE MODE');
          const read = b.findPrincipalByKeyHash('hash-1');
          await waitUntilAsync(async () => (await waitingBackends(reader)).length > 0);
          await adminRows(db, `NOTIFY ${KEYS_CHANNEL}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
          await holder.query('ROLLBACK');
          expect(await read).toMatchObject({ userId: user.userId });
        } finally {
          await holder.end();
        }

        // What it read before the change is not answered again: revoked behind gridhook's back, it is refused at once.
        await adminRows(db, `UPDATE api_keys SET revoked_at = 1 WHERE user_id = ${user.userId}`);
        expect(await b.findPrincipalByKeyHash('hash-1')).toBeNull();
      });

      it('forgets every key when its subscription drops, and reads them until it hears again', async () => {
        const { db, b, user } = await twoProcesses();
        const pid = b.listenerBackendPid!;
        await adminQuery('SELECT pg_terminate_backend($1)', [pid]);
        await adminRows(db, `UPDATE api_keys SET revoked_at = 1 WHERE user_id = ${user.userId}`);
        await waitUntil(() => b.listenerBackendPid !== null && b.listenerBackendPid !== pid, 5_000);
        expect(await b.findPrincipalByKeyHash('hash-1')).toBeNull();
      });
    });

    it('a process is not woken twice by its own commits', async () => {
      const store = open(await database());
      await store.createCallback(newCallback(), T0);
      let heard = 0;
      store.onNewWork(() => {
        heard += 1;
      });
      await waitUntil(() => store.listenerBackendPid !== null);
      heard = 0;
      await store.publishEvents([eventInput()], { now: T0 });
      await waitUntil(() => heard === 1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(heard).toBe(1);
    });

    it('a publish whose own claim took every due event wakes no other process; one that left work does', async () => {
      const { a, heard } = await publisherAndListener();
      const claim = (limit: number, taken: DeliveryJob[][]) => ({
        request: { workerId: 'a', now: T0, leaseMs: LEASE_MS, limit, perCallbackLimit: 10 },
        take: (jobs: DeliveryJob[]) => taken.push(jobs),
      });

      const settled: DeliveryJob[][] = [];
      await a.publishEvents([eventInput({ parcelId: 1 })], { now: T0, claim: claim(10, settled) });
      expect(settled.flat()).toHaveLength(1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(heard()).toBe(0);

      // A full claim may have left due events behind: the others must look.
      const full: DeliveryJob[][] = [];
      await a.publishEvents([eventInput({ parcelId: 2 }), eventInput({ parcelId: 3 })], { now: T0, claim: claim(1, full) });
      expect(full.flat()).toHaveLength(1);
      await waitUntil(() => heard() > 0, 1_000);
    });

    it('announces a burst of commits a few times, not once per commit', async () => {
      const { a, heard } = await publisherAndListener();
      const started = performance.now();
      const publishes = 60;
      for (let i = 0; i < publishes; i++) await a.publishEvents([eventInput({ parcelId: i + 1 })], { now: T0 });
      const elapsedMs = performance.now() - started;
      await waitUntil(() => heard() > 0, 1_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      // At most one announcement per 10 ms, plus the last one after the burst.
      expect(heard()).toBeLessThanOrEqual(Math.floor(elapsedMs / 10) + 2);
      expect(heard()).toBeLessThan(publishes);
    });

    it('survives its LISTEN connection being killed, reconnects and hears again', async () => {
      const db = await database();
      const errors: Error[] = [];
      const a = open(db);
      const b = open(db, { onError: (error) => errors.push(error) });
      await a.createCallback(newCallback(), T0);
      let heard = 0;
      b.onNewWork(() => {
        heard += 1;
      });
      await waitUntil(() => b.listenerBackendPid !== null);
      const first = b.listenerBackendPid!;

      await adminQuery('SELECT pg_terminate_backend($1)', [first]);
      await waitUntil(() => errors.length > 0);
      expect(errors[0]?.message).toMatch(/LISTEN connection/);
      // Reconnecting wakes the listener once: notifications sent meanwhile were lost.
      const beforeReconnect = heard;
      await waitUntil(() => b.listenerBackendPid !== null && b.listenerBackendPid !== first, 5_000);
      await waitUntil(() => heard > beforeReconnect);

      const before = heard;
      await a.publishEvents([eventInput()], { now: T0 });
      await waitUntil(() => heard > before, 1_000);
    });

    it('survives its pooled connections being killed, idle or in use, and carries on', async () => {
      const db = await database();
      const errors: Error[] = [];
      // Named apart from every other test run, whose connections must survive this one.
      const victim = `gridhook-victim-${process.pid}-${Date.now()}`;
      const store = open(db, { applicationName: victim, onError: (error) => errors.push(error) });
      const callback = await store.createCallback(newCallback(), T0);
      await Promise.all([store.ping(), store.ping(), store.ping()]);

      // Idle: the pool drops the dead clients and opens new ones.
      const killed = await adminQuery<{ pid: number }>(
        'SELECT pg_terminate_backend(pid), pid FROM pg_stat_activity WHERE application_name = $1',
        [victim],
      );
      expect(killed.rowCount).toBeGreaterThan(0);
      await waitUntil(() => errors.length >= (killed.rowCount ?? 0));
      await expect(store.ping()).resolves.toBeUndefined();

      // In use: a transaction waiting on a row lock loses its connection.
      const locker = new pg.Client({ connectionString: db.url });
      await locker.connect();
      try {
        await locker.query('BEGIN');
        await locker.query('SELECT 1 FROM callbacks WHERE id = $1 FOR UPDATE', [callback.callbackId]);
        const blocked = store.updateCallback(callback.callbackId, { retries: 9 }, T0);
        const outcome = blocked.then(
          () => null,
          (error: unknown) => error,
        );
        await waitUntilAsync(async () => (await waitingBackends(victim)).length > 0);
        for (const pid of await waitingBackends(victim)) await adminQuery('SELECT pg_terminate_backend($1)', [pid]);
        const error = await outcome;
        expect(error).toBeInstanceOf(GridhookError);
        expect((error as GridhookError).code).toBe('ServiceUnavailable');
        await locker.query('ROLLBACK');
      } finally {
        await locker.end();
      }
      expect(await store.updateCallback(callback.callbackId, { retries: 9 }, T0)).toMatchObject({ retries: 9 });
    });

    it('takes the oldest due events even when the walk of the oldest ones cannot settle the claim', async () => {
      // The claim first looks at the callbacks of the oldest 64 due events (for
      // a limit this small); here those are 63 of a's and b's first, so a and b
      // alone would give a1, a2, b1, b2 — but c's event is due before b2.
      const store = open(await database());
      for (const eventType of ['InBox', 'OutBox', 'InBoxError'] as const) {
        await store.createCallback(newCallback({ eventType }), T0);
      }
      const publish = async (eventType: 'InBox' | 'OutBox' | 'InBoxError', now: number) =>
        (await store.publishEvents([eventInput({ eventType })], { now })).eventIds[0]!;
      const aIds = [];
      for (let i = 0; i < 63; i++) aIds.push(await publish('InBox', T0 - 1_000 + i));
      const b1 = await publish('OutBox', T0 - 100);
      const c1 = await publish('InBoxError', T0 - 50);
      await publish('OutBox', T0);
      const jobs = await store.claimDueEvents({ workerId: 'w', now: T0, leaseMs: LEASE_MS, limit: 4, perCallbackLimit: 2 });
      expect(jobs.map((j) => j.eventId)).toEqual([aIds[0], aIds[1], b1, c1]);
    });

    it('claims a batch in one statement, fast even behind a large backlog', async () => {
      const store = open(await database());
      const busy = await store.createCallback(newCallback(), T0);
      const other = await store.createCallback(newCallback({ eventType: 'OutBox' }), T0);
      const backlog = Array.from({ length: 1_000 }, (_, i) => eventInput({ parcelId: i + 1 }));
      for (let i = 0; i < 10; i++) await store.publishEvents(backlog, { now: T0 - 10_000 });
      const [otherId] = (await store.publishEvents([eventInput({ eventType: 'OutBox' })], { now: T0 })).eventIds;

      const started = performance.now();
      const jobs = await store.claimDueEvents({ workerId: 'w', now: T0, leaseMs: LEASE_MS, limit: 20, perCallbackLimit: 16 });
      const firstMs = performance.now() - started;
      expect(jobs).toHaveLength(17);
      expect(jobs.filter((j) => j.callbackId === busy.callbackId)).toHaveLength(16);
      expect(jobs.at(-1)).toMatchObject({ eventId: otherId, callbackId: other.callbackId });
      expect(firstMs).toBeLessThan(2_000);
    });

    it('a batch of results written again after its commit was not acknowledged adds no attempt and counts none twice', async () => {
      const store = open(await database());
      const callback = await store.createCallback(newCallback(), T0);
      await store.publishEvents([eventInput(), eventInput()], { now: T0 });
      const [retried, delivered] = await store.claimDueEvents({
        workerId: 'w',
        now: T0,
        leaseMs: LEASE_MS,
        limit: 10,
        perCallbackLimit: 16,
      });
      const results = [
        attempt(retried!, 'Retry', { attemptKey: 'w#1' }),
        attempt(delivered!, 'Delivered', { attemptKey: 'w#2' }),
      ];
      await store.recordAttempts(results);
      // The same batch again, as the engine sends it when the connection
      // dropped after COMMIT; then once more through the claim path.
      await store.recordAttempts(results);
      await store.recordAndClaim(results, { workerId: 'w', now: T0 + 20, leaseMs: LEASE_MS, limit: 10, perCallbackLimit: 16 });
      for (const job of [retried!, delivered!]) {
        expect((await store.getEvent(job.eventId))?.attempts).toBe(1);
        expect(await store.listAttempts(job.eventId)).toHaveLength(1);
      }
      expect((await store.getEvent(delivered!.eventId))?.status).toBe('Delivered');

      // A new attempt of the retried event has a key of its own and counts.
      const [again] = await store.claimDueEvents({
        workerId: 'w',
        now: T0 + 60_000,
        leaseMs: LEASE_MS,
        limit: 10,
        perCallbackLimit: 16,
      });
      await store.recordAttempts([attempt(again!, 'Delivered', { attemptKey: 'w#3', startedAt: T0 + 60_000 })]);
      expect((await store.getEvent(retried!.eventId))?.attempts).toBe(2);
      expect(await store.listAttempts(retried!.eventId)).toHaveLength(2);
      expect(callback.callbackId).toBe(retried!.callbackId);
    });

    it('leases as a HOT update, touching no index of events, on pages a large publish filled', async () => {
      const db = await database();
      const store = open(db);
      await store.createCallback(newCallback(), T0);
      // Rows of the size real events have, a thousand to a publish: the pages
      // are as full as the fillfactor lets them be.
      const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      await store.publishEvents(
        Array.from({ length: 1_000 }, (_, i) => eventInput({ parcelId: i + 1, fileName: `X12-850-PO-2026120400${i}.edi` })),
        { now: T0, traceparent },
      );
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        await client.query('BEGIN');
        const leased = await client.query('SELECT id FROM claim_events($1, $2, $3, $4, $5, FALSE)', ['w', T0, T0 + LEASE_MS, 500, 500]);
        const { rows } = await client.query<{ updated: string; hot: string }>(
          `SELECT pg_stat_get_xact_tuples_updated('events'::regclass) AS updated,
                  pg_stat_get_xact_tuples_hot_updated('events'::regclass) AS hot`,
        );
        await client.query('COMMIT');
        expect(leased.rows).toHaveLength(500);
        expect(Number(rows[0]?.updated)).toBe(500);
        expect(Number(rows[0]?.hot)).toBeGreaterThanOrEqual(450);
      } finally {
        await client.end();
      }
    });

    it('claimers of one callback at once each come back with events while it is under its cap', async () => {
      const store = open(await database());
      await store.createCallback(newCallback(), T0);
      await store.publishEvents(Array.from({ length: 40 }, () => eventInput()), { now: T0 });
      const claim = (workerId: string) =>
        store.claimDueEvents({ workerId, now: T0, leaseMs: LEASE_MS, limit: 4, perCallbackLimit: 16 });
      for (let round = 0; round < 3; round++) {
        const claims = await Promise.all(['a', 'b', 'c', 'd'].map((id) => claim(`${id}${round}`)));
        // Four claims of four fill the cap of 16 at once; then it is full.
        expect(claims.map((jobs) => jobs.length)).toEqual(round === 0 ? [4, 4, 4, 4] : [0, 0, 0, 0]);
      }
    });
  });
}

async function adminRows<R extends pg.QueryResultRow>(db: TestDatabase, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

async function waitingBackends(applicationName: string): Promise<number[]> {
  const result = await adminQuery<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'",
    [applicationName],
  );
  return result.rows.map((r) => r.pid);
}

async function waitUntilAsync(condition: () => Promise<boolean>, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
