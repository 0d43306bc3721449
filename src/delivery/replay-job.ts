/**
 * Runs replay jobs (POST /v2/callbacks/events/replay) in bounded batches:
 * each batch is one short transaction over at most batchSize events, with a
 * pause between batches, so a replay of a million events neither holds the
 * database nor grows this process's memory, and deliveries interleave.
 *
 * The process that accepted a replay starts it at once (kick); every worker
 * also looks for Running jobs at start and every intervalMs, so a job whose
 * process died is resumed from the cursor in its row. Two processes running
 * one job take turns batch by batch (the store serialises them).
 */
import { systemClock, type Clock } from '../domain/clock.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';

export interface ReplayJobOptions {
  store: Pick<Store, 'runReplayBatch' | 'listRunningReplayJobs'>;
  logger: Logger;
  clock?: Clock;
  /** Events looked at per batch. Default 1000. */
  batchSize?: number;
  /** Pause between two batches. Default 20 ms. */
  pauseMs?: number;
  /** How often a worker looks for Running jobs to resume. Default one minute. */
  intervalMs?: number;
}

export class ReplayRunner {
  readonly #store: Pick<Store, 'runReplayBatch' | 'listRunningReplayJobs'>;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #batchSize: number;
  readonly #pauseMs: number;
  readonly #intervalMs: number;
  /** Jobs this process is running now. */
  readonly #active = new Map<number, Promise<void>>();
  #timer: NodeJS.Timeout | null = null;
  #stopping = false;

  constructor(options: ReplayJobOptions) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#clock = options.clock ?? systemClock;
    this.#batchSize = options.batchSize ?? 1_000;
    this.#pauseMs = options.pauseMs ?? 20;
    this.#intervalMs = options.intervalMs ?? 60_000;
  }

  /** Looks for Running jobs now and every intervalMs (worker processes). */
  start(): void {
    this.#stopping = false;
    if (this.#timer) return;
    const sweep = (): void => {
      void this.resumeRunning().finally(() => {
        if (!this.#stopping) {
          this.#timer = setTimeout(sweep, this.#intervalMs);
          this.#timer.unref();
        }
      });
    };
    sweep();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await Promise.allSettled(this.#active.values());
  }

  /** Runs the job to its end in the background, unless this process already is. */
  kick(replayId: number): void {
    if (this.#stopping || this.#active.has(replayId)) return;
    const run = this.#run(replayId).finally(() => this.#active.delete(replayId));
    this.#active.set(replayId, run);
  }

  async resumeRunning(): Promise<void> {
    try {
      for (const job of await this.#store.listRunningReplayJobs(100)) this.kick(job.replayId);
    } catch (error) {
      this.#logger.error({ err: error }, 'looking for replays to resume failed; trying again later');
    }
  }

  async #run(replayId: number): Promise<void> {
    try {
      while (!this.#stopping) {
        const job = await this.#store.runReplayBatch(replayId, this.#batchSize, this.#clock.now());
        if (!job || job.status !== 'Running') {
          if (job) {
            this.#logger.info(
              { replayId, callbackId: job.callbackId, replayed: job.replayed, scanned: job.scanned },
              'replay completed',
            );
          }
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, this.#pauseMs));
      }
    } catch (error) {
      this.#logger.error({ err: error, replayId }, 'a replay batch failed; the replay resumes at the next sweep');
    }
  }
}
