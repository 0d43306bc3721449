/**
 * `gridhook backup FILE` and `gridhook restore FILE` for the SQLite store.
 * PostgreSQL is backed up with its own tools (docs/operations.md).
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { liveHolders, sqliteFile } from './database-holders.js';

export const BACKUP_USAGE = `Backups (SQLite; for PostgreSQL use pg_dump and pg_restore, see docs/operations.md):
  gridhook backup FILE     a consistent copy of the database, taken while gridhook serves and delivers
  gridhook restore FILE    replaces the database with a backup; refused while a gridhook process holds it`;

/**
 * The copy goes in small steps with a pause between them, so that the
 * serving process's commits (which wait for their own fsync) never queue
 * behind a long burst of the backup's reads and writes. All steps run inside
 * one read transaction on the source: without it, every commit by the service
 * (another connection) would restart SQLite's online backup from the first
 * page, and a database that delivers all the time would never be copied. In
 * WAL mode that read transaction holds no writer up.
 */
const PAGES_PER_STEP = 64;
const PAUSE_MS = 5;
/** The copied pages are flushed to disk this often, so that the final sync is small too. */
const FLUSH_EVERY_STEPS = 4;

const pause = new Int32Array(new SharedArrayBuffer(4));

function databaseFileOf(databaseUrl: string, command: string): string {
  const file = sqliteFile(databaseUrl);
  if (file === null) {
    throw new BackupError(
      `gridhook ${command} is for the SQLite store; this one is PostgreSQL: use pg_dump -Fc and pg_restore (docs/operations.md, "Backup and restore").`,
    );
  }
  return file;
}

export class BackupError extends Error {}

export async function backup(databaseUrl: string, target: string | undefined): Promise<string> {
  if (!target) throw new BackupError('gridhook backup needs the file to write, e.g. gridhook backup ./gridhook-2026-12-05.db');
  const source = databaseFileOf(databaseUrl, 'backup');
  if (!fs.existsSync(source)) throw new BackupError(`There is no database at ${source} to back up (GRIDHOOK_DATABASE_URL).`);
  if (fs.existsSync(target)) throw new BackupError(`${target} exists; name a new file, so that no backup is overwritten by mistake.`);
  const db = new Database(source, { fileMustExist: true });
  let flushed: number | null = null;
  try {
    db.pragma('busy_timeout = 5000');
    const started = Date.now();
    db.exec('BEGIN');
    // BEGIN alone takes no snapshot; the first read does.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    let steps = 0;
    const result = await db.backup(target, {
      progress: () => {
        steps += 1;
        if (steps % FLUSH_EVERY_STEPS === 0) {
          flushed ??= fs.openSync(target, 'r');
          fs.fdatasyncSync(flushed);
        }
        // The progress callback is synchronous: a blocking wait is the pause, and this process has nothing else to do.
        Atomics.wait(pause, 0, 0, PAUSE_MS);
        return PAGES_PER_STEP;
      },
    });
    db.exec('COMMIT');
    return `Backed up ${source} to ${target}: ${result.totalPages} pages in ${steps + 1} steps, ${Date.now() - started} ms.\n`;
  } finally {
    if (flushed !== null) fs.closeSync(flushed);
    if (db.inTransaction) db.exec('ROLLBACK');
    db.close();
  }
}

export async function restore(databaseUrl: string, source: string | undefined): Promise<string> {
  if (!source) throw new BackupError('gridhook restore needs the backup file, e.g. gridhook restore ./gridhook-2026-12-05.db');
  const target = databaseFileOf(databaseUrl, 'restore');
  if (!fs.existsSync(source)) throw new BackupError(`${source}: no such file.`);
  const holders = liveHolders(target);
  if (holders.length > 0) {
    const list = holders.map((h) => `${h.role} pid ${h.pid} on ${h.hostname} since ${h.since}`).join('; ');
    throw new BackupError(
      `Refusing to restore: gridhook still holds ${target} (${list}). Stop every gridhook process on this database first ` +
        `(a process that is gone on another host: remove its file in ${target}.holders/).`,
    );
  }
  const backupDb = new Database(source, { readonly: true, fileMustExist: true });
  try {
    const check = backupDb.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new BackupError(`${source} is damaged (quick_check: ${String(check)}); not restored.`);
    const tables = backupDb.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'events'").get() as { n: number };
    if (tables.n === 0) throw new BackupError(`${source} is not a gridhook database (it has no events table); not restored.`);
    // Written through SQLite (not a file copy), so the database's WAL and shared memory stay consistent.
    await backupDb.backup(target);
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_NOTADB') throw new BackupError(`${source} is not an SQLite database; not restored.`);
    throw error;
  } finally {
    backupDb.close();
  }
  return `Restored ${target} from ${source}. Start gridhook: it upgrades the schema if the backup is older.\n`;
}
