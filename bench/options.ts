import path from 'node:path';
import { parseArgs } from 'node:util';
import type { StoreKind } from './databases.js';
import { DEFAULT_PG_URL } from './databases.js';
import { ROOT } from './processes.js';

export const SCENARIOS = ['limit', 'drain', 'drain10', 'fifo', 'steady', 'fanout', 'neighbour', 'backlog', 'api', 'backup', 'lists', 'purge'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** How big each scenario is; --quick shrinks every one to seconds. */
export interface Sizes {
  /** Events queued for one callback in the drain (and POSTed by the reference client). */
  drainEvents: number;
  steadyRate: number;
  steadyMs: number;
  /** Publishing before measuring, at the same rate: JIT, connections and caches warm up. */
  warmupMs: number;
  fanoutCallbacks: number;
  fanoutRounds: number;
  /** Events per second to each of the two callbacks. */
  neighbourRate: number;
  neighbourMs: number;
  /** Pairs of neighbour runs (alone, then beside the slow receiver), alternated so drift on the machine hits both. */
  neighbourRounds: number;
  slowReceiverMs: number;
  backlogEvents: number;
  backlogDrainMs: number;
  seedBatch: number;
  apiSeconds: number;
  apiConnections: number;
  /** Finished events in the database `gridhook backup` copies, events/s delivered meanwhile, and seconds measured before and after it. */
  backupHistory: number;
  backupRate: number;
  backupSeconds: number;
  /** Finished events in the database the lists scenario pages through, and calls sampled per kind. */
  listEvents: number;
  listSamples: number;
  listBurst: number;
  /** Finished events the purge scenario's purge deletes from, and the fresh events drained meanwhile. */
  purgeEvents: number;
  purgeBurst: number;
}

const FULL: Sizes = {
  drainEvents: 20_000,
  steadyRate: 1_000,
  steadyMs: 20_000,
  warmupMs: 5_000,
  fanoutCallbacks: 100,
  fanoutRounds: 5,
  neighbourRate: 200,
  neighbourMs: 15_000,
  neighbourRounds: 3,
  slowReceiverMs: 2_000,
  backlogEvents: 1_000_000,
  backlogDrainMs: 60_000,
  seedBatch: 10_000,
  apiSeconds: 5,
  apiConnections: 10,
  backupHistory: 300_000,
  backupRate: 400,
  backupSeconds: 4,
  listEvents: 5_000_000,
  listSamples: 200,
  listBurst: 20_000,
  purgeEvents: 1_000_000,
  purgeBurst: 20_000,
};

const QUICK: Sizes = {
  drainEvents: 500,
  steadyRate: 200,
  steadyMs: 2_000,
  warmupMs: 500,
  fanoutCallbacks: 100,
  fanoutRounds: 2,
  neighbourRate: 50,
  neighbourMs: 2_000,
  neighbourRounds: 1,
  slowReceiverMs: 2_000,
  backlogEvents: 5_000,
  backlogDrainMs: 3_000,
  seedBatch: 1_000,
  apiSeconds: 1,
  apiConnections: 10,
  backupHistory: 20_000,
  backupRate: 200,
  backupSeconds: 1,
  listEvents: 20_000,
  listSamples: 10,
  listBurst: 200,
  purgeEvents: 20_000,
  purgeBurst: 200,
};

export interface Options {
  quick: boolean;
  only: ScenarioName[];
  stores: StoreKind[];
  outDir: string;
  cpuProf: boolean;
  /** GRIDHOOK_PER_CALLBACK_CONCURRENCY for every gridhook of the run (and the reference client's concurrency). */
  perCallbackConcurrency: number;
  /** GRIDHOOK_METRICS for every gridhook of the run; compare runs each scenario with both, alternating, to measure what metrics cost. */
  metrics: 'on' | 'off' | 'compare';
  /** Pairs of runs (off and on) per scenario when metrics are compared. */
  rounds: number;
  pgUrl: string;
  sizes: Sizes;
}

export const USAGE = `npm run bench -- [options]

  --quick                      tiny sizes, about half a minute per store (npm test runs it on SQLite)
  --only=drain,steady          scenarios to run: ${SCENARIOS.join(', ')} (default: all)
  --store=sqlite|postgres      one store only (default: both; PostgreSQL is skipped with a note if unreachable)
  --out=DIR                    where the JSON report goes (default: bench/results)
  --cpu-prof                   write a V8 CPU profile of every gridhook process next to the report
  --per-callback-concurrency=N GRIDHOOK_PER_CALLBACK_CONCURRENCY for every run (default 16, gridhook's default)
  --metrics=on|off|compare     GRIDHOOK_METRICS for every run (default on, gridhook's default); compare runs
                               each scenario with metrics off and on, alternating, and reports the ratio
  --rounds=N                   pairs of runs per scenario with --metrics=compare (default 3)
  --backlog-seconds=N          how long the 1,000,000-event backlog drains while memory is sampled (default 60)
  --pg-url=URL                 PostgreSQL server to create scratch databases on
                               (default $GRIDHOOK_BENCH_DATABASE_URL or ${DEFAULT_PG_URL})
`;

function positiveInteger(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new Error(`--${name} must be a whole number ≥ 1, got "${raw}"`);
  return Number(raw);
}

export function parseOptions(argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      store: { type: 'string' },
      out: { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      'per-callback-concurrency': { type: 'string' },
      'backlog-seconds': { type: 'string' },
      metrics: { type: 'string' },
      rounds: { type: 'string' },
      'pg-url': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';

  const only = values.only === undefined ? [...SCENARIOS] : values.only.split(',').map((s) => s.trim()).filter(Boolean);
  for (const name of only) {
    if (!(SCENARIOS as readonly string[]).includes(name)) {
      throw new Error(`--only: unknown scenario "${name}"; choose from ${SCENARIOS.join(', ')}`);
    }
  }
  let stores: StoreKind[];
  if (values.store === undefined) stores = ['sqlite', 'postgres'];
  else if (values.store === 'sqlite' || values.store === 'postgres') stores = [values.store];
  else throw new Error(`--store must be sqlite or postgres, got "${values.store}"`);

  const metrics = values.metrics ?? 'on';
  if (metrics !== 'on' && metrics !== 'off' && metrics !== 'compare') {
    throw new Error(`--metrics must be on, off or compare, got "${metrics}"`);
  }
  if (values.rounds !== undefined && metrics !== 'compare') throw new Error('--rounds goes with --metrics=compare');
  const sizes = { ...(values.quick ? QUICK : FULL) };
  if (values['backlog-seconds'] !== undefined) {
    sizes.backlogDrainMs = positiveInteger(values['backlog-seconds'], 'backlog-seconds', 60) * 1000;
  }
  return {
    quick: values.quick,
    only: only as ScenarioName[],
    stores,
    outDir: path.resolve(values.out ?? path.join(ROOT, 'bench', 'results')),
    cpuProf: values['cpu-prof'],
    perCallbackConcurrency: positiveInteger(values['per-callback-concurrency'], 'per-callback-concurrency', 16),
    metrics,
    rounds: positiveInteger(values.rounds, 'rounds', 3),
    pgUrl: values['pg-url'] ?? process.env.GRIDHOOK_BENCH_DATABASE_URL ?? DEFAULT_PG_URL,
    sizes,
  };
}
