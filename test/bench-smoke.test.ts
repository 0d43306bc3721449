/**
 * Keeps `npm run bench` working: runs it with --quick on SQLite (real gridhook,
 * receiver and reference client processes, tiny sizes) and checks that every
 * scenario ran and that none lost or duplicated an event. Speed is not judged
 * here: tests share the machine, so any timing would be noise.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { SCENARIOS } from '../bench/options.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const RUNNER = path.join(ROOT, 'dist', 'bench', 'run.js');

let outDir: string | null = null;

afterEach(() => {
  if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
  outDir = null;
});

interface Report {
  ok: boolean;
  results: {
    scenario: string;
    store: string;
    error: string | null;
    ratio: number | null;
    delivery: { lost: number; duplicates: number; unrecorded: number | null; ok: boolean } | null;
  }[];
}

function runBench(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUNNER, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

it('runs every scenario of the quick bench on SQLite without losing or duplicating an event', async () => {
  expect(fs.existsSync(RUNNER), 'dist/bench/run.js is missing: npm test compiles first').toBe(true);
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-bench-smoke-'));

  const { code, output } = await runBench(['--quick', '--store=sqlite', `--out=${outDir}`]);

  const reports = fs.readdirSync(outDir).filter((name) => name.endsWith('.json'));
  expect(reports, output).toHaveLength(1);
  const report = JSON.parse(fs.readFileSync(path.join(outDir, reports[0] as string), 'utf8')) as Report;
  expect(report.results.map((r) => r.scenario)).toEqual([...SCENARIOS]);
  for (const result of report.results) {
    expect(result.store).toBe('sqlite');
    expect(result.error, `${result.scenario}: ${result.error}`).toBeNull();
    expect(result.delivery, result.scenario).not.toBeNull();
    expect(result.delivery?.lost, `${result.scenario} lost events`).toBe(0);
    expect(result.delivery?.duplicates, `${result.scenario} duplicated events`).toBe(0);
    expect(result.delivery?.unrecorded ?? 0, `${result.scenario} delivered events not recorded`).toBe(0);
  }
  // Judged from latencies the receiver hands over (pooled across rounds): none would leave no ratio.
  expect(report.results.find((r) => r.scenario === 'neighbour')?.ratio).toBeGreaterThan(0);
  expect(report.ok).toBe(true);
  expect(code, output).toBe(0);
  expect(output).toContain('scenario');
}, 600_000);

it('compares metrics off and on in one run, alternating, and reports what they cost', async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-bench-smoke-'));

  const { code, output } = await runBench(['--quick', '--store=sqlite', '--only=steady', '--metrics=compare', '--rounds=2', `--out=${outDir}`]);

  const reports = fs.readdirSync(outDir).filter((name) => name.endsWith('.json'));
  expect(reports, output).toHaveLength(1);
  const report = JSON.parse(fs.readFileSync(path.join(outDir, reports[0] as string), 'utf8')) as {
    results: { scenario: string; metrics: boolean }[];
    metricsCost: { scenario: string; off: number | null; on: number | null; cpuOff: number | null; cpuOn: number | null; runs: number }[];
  };
  const runs = (scenario: string): boolean[] => report.results.filter((r) => r.scenario === scenario).map((r) => r.metrics);
  expect(runs('steady')).toEqual([false, true, true, false]);
  expect(report.metricsCost.map((row) => row.scenario)).toEqual(['steady']);
  for (const row of report.metricsCost) {
    expect(row.runs).toBe(4);
    for (const figure of [row.off, row.on, row.cpuOff, row.cpuOn]) expect(figure, JSON.stringify(row)).toBeGreaterThan(0);
  }
  expect(code, output).toBe(0);
  expect(output).toContain('what metrics cost');
}, 600_000);

it('refuses an unknown metrics mode, naming the flag', async () => {
  const { code, output } = await runBench(['--metrics=maybe']);
  expect(code).toBe(2);
  expect(output).toContain('--metrics must be on, off or compare, got "maybe"');
});
