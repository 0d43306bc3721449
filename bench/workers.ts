/**
 * How delivery scales with `gridhook worker` processes on PostgreSQL. For
 * each worker count, on a fresh database: start the workers, let them
 * deliver a warm-up batch (default 250 inputs, so 5,000 events, not
 * measured) and go idle, then publish the whole batch (default 20 callbacks ×
 * 1,000 inputs = 20,000 events) in one transaction per 1,000 inputs, and
 * time from the first commit until a fast local receiver has every event.
 * Prints the rate, its ratio to one worker, and what was lost or sent twice
 * (both must be 0).
 *
 * The warm-up is there because workers run for days: a worker just started
 * runs its delivery path before V8 has optimised it, and four of them pay that
 * four times over on 20,000 events (measured without it: 130 ms of worker CPU
 * per 1,000 events for one worker, 235 for four; over 60,000 events, 107
 * against 127).
 *
 *   npm run build && node dist/bench/workers.js [--workers 1,2,4] [--callbacks 20]
 *     [--inputs 1000] [--warmup 250] [--repeat 1] [--per-callback-concurrency 16]
 *     [--pg-url postgres://postgres@127.0.0.1:5432/postgres]
 *
 * Every other setting is gridhook's default (delivery concurrency 128 per
 * process); the per-callback limit caps what all workers together may have
 * in flight: callbacks × that limit.
 *
 * Self-contained on purpose: it shares nothing with `npm run bench`, so the
 * two can change apart. Exits non-zero when an event was lost or duplicated.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { BENCH_ENCRYPTION_KEY, sealNewSecret } from './sealing.js';
import { openStore } from '../src/store/open-store.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'gridhook.js');
const INPUTS_PER_PUBLISH = 1_000;
const DELIVERY_DEADLINE_MS = 300_000;

interface Options {
  workers: number[];
  callbacks: number;
  inputs: number;
  /** Inputs published and delivered before the measured batch; 0 for none. */
  warmup: number;
  repeat: number;
  /** GRIDHOOK_PER_CALLBACK_CONCURRENCY of the workers. */
  perCallback: number;
  pgUrl: string;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      workers: { type: 'string', default: '1,2,4' },
      callbacks: { type: 'string', default: '20' },
      inputs: { type: 'string', default: '1000' },
      warmup: { type: 'string', default: '250' },
      repeat: { type: 'string', default: '1' },
      'per-callback-concurrency': { type: 'string', default: '16' },
      'pg-url': { type: 'string', default: process.env.GRIDHOOK_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    },
    strict: true,
  });
  const whole = (name: string, raw: string, max: number): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`--${name} must be a whole number from 1 to ${max}, got "${raw}"`);
    return value;
  };
  return {
    workers: String(values.workers).split(',').map((n) => whole('workers', n.trim(), 64)),
    callbacks: whole('callbacks', String(values.callbacks), 10_000),
    inputs: whole('inputs', String(values.inputs), 1_000_000),
    warmup: String(values.warmup) === '0' ? 0 : whole('warmup', String(values.warmup), 1_000_000),
    repeat: whole('repeat', String(values.repeat), 100),
    perCallback: whole('per-callback-concurrency', String(values['per-callback-concurrency']), 1_000),
    pgUrl: String(values['pg-url']),
  };
}

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system) a process has used, in ms; null where /proc cannot tell (not Linux, process gone). */
function cpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** CPU used by these processes since `before` was taken (all of it for one not in `before`). */
function cpuSince(before: Map<number, number>, pids: number[]): number {
  let total = 0;
  for (const pid of pids) total += Math.max(0, (cpuMs(pid) ?? 0) - (before.get(pid) ?? 0));
  return total;
}

function cpuSnapshot(pids: number[]): Map<number, number> {
  return new Map(pids.flatMap((pid) => {
    const ms = cpuMs(pid);
    return ms === null ? [] : [[pid, ms] as [number, number]];
  }));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000, application_name: 'gridhook-bench-workers' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Counts deliveries by eventId; the clock is performance.now() of this process. */
class Receiver {
  readonly #server: http.Server;
  readonly #seen = new Set<number>();
  /** Deliveries of events up to this id (the warm-up) are not counted. */
  #floor = 0;
  received = 0;
  lastAt = 0;
  port = 0;

  constructor() {
    this.#server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const { eventId } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { eventId: number };
        if (eventId > this.#floor) {
          this.received += 1;
          this.#seen.add(eventId);
          this.lastAt = performance.now();
        }
        res.writeHead(200, { 'content-length': '0' });
        res.end();
      });
    });
    // The sender keeps connections alive between attempts; so must the receiver.
    this.#server.keepAliveTimeout = 60_000;
  }

  get unique(): number {
    return this.#seen.size;
  }

  /** Starts counting afresh, from events after `eventId`. */
  countAfter(eventId: number): void {
    this.#floor = eventId;
    this.#seen.clear();
    this.received = 0;
    this.lastAt = 0;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

interface Worker {
  child: ChildProcess;
  exited: Promise<unknown>;
}

/** Starts `gridhook worker` and resolves once it logged that it started. */
async function startWorker(env: Record<string, string>): Promise<Worker> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GRIDHOOK_')));
  const child = spawn(process.execPath, [CLI, 'worker'], { env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const tail: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gridhook worker did not start within 30 s:\n${tail.join('\n')}`)), 30_000);
    const onLine = (line: string): void => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      if (line.includes('"gridhook started"')) {
        clearTimeout(timer);
        resolve();
      }
    };
    readline.createInterface({ input: child.stdout! }).on('line', onLine);
    readline.createInterface({ input: child.stderr! }).on('line', onLine);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`gridhook worker ended before starting:\n${tail.join('\n')}`));
    });
  });
  return { child, exited };
}

async function stopWorker(worker: Worker): Promise<void> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  worker.child.kill('SIGTERM');
  const timer = setTimeout(() => worker.child.kill('SIGKILL'), 20_000);
  await worker.exited;
  clearTimeout(timer);
}

interface RunResult {
  workers: number;
  events: number;
  /** From the first publish commit to the last receipt. */
  seconds: number;
  rate: number;
  duplicates: number;
  lost: number;
  /** Events not recorded as Delivered once every one had arrived (should be 0). */
  unrecorded: number;
  /** CPU ms per 1,000 events: all worker processes together, and the database's backends for them. */
  cpuPerThousand: { workers: number; database: number };
  /** Of the updates of event rows, the share that were HOT (wrote no index entry). */
  hotShare: number | null;
  /** WAL written from the first publish until every event was recorded, per event. */
  walBytesPerEvent: number;
}

async function run(options: Options, workerCount: number): Promise<RunResult> {
  const database = `gridhook_bench_workers_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = new URL(options.pgUrl);
  url.pathname = `/${database}`;
  const databaseUrl = url.toString();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-bench-workers-'));
  await withClient(options.pgUrl, (admin) => admin.query(`CREATE DATABASE ${database}`));
  const receiver = new Receiver();
  const workers: Worker[] = [];
  const store = await openStore(databaseUrl, { applicationName: 'gridhook-bench-publisher' });
  try {
    await receiver.listen();
    await store.migrate();
    for (let i = 0; i < options.callbacks; i += 1) {
      await store.createCallback(
        {
          networkId: 1,
          mailboxId: 0,
          ecGridId: 0,
          url: `http://127.0.0.1:${receiver.port}/hook`,
          eventType: 'InBox',
          frequency: 1,
          retries: 3,
          status: 'Active',
          seal: sealNewSecret(),
        },
        Date.now(),
      );
    }
    const env = {
      GRIDHOOK_DATABASE_URL: databaseUrl,
      GRIDHOOK_DATA_DIR: dataDir,
      GRIDHOOK_ENCRYPTION_KEY: BENCH_ENCRYPTION_KEY,
      GRIDHOOK_ALLOW_PRIVATE_URLS: 'true',
      GRIDHOOK_LOG_LEVEL: 'info',
      // Each worker serves /metrics on a port of its own; several cannot share the default.
      GRIDHOOK_PORT: '0',
      GRIDHOOK_RETENTION_DAYS: '0',
      GRIDHOOK_PER_CALLBACK_CONCURRENCY: String(options.perCallback),
    };
    workers.push(...(await Promise.all(Array.from({ length: workerCount }, () => startWorker(env)))));
    // Every worker subscribed, so the publish wakes them all at once rather than at their next poll.
    for (const deadline = Date.now() + 10_000; ; await sleep(20)) {
      const { rows } = await withClient(options.pgUrl, (admin) =>
        admin.query<{ n: string }>(
          "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'gridhook-worker-%-listen' AND query ILIKE 'LISTEN%'",
          [database],
        ),
      );
      if (Number(rows[0]?.n) >= workerCount) break;
      if (Date.now() > deadline) throw new Error('the workers did not subscribe to new work within 10 s');
    }

    const backends = async (): Promise<number[]> =>
      (
        await withClient(options.pgUrl, (admin) =>
          admin.query<{ pid: number }>(
            "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'gridhook-worker-%'",
            [database],
          ),
        )
      ).rows.map((row) => row.pid);
    /** Publishes `inputs` inputs; answers when the first commit was made, the events and the last id. */
    const publish = async (inputs: number, firstParcel: number) => {
      let firstCommitAt = 0;
      let events = 0;
      let lastId = 0;
      for (let done = 0; done < inputs; done += INPUTS_PER_PUBLISH) {
        const size = Math.min(INPUTS_PER_PUBLISH, inputs - done);
        const result = await store.publishEvents(
          Array.from({ length: size }, (_, i) => ({
            eventType: 'InBox' as const,
            networkId: 1,
            mailboxId: 1,
            ecGridId: 0,
            parcelId: firstParcel + done + i,
            fileName: `bench-${firstParcel + done + i}.edi`,
          })),
          { now: Date.now() },
        );
        firstCommitAt ||= performance.now();
        events += result.eventIds.length;
        lastId = result.eventIds.at(-1) ?? lastId;
      }
      return { firstCommitAt, events, lastId };
    };
    const delivered = async (events: number): Promise<void> => {
      const deadline = Date.now() + DELIVERY_DEADLINE_MS;
      while (receiver.unique < events && Date.now() < deadline) await sleep(20);
    };

    if (options.warmup > 0) {
      const warmup = await publish(options.warmup, 1);
      await delivered(warmup.events);
      if (receiver.unique < warmup.events) throw new Error('the warm-up batch was not delivered within 300 s');
      // Every warm-up result recorded, so the measured batch starts on idle workers.
      await unrecordedAfterWaiting(databaseUrl);
      receiver.countAfter(warmup.lastId);
    }
    const hotBefore = await eventUpdates(databaseUrl, options.warmup > 0);

    const workerPids = workers.map((worker) => worker.child.pid as number);
    const workersBefore = cpuSnapshot(workerPids);
    const databaseBefore = cpuSnapshot(await backends());
    const walBefore = await walPosition(databaseUrl);

    const { firstCommitAt, events } = await publish(options.inputs, options.warmup + 1);
    await delivered(events);
    const seconds = (receiver.lastAt - firstCommitAt) / 1000;
    const workersCpu = cpuSince(workersBefore, workerPids);
    const databaseCpu = cpuSince(databaseBefore, await backends());

    const unrecorded = await unrecordedAfterWaiting(databaseUrl);
    const walBytes = (await walPosition(databaseUrl)) - walBefore;
    const hotAfter = await eventUpdates(databaseUrl, true);
    const updates = hotAfter.updates - hotBefore.updates;
    const hotShare = updates > 0 ? (hotAfter.hot - hotBefore.hot) / updates : null;
    return {
      workers: workerCount,
      events,
      seconds,
      rate: events / seconds,
      duplicates: receiver.received - receiver.unique,
      lost: events - receiver.unique,
      unrecorded,
      cpuPerThousand: {
        workers: Math.round((workersCpu * 1000) / events),
        database: Math.round((databaseCpu * 1000) / events),
      },
      hotShare,
      walBytesPerEvent: Math.round(walBytes / events),
    };
  } finally {
    await Promise.all(workers.map(stopWorker));
    await store.close();
    await receiver.close();
    await withClient(options.pgUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Events not yet recorded as Delivered (or still leased), once none are or after 10 s. */
async function unrecordedAfterWaiting(databaseUrl: string): Promise<number> {
  for (const until = Date.now() + 10_000; ; await sleep(50)) {
    const { rows } = await withClient(databaseUrl, (client) =>
      client.query<{ n: string }>("SELECT count(*) AS n FROM events WHERE status <> 'Delivered' OR lease_owner IS NOT NULL"),
    );
    const unrecorded = Number(rows[0]?.n);
    if (unrecorded === 0 || Date.now() >= until) return unrecorded;
  }
}

async function walPosition(databaseUrl: string): Promise<number> {
  const { rows } = await withClient(databaseUrl, (client) =>
    client.query<{ at: string }>("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::BIGINT AS at"),
  );
  return Number(rows[0]?.at);
}

/**
 * Updates of event rows so far, and how many were HOT. The workers'
 * backends report their table counts when idle, at most a second late:
 * waited for, unless nothing has run yet.
 */
async function eventUpdates(databaseUrl: string, settle: boolean): Promise<{ updates: number; hot: number }> {
  if (settle) await sleep(1_500);
  const { rows } = await withClient(databaseUrl, (client) =>
    client.query<{ upd: string; hot: string }>(
      "SELECT n_tup_upd AS upd, n_tup_hot_upd AS hot FROM pg_stat_user_tables WHERE relname = 'events'",
    ),
  );
  return { updates: Number(rows[0]?.upd ?? 0), hot: Number(rows[0]?.hot ?? 0) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'main.js'))) throw new Error('run `npm run build` first');
  await withClient(options.pgUrl, (admin) => admin.query('SELECT 1'));
  process.stderr.write(
    `gridhook worker scaling on PostgreSQL: ${options.callbacks} callbacks × ${options.inputs} inputs ` +
      `(after a warm-up of ${options.warmup}), ` +
      `per-callback concurrency ${options.perCallback}, ` +
      `${os.availableParallelism()} CPUs, load ${os.loadavg()[0]?.toFixed(1)}\n`,
  );
  const results: RunResult[] = [];
  for (let round = 1; round <= options.repeat; round += 1) {
    for (const workers of options.workers) {
      const result = await run(options, workers);
      results.push(result);
      process.stderr.write(
        `  round ${round}, ${workers} worker(s): ${Math.round(result.rate)}/s (${result.seconds.toFixed(2)} s), ` +
          `CPU per 1,000 events: workers ${result.cpuPerThousand.workers} ms, database ${result.cpuPerThousand.database} ms; ` +
          `WAL ${result.walBytesPerEvent} B per event, ${result.hotShare === null ? '–' : Math.round(result.hotShare * 100)}% of event updates HOT; ` +
          `duplicates ${result.duplicates}, lost ${result.lost}, unrecorded ${result.unrecorded}\n`,
      );
    }
  }

  const rateOf = (workers: number) => median(results.filter((r) => r.workers === workers).map((r) => r.rate));
  const base = rateOf(options.workers[0] as number);
  const lines = ['workers  events/s  ratio  CPU ms/1k events: workers  database  duplicates  lost  unrecorded'];
  for (const workers of options.workers) {
    const runs = results.filter((r) => r.workers === workers);
    const sum = (pick: (r: RunResult) => number) => runs.reduce((total, r) => total + pick(r), 0);
    const rate = rateOf(workers);
    const cpu = (pick: (r: RunResult) => number) => String(Math.round(median(runs.map(pick))));
    lines.push(
      `${String(workers).padStart(7)}  ${String(Math.round(rate)).padStart(8)}  ${(rate / base).toFixed(2).padStart(5)}  ` +
        `${cpu((r) => r.cpuPerThousand.workers).padStart(26)}  ${cpu((r) => r.cpuPerThousand.database).padStart(8)}  ` +
        `${String(sum((r) => r.duplicates)).padStart(10)}  ${String(sum((r) => r.lost)).padStart(4)}  ` +
        `${String(sum((r) => r.unrecorded)).padStart(10)}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write(`${JSON.stringify({ options, results })}\n`);
  return results.every((r) => r.duplicates === 0 && r.lost === 0 && r.unrecorded === 0) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
