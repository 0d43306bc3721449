/**
 * What metrics cost, from runs of each scenario with GRIDHOOK_METRICS off and
 * on in one bench run. The runs alternate (off, on, on, off, …) so a drift in
 * the machine's load weighs on both alike, and medians are compared, so one
 * disturbed run counts once.
 */
import type { ScenarioResult } from './scenarios.js';
import { round } from './stats.js';

/** GRIDHOOK_METRICS of the two runs of round `index`, in the order they run. */
export function roundOrder(index: number): [boolean, boolean] {
  return index % 2 === 0 ? [false, true] : [true, false];
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** gridhook's CPU per delivered event, in µs, when the scenario measured it. */
function cpuPerEvent(result: ScenarioResult): number | null {
  const perThousand = result.details.gridhookCpuMsPer1000;
  if (typeof perThousand === 'number') return perThousand;
  const perEvent = result.details.gridhookCpuMsPerEvent;
  return typeof perEvent === 'number' ? perEvent * 1000 : null;
}

/** How much worse `on` is than `off`, in percent; positive means metrics cost. */
function cost(off: number | null, on: number | null, higherIsBetter: boolean): string {
  if (off === null || on === null || off === 0 || on === 0) return '–';
  const worse = higherIsBetter ? off / on - 1 : on / off - 1;
  return `${worse >= 0 ? '+' : ''}${round(worse * 100, 1)}%`;
}

export interface Comparison {
  store: string;
  scenario: string;
  unit: string;
  off: number | null;
  on: number | null;
  cost: string;
  cpuOff: number | null;
  cpuOn: number | null;
  cpuCost: string;
  runs: number;
}

export function compareMetrics(results: ScenarioResult[]): Comparison[] {
  const groups = new Map<string, ScenarioResult[]>();
  for (const result of results) {
    if (result.error !== null || result.scenario === 'limit') continue;
    const key = `${result.store}\u0000${result.scenario}`;
    groups.set(key, [...(groups.get(key) ?? []), result]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0]!;
    const values = (metrics: boolean): number[] =>
      group.filter((r) => r.metrics === metrics && r.value !== null).map((r) => r.value!);
    const cpu = (metrics: boolean): number[] =>
      group.filter((r) => r.metrics === metrics).flatMap((r) => cpuPerEvent(r) ?? []);
    // Rates are better high; latencies (ms) are better low.
    const higherIsBetter = first.unit.endsWith('/s');
    const off = median(values(false));
    const on = median(values(true));
    const cpuOff = median(cpu(false));
    const cpuOn = median(cpu(true));
    return {
      store: first.store,
      scenario: first.scenario,
      unit: first.unit,
      off: off === null ? null : round(off, 1),
      on: on === null ? null : round(on, 1),
      cost: cost(off, on, higherIsBetter),
      cpuOff: cpuOff === null ? null : round(cpuOff, 1),
      cpuOn: cpuOn === null ? null : round(cpuOn, 1),
      cpuCost: cost(cpuOff, cpuOn, false),
      runs: group.length,
    };
  });
}

export function comparisonTable(rows: Comparison[]): string {
  const header = ['store', 'scenario', 'metrics off', 'metrics on', 'cost', 'CPU µs/event off', 'on', 'CPU cost', 'runs'];
  const cells = rows.map((r) => [
    r.store,
    r.scenario,
    `${r.off ?? '–'} ${r.unit}`,
    `${r.on ?? '–'} ${r.unit}`,
    r.cost,
    String(r.cpuOff ?? '–'),
    String(r.cpuOn ?? '–'),
    r.cpuCost,
    String(r.runs),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)));
  const line = (row: string[]): string => row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
