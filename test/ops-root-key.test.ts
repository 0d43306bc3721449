/**
 * Several `gridhook api` processes started together on one PostgreSQL
 * database without GRIDHOOK_ADMIN_KEY agree on one Root key: the first to
 * make one keeps it, the others keep no key of their own and say where it is,
 * instead of each revoking the one before.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { describeWithPostgres } from './helpers/cluster.js';
import { createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';
import { startGridhook, stopGracefully, type GridhookProcess } from './helpers/process.js';

const PROCESSES = 3;
const cleanup: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const availability = await postgresAvailable();
describeWithPostgres('the Root key of several api processes on one database', availability, () => {
  afterAll(dropTestDatabases);

  it('is made once and works on every process', async () => {
    const database = await createTestDatabase();
    const dirs = Array.from({ length: PROCESSES }, () => fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-root-')));
    cleanup.push(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
    const procs: GridhookProcess[] = await Promise.all(
      dirs.map((dir) => startGridhook('api', { GRIDHOOK_DATABASE_URL: database.url, GRIDHOOK_DATA_DIR: dir, GRIDHOOK_ADMIN_KEY: '' })),
    );
    cleanup.push(() => Promise.all(procs.map((proc) => stopGracefully(proc))));

    const files = dirs.map((dir) => path.join(dir, 'root-api-key')).filter((file) => fs.existsSync(file));
    expect(files).toHaveLength(1);
    const key = fs.readFileSync(files[0]!, 'utf8').trim();
    for (const proc of procs) {
      const answer = await fetch(`${proc.url}/v2/networks/1`, { headers: { 'x-api-key': key } });
      expect(answer.status).toBe(200);
    }
    const told = procs.filter((proc) => proc.lines.some((line) => line.includes('made by another gridhook process')));
    expect(told).toHaveLength(PROCESSES - 1);
  }, 60_000);
});
