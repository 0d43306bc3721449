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
 * The history comes from seeded-history.ts, the processes from deployment.ts
 * and the bursts from burst.ts, which the purge scenario shares.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { median, startBurstReceiver } from './burst.js';
import { storeArg, wholeArg } from './cli-args.js';
import { createDatabase, DEFAULT_PG_URL } from './databases.js';
import { call, deploy } from './deployment.js';
import { DAY, seedHistory } from './seeded-history.js';

const ROOT_KEY = 'gh_bench_list_cost_root_key_0123456789ab';
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
  const database = await createDatabase(options.store, dir, 'lists', options.pgUrl);
  const databaseUrl = database.url;
  const receiver = await startBurstReceiver();
  const receiverUrl = receiver.url;

  const env = {
    ...process.env,
    GRIDHOOK_PORT: '0',
    GRIDHOOK_DATA_DIR: database.dataDir,
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
    await seedHistory({ databaseUrl, events: options.events, callbackIds, mailboxIds, now });
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
      published.count += options.burst;
      return receiver.drain(base, ROOT_KEY, options.burst);
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
      delivery: { published: published.count, received: receiver.received, unique: receiver.unique },
    };
  } finally {
    await running.stop();
    await receiver.close();
    await database.drop();
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
  return {
    store: storeArg(values.store),
    events: wholeArg('events', values.events),
    samples: wholeArg('samples', values.samples),
    burst: wholeArg('burst', values.burst),
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
