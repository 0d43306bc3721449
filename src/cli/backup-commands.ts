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
 * The whole database in one step of SQLite's online backup API, inside one
 * read transaction: in WAL mode the service's writers go on meanwhile. In
 * steps of a few hundred pages, every write by the service (another
 * connection) restarts the copy from the first page, and a database that
 * delivers all the time was never copied (bench/backup-stall.ts).
 */
const ALL_PAGES = 0x7fffffff;

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
  try {
    db.pragma('busy_timeout = 5000');
    const started = Date.now();
    const result = await db.backup(target, { progress: () => ALL_PAGES });
    return `Backed up ${source} to ${target}: ${result.totalPages} pages in ${Date.now() - started} ms.\n`;
  } finally {
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
