/**
 * A fresh database per scenario, on SQLite or PostgreSQL, and the direct
 * store access the bench needs around a gridhook run: seeding big queues
 * before it starts (faster than the API, and with no delivery racing the
 * seed) and counting event statuses after it stopped.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { sealNewSecret } from './sealing.js';
import type { EventStatus, EventType } from '../src/domain/types.js';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';
import { cpuTimeMs } from './processes.js';

export type StoreKind = 'sqlite' | 'postgres';

export interface BenchDatabase {
  kind: StoreKind;
  url: string;
  /** gridhook's data dir for this scenario (its log goes there too). */
  dataDir: string;
  drop(): Promise<void>;
}

export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Null when PostgreSQL can be used, else why not. */
export async function postgresUnavailable(adminUrl: string): Promise<string | null> {
  try {
    await withClient(adminUrl, (client) => client.query('SELECT 1'));
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message || error.name : String(error);
    return `no PostgreSQL at ${new URL(adminUrl).host} (${message})`;
  }
}

export async function createDatabase(
  kind: StoreKind,
  workDir: string,
  name: string,
  adminUrl: string,
): Promise<BenchDatabase> {
  const dataDir = path.join(workDir, name);
  fs.mkdirSync(dataDir, { recursive: true });
  if (kind === 'sqlite') {
    return {
      kind,
      url: `sqlite:${path.join(dataDir, 'gridhook.db')}`,
      dataDir,
      async drop() {
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const database = `gridhook_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${database}`));
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return {
    kind,
    url: url.toString(),
    dataDir,
    async drop() {
      fs.rmSync(dataDir, { recursive: true, force: true });
      await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
    },
  };
}

async function withStore<T>(url: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(url, { applicationName: 'gridhook-bench' });
  try {
    await store.migrate();
    return await fn(store);
  } finally {
    await store.close();
  }
}

export interface SeedRequest {
  /** Callback URLs; each gets its own callback of eventType in network 1, all mailboxes. */
  urls: string[];
  eventType: EventType;
  /** Events per callback. */
  events: number;
  /** Inputs per publishEvents call (one transaction each). */
  batch: number;
}

export interface SeedResult {
  callbackIds: number[];
  events: number;
  elapsedMs: number;
}

/**
 * Creates callbacks and queues events for them straight through the store,
 * while no gridhook runs. PostgreSQL is left unanalyzed on purpose: gridhook
 * then starts on a bulk-loaded queue its planner knows nothing about, the
 * hardest case for the claim (whose plans do not depend on statistics).
 */
export async function seed(url: string, request: SeedRequest): Promise<SeedResult> {
  return seedThroughStore(url, request);
}

async function seedThroughStore(url: string, request: SeedRequest): Promise<SeedResult> {
  return withStore(url, async (store) => {
    const callbackIds: number[] = [];
    for (const callbackUrl of request.urls) {
      const callback = await store.createCallback(
        {
          networkId: 1,
          mailboxId: 0,
          ecGridId: 0,
          url: callbackUrl,
          eventType: request.eventType,
          frequency: 1,
          retries: 3,
          status: 'Active',
          seal: sealNewSecret(),
        },
        Date.now(),
      );
      callbackIds.push(callback.callbackId);
    }
    const started = performance.now();
    let created = 0;
    for (let done = 0; done < request.events; done += request.batch) {
      const size = Math.min(request.batch, request.events - done);
      const inputs = Array.from({ length: size }, (_, i) => ({
        networkId: 1,
        mailboxId: 1,
        ecGridId: 0,
        eventType: request.eventType,
        parcelId: done + i + 1,
        fileName: `seed-${done + i + 1}.edi`,
      }));
      const result = await store.publishEvents(inputs, { now: Date.now() });
      created += result.eventIds.length;
    }
    return { callbackIds, events: created, elapsedMs: performance.now() - started };
  });
}

export type StatusCounts = Record<EventStatus, number>;

export async function countEvents(url: string): Promise<StatusCounts> {
  return withStore(url, async (store) => {
    const counts = {} as StatusCounts;
    for (const status of ['Pending', 'Delivered', 'Failed', 'Canceled'] as const) {
      counts[status] = (await store.listEvents({ status }, { pageNo: 1, recordsPerPage: 1, exactTotal: true })).totalRecords;
    }
    return counts;
  });
}

/**
 * Makes every callback FIFO and spreads its queued events over `keys` keys
 * (by id, so each key's events interleave with the others'), as events of
 * that many sender/recipient pairs would be. Written directly: seeded events
 * have no parcels to take their pairs from.
 */
export async function orderQueue(db: BenchDatabase, keys: number): Promise<void> {
  const statements = [
    "UPDATE callbacks SET ordering = 'fifo', ordering_key = 'partner'",
    `UPDATE events SET fifo_key = CAST(id % ${keys} AS TEXT) WHERE status = 'Pending'`,
  ];
  if (db.kind === 'postgres') {
    await withClient(db.url, async (client) => {
      for (const sql of statements) await client.query(sql);
    });
    return;
  }
  const sqlite = new Database(db.url.replace(/^sqlite:/, ''));
  try {
    for (const sql of statements) sqlite.prepare(sql).run();
  } finally {
    sqlite.close();
  }
}

/** What the PostgreSQL server has spent so far, for one database's work. */
export interface ServerUsage {
  /** CPU so far (ms) of this database's client backends and the cluster's background processes, by pid. */
  cpuMs: Map<number, number>;
  /** pg_current_wal_lsn() as a byte position: the cluster's WAL, every database's. */
  walBytes: number;
}

/**
 * Reads the server's CPU (from /proc, so only for a server on this machine)
 * and WAL position; null for SQLite or a server elsewhere. Backends of other
 * databases are left out; WAL cannot be told apart by database, so anything
 * else writing to the same server meanwhile counts too. Client backends are
 * read while they live: take the second reading before gridhook stops.
 */
export async function serverUsage(db: BenchDatabase): Promise<ServerUsage | null> {
  if (db.kind !== 'postgres') return null;
  const database = new URL(db.url).pathname.slice(1);
  return withClient(db.url, async (client) => {
    const { rows } = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
       WHERE (backend_type = 'client backend' AND datname = $1 AND pid <> pg_backend_pid())
          OR backend_type NOT IN ('client backend', 'autovacuum worker')`,
      [database],
    );
    const wal = await client.query<{ lsn: string }>("SELECT (pg_current_wal_lsn() - '0/0')::TEXT AS lsn");
    const cpuMs = new Map<number, number>();
    for (const { pid } of rows) {
      const used = cpuTimeMs(pid);
      if (used === null) return null;
      cpuMs.set(pid, used);
    }
    return { cpuMs, walBytes: Number(wal.rows[0]?.lsn ?? 0) };
  });
}

/** Server CPU (µs) and WAL (bytes) per delivery between two readings, or null. */
export function serverCostPerDelivery(
  before: ServerUsage | null,
  after: ServerUsage | null,
  deliveries: number,
): { cpuUsPerDelivery: number; walBytesPerDelivery: number } | null {
  if (before === null || after === null || deliveries <= 0) return null;
  // A process started in between (gridhook's connections) counts from zero.
  let cpuMs = 0;
  for (const [pid, used] of after.cpuMs) cpuMs += used - (before.cpuMs.get(pid) ?? 0);
  return {
    cpuUsPerDelivery: Math.round((cpuMs * 1000) / deliveries),
    walBytesPerDelivery: Math.round((after.walBytes - before.walBytes) / deliveries),
  };
}
