/**
 * `npm run bench`: runs the scenarios on each store, writes the full report to
 * bench/results/<timestamp>.json and prints a short table. Progress goes to
 * stderr, the table to stdout. Exits non-zero when a scenario failed to run or
 * lost or duplicated an event; a missed performance target is reported, not
 * an error.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { postgresUnavailable, type StoreKind } from './databases.js';
import { compareMetrics, comparisonTable, roundOrder, type Comparison } from './metrics-compare.js';
import { parseOptions, SCENARIOS, USAGE, type Options, type ScenarioName } from './options.js';
import { killChildren, ROOT } from './processes.js';
import { profileDir, runScenario, type Context, type ScenarioResult } from './scenarios.js';
import { round, summarize, type LatencySummary } from './stats.js';

/** Data dirs of the run, removed even when it is interrupted. */
const scratchDirs: string[] = [];

export interface Report {
  startedAt: string;
  finishedAt: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryMb: number;
    node: string;
    platform: string;
    /** 1-minute load average when the run started: other work on the machine skews every figure. */
    loadAtStart: number;
    /** How long one fsync took where the databases live, before and after the scenarios. */
    fsync: { before: LatencySummary; after: LatencySummary };
  };
  commit: string | null;
  options: Omit<Options, 'outDir' | 'pgUrl'>;
  skipped: { store: StoreKind; reason: string }[];
  results: ScenarioResult[];
  /** True when every scenario ran and none lost or duplicated an event. */
  ok: boolean;
  cpuProfiles: string | null;
  /** With --metrics=compare: each scenario's figures with metrics off and on. */
  metricsCost?: Comparison[];
}

/**
 * SQLite commits wait for an fsync (synchronous=FULL), so its figures depend
 * on the disk and on whoever else is writing to it; this puts a number on that.
 */
function probeFsync(dir: string): LatencySummary {
  const file = path.join(dir, 'fsync-probe');
  const fd = fs.openSync(file, 'w');
  const block = Buffer.alloc(4096, 1);
  const times: number[] = [];
  const until = performance.now() + 5_000;
  try {
    for (let i = 0; i < 200 && performance.now() < until; i++) {
      const started = performance.now();
      fs.writeSync(fd, block);
      fs.fsyncSync(fd);
      times.push(performance.now() - started);
    }
  } finally {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
  return summarize(times);
}

function commit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' }).trim();
  } catch {
    return null;
  }
}

/** A drain is only meaningful beside its reference, so asking for one brings the limit along. */
function scenarioOrder(only: ScenarioName[]): ScenarioName[] {
  const wanted = new Set(only);
  if (wanted.has('drain') || wanted.has('drain10')) wanted.add('limit');
  return SCENARIOS.filter((name) => wanted.has(name));
}

function cell(value: unknown): string {
  return value === null || value === undefined ? '–' : String(value);
}

function table(results: ScenarioResult[]): string {
  const header = ['store', 'scenario', 'result', 'reference', 'ratio', 'target', 'pass', 'lost', 'dup'];
  const rows = results.map((r) => {
    const t = r.targets[0];
    return [
      r.store,
      r.scenario,
      r.error ? `ERROR: ${r.error.split('\n')[0]}` : r.summary,
      r.reference ? `${r.reference.what} ${cell(r.reference.value)}` : '',
      r.ratio === null ? '' : `${round(r.ratio * 100, 1)}%`,
      t ? t.what : '',
      t ? (t.pass === null ? '?' : t.pass ? 'yes' : 'NO') : '',
      cell(r.delivery?.lost),
      cell(r.delivery?.duplicates),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (row: string[]): string => row.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseOptions(argv);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : error}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }

  const started = new Date();
  const loadAtStart = round(os.loadavg()[0] ?? 0, 2);
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  fs.mkdirSync(options.outDir, { recursive: true });
  const profiles = options.cpuProf ? path.join(options.outDir, `${stamp}-cpu-prof`) : null;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-bench-'));
  scratchDirs.push(workDir);
  const fsyncBefore = probeFsync(workDir);
  const results: ScenarioResult[] = [];
  const skipped: Report['skipped'] = [];
  const progress = (text: string): boolean => process.stderr.write(`${text}\n`);
  let fsyncAfter: LatencySummary | null = null;

  try {
    for (const store of options.stores) {
      if (store === 'postgres') {
        const reason = await postgresUnavailable(options.pgUrl);
        if (reason) {
          skipped.push({ store, reason });
          progress(`[postgres] skipped: ${reason}`);
          continue;
        }
      }
      const ctx: Context = {
        store,
        options,
        workDir,
        cpuProfDir: (name) => (profiles ? profileDir(profiles, store, name) : null),
        limitRate: null,
        logs: {},
        metrics: options.metrics !== 'off',
      };
      for (const name of scenarioOrder(options.only)) {
        const runs: boolean[] =
          options.metrics === 'compare' && name !== 'limit'
            ? Array.from({ length: options.rounds }, (_, i) => roundOrder(i)).flat()
            : [options.metrics !== 'off'];
        for (const metrics of runs) {
          ctx.metrics = metrics;
          const label = options.metrics === 'compare' && name !== 'limit' ? `${name} (metrics ${metrics ? 'on' : 'off'})` : name;
          progress(`[${store}] ${label} …`);
          const result = await runScenario(name, ctx);
          results.push(result);
          const delivery = result.delivery ? `, lost ${result.delivery.lost}, dup ${result.delivery.duplicates}` : '';
          const outcome = result.error ? `ERROR ${result.error}` : result.summary;
          progress(`[${store}] ${label}: ${outcome}${delivery} (${round(result.elapsedMs / 1000, 1)} s)`);
        }
      }
    }
  } finally {
    fsyncAfter = probeFsync(workDir);
    fs.rmSync(workDir, { recursive: true, force: true });
  }

  const { outDir: _outDir, pgUrl: _pgUrl, ...shown } = options;
  const report: Report = {
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: {
      cpus: os.availableParallelism(),
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryMb: Math.round(os.totalmem() / 1024 / 1024),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      loadAtStart,
      fsync: { before: fsyncBefore, after: fsyncAfter ?? fsyncBefore },
    },
    commit: commit(),
    options: shown,
    skipped,
    results,
    ok: results.length > 0 && results.every((r) => r.error === null && (r.delivery?.ok ?? true)),
    cpuProfiles: profiles,
    ...(options.metrics === 'compare' ? { metricsCost: compareMetrics(results) } : {}),
  };
  const file = path.join(options.outDir, `${stamp}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);

  process.stdout.write(`\n${table(results)}\n`);
  if (options.metrics === 'compare') {
    process.stdout.write(`\nwhat metrics cost (medians of ${options.rounds} runs each, alternated):\n${comparisonTable(report.metricsCost ?? [])}\n`);
  }
  process.stdout.write(
    `\nmachine: ${report.machine.cpus} cpus, ${report.machine.memoryMb} MB, node ${report.machine.node}, ` +
      `load ${loadAtStart} at start; fsync p50/p99 ${fsyncBefore.p50}/${fsyncBefore.p99} ms before, ` +
      `${report.machine.fsync.after.p50}/${report.machine.fsync.after.p99} ms after\n`,
  );
  for (const skip of skipped) process.stdout.write(`\n${skip.store}: skipped, ${skip.reason}\n`);
  process.stdout.write(`\nreport: ${path.relative(process.cwd(), file) || file}\n`);
  if (profiles) process.stdout.write(`cpu profiles: ${profiles}\n`);
  return report.ok ? 0 : 1;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killChildren();
    for (const dir of scratchDirs) fs.rmSync(dir, { recursive: true, force: true });
    const leftovers = `gridhook_bench_${process.pid}_*`;
    process.stderr.write(`\n${signal}: stopped; any scratch PostgreSQL databases left are named ${leftovers}\n`);
    process.exit(130);
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
