/**
 * What the delivery path costs PostgreSQL itself, without HTTP or a sender:
 * one callback's seeded queue is drained straight through the store by one
 * worker, claiming a batch, then recording each batch as delivered and
 * claiming the next in one call, as the engine does. It prints the server's
 * CPU and WAL per delivery for each batch size, with every index of the
 * schema, and again with the indexes named by --without dropped first, so
 * what those indexes cost a delivery can be read apart from the rest.
 *
 *   npm run build && node dist/bench/store-cost.js [--events 20000] [--batches 8,16] [--cap 16] [--without index,...]
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { wholeArg } from './cli-args.js';
import { createDatabase, DEFAULT_PG_URL, seed, serverCostPerDelivery, serverUsage } from './databases.js';
import { openStore } from '../src/store/open-store.js';
import type { AttemptResult, ClaimRequest, DeliveryJob } from '../src/store/store.js';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

export interface StoreCostRow {
  batch: number;
  without: string[];
  deliveries: number;
  perSecond: number;
  serverCpuUsPerDelivery: number;
  walBytesPerDelivery: number;
  msPerCall: number;
}

async function measure(events: number, batch: number, cap: number, without: string[], adminUrl: string): Promise<StoreCostRow> {
  const db = await createDatabase('postgres', os.tmpdir(), `store-cost-${process.pid}-${batch}`, adminUrl);
  const store = await openStore(db.url, { applicationName: 'gridhook-bench' });
  try {
    await store.migrate();
    if (without.length > 0) {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      await client.query(`DROP INDEX ${without.join(', ')}`).finally(() => client.end());
    }
    await seed(db.url, { urls: ['https://receiver.invalid/hook'], eventType: 'InBox', events, batch: 1_000 });
    const request = (): ClaimRequest => ({
      workerId: 'store-cost',
      now: Date.now(),
      leaseMs: 60_000,
      limit: batch,
      perCallbackLimit: cap,
    });
    const delivered = (job: DeliveryJob): AttemptResult => ({
      eventId: job.eventId,
      workerId: job.leaseOwner,
      startedAt: Date.now(),
      durationMs: 1,
      httpStatus: 200,
      error: null,
      outcome: 'Delivered',
      nextAttemptAt: null,
    });
    let jobs = await store.claimDueEvents(request());
    const before = await serverUsage(db);
    const started = performance.now();
    let deliveries = 0;
    let calls = 0;
    while (jobs.length > 0) {
      deliveries += jobs.length;
      calls += 1;
      jobs = await store.recordAndClaim(jobs.map(delivered), request());
    }
    const elapsedMs = performance.now() - started;
    const cost = serverCostPerDelivery(before, await serverUsage(db), deliveries);
    if (cost === null || deliveries !== events) throw new Error(`drained ${deliveries} of ${events} events`);
    return {
      batch,
      without,
      deliveries,
      perSecond: Math.round((deliveries * 1000) / elapsedMs),
      serverCpuUsPerDelivery: cost.cpuUsPerDelivery,
      walBytesPerDelivery: cost.walBytesPerDelivery,
      msPerCall: Number((elapsedMs / calls).toFixed(2)),
    };
  } finally {
    await store.close();
    await db.drop();
  }
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      events: { type: 'string', default: '20000' },
      batches: { type: 'string', default: '8,16' },
      cap: { type: 'string', default: '16' },
      without: { type: 'string', default: '' },
      'pg-url': { type: 'string', default: process.env.GRIDHOOK_BENCH_PG_URL ?? DEFAULT_PG_URL },
    },
  });
  const events = wholeArg('events', values.events);
  const cap = wholeArg('cap', values.cap);
  const batches = values.batches.split(',').map((raw) => wholeArg('batches', raw.trim()));
  const without = values.without.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const bad = without.find((name) => !IDENTIFIER.test(name));
  if (bad !== undefined) throw new Error(`--without takes index names such as events_by_network, got "${bad}"`);
  const rows: StoreCostRow[] = [];
  for (const dropped of without.length > 0 ? [[], without] : [[]]) {
    for (const batch of batches) {
      const row = await measure(events, batch, cap, dropped, values['pg-url']);
      rows.push(row);
      const label = dropped.length > 0 ? `without ${dropped.join(', ')}` : 'every index';
      console.log(
        `batch ${row.batch}, ${label}: ${row.perSecond}/s, ${row.msPerCall} ms a call; ` +
          `server ${row.serverCpuUsPerDelivery} µs CPU, ${row.walBytesPerDelivery} B WAL per delivery`,
      );
    }
  }
  console.log(JSON.stringify({ events, cap, rows }));
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(error.message);
      process.exit(2);
    },
  );
}
