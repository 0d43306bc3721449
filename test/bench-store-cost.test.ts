/**
 * Keeps `node dist/bench/store-cost.js` working: it drains a tiny seeded queue
 * through the store on PostgreSQL, with every index and with two dropped, and
 * reports every event delivered with the server's cost; a flag it cannot use
 * is refused by name. Speed is not judged here.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { StoreCostRow } from '../bench/store-cost.js';
import { describeWithPostgres } from './helpers/cluster.js';
import { postgresAvailable } from './helpers/postgres.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const SCRIPT = path.join(ROOT, 'dist', 'bench', 'store-cost.js');
const PG_URL = process.env.GRIDHOOK_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function run(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, '--pg-url', PG_URL, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describeWithPostgres('bench/store-cost on PostgreSQL', await postgresAvailable(), () => {
  it('drains every event, with every index and without the named ones, and reports the server cost', async () => {
    const { code, output } = await run(['--events', '300', '--batches', '4,16', '--without', 'events_listed,events_by_parcel']);
    expect(code, output).toBe(0);
    const report = JSON.parse(output.trim().split('\n').at(-1)!) as { rows: StoreCostRow[] };
    expect(report.rows.map((row) => [row.batch, row.without])).toEqual([
      [4, []],
      [16, []],
      [4, ['events_listed', 'events_by_parcel']],
      [16, ['events_listed', 'events_by_parcel']],
    ]);
    for (const row of report.rows) {
      expect(row.deliveries).toBe(300);
      expect(row.serverCpuUsPerDelivery).toBeGreaterThan(0);
      expect(row.walBytesPerDelivery).toBeGreaterThan(0);
    }
  }, 120_000);

  it('refuses an index name it cannot use, and a batch that is not a whole number, naming the flag', async () => {
    const injected = await run(['--without', 'events_listed; DROP TABLE events']);
    expect(injected.code).toBe(2);
    expect(injected.output).toMatch(/--without takes index names/);
    const missing = await run(['--events', '10', '--batches', '4', '--without', 'no_such_index']);
    expect(missing.code).toBe(2);
    expect(missing.output).toMatch(/no_such_index/);
    const batch = await run(['--batches', '4,x']);
    expect(batch.code).toBe(2);
    expect(batch.output).toMatch(/--batches must be a whole number/);
  }, 60_000);
});
