/**
 * WAL checkpoints on a thread of their own.
 *
 * SQLite copies the WAL back into the database file (a checkpoint) from the
 * connection whose commit pushed the WAL past wal_autocheckpoint pages, inside
 * that commit: page writes and two fsyncs, tens of milliseconds on the event
 * loop every few hundred writes. Here a second connection, on a worker thread,
 * runs PASSIVE checkpoints a few times a second instead; PASSIVE never waits
 * for or blocks writers, and the fsyncs it needs (WAL before the copy,
 * database after) are SQLite's own, so crash safety is unchanged.
 *
 * A checkpoint that overlaps writes leaves their frames for the next one, so
 * under sustained writes the WAL may never be wholly copied, and only a wholly
 * copied WAL is rewound. The main connection therefore keeps a high
 * wal_autocheckpoint as a backstop: past it, its own checkpoint finds nearly
 * everything copied already, catches up, and the next write rewinds the WAL.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** The main connection's own checkpoint threshold, in pages, while a checkpointer runs. */
export const BACKSTOP_PAGES = 10_000;

const DEFAULT_INTERVAL_MS = 100;

// CommonJS, because an eval'd worker is a script; the driver is handed over by
// absolute path so the worker finds it wherever the process was started.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
// Never wait: a checkpoint that cannot start now is tried again next round.
db.pragma('busy_timeout = 0');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
let failures = 0;
const timer = setInterval(() => {
  try {
    checkpoint.get();
    failures = 0;
  } catch (error) {
    if (error && error.code === 'SQLITE_BUSY') return;
    failures += 1;
    if (failures === 1) parentPort.postMessage({ error: String(error && error.message) });
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export class Checkpointer {
  readonly #worker: Worker;
  readonly #exited: Promise<void>;
  #closing = false;

  /** onError hears the first of a run of failed checkpoints (the main connection's backstop still checkpoints). */
  constructor(file: string, onError: (message: string) => void, intervalMs = DEFAULT_INTERVAL_MS) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs } });
    this.#worker.on('message', (message: { error?: string }) => {
      if (message.error) onError(message.error);
    });
    this.#worker.on('error', (error) => onError(error.message));
    this.#exited = new Promise((resolve) => this.#worker.once('exit', () => resolve()));
    // A process may end without closing its store; this thread must not keep it alive.
    this.#worker.unref();
  }

  /** Ends the thread after any checkpoint in progress; safe to call again, or after the thread failed. */
  close(): Promise<void> {
    if (!this.#closing) {
      this.#closing = true;
      // Held open until the thread is gone, or a process awaiting this would just end.
      this.#worker.ref();
      this.#worker.postMessage('close');
    }
    return this.#exited;
  }
}
