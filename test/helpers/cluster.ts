/**
 * Several real `gridhook` processes on one database, for the scale and
 * operations tests: suites that need PostgreSQL, a read-only look into the
 * database the processes share (both stores have the same tables and
 * columns), queueing events straight through the store, and a tally of what
 * a receiver got.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, it } from 'vitest';
import { generateSecret } from '../../src/delivery/signature.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import type { GridhookProcess } from './process.js';
import { adminQuery, postgresAvailable } from './postgres.js';
import type { Receiver } from './receiver.js';
import { sealedWithTestBox } from './sealing.js';

/**
 * A suite that needs PostgreSQL. Without a server it reports itself skipped,
 * with the reason; on CI (CI=true) a missing server fails it instead, so the
 * PostgreSQL half can never silently stop running there.
 */
export function describeWithPostgres(
  title: string,
  availability: Awaited<ReturnType<typeof postgresAvailable>>,
  body: () => void,
): void {
  if (availability.ok) {
    describe(title, body);
  } else if (process.env.CI === 'true') {
    describe(title, () => {
      it('has a PostgreSQL server to test against, as CI requires', () => {
        throw new Error(`${availability.reason}; set GRIDHOOK_TEST_DATABASE_URL`);
      });
    });
  } else {
    describe.skip(`${title} (skipped: ${availability.reason})`, () => {
      it('needs a PostgreSQL server (set GRIDHOOK_TEST_DATABASE_URL)', () => undefined);
    });
  }
}

/** Read-only SQL against the shared database; `?` placeholders on both stores. */
export interface Inspector {
  rows<R>(sql: string, params?: unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

export async function openInspector(databaseUrl: string): Promise<Inspector> {
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) {
    const client = new pg.Client({ connectionString: databaseUrl, application_name: 'gridhook-test-inspector' });
    client.on('error', () => undefined);
    await client.connect();
    return {
      async rows<R>(sql: string, params: unknown[] = []) {
        let n = 0;
        const result = await client.query(sql.replace(/\?/g, () => `$${++n}`), params);
        return result.rows as R[];
      },
      close: () => client.end(),
    };
  }
  const db = new Database(databaseUrl.replace(/^sqlite:/, ''), { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return {
    async rows<R>(sql: string, params: unknown[] = []) {
      return db.prepare(sql).all(...params) as R[];
    },
    async close() {
      db.close();
    },
  };
}

export interface QueueState {
  Pending: number;
  Delivered: number;
  Failed: number;
  Canceled: number;
  /** Events with a lease owner or lease time still set. */
  leased: number;
}

export async function queueState(db: Inspector): Promise<QueueState> {
  const state: QueueState = { Pending: 0, Delivered: 0, Failed: 0, Canceled: 0, leased: 0 };
  for (const row of await db.rows<{ status: keyof QueueState; n: number | string }>(
    'SELECT status, count(*) AS n FROM events GROUP BY status',
  )) {
    state[row.status] = Number(row.n);
  }
  const [leased] = await db.rows<{ n: number | string }>(
    'SELECT count(*) AS n FROM events WHERE lease_owner IS NOT NULL OR lease_until IS NOT NULL',
  );
  state.leased = Number(leased?.n ?? 0);
  return state;
}

/** Ids of the Pending events a worker holds a lease on. */
export async function leasedTo(db: Inspector, workerId: string): Promise<number[]> {
  const rows = await db.rows<{ id: number | string }>(
    "SELECT id FROM events WHERE lease_owner = ? AND status = 'Pending' ORDER BY id",
    [workerId],
  );
  return rows.map((row) => Number(row.id));
}

/**
 * Stops a worker (SIGSTOP) at a moment it holds leases and answers them; it
 * stays stopped. Stopped first, so that its leases cannot change between
 * reading and whatever the test does next: a worker that writes results and
 * claims again in quick succession may hold none at the moment it is caught,
 * and is then let go to try again.
 */
export async function stopHoldingLeases(db: Inspector, proc: GridhookProcess, workerId: string): Promise<Set<number>> {
  let held = new Set<number>();
  for (let tries = 0; held.size === 0 && tries < 50; tries++) {
    if (tries > 0) proc.child.kill('SIGCONT');
    await waitFor('the worker to stop in the middle of deliveries', async () => (await leasedTo(db, workerId)).length > 0, 20_000, 5);
    proc.child.kill('SIGSTOP');
    try {
      // A commit already sent lands before the read.
      await new Promise((resolve) => setTimeout(resolve, 50));
      held = new Set(await leasedTo(db, workerId));
    } catch (error) {
      // A stopped process would not hear the cleanup's SIGTERM.
      proc.child.kill('SIGCONT');
      throw error;
    }
  }
  return held;
}

/** Waits until all `events` are Delivered and no lease is left; answers that state. */
export async function waitForCleanQueue(db: Inspector, events: number): Promise<QueueState> {
  return waitFor(
    'a clean queue',
    async () => {
      const state = await queueState(db);
      return state.Delivered === events && state.Pending === 0 && state.leased === 0 ? state : null;
    },
    15_000,
    100,
  );
}

/** Attempts recorded as failed (no answer, or not 200), by event. */
export async function failedAttemptsByEvent(db: Inspector): Promise<Map<number, number>> {
  const rows = await db.rows<{ event_id: number | string; n: number | string }>(
    'SELECT event_id, count(*) AS n FROM attempts WHERE http_status IS NULL OR http_status <> 200 GROUP BY event_id',
  );
  return new Map(rows.map((row) => [Number(row.event_id), Number(row.n)]));
}

/** Opens the store as gridhook does and runs fn on it (creating the schema on a new SQLite file). */
export async function withStore<T>(databaseUrl: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(databaseUrl, { applicationName: 'gridhook-test-publisher' });
  try {
    await store.migrate();
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** One Active InBox callback (network 1, every mailbox) per URL; answers their ids. */
export async function createCallbacks(store: Store, urls: string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const url of urls) {
    const callback = await store.createCallback(
      {
        networkId: 1,
        mailboxId: 0,
        ecGridId: 0,
        url,
        eventType: 'InBox',
        frequency: 1,
        retries: 5,
        status: 'Active',
        seal: sealedWithTestBox(generateSecret()),
      },
      Date.now(),
    );
    ids.push(callback.callbackId);
  }
  return ids;
}

/**
 * Publishes `inputs` InBox events in mailbox 1, `batch` inputs per
 * transaction; each fans out to every callback. Answers the event ids.
 */
export async function publishInBox(store: Store, inputs: number, batch = 100): Promise<number[]> {
  const eventIds: number[] = [];
  for (let done = 0; done < inputs; done += batch) {
    const size = Math.min(batch, inputs - done);
    const result = await store.publishEvents(
      Array.from({ length: size }, (_, i) => ({
        eventType: 'InBox' as const,
        networkId: 1,
        mailboxId: 1,
        ecGridId: 0,
        parcelId: done + i + 1,
        fileName: `order-${done + i + 1}.edi`,
      })),
      { now: Date.now() },
    );
    eventIds.push(...result.eventIds);
  }
  return eventIds;
}

/** Counts what a receiver got, by eventId, reading only requests that arrived since the last look. */
export class DeliveryTally {
  readonly #receiver: Receiver;
  #read = 0;
  readonly #byEvent = new Map<number, number>();

  constructor(receiver: Receiver) {
    this.#receiver = receiver;
  }

  #update(): void {
    const requests = this.#receiver.requests;
    for (; this.#read < requests.length; this.#read += 1) {
      const { eventId } = requests[this.#read]!.json<{ eventId: number }>();
      this.#byEvent.set(eventId, (this.#byEvent.get(eventId) ?? 0) + 1);
    }
  }

  /** Distinct events received. */
  get unique(): number {
    this.#update();
    return this.#byEvent.size;
  }

  get requests(): number {
    this.#update();
    return this.#read;
  }

  /** Events received more than once, with how many times. */
  duplicated(): Map<number, number> {
    this.#update();
    return new Map([...this.#byEvent].filter(([, count]) => count > 1));
  }

  eventIds(): Set<number> {
    this.#update();
    return new Set(this.#byEvent.keys());
  }
}

/** The workerId a process logged when it started (its lease owner name). */
export function workerIdOf(proc: GridhookProcess): string {
  for (const line of proc.lines) {
    if (!line.includes('"gridhook started"')) continue;
    const workerId = (JSON.parse(line) as { workerId?: unknown }).workerId;
    if (typeof workerId === 'string') return workerId;
  }
  throw new Error(`no workerId in the log of process ${proc.child.pid}`);
}

/** Polls `check` every intervalMs until it answers a truthy value; fails naming `what` after timeoutMs. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs: number,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Whether the process is still running. */
export function alive(proc: GridhookProcess): boolean {
  return proc.child.exitCode === null && proc.child.signalCode === null;
}

/** Every JSON line the process logged (pino), in order. */
export function logEntries(proc: GridhookProcess): Record<string, unknown>[] {
  const entries: Record<string, unknown>[] = [];
  for (const line of proc.lines) {
    if (!line.startsWith('{')) continue;
    try {
      entries.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // A line cut short by the process ending.
    }
  }
  return entries;
}

/** Resolves once a process's LISTEN connection to PostgreSQL is up: from then on it hears every commit. */
export async function waitForListener(databaseUrl: string, proc: GridhookProcess, role = 'worker'): Promise<void> {
  const database = new URL(databaseUrl).pathname.slice(1);
  await waitFor(
    `the LISTEN connection of gridhook ${role} ${proc.child.pid}`,
    async () =>
      (
        await adminQuery(
          "SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND application_name = $2 AND query ILIKE 'LISTEN%'",
          [database, `gridhook-${role}-${proc.child.pid}-listen`],
        )
      ).rowCount,
    10_000,
  );
}
