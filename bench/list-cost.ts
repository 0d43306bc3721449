/**
 * What a list costs with a big history. A `gridhook serve` on a database given
 * N finished events (default 5,000,000, over 30 days, across 50 callbacks and
 * 5 mailboxes, with one attempt each for the last day's) answers the calls a
 * console and a paging client make, one at a time, each sampled many times:
 * event lists by scope, filter and cursor, the overview and the callbacks'
 * health. Then it drains a burst of fresh events to a local receiver, alone
 * and beside a client paging through the history, 100 events a page, as fast
 * as the default per-key rate limit lets one API key (100 calls a second):
 * the ratio says whether paging slows delivery. The drain is measured twice:
 * in `gridhook serve`, and with `gridhook api` and `gridhook worker` apart.
 *
 * `npm run bench` runs it as the `lists` scenario; on its own:
 *
 *   npm run build && node dist/bench/list-cost.js [--store sqlite|postgres] [--events 5000000] [--samples 200]
 *
 * Self-contained on purpose, like backup-stall.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import pg from 'pg';
import { DEFAULT_PG_URL } from './databases.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'gridhook.js');
const ROOT_KEY = 'gh_bench_list_cost_root_key_0123456789ab';
const DAY = 86_400_000;
const CALLBACKS = 50;
const MAILBOXES = 5;
const PAGER_PER_SECOND = 100;
const DRAIN_PAIRS = 3;

export interface ListCostOptions {
  store: 'sqlite' | 'postgres';
  events: number;
  samples: number;
  /** Fresh events drained alone and beside the paging client. */
  burst: number;
  pgUrl: string;
}

export interface CallFigures {
  call: string;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The first call of the kind (caches cold), apart from the samples. */
  firstMs: number;
}

/** Deliveries per second of a burst alone and beside the pager (medians of alternating pairs), and the ratio (1 = unaffected). */
export interface DrainFigures {
  alonePerSecond: number;
  pagingPerSecond: number;
  ratio: number;
  pagesRead: number;
}

export interface ListCostReport {
  store: string;
  events: number;
  seedSeconds: number;
  calls: CallFigures[];
  /** In `gridhook serve`. */
  drain: DrainFigures;
  /** With `gridhook api` and `gridhook worker` apart. */
  splitDrain: DrainFigures;
  /** The fresh events of the bursts (a warm-up, alone, beside the pager; for each shape) and what the receiver had of them. */
  delivery: { published: number; received: number; unique: number };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

const round = (n: number): number => Math.round(n * 10) / 10;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** One gridhook process: `serve` (API and delivery in one), or `api` or `worker` alone. */
async function startGridhook(command: 'serve' | 'api' | 'worker', env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string | null }> {
  const child = spawn(process.execPath, [CLI, command], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const log = fs.createWriteStream(path.join(env.GRIDHOOK_DATA_DIR!, `${command}.log`), { flags: 'a' });
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') process.stderr.write(`gridhook ${command} ended (${code ?? signal}); its log: ${log.path}\n`);
  });
  const url = await new Promise<string | null>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`gridhook ${command} ended (${code}) before starting`)));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      log.write(`${line}\n`);
      if (line.includes('"gridhook started"')) resolve((JSON.parse(line) as { url: string | null }).url);
    });
  });
  return { child, url };
}

/** The processes of one deployment and the API's address. */
interface Deployment {
  url: string;
  stop(): Promise<void>;
}

/** `gridhook serve`, or `gridhook api` beside `gridhook worker` on the same database. */
async function deploy(shape: 'serve' | 'split', env: NodeJS.ProcessEnv): Promise<Deployment> {
  const processes = shape === 'serve' ? [await startGridhook('serve', env)] : [await startGridhook('api', env), await startGridhook('worker', env)];
  return {
    url: processes[0]!.url!,
    async stop() {
      await Promise.all(
        processes.map(async ({ child }) => {
          child.kill('SIGTERM');
          if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
        }),
      );
    },
  };
}

async function call(base: string, key: string, method: 'GET' | 'POST', route: string, body?: unknown): Promise<any> {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const answer = (await response.json()) as { success: boolean; data: unknown };
  if (!answer.success) throw new Error(`${method} ${route}: ${JSON.stringify(answer)}`);
  return answer.data;
}

/** Columns of a seeded event: i from 1 to N, the oldest first. */
function seedColumns(now: number, events: number) {
  const spacing = (30 * DAY) / events;
  return { spacing, start: now - 30 * DAY };
}

function seedSqlite(file: string, events: number, callbackIds: number[], mailboxIds: number[], now: number): void {
  const db = new Database(file);
  db.pragma('busy_timeout = 60000');
  const { spacing, start } = seedColumns(now, events);
  db.exec('CREATE TEMP TABLE cb (k INTEGER PRIMARY KEY, id INTEGER)');
  db.exec('CREATE TEMP TABLE mb (k INTEGER PRIMARY KEY, id INTEGER)');
  callbackIds.forEach((id, k) => db.prepare('INSERT INTO cb VALUES (?, ?)').run(k, id));
  mailboxIds.forEach((id, k) => db.prepare('INSERT INTO mb VALUES (?, ?)').run(k, id));
  db.transaction(() => {
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @events)
       INSERT INTO events (webhook_id, callback_id, event_type, network_id, mailbox_id, ecgrid_id, parcel_id, file_name,
         is_test, status, attempts, max_attempts, last_attempt_at, last_http_status, created_at, finished_at)
       SELECT 'evt_' || lower(hex(randomblob(16))), (SELECT id FROM cb WHERE k = i % ${CALLBACKS}),
         CASE WHEN i % 10 = 0 THEN 'InBox' ELSE 'OutBox' END, 1, (SELECT id FROM mb WHERE k = i % ${MAILBOXES}), 0,
         CASE WHEN i % 4 = 0 THEN i ELSE 0 END, 'history-' || i || '.edi', 0,
         CASE WHEN i % 100 < 2 THEN 'Failed' WHEN i % 100 = 2 THEN 'Canceled' ELSE 'Delivered' END,
         1, 4, CAST(@start + i * @spacing AS INTEGER), CASE WHEN i % 100 < 2 THEN 500 ELSE 200 END,
         CAST(@start + i * @spacing AS INTEGER), CAST(@start + i * @spacing AS INTEGER) + 100
       FROM n`,
    ).run({ events, start, spacing });
    db.prepare(
      `INSERT INTO attempts (event_id, worker_id, started_at, duration_ms, http_status, error)
       SELECT id, 'seed', last_attempt_at, 20 + id % 80, last_http_status, NULL FROM events WHERE created_at >= ?`,
    ).run(now - DAY);
  })();
  // What gridhook's own PRAGMA optimize does at its next start: statistics from a bounded sample.
  db.pragma('optimize = 0x10002');
  db.close();
}

async function seedPostgres(url: string, events: number, callbackIds: number[], mailboxIds: number[], now: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { spacing, start } = seedColumns(now, events);
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO events (callback_id, event_type, network_id, mailbox_id, ecgrid_id, parcel_id, file_name,
         is_test, status, attempts, max_attempts, last_attempt_at, last_http_status, created_at, finished_at)
       SELECT ($3::bigint[])[1 + i % ${CALLBACKS}], CASE WHEN i % 10 = 0 THEN 'InBox' ELSE 'OutBox' END, 1,
         ($4::bigint[])[1 + i % ${MAILBOXES}], 0, CASE WHEN i % 4 = 0 THEN i ELSE 0 END, 'history-' || i || '.edi', false,
         CASE WHEN i % 100 < 2 THEN 'Failed' WHEN i % 100 = 2 THEN 'Canceled' ELSE 'Delivered' END,
         1, 4, ($1::bigint + i * $2::float8)::bigint, CASE WHEN i % 100 < 2 THEN 500 ELSE 200 END,
         ($1::bigint + i * $2::float8)::bigint, ($1::bigint + i * $2::float8)::bigint + 100
       FROM generate_series(1, $5::bigint) AS i`,
      [start, spacing, callbackIds, mailboxIds, events],
    );
    await client.query(
      `INSERT INTO attempts (event_id, worker_id, started_at, duration_ms, http_status, error)
       SELECT id, 'seed', last_attempt_at, 20 + id % 80, last_http_status, NULL FROM events WHERE created_at >= $1`,
      [now - DAY],
    );
    await client.query('COMMIT');
    // What autovacuum does to a table this size soon after the load: statistics and the visibility map.
    await client.query('VACUUM ANALYZE events');
    await client.query('VACUUM ANALYZE attempts');
  } finally {
    await client.end();
  }
}

async function sample(label: string, samples: number, fn: () => Promise<unknown>): Promise<CallFigures> {
  let started = performance.now();
  await fn();
  const firstMs = performance.now() - started;
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const figures = { call: label, p50Ms: round(quantile(times, 0.5)), p99Ms: round(quantile(times, 0.99)), maxMs: round(times.at(-1)!), firstMs: round(firstMs) };
  process.stderr.write(`${label}: p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, first ${figures.firstMs} ms\n`);
  return figures;
}

export async function measureListCost(options: ListCostOptions): Promise<ListCostReport> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-list-cost-'));
  let databaseUrl = `sqlite:${path.join(dir, 'gridhook.db')}`;
  let dropDatabase = async (): Promise<void> => undefined;
  if (options.store === 'postgres') {
    const name = `gridhook_lists_${process.pid}_${randomBytes(3).toString('hex')}`;
    const admin = new pg.Client({ connectionString: options.pgUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(options.pgUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      const client = new pg.Client({ connectionString: options.pgUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    };
  }

  const arrivals = new Set<number>();
  const delivered = { received: 0, unique: new Set<number>() };
  const receiver = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const { eventId } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { eventId: number };
      arrivals.add(eventId);
      delivered.received += 1;
      delivered.unique.add(eventId);
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  const env = {
    ...process.env,
    GRIDHOOK_PORT: '0',
    GRIDHOOK_DATA_DIR: dir,
    GRIDHOOK_DATABASE_URL: databaseUrl,
    GRIDHOOK_ADMIN_KEY: ROOT_KEY,
    GRIDHOOK_ALLOW_PRIVATE_URLS: 'true',
    GRIDHOOK_LOG_LEVEL: 'info',
    GRIDHOOK_LOG_FORMAT: 'json',
    GRIDHOOK_RATE_LIMIT_PER_MINUTE: '0',
  };
  let running = await deploy('serve', env);
  try {
    let base = running.url;
    const mailboxIds = [1];
    for (let i = 1; i < MAILBOXES; i++) {
      mailboxIds.push((await call(base, ROOT_KEY, 'POST', '/v2/mailboxes/create', { networkId: 1, name: `Partner ${i}` })).mailboxId);
    }
    const callbackIds: number[] = [];
    for (let i = 0; i < CALLBACKS; i++) {
      const created = await call(base, ROOT_KEY, 'POST', '/v2/callbacks/create', {
        networkId: 1,
        callBackUrl: `${receiverUrl}/history-${i}`,
        callBackEvent: 'OutBox',
      });
      callbackIds.push(created.callBackQueueId);
    }
    const user = await call(base, ROOT_KEY, 'POST', '/v2/users/create', {
      loginName: 'lists-partner',
      password: 'correct horse battery',
      role: 'MailboxUser',
      networkId: 1,
      mailboxId: mailboxIds[1],
    });
    const partnerKey = (await call(base, ROOT_KEY, 'POST', `/v2/users/key-generate/${user.userId}`)).apiKey as string;

    // The history goes in while no gridhook runs: one transaction this size would hold SQLite's write
    // lock for minutes, longer than any writer of gridhook's waits.
    await running.stop();
    const now = Date.now();
    const seedStarted = performance.now();
    process.stderr.write(`seeding ${options.events} events on ${options.store}\n`);
    if (options.store === 'sqlite') seedSqlite(databaseUrl.slice('sqlite:'.length), options.events, callbackIds, mailboxIds, now);
    else await seedPostgres(databaseUrl, options.events, callbackIds, mailboxIds, now);
    const seedSeconds = round((performance.now() - seedStarted) / 1000);
    process.stderr.write(`seeded in ${seedSeconds} s\n`);
    running = await deploy('serve', env);
    base = running.url;

    const callback = callbackIds[7]!;
    const midDay = new Date(now - 15 * DAY).toISOString().replace(/\.\d+Z$/, 'Z');
    const dayAfter = new Date(now - 14 * DAY).toISOString().replace(/\.\d+Z$/, 'Z');
    const list = (key: string, body: object) => () => call(base, key, 'POST', '/v2/callbacks/queue-list', body);
    const calls: CallFigures[] = [];
    const S = options.samples;
    calls.push(await sample('events, Root, first page', S, list(ROOT_KEY, {})));
    calls.push(await sample('events, Root, Failed', S, list(ROOT_KEY, { status: 'Failed' })));
    calls.push(await sample('events, Root, InBox', S, list(ROOT_KEY, { callBackEvent: 'InBox' })));
    calls.push(await sample('events, one callback', S, list(ROOT_KEY, { callBackQueueId: callback })));
    calls.push(await sample('events, one callback, Failed', S, list(ROOT_KEY, { callBackQueueId: callback, status: 'Failed' })));
    calls.push(await sample('events, one callback, one day', S, list(ROOT_KEY, { callBackQueueId: callback, beginDate: midDay, endDate: dayAfter })));
    calls.push(await sample('events, one callback, page 40 (pageNo)', S, list(ROOT_KEY, { callBackQueueId: callback, pageNo: 40 })));
    let cursor: string | null = null;
    calls.push(
      await sample('events, one callback, next page (cursor)', S, async () => {
        const page = await call(base, ROOT_KEY, 'POST', '/v2/callbacks/queue-list', { callBackQueueId: callback, ...(cursor && { cursor }) });
        cursor = page.nextCursor;
      }),
    );
    calls.push(await sample('events, MailboxUser, first page', S, list(partnerKey, {})));
    calls.push(await sample('events, MailboxUser, Failed', S, list(partnerKey, { status: 'Failed' })));
    calls.push(await sample('events, one parcel', S, list(ROOT_KEY, { parcelId: 4_000 })));
    calls.push(await sample('overview, Root', S, () => call(base, ROOT_KEY, 'GET', '/v2/stats/overview')));
    calls.push(await sample('overview, MailboxUser', S, () => call(base, partnerKey, 'GET', '/v2/stats/overview')));
    calls.push(await sample('overview, one callback', S, () => call(base, ROOT_KEY, 'GET', `/v2/stats/overview?callBackQueueId=${callback}`)));
    calls.push(await sample('callbacks, first page', S, () => call(base, ROOT_KEY, 'POST', '/v2/callbacks/list', {})));
    calls.push(
      await sample('callback health, 25 callbacks', S, () =>
        call(base, ROOT_KEY, 'POST', '/v2/callbacks/health', { callBackQueueIds: callbackIds.slice(0, 25) }),
      ),
    );
    calls.push(await sample('one event with its attempts', S, () => call(base, ROOT_KEY, 'GET', `/v2/callbacks/events/${options.events - 10}`)));
    calls.push(await sample('one callback', S, () => call(base, ROOT_KEY, 'GET', `/v2/callbacks/${callback}`)));
    calls.push(
      await sample('latency, one callback, 24 hours', S, () =>
        call(base, ROOT_KEY, 'GET', `/v2/stats/latency?callBackQueueId=${callback}&minutes=1440&bucketMinutes=15`),
      ),
    );
    calls.push(await sample('parcels, inbox', S, () => call(base, ROOT_KEY, 'POST', '/v2/parcels/inbox-list', { recordsPerPage: 25 })));

    // Delivery of fresh events, alone and beside a client paging through the history.
    await call(base, ROOT_KEY, 'POST', '/v2/callbacks/create', { networkId: 1, callBackUrl: `${receiverUrl}/live`, callBackEvent: 'InBox' });
    const published = { count: 0 };
    const drain = async (): Promise<number> => {
      arrivals.clear();
      const started = performance.now();
      for (let sent = 0; sent < options.burst; sent += 100) {
        const events = Math.min(100, options.burst - sent);
        await call(base, ROOT_KEY, 'POST', '/v2/callbacks/events/publish', {
          events: Array.from({ length: events }, () => ({ callBackEvent: 'InBox', mailboxId: 1 })),
        });
        published.count += events;
      }
      const until = performance.now() + 120_000;
      while (arrivals.size < options.burst && performance.now() < until) await sleep(5);
      if (arrivals.size < options.burst) throw new Error(`only ${arrivals.size} of ${options.burst} fresh events arrived in 120 s`);
      return options.burst / ((performance.now() - started) / 1000);
    };
    const besidePager = async (): Promise<{ perSecond: number; pages: number }> => {
      // Paced at the default per-key rate limit (6,000 a minute): what one API key may ask of gridhook.
      const pager = new Worker(new URL('./pager-thread.js', import.meta.url), {
        workerData: { base, key: ROOT_KEY, perSecond: PAGER_PER_SECOND },
      });
      const stopped = new Promise<number>((resolve, reject) => {
        pager.on('message', (message: 'paging' | number) => {
          if (typeof message === 'number') resolve(message);
        });
        pager.once('error', reject);
      });
      await new Promise((resolve, reject) => {
        pager.once('message', resolve);
        pager.once('error', reject);
      });
      const perSecond = await drain();
      pager.postMessage('stop');
      const read = await stopped;
      await pager.terminate();
      return { perSecond, pages: read };
    };
    // A single drain moves by 20-50% from one run to the next here, more than the effect measured: so
    // DRAIN_PAIRS pairs, in alternating order (alone first, then the pager first, …), and the medians.
    const drainBesidePager = async (): Promise<DrainFigures> => {
      await drain();
      const alone: number[] = [];
      const paging: number[] = [];
      let pagesRead = 0;
      for (let pair = 0; pair < DRAIN_PAIRS; pair++) {
        const runs = pair % 2 === 0 ? ['alone', 'paging'] : ['paging', 'alone'];
        for (const run of runs) {
          if (run === 'alone') alone.push(await drain());
          else {
            const beside = await besidePager();
            paging.push(beside.perSecond);
            pagesRead += beside.pages;
          }
        }
      }
      const alonePerSecond = median(alone);
      const pagingPerSecond = median(paging);
      return {
        alonePerSecond: round(alonePerSecond),
        pagingPerSecond: round(pagingPerSecond),
        ratio: Math.round((pagingPerSecond / alonePerSecond) * 100) / 100,
        pagesRead,
      };
    };
    const serveDrain = await drainBesidePager();
    // The same with the API and the engine in processes of their own, each with its own event loop.
    await running.stop();
    running = await deploy('split', env);
    base = running.url;
    const splitDrain = await drainBesidePager();
    return {
      store: options.store,
      events: options.events,
      seedSeconds,
      calls,
      drain: serveDrain,
      splitDrain,
      delivery: { published: published.count, received: delivered.received, unique: delivered.unique.size },
    };
  } finally {
    await running.stop();
    receiver.close();
    await dropDatabase();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function cliOptions(argv: string[]): ListCostOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      store: { type: 'string', default: 'sqlite' },
      events: { type: 'string', default: '5000000' },
      samples: { type: 'string', default: '200' },
      burst: { type: 'string', default: '20000' },
      'pg-url': { type: 'string', default: process.env.GRIDHOOK_BENCH_DATABASE_URL ?? DEFAULT_PG_URL },
    },
    strict: true,
  });
  const whole = (name: string, raw: string): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number of 1 or more, got "${raw}"`);
    return value;
  };
  if (values.store !== 'sqlite' && values.store !== 'postgres') throw new Error(`--store must be sqlite or postgres, got "${values.store}"`);
  return {
    store: values.store,
    events: whole('events', values.events),
    samples: whole('samples', values.samples),
    burst: whole('burst', values.burst),
    pgUrl: values['pg-url'],
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  measureListCost(cliOptions(process.argv.slice(2))).then(
    (report) => {
      for (const c of report.calls) console.log(`${c.call.padEnd(44)} p50 ${c.p50Ms} ms  p99 ${c.p99Ms} ms  max ${c.maxMs} ms  first ${c.firstMs} ms`);
      for (const [shape, d] of [['serve', report.drain], ['api + worker', report.splitDrain]] as const) {
        console.log(`drain in ${shape}: ${d.alonePerSecond}/s alone, ${d.pagingPerSecond}/s beside the pager (${d.ratio}), ${d.pagesRead} pages read`);
      }
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
