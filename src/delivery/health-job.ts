/**
 * Suspends callbacks that have failed without a single success for their
 * network's auto-suspend period (GRIDHOOK_AUTO_SUSPEND_AFTER where the
 * network sets none). Worker processes run it: at start, then every
 * intervalMs after the previous run ended. Several processes at once are
 * harmless: a callback is suspended once, by whoever gets there first.
 */
import { systemClock, type Clock } from '../domain/clock.js';
import { failingTooLongReason } from '../domain/endpoint-health.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import type { CallbackSuspender } from './callback-suspender.js';

export interface HealthJobOptions {
  store: Pick<Store, 'callbacksFailingTooLong'>;
  suspender: Pick<CallbackSuspender, 'suspend'>;
  logger: Logger;
  /** The auto-suspend period of networks that set none. */
  autoSuspendAfterMs: number;
  clock?: Clock;
  /** From the end of one run to the start of the next. Default one minute. */
  intervalMs?: number;
}

/** Callbacks looked at per query of one run. */
const BATCH = 100;

export class HealthJob {
  readonly #options: HealthJobOptions;
  readonly #clock: Clock;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<number> | null = null;
  #stopped = true;

  constructor(options: HealthJobOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#intervalMs = options.intervalMs ?? 60_000;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  /** One run: suspends every callback due; answers how many it suspended. */
  async runOnce(): Promise<number> {
    const { store, suspender, autoSuspendAfterMs } = this.#options;
    let suspended = 0;
    for (;;) {
      const now = this.#clock.now();
      const due = await store.callbacksFailingTooLong(now, autoSuspendAfterMs, BATCH);
      let progressed = false;
      for (const callback of due) {
        const reason = failingTooLongReason(callback.failingSince as number, callback.afterMs);
        if (await suspender.suspend(callback.callbackId, 'failing', reason, now)) {
          suspended += 1;
          progressed = true;
        }
      }
      if (due.length < BATCH || !progressed || this.#stopped) return suspended;
    }
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#running = this.runOnce()
        .catch((error: unknown) => {
          this.#options.logger.error({ err: error }, 'the endpoint health check failed; trying again later');
          return 0;
        })
        .finally(() => {
          this.#running = null;
          if (!this.#stopped) this.#schedule(this.#intervalMs);
        });
    }, delayMs);
    this.#timer.unref();
  }
}
