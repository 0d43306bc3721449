/**
 * How much `gridhook backup` holds up deliveries on SQLite. A `gridhook serve`
 * on a database given a history of finished events (default 300,000, so the
 * copy takes a while) delivers a steady stream of fresh events to a fast local
 * receiver; the script records when each delivery arrives and how long each
 * publish call takes, before, during and after a `gridhook backup` run by
 * another process, as an operator would run it. A stall is the longest time
 * between two deliveries arriving: the figure to hold against the issue's
 * 50 ms budget.
 *
 * `npm run bench` runs it as the `backup` scenario (SQLite only); on its own:
 *
 *   npm run build && node dist/bench/backup-stall.js [--history 300000] [--rate 400] [--seconds 4]
 *
 * Self-contained on purpose, like workers.ts. Prints one line per phase.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import Database from 'better-sqlite3';
import { wholeArg } from './cli-args.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'gridhook.js');
const ROOT_KEY = 'gh_bench_backup_stall_root_key_0123456789';
/** Events a publish call carries: the steady load is `rate` events a second in calls this size. */
const PER_CALL = 10;

const run = promisify(execFile);

interface Phase {
  name: string;
  start: number;
  end: number;
}

export interface StallOptions {
  history: number;
  rate: number;
  seconds: number;
}

export interface PhaseFigures {
  phase: string;
  seconds: number;
  deliveriesPerSecond: number;
  /** The longest time between two deliveries arriving at the receiver. */
  longestGapMs: number;
  publishMs: { p50: number; p99: number; max: number };
}

export interface StallReport {
  databaseMb: number;
  history: number;
  rate: number;
  /** What `gridhook backup` printed. */
  backup: string;
  phases: PhaseFigures[];
  /** Events accepted by the publish calls, and what the receiver had of them once the queue was drained. */
  delivery: { published: number; received: number; unique: number; duplicates: number; lost: number };
}

function options(argv: string[]): StallOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      history: { type: 'string', default: '300000' },
      rate: { type: 'string', default: '400' },
      seconds: { type: 'string', default: '4' },
    },
    strict: true,
  });
  return { history: wholeArg('history', values.history), rate: wholeArg('rate', values.rate), seconds: wholeArg('seconds', values.seconds) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function startServe(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, 'serve'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`gridhook serve ended (${code}) before starting`)));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('"gridhook started"')) resolve((JSON.parse(line) as { url: string }).url);
    });
  });
  return { child, url };
}

async function api(url: string, route: string, body: unknown): Promise<any> {
  const response = await fetch(`${url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': ROOT_KEY },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { success: boolean; data: unknown };
  if (!answer.success) throw new Error(`${route}: ${JSON.stringify(answer)}`);
  return answer.data;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}

/** Runs a gridhook serve under a steady load, a backup beside it, and measures the gaps before, during and after it. */
export async function measureBackupStall({ history, rate, seconds }: StallOptions): Promise<StallReport> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-backup-stall-'));
  const database = path.join(dir, 'gridhook.db');
  const arrivals: number[] = [];
  const received: number[] = [];
  const receiver = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      arrivals.push(performance.now());
      received.push((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { eventId: number }).eventId);
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  const env = {
    ...process.env,
    GRIDHOOK_PORT: '0',
    GRIDHOOK_DATA_DIR: dir,
    GRIDHOOK_DATABASE_URL: `sqlite:${database}`,
    GRIDHOOK_ADMIN_KEY: ROOT_KEY,
    GRIDHOOK_ALLOW_PRIVATE_URLS: 'true',
    GRIDHOOK_LOG_LEVEL: 'info',
    GRIDHOOK_LOG_FORMAT: 'json',
  };
  const serve = await startServe(env);
  try {
    const callback = (await api(serve.url, '/v2/callbacks/create', { callBackUrl: receiverUrl, callBackEvent: 'InBox' })) as {
      callBackQueueId: number;
    };

    // The history: finished events, written in one transaction beside the running service.
    const db = new Database(database);
    db.pragma('busy_timeout = 30000');
    const now = Date.now();
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO events (webhook_id, callback_id, event_type, network_id, mailbox_id, ecgrid_id, parcel_id, file_name,
         is_test, status, attempts, max_attempts, last_attempt_at, last_http_status, created_at, finished_at)
       SELECT 'evt_' || lower(hex(randomblob(16))), ?, 'InBox', 1, 1, 0, i, 'history-' || i || '.edi', 0, 'Delivered', 1, 4,
         ?, 200, ?, ?
       FROM n`,
    ).run(history, callback.callBackQueueId, now, now, now);
    db.close();
    process.stderr.write(`history of ${history} events written; publishing ${rate} events/s\n`);
    const megabytes = fs.statSync(database).size / 1e6;

    let publishing = true;
    const published: number[] = [];
    const latencies: { at: number; ms: number }[] = [];
    const publisher = (async () => {
      const interval = (1000 * PER_CALL) / rate;
      let next = performance.now();
      while (publishing) {
        const started = performance.now();
        const { eventIds } = await api(serve.url, '/v2/callbacks/events/publish', {
          events: Array.from({ length: PER_CALL }, () => ({ callBackEvent: 'InBox', mailboxId: 1 })),
        });
        published.push(...(eventIds as number[]));
        latencies.push({ at: started, ms: performance.now() - started });
        next += interval;
        await sleep(Math.max(0, next - performance.now()));
      }
    })();

    await sleep(1_000);
    const phases: Phase[] = [];
    const baselineStart = performance.now();
    await sleep(seconds * 1_000);
    phases.push({ name: 'before backup', start: baselineStart, end: performance.now() });
    process.stderr.write('backing up\n');
    const backupStart = performance.now();
    const backup = await run(process.execPath, [CLI, 'backup', path.join(dir, 'copy.db')], { env });
    phases.push({ name: 'during backup', start: backupStart, end: performance.now() });
    const afterStart = performance.now();
    await sleep(seconds * 1_000);
    phases.push({ name: 'after backup', start: afterStart, end: performance.now() });
    publishing = false;
    await publisher;
    // Every accepted event must arrive, backup or not: the queue is drained before gridhook stops.
    const drainUntil = performance.now() + 60_000;
    while (new Set(received).size < new Set(published).size && performance.now() < drainUntil) await sleep(200);
    const unique = new Set(received);
    const delivery = {
      published: published.length,
      received: received.length,
      unique: unique.size,
      duplicates: received.length - unique.size,
      lost: published.filter((id) => !unique.has(id)).length,
    };

    const figures = phases.map((phase): PhaseFigures => {
      const within = arrivals.filter((t) => t >= phase.start && t < phase.end);
      let gap = 0;
      for (let i = 1; i < within.length; i++) gap = Math.max(gap, (within[i] as number) - (within[i - 1] as number));
      const publishMs = latencies.filter((l) => l.at >= phase.start && l.at < phase.end).map((l) => l.ms).sort((a, b) => a - b);
      const span = (phase.end - phase.start) / 1000;
      return {
        phase: phase.name,
        seconds: Math.round(span * 100) / 100,
        deliveriesPerSecond: Math.round(within.length / span),
        longestGapMs: Math.round(gap),
        publishMs: { p50: Math.round(quantile(publishMs, 0.5)), p99: Math.round(quantile(publishMs, 0.99)), max: Math.round(publishMs.at(-1) ?? Number.NaN) },
      };
    });
    return { databaseMb: Math.round(megabytes), history, rate, backup: backup.stdout.trim(), phases: figures, delivery };
  } finally {
    serve.child.kill('SIGTERM');
    await new Promise((resolve) => serve.child.once('exit', resolve));
    receiver.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const report = await measureBackupStall(options(process.argv.slice(2)));
  console.log(`database ${report.databaseMb} MB (${report.history} finished events), load ${report.rate} events/s; ${report.backup}`);
  console.log('phase            seconds  deliveries/s  longest gap between deliveries  publish p50 / p99 / max');
  for (const p of report.phases) {
    console.log(
      `${p.phase.padEnd(16)} ${p.seconds.toFixed(2).padStart(7)}  ${String(p.deliveriesPerSecond).padStart(12)}  ` +
        `${`${p.longestGapMs} ms`.padStart(31)}  ${p.publishMs.p50} / ${p.publishMs.p99} / ${p.publishMs.max} ms`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
