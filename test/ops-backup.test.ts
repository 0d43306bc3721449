/**
 * `gridhook backup` and `gridhook restore` on the SQLite store, with the real binary:
 * a backup taken while `gridhook serve` takes events and delivers them is a consistent,
 * complete database; restore refuses while a gridhook process holds the database (its
 * <database>.holders/<pid> mark) and, once it is stopped, brings the backup back.
 * The longest pause of the API during the backup is measured and printed, not asserted.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, startGridhook, stopGracefully, type GridhookProcess } from './helpers/process.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { ok } from './helpers/server.js';

const ROOT_KEY = 'gh_backup_test_root_key_0123456789abcdefgh';
const dirs: string[] = [];
const processes: GridhookProcess[] = [];
let receiver: Receiver | undefined;

afterAll(async () => {
  for (const proc of processes) if (proc.child.exitCode === null) await stopGracefully(proc);
  await receiver?.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('gridhook backup and restore (SQLite)', () => {
  it('backs up while serving and delivering; restore refuses while gridhook holds the database, then restores', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-backup-'));
    dirs.push(dir);
    const database = path.join(dir, 'gridhook.db');
    const env = {
      GRIDHOOK_DATA_DIR: dir,
      GRIDHOOK_DATABASE_URL: `sqlite:${database}`,
      GRIDHOOK_ADMIN_KEY: ROOT_KEY,
      GRIDHOOK_ALLOW_PRIVATE_URLS: 'true',
      GRIDHOOK_POLL_INTERVAL_MS: '50',
    };
    receiver = await startReceiver();
    const serving = await startGridhook('serve', env);
    processes.push(serving);
    const api = { url: serving.url!, rootKey: ROOT_KEY };
    expect(fs.readdirSync(`${database}.holders`)).toEqual([String(serving.child.pid)]);

    const callback = await ok(api, 'POST', '/v2/callbacks/create', { callBackUrl: receiver.urlFor('/hook'), callBackEvent: 'InBox' });
    const mailbox = await ok(api, 'POST', '/v2/mailboxes/create', { networkId: 1, name: 'Backup test' });
    const publish = (n: number) =>
      ok(api, 'POST', '/v2/callbacks/events/publish', {
        events: Array.from({ length: n }, (_, i) => ({ callBackEvent: 'InBox', mailboxId: mailbox.mailboxId, fileName: `f${i}.edi` })),
      });
    for (let i = 0; i < 20; i += 1) await publish(50);

    // Events keep arriving and being delivered while the backup runs; the API's pauses are timed.
    let backingUp = true;
    let longestCallMs = 0;
    let callsDuring = 0;
    const load = (async () => {
      while (backingUp) {
        const started = performance.now();
        await publish(5);
        longestCallMs = Math.max(longestCallMs, performance.now() - started);
        callsDuring += 1;
      }
    })();
    const target = path.join(dir, 'backup.db');
    const backedUp = await cli(['backup', target], env);
    backingUp = false;
    await load;
    expect(backedUp.stderr).toBe('');
    expect(backedUp.code).toBe(0);
    expect(backedUp.stdout).toMatch(new RegExp(`^Backed up ${database} to ${target}: \\d+ pages in \\d+ steps, \\d+ ms\\.\\n$`));
    console.info(
      `ops-backup: ${backedUp.stdout.trim()} ${callsDuring} publish calls during it; the slowest took ${longestCallMs.toFixed(0)} ms`,
    );

    const copy = new Database(target, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    const copied = (copy.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    copy.close();
    expect(copied).toBeGreaterThanOrEqual(1000);

    const refusedOverwrite = await cli(['backup', target], env);
    expect(refusedOverwrite).toMatchObject({ code: 1, stderr: `${target} exists; name a new file, so that no backup is overwritten by mistake.\n` });

    const refused = await cli(['restore', target], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(`^Refusing to restore: gridhook still holds ${database} \\(serve pid ${serving.child.pid} on \\S+ since \\S+\\)\\. Stop every gridhook process`),
    );

    // After the backup: a callback that the restore must take away again.
    const later = await ok(api, 'POST', '/v2/callbacks/create', { callBackUrl: receiver.urlFor('/later'), callBackEvent: 'InBox' });
    expect(await stopGracefully(serving)).toBe(0);
    expect(fs.readdirSync(`${database}.holders`)).toEqual([]);

    const restored = await cli(['restore', target], env);
    expect(restored.stderr).toBe('');
    expect(restored).toMatchObject({ code: 0, stdout: `Restored ${database} from ${target}. Start gridhook: it upgrades the schema if the backup is older.\n` });

    const again = await startGridhook('serve', env);
    processes.push(again);
    const reopened = { url: again.url!, rootKey: ROOT_KEY };
    expect(await ok(reopened, 'GET', `/v2/callbacks/${callback.callBackQueueId}`)).toMatchObject({ callBackUrl: receiver.urlFor('/hook') });
    const gone = await fetch(`${reopened.url}/v2/callbacks/${later.callBackQueueId}`, { headers: { 'x-api-key': ROOT_KEY } });
    expect(gone.status).toBe(404);
    expect(await stopGracefully(again)).toBe(0);
  }, 120_000);

  it('a holder mark left by a process that is gone does not block a restore; a non-database is refused', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-restore-'));
    dirs.push(dir);
    const database = path.join(dir, 'gridhook.db');
    const env = { GRIDHOOK_DATA_DIR: dir, GRIDHOOK_DATABASE_URL: `sqlite:${database}`, GRIDHOOK_LOG_LEVEL: 'warn' };
    expect((await cli(['migrate'], env)).code).toBe(0);
    const backupFile = path.join(dir, 'b.db');
    expect((await cli(['backup', backupFile], env)).code).toBe(0);
    // A pid no process has (above the kernel's pid_max), as a `kill -9` leaves behind.
    fs.mkdirSync(`${database}.holders`, { recursive: true });
    fs.writeFileSync(`${database}.holders/4194305`, JSON.stringify({ pid: 4194305, hostname: os.hostname(), role: 'serve', since: 'then' }));
    expect((await cli(['restore', backupFile], env)).code).toBe(0);
    expect(fs.readdirSync(`${database}.holders`)).toEqual([]);

    const notDb = path.join(dir, 'notes.txt');
    fs.writeFileSync(notDb, 'not a database, but long enough to be read as one '.repeat(20));
    const refused = await cli(['restore', notDb], env);
    expect(refused).toMatchObject({ code: 1, stderr: `${notDb} is not an SQLite database; not restored.\n` });
    const postgres = await cli(['backup', path.join(dir, 'x.db')], { ...env, GRIDHOOK_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' });
    expect(postgres.code).toBe(1);
    expect(postgres.stderr).toMatch(/use pg_dump -Fc and pg_restore/);
  }, 60_000);
});
