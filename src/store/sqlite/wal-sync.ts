/**
 * Group commit for a SQLite database in WAL mode, off the event loop.
 *
 * With synchronous = FULL every commit fsyncs the WAL inside the commit call,
 * and better-sqlite3 makes that call on the event loop: at a thousand
 * publishes a second the process spends a third of its time waiting for the
 * disk and every other request waits with it. Instead, hot writes commit with
 * synchronous = NORMAL (the frames reach the WAL file but are not synced) and
 * then wait here for an fdatasync of the WAL file on the thread pool before
 * they answer. fdatasync flushes the file, whichever descriptor wrote it, so
 * the commit is on disk exactly as FULL would have left it; and one flush
 * serves every commit finished before it started, so under load many
 * answers share one flush.
 *
 * SQLite keeps the WAL file (same inode) while any connection has the
 * database open, and this process's connection is open for as long as this
 * object is used, so the descriptor opened once stays valid.
 */
import fs from 'node:fs/promises';

export type Flush = () => Promise<void>;

/** Coalesces flush requests: each caller waits for a flush that started after it asked. */
export class GroupFlush {
  readonly #flush: Flush;
  #active: Promise<void> | null = null;
  #queued: Promise<void> | null = null;

  constructor(flush: Flush) {
    this.#flush = flush;
  }

  /** Resolves once a flush begun after this call has finished; rejects if that flush failed. */
  sync(): Promise<void> {
    if (this.#active === null) return this.#start();
    // The running flush may have started before the caller's commit, so the
    // caller needs the next one, shared with everyone who asks meanwhile.
    this.#queued ??= this.#active
      .catch(() => undefined)
      .then(() => {
        this.#queued = null;
        return this.#start();
      });
    return this.#queued;
  }

  #start(): Promise<void> {
    const active = this.#flush().finally(() => {
      if (this.#active === active) this.#active = null;
    });
    this.#active = active;
    return active;
  }
}

/** fdatasync of one file, through a descriptor opened on first use and kept. */
export class FileSync {
  readonly #path: string;
  #handle: Promise<fs.FileHandle> | null = null;

  constructor(path: string) {
    this.#path = path;
  }

  readonly flush: Flush = async () => {
    this.#handle ??= fs.open(this.#path, 'r');
    let handle: fs.FileHandle;
    try {
      handle = await this.#handle;
    } catch (error) {
      this.#handle = null;
      throw error;
    }
    await handle.datasync();
  };

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = null;
    if (handle) await (await handle.catch(() => null))?.close();
  }
}
