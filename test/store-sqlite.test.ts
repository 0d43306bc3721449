import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../src/store/sqlite/migrations.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { eventInput, LEASE_MS, newCallback, T0 } from './store-conformance/fixtures.js';
import { describeStoreConformance } from './store-conformance/store-conformance.js';

const folders: string[] = [];

function tempFolder(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-sqlite-'));
  folders.push(folder);
  return folder;
}

afterAll(() => {
  for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
});

describeStoreConformance('SQLite file', async () => openSqliteStore(path.join(tempFolder(), 'gridhook.db')));

describe('SQLite store', () => {
  it('creates missing parent folders and keeps the database in WAL mode', async () => {
    const file = path.join(tempFolder(), 'a', 'b', 'gridhook.db');
    const store = openSqliteStore(file);
    await store.migrate();
    await store.close();
    const raw = new Database(file);
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.prepare('SELECT version FROM schema_migrations ORDER BY 1').pluck().all()).toEqual(
        MIGRATIONS.map((m) => m.version).sort((x, y) => x - y),
      );
    } finally {
      raw.close();
    }
  });

  it('works in memory', async () => {
    const store = openSqliteStore(':memory:');
    await store.migrate();
    await store.createCallback(newCallback(), T0);
    expect((await store.publishEvents([eventInput()], { now: T0 })).matched).toEqual([1]);
    await store.close();
  });

  it('keeps its data across reopening', async () => {
    const file = path.join(tempFolder(), 'gridhook.db');
    const first = openSqliteStore(file);
    await first.migrate();
    await first.createCallback(newCallback(), T0);
    const { eventIds } = await first.publishEvents([eventInput()], { now: T0 });
    await first.close();

    const second = openSqliteStore(file);
    await second.migrate();
    expect((await second.getEvent(eventIds[0]!))?.status).toBe('Pending');
    await second.close();
  });

  it('refuses a database written by a newer gridhook', async () => {
    const file = path.join(tempFolder(), 'gridhook.db');
    const store = openSqliteStore(file);
    await store.migrate();
    const raw = new Database(file);
    raw.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)").run();
    raw.close();
    await expect(store.migrate()).rejects.toThrow(/schema version 999/);
    await store.close();
  });

  it('two stores on one file never lease one event twice', async () => {
    const file = path.join(tempFolder(), 'shared.db');
    const a = openSqliteStore(file);
    const b = openSqliteStore(file);
    await Promise.all([a.migrate(), b.migrate()]);
    const callback = await a.createCallback(newCallback(), T0);
    const inputs = Array.from({ length: 300 }, (_, i) => eventInput({ parcelId: i + 1 }));
    const { eventIds } = await b.publishEvents(inputs, { now: T0 });

    const leased: number[] = [];
    for (let round = 0; leased.length < eventIds.length && round < 1_000; round++) {
      const store = round % 2 === 0 ? a : b;
      const jobs = await store.claimDueEvents({
        workerId: round % 2 === 0 ? 'a' : 'b',
        now: T0,
        leaseMs: LEASE_MS,
        limit: 1 + (round % 7),
        perCallbackLimit: 1_000,
      });
      leased.push(...jobs.map((j) => j.eventId));
    }
    expect(leased).toHaveLength(eventIds.length);
    expect(new Set(leased)).toEqual(new Set(eventIds));

    // The per-callback limit holds across the two connections too.
    await b.releaseLeases('b');
    await a.releaseLeases('a');
    const fromA = await a.claimDueEvents({ workerId: 'a', now: T0, leaseMs: LEASE_MS, limit: 10, perCallbackLimit: 4 });
    const fromB = await b.claimDueEvents({ workerId: 'b', now: T0, leaseMs: LEASE_MS, limit: 10, perCallbackLimit: 4 });
    expect(fromA).toHaveLength(4);
    expect(fromB).toEqual([]);
    expect(fromA.every((job) => job.callbackId === callback.callbackId)).toBe(true);

    await a.close();
    await b.close();
  });
});

describe('SQLite store writes', () => {
  it('writes concurrent publishes together, and one failing leaves the others and their idempotency keys be', async () => {
    const store = openSqliteStore(path.join(tempFolder(), 'gridhook.db'));
    await store.migrate();
    await store.createCallback(newCallback(), T0);
    const [plain, broken, keyed, replay] = await Promise.allSettled([
      store.publishEvents([eventInput({ parcelId: 1 })], { now: T0 }),
      // NOT NULL file_name: this publish fails inside the shared write.
      store.publishEvents([eventInput({ parcelId: 2, fileName: null as unknown as string })], { now: T0 }),
      store.publishEvents([eventInput({ parcelId: 3 })], { now: T0, idempotencyKey: 'k-1' }),
      store.publishEvents([eventInput({ parcelId: 4 })], { now: T0, idempotencyKey: 'k-1' }),
    ]);
    expect(plain.status).toBe('fulfilled');
    expect(broken.status).toBe('rejected');
    expect(keyed.status).toBe('fulfilled');
    expect(replay.status).toBe('fulfilled');
    if (keyed.status !== 'fulfilled' || replay.status !== 'fulfilled' || plain.status !== 'fulfilled') return;
    expect(keyed.value.replayed).toBe(false);
    expect(replay.value).toEqual({ ...keyed.value, replayed: true });
    const stored = await Promise.all([...plain.value.eventIds, ...keyed.value.eventIds].map((id) => store.getEvent(id)));
    expect(stored.map((event) => event?.parcelId)).toEqual([1, 3]);
    expect((await store.listEvents({}, { pageNo: 1, recordsPerPage: 10 })).totalRecords).toBe(2);
    await store.close();
  });

  it('copies the WAL into the database file in the background, without waiting for the next big commit', async () => {
    const file = path.join(tempFolder(), 'gridhook.db');
    const store = openSqliteStore(file);
    await store.migrate();
    await store.createCallback(newCallback(), T0);
    const before = fs.statSync(file).size;
    for (let i = 0; i < 40; i++) {
      await store.publishEvents(
        Array.from({ length: 50 }, (_, n) => eventInput({ parcelId: i * 50 + n, fileName: `parcel-${i}-${n}.edi` })),
        { now: T0 },
      );
    }
    // Far below the commits' own checkpoint threshold: only the background checkpoint moves pages.
    const deadline = Date.now() + 10_000;
    while (fs.statSync(file).size <= before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(fs.statSync(file).size).toBeGreaterThan(before);
    await store.close();
    await store.close();
  });
});

/**
 * Separate processes on one file: the case several `gridhook` processes on one
 * machine create. The children run the store's TypeScript sources, transpiled
 * once here and handed to them through a module hook, so the test needs no
 * build step and the children start fast.
 */
describe('SQLite store shared by processes', () => {
  const run = promisify(execFile);
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const entry = pathToFileURL(path.join(root, 'src/store/sqlite/sqlite-store.ts')).href;

  /** The store module and every module it imports at run time, as JavaScript by file URL. */
  async function transpileStore(): Promise<Record<string, string>> {
    const ts = (await import('typescript')).default;
    const compiled: Record<string, string> = {};
    const pending = [entry];
    for (let url = pending.pop(); url !== undefined; url = pending.pop()) {
      if (compiled[url] !== undefined) continue;
      const file = fileURLToPath(url);
      const output = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
        fileName: file,
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      compiled[url] = output;
      for (const [, specifier] of output.matchAll(/from\s+['"](\.{1,2}\/[^'"]+)\.js['"]/g)) {
        pending.push(new URL(`${specifier}.ts`, url).href);
      }
    }
    return compiled;
  }

  const hooks = `
    let compiled = {};
    export async function initialize(data) {
      compiled = data;
    }
    export async function resolve(specifier, context, next) {
      if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL in compiled) {
        const url = new URL(specifier.slice(0, -3) + '.ts', context.parentURL).href;
        if (url in compiled) return { url, shortCircuit: true };
      }
      return next(specifier, context);
    }
    export async function load(url, context, next) {
      if (!(url in compiled)) return next(url, context);
      return { format: 'module', source: compiled[url], shortCircuit: true };
    }`;

  const child = `
    import { readFileSync } from 'node:fs';
    import { register } from 'node:module';
    const { GH_FILE: file, GH_WORKER: workerId, GH_START: start, GH_MODE: mode, GH_SOURCES: sources } = process.env;
    register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}), {
      data: JSON.parse(readFileSync(sources, 'utf8')),
    });
    const { openSqliteStore } = await import(${JSON.stringify(entry)});
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(start) - Date.now())));
    const store = openSqliteStore(file);
    await store.migrate();
    const claimed = [];
    if (mode === 'deliver') {
      for (let idle = 0; idle < 40; ) {
        const jobs = await store.claimDueEvents({ workerId, now: Date.now(), leaseMs: 60000, limit: 7, perCallbackLimit: 1000 });
        if (jobs.length === 0) {
          idle += 1;
          await new Promise((resolve) => setTimeout(resolve, 5));
          continue;
        }
        idle = 0;
        for (const job of jobs) claimed.push(job.eventId);
        // Stands for the POST: a real worker holds no lock while it delivers.
        await new Promise((resolve) => setTimeout(resolve, 2));
        await store.recordAttempts(jobs.map((job) => ({
          eventId: job.eventId, workerId, startedAt: Date.now(), durationMs: 1,
          httpStatus: 200, error: null, outcome: 'Delivered', nextAttemptAt: null,
        })));
      }
    }
    await store.close();
    process.stdout.write(JSON.stringify(claimed));`;

  let sources: string | undefined;

  async function spawnChildren(file: string, mode: 'migrate' | 'deliver', count: number): Promise<number[][]> {
    if (sources === undefined) {
      sources = path.join(tempFolder(), 'sources.json');
      fs.writeFileSync(sources, JSON.stringify(await transpileStore()));
    }
    // Every child waits for the same moment, so they really run at once.
    const start = String(Date.now() + 500);
    const outputs = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        run(process.execPath, ['--input-type=module', '--no-warnings', '-e', child], {
          cwd: root,
          env: { ...process.env, GH_FILE: file, GH_WORKER: `worker-${i}`, GH_START: start, GH_MODE: mode, GH_SOURCES: sources },
        }),
      ),
    );
    return outputs.map(({ stdout }) => JSON.parse(stdout) as number[]);
  }

  it('migrate is safe when several processes start on a new file at once', async () => {
    const file = path.join(tempFolder(), 'race.db');
    await spawnChildren(file, 'migrate', 4);
    const store = openSqliteStore(file);
    await store.migrate();
    expect(await store.getNetwork(1)).toMatchObject({ name: 'Default network' });
    expect((await store.listMailboxes({}, { pageNo: 1, recordsPerPage: 10 })).totalRecords).toBe(1);
    await store.close();
    const raw = new Database(file);
    expect(raw.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.length);
    raw.close();
  });

  it('each event is delivered by exactly one of several processes', async () => {
    const file = path.join(tempFolder(), 'shared.db');
    const store = openSqliteStore(file);
    await store.migrate();
    await store.createCallback(newCallback(), Date.now() - 1_000);
    const inputs = Array.from({ length: 1_000 }, (_, i) => eventInput({ parcelId: i + 1 }));
    const { eventIds } = await store.publishEvents(inputs, { now: Date.now() - 1_000 });

    const perChild = await spawnChildren(file, 'deliver', 4);
    expect(perChild.filter((ids) => ids.length > 0).length).toBeGreaterThan(1);
    const claimed = perChild.flat();
    expect(claimed).toHaveLength(eventIds.length);
    expect(new Set(claimed)).toEqual(new Set(eventIds));
    const delivered = await store.listEvents({ status: 'Delivered' }, { pageNo: 1, recordsPerPage: 1 });
    expect(delivered.totalRecords).toBe(eventIds.length);
    for (const id of eventIds.slice(0, 50)) expect((await store.getEvent(id))?.attempts).toBe(1);
    await store.close();
  });
});
