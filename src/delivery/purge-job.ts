/**
 * Deletes finished events (delivered, failed, canceled), with their attempts,
 * once they are older than the retention period, and idempotency keys older
 * than theirs, so the tables hold the live queue and recent history instead
 * of everything ever sent. Processes with the worker role
 * run it: at start, then every intervalMs after the previous run ended, so
 * runs never overlap.
 *
 * A run deletes in batches of batchSize and pauses between them: no single
 * statement holds many row locks or blocks SQLite's one writer for long, and
 * deliveries interleave with the purge. While the process delivers, the pause
 * grows with what the batch took, so that the purge takes at most
 * shareWhileDelivering of the time: a batch of 1,000 events with their index
 * entries takes 20-30 ms of SQLite's one writer (and of the event loop, where
 * better-sqlite3 runs), and back to back with a 50 ms pause that was a third
 * of the deliveries' time. Its cutoff is fixed when it begins,
 * so a run ends even while new events keep being delivered. Several
 * processes purging at once is harmless: a row is deleted once, whoever gets
 * it first.
 */
import { systemClock, type Clock } from '../domain/clock.js';
import { pauseForShare } from '../domain/time-share.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';

export interface PurgeJobOptions {
  store: Pick<Store, 'purgeFinishedEvents' | 'purgeIdempotencyKeys'>;
  logger: Logger;
  /** Events finished longer ago than this are deleted; 0 keeps them all. */
  retentionDays: number;
  /** Idempotency keys made longer ago than this are deleted; 0 (the default) keeps them all. */
  idempotencyRetentionDays?: number;
  /** Default: the system clock. */
  clock?: Clock;
  /** From the end of one run to the start of the next. Default one hour. */
  intervalMs?: number;
  /** Events deleted per statement. Default 1000. */
  batchSize?: number;
  /** Pause between two batches of one run. Default 50 ms. */
  pauseMs?: number;
  /** Whether the process is delivering now (its engine holds leases). Default: never. */
  delivering?: () => boolean;
  /** The largest share of the time the purge takes while delivering, above 0 and at most 1. Default 0.1. */
  shareWhileDelivering?: number;
}

/** However long a batch took, the purge goes on after this pause at the latest. */
const MAX_PAUSE_MS = 5_000;

const DAY_MS = 24 * 60 * 60 * 1000;

export class PurgeJob {
  readonly #store: Pick<Store, 'purgeFinishedEvents' | 'purgeIdempotencyKeys'>;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #retentionMs: number;
  readonly #keyRetentionMs: number;
  readonly #intervalMs: number;
  readonly #batchSize: number;
  readonly #pauseMs: number;
  readonly #delivering: () => boolean;
  readonly #share: number;

  #scheduled = false;
  /** Set by stop(): a run in progress ends after its current batch. */
  #stopping = false;
  #timer: NodeJS.Timeout | null = null;
  #current: Promise<number> | null = null;
  /** Ends the pause between batches early, so stop() need not wait it out. */
  #wake: (() => void) | null = null;

  constructor(options: PurgeJobOptions) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#clock = options.clock ?? systemClock;
    this.#retentionMs = options.retentionDays * DAY_MS;
    this.#keyRetentionMs = (options.idempotencyRetentionDays ?? 0) * DAY_MS;
    this.#intervalMs = options.intervalMs ?? 60 * 60 * 1000;
    this.#batchSize = options.batchSize ?? 1000;
    this.#pauseMs = options.pauseMs ?? 50;
    this.#delivering = options.delivering ?? (() => false);
    this.#share = options.shareWhileDelivering ?? 0.1;
    if (!(this.#share > 0 && this.#share <= 1)) {
      throw new RangeError(`PurgeJob: shareWhileDelivering must be above 0 and at most 1, got ${this.#share}`);
    }
    for (const [name, value] of Object.entries({
      retentionDays: options.retentionDays,
      idempotencyRetentionDays: options.idempotencyRetentionDays ?? 0,
      intervalMs: this.#intervalMs,
      batchSize: this.#batchSize,
      pauseMs: this.#pauseMs,
    })) {
      const min = name === 'retentionDays' || name === 'idempotencyRetentionDays' || name === 'pauseMs' ? 0 : 1;
      if (!Number.isInteger(value) || value < min) {
        throw new RangeError(`PurgeJob: ${name} must be a whole number ≥ ${min}, got ${value}`);
      }
    }
  }

  get enabled(): boolean {
    return this.#retentionMs > 0 || this.#keyRetentionMs > 0;
  }

  /** Runs a purge now and then every intervalMs, until stop(). Does nothing when retention is 0. */
  start(): void {
    if (this.#scheduled || !this.enabled) return;
    this.#scheduled = true;
    this.#stopping = false;
    void this.#cycle();
  }

  /** Cancels the next run and ends the current one after its batch in progress; resolves once it has. */
  async stop(): Promise<void> {
    this.#scheduled = false;
    this.#stopping = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#wake?.();
    await this.#current;
  }

  /**
   * One run: deletes every finished event past retention, then every
   * idempotency key past its own, batch by batch, unless stopped in between.
   * Answers how many events it deleted. A store error ends the run; the next
   * one tries again.
   */
  run(): Promise<number> {
    this.#current ??= this.#purge().finally(() => {
      this.#current = null;
    });
    return this.#current;
  }

  async #cycle(): Promise<void> {
    await this.run();
    if (!this.#scheduled) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#cycle();
    }, this.#intervalMs);
    // The job never keeps a process alive on its own.
    this.#timer.unref();
  }

  async #purge(): Promise<number> {
    if (!this.enabled) return 0;
    const now = this.#clock.now();
    const events = await this.#batches('finished events', this.#retentionMs, now, (before, limit) =>
      this.#store.purgeFinishedEvents(before, limit),
    );
    if (!this.#stopping) {
      await this.#batches('idempotency keys', this.#keyRetentionMs, now, (before, limit) =>
        this.#store.purgeIdempotencyKeys(before, limit),
      );
    }
    return events;
  }

  /** Deletes what `purge` deletes older than retentionMs, batch by batch; answers how many. */
  async #batches(
    what: string,
    retentionMs: number,
    now: number,
    purge: (before: number, limit: number) => Promise<number>,
  ): Promise<number> {
    if (retentionMs <= 0) return 0;
    const before = now - retentionMs;
    let purged = 0;
    try {
      for (;;) {
        const started = performance.now();
        const deleted = await purge(before, this.#batchSize);
        purged += deleted;
        if (deleted < this.#batchSize || this.#stopping) break;
        await this.#pause(performance.now() - started);
        if (this.#stopping) break;
      }
    } catch (error) {
      this.#logger.error(
        { err: error, purged, retryInMs: this.#intervalMs },
        `purging ${what} failed; the next run tries again`,
      );
      return purged;
    }
    if (purged > 0) {
      this.#logger.info({ purged, before: new Date(before).toISOString() }, `purged ${what} past retention`);
    }
    return purged;
  }

  /** Waits pauseMs, or while delivering long enough that the batch that took tookMs is the share's worth. */
  async #pause(tookMs: number): Promise<void> {
    const yielding = this.#delivering() ? pauseForShare(tookMs, this.#share, MAX_PAUSE_MS) : 0;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(this.#pauseMs, yielding));
      this.#wake = resolve;
    });
    clearTimeout(timer);
    this.#wake = null;
  }
}
