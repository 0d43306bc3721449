/**
 * Whether purging old history slows delivery. A database is given N finished
 * events over the last 30 days (seeded-history.ts); `gridhook serve` then
 * drains bursts of fresh events to a local receiver, each in a process started
 * for it: alone (retention off), or while the process's own purge, which runs
 * at start, deletes the events older than a day in its batches of 1,000 with
 * a pause between them, as it would after a long outage or when retention is
 * first turned on. Runs alternate (alone first, then purging first, …) and the
 * medians are compared; each purging run says whether its purge was still at
 * work when the burst ended, and how many events it deleted.
 *
 * `npm run bench` runs it as the `purge` scenario; on its own:
 *
 *   npm run build && node dist/bench/purge-stall.js [--store sqlite|postgres] [--events 1000000] [--burst 20000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { median, startBurstReceiver } from './burst.js';
import { createDatabase, DEFAULT_PG_URL } from './databases.js';
import { storeArg, wholeArg } from './cli-args.js';
import { call, deploy } from './deployment.js';
import { seedHistory } from './seeded-history.js';

const ROOT_KEY = 'gh_bench_purge_stall_root_key_0123456789a';
const HISTORY_CALLBACKS = 10;
const PAIRS = 3;
/** What the purge deletes: everything older than this, about 29 of the history's 30 days. */
const RETENTION_DAYS = 1;
const PURGED_LINE = 'purged finished events past retention';

export interface PurgeStallOptions {
  store: 'sqlite' | 'postgres';
  events: number;
  burst: number;
  pgUrl: string;
}

export interface PurgeStallReport {
  store: string;
  events: number;
  burst: number;
  /** Medians of the runs of each kind, deliveries per second. */
  alonePerSecond: number;
  purgingPerSecond: number;
  ratio: number;
  /** Purging runs whose purge had not finished when their burst had arrived, of all purging runs. */
  purgeBusyRuns: number;
  purgingRuns: number;
  /** Events the purges deleted, over every purging run. */
  purged: number;
  delivery: { published: number; received: number; unique: number };
}

const round = (n: number): number => Math.round(n * 10) / 10;

/** The events the purge logged as deleted in a log file from byte `from` on, and whether it logged the end of a run there. */
function purgeLog(file: string, from: number): { purged: number; ended: boolean } {
  let purged = 0;
  let ended = false;
  for (const line of fs.readFileSync(file).subarray(from).toString('utf8').split('\n')) {
    if (!line.includes(PURGED_LINE)) continue;
    ended = true;
    purged += (JSON.parse(line) as { purged: number }).purged;
  }
  return { purged, ended };
}

export async function measurePurgeStall(options: PurgeStallOptions): Promise<PurgeStallReport> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-purge-stall-'));
  const database = await createDatabase(options.store, dir, 'purge', options.pgUrl);
  const receiver = await startBurstReceiver();
  const env = (retentionDays: number): NodeJS.ProcessEnv => ({
    ...process.env,
    GRIDHOOK_PORT: '0',
    GRIDHOOK_DATA_DIR: database.dataDir,
    GRIDHOOK_DATABASE_URL: database.url,
    GRIDHOOK_ADMIN_KEY: ROOT_KEY,
    GRIDHOOK_ALLOW_PRIVATE_URLS: 'true',
    GRIDHOOK_LOG_LEVEL: 'info',
    GRIDHOOK_LOG_FORMAT: 'json',
    GRIDHOOK_RATE_LIMIT_PER_MINUTE: '0',
    GRIDHOOK_RETENTION_DAYS: String(retentionDays),
    GRIDHOOK_IDEMPOTENCY_RETENTION_DAYS: '0',
  });
  let running = await deploy('serve', env(0));
  try {
    const callbackIds: number[] = [];
    for (let i = 0; i < HISTORY_CALLBACKS; i++) {
      const created = await call(running.url, ROOT_KEY, 'POST', '/v2/callbacks/create', {
        networkId: 1,
        callBackUrl: `${receiver.url}/history-${i}`,
        callBackEvent: 'OutBox',
      });
      callbackIds.push(created.callBackQueueId);
    }
    await call(running.url, ROOT_KEY, 'POST', '/v2/callbacks/create', { networkId: 1, callBackUrl: `${receiver.url}/live`, callBackEvent: 'InBox' });
    await running.stop();
    process.stderr.write(`seeding ${options.events} events on ${options.store}\n`);
    await seedHistory({ databaseUrl: database.url, events: options.events, callbackIds, mailboxIds: [1], now: Date.now() });

    let published = 0;
    const alone: number[] = [];
    const purging: number[] = [];
    let purgeBusyRuns = 0;
    let purged = 0;
    for (let pair = 0; pair < PAIRS; pair++) {
      const order = pair % 2 === 0 ? [false, true] : [true, false];
      for (const purge of order) {
        const log = path.join(database.dataDir, 'serve.log');
        const from = fs.existsSync(log) ? fs.statSync(log).size : 0;
        running = await deploy('serve', env(purge ? RETENTION_DAYS : 0));
        const perSecond = await receiver.drain(running.url, ROOT_KEY, options.burst);
        published += options.burst;
        const endedInBurst = purgeLog(log, from).ended;
        await running.stop();
        if (purge) {
          purging.push(perSecond);
          // A stopped purge logs what it deleted as it ends (a run that deleted nothing logs nothing).
          await new Promise((resolve) => setTimeout(resolve, 200));
          const deleted = purgeLog(log, from).purged;
          purged += deleted;
          if (deleted > 0 && !endedInBurst) purgeBusyRuns += 1;
        } else alone.push(perSecond);
        process.stderr.write(`${purge ? 'purging' : 'alone'}: ${round(perSecond)}/s\n`);
      }
    }
    const alonePerSecond = median(alone);
    const purgingPerSecond = median(purging);
    return {
      store: options.store,
      events: options.events,
      burst: options.burst,
      alonePerSecond: round(alonePerSecond),
      purgingPerSecond: round(purgingPerSecond),
      ratio: Math.round((purgingPerSecond / alonePerSecond) * 100) / 100,
      purgeBusyRuns,
      purgingRuns: purging.length,
      purged,
      delivery: { published, received: receiver.received, unique: receiver.unique },
    };
  } finally {
    await running.stop();
    await receiver.close();
    await database.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function cliOptions(argv: string[]): PurgeStallOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      store: { type: 'string', default: 'sqlite' },
      events: { type: 'string', default: '1000000' },
      burst: { type: 'string', default: '20000' },
      'pg-url': { type: 'string', default: process.env.GRIDHOOK_BENCH_DATABASE_URL ?? DEFAULT_PG_URL },
    },
    strict: true,
  });
  return { store: storeArg(values.store), events: wholeArg('events', values.events), burst: wholeArg('burst', values.burst), pgUrl: values['pg-url'] };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  measurePurgeStall(cliOptions(process.argv.slice(2))).then(
    (r) => {
      console.log(
        `${r.store}, ${r.events} events of history, bursts of ${r.burst}: ${r.purgingPerSecond}/s while purging of ` +
          `${r.alonePerSecond}/s alone (${r.ratio}); the purge was still at work at the end of ${r.purgeBusyRuns} of ` +
          `${r.purgingRuns} bursts and deleted ${r.purged} events`,
      );
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
