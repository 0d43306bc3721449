/**
 * Which processes hold an SQLite database: each gridhook that serves or
 * delivers on one writes `<database>.holders/<pid>` while it runs, so that
 * `gridhook restore` can refuse to replace the file under it. SQLite itself
 * offers no way to ask (in WAL mode readers and writers do not block each
 * other), and a process killed hard leaves its file behind, so a holder whose
 * pid is gone on this host does not count.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Holder {
  pid: number;
  hostname: string;
  role: string;
  since: string;
  file: string;
}

/** The SQLite file a database URL names, or null for PostgreSQL. */
export function sqliteFile(databaseUrl: string): string | null {
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) return null;
  return path.resolve(databaseUrl.startsWith('sqlite:') ? databaseUrl.slice('sqlite:'.length) : databaseUrl);
}

function holdersDir(databaseFile: string): string {
  return `${databaseFile}.holders`;
}

/** Marks this process as holding the database; answers the release (also done at exit). */
export function holdDatabase(databaseFile: string, role: string): () => void {
  const dir = holdersDir(databaseFile);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, String(process.pid));
  const holder = { pid: process.pid, hostname: os.hostname(), role, since: new Date().toISOString() };
  fs.writeFileSync(file, `${JSON.stringify(holder)}\n`);
  const release = (): void => {
    fs.rmSync(file, { force: true });
    process.off('exit', release);
  };
  process.on('exit', release);
  return release;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, run by another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The processes holding the database now; marks left by processes that are gone are removed. */
export function liveHolders(databaseFile: string): Holder[] {
  const dir = holdersDir(databaseFile);
  if (!fs.existsSync(dir)) return [];
  const holders: Holder[] = [];
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    let holder: Omit<Holder, 'file'>;
    try {
      holder = JSON.parse(fs.readFileSync(file, 'utf8')) as Omit<Holder, 'file'>;
    } catch {
      continue;
    }
    // A process on another host (a shared disk) cannot be asked: it counts until its file is removed.
    if (holder.hostname === os.hostname() && !running(holder.pid)) {
      fs.rmSync(file, { force: true });
      continue;
    }
    holders.push({ ...holder, file });
  }
  return holders;
}
