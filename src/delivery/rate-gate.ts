/**
 * Holds claimed events of rate-limited callbacks to their maxPerSecond. The
 * claim knows nothing of rates (it stays one round trip for everyone else):
 * after it, events of a callback with a limit take tokens from the bucket in
 * the store, shared by every worker, and those that get none go back to the
 * queue, due when tokens will be there for them, without an attempt (so they
 * wait, never fail, and use no retry).
 *
 * Which callbacks have a limit is read once a second rather than with each
 * claim, so a limit set on an existing callback applies within a second. A
 * claimed event of a callback newer than the last read makes the gate read
 * again before sending it: a callback created with a limit is held to it
 * from its first event.
 */
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../logger.js';
import type { DeliveryJob, Store } from '../store/store.js';

export const RATE_LIMITS_REFRESH_MS = 1_000;

type GateStore = Pick<Store, 'rateLimitedCallbacks' | 'takeRateTokens' | 'deferLeases'>;

export class RateGate {
  #limited: ReadonlySet<number> | null = null;
  #newestCallbackId = 0;
  #timer: NodeJS.Timeout | null = null;
  #loading: Promise<void> | null = null;

  constructor(
    private readonly store: GateStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Whether the limits have been read once: before that no claimed event can be told apart. */
  get ready(): boolean {
    return this.#limited !== null;
  }

  /** Reads the limits now and then every RATE_LIMITS_REFRESH_MS until stop(). */
  start(): Promise<void> {
    if (!this.#timer) {
      this.#timer = setInterval(() => void this.refresh(), RATE_LIMITS_REFRESH_MS);
      this.#timer.unref();
    }
    return this.refresh();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  refresh(): Promise<void> {
    this.#loading ??= this.store
      .rateLimitedCallbacks()
      .then(({ callbackIds, newestCallbackId }) => {
        this.#limited = new Set(callbackIds);
        this.#newestCallbackId = newestCallbackId;
      })
      .catch((error: unknown) => {
        this.logger.error({ err: error }, 'reading callback rate limits failed; keeping the last ones read');
      })
      .finally(() => {
        this.#loading = null;
      });
    return this.#loading;
  }

  /** Whether a job's callback is newer than the limits last read: they must be read again first. */
  unknownIn(jobs: DeliveryJob[]): boolean {
    return jobs.some((job) => job.callbackId > this.#newestCallbackId);
  }

  /** The jobs of callbacks with a limit. */
  limitedOf(jobs: DeliveryJob[]): DeliveryJob[] {
    const limited = this.#limited;
    if (!limited || limited.size === 0) return [];
    return jobs.filter((job) => limited.has(job.callbackId));
  }

  /**
   * The jobs that got a token; the others are deferred, the n-th to when the
   * n-th next token is due, so a backlog is not claimed again before it can go.
   */
  async admit(workerId: string, jobs: DeliveryJob[]): Promise<DeliveryJob[]> {
    const byCallback = new Map<number, DeliveryJob[]>();
    for (const job of jobs) byCallback.set(job.callbackId, [...(byCallback.get(job.callbackId) ?? []), job]);
    const admitted: DeliveryJob[] = [];
    await Promise.all(
      [...byCallback].map(async ([callbackId, waiting]) => {
        try {
          const now = this.clock.now();
          const { granted, nextTokenAt, perSecond } = await this.store.takeRateTokens(callbackId, waiting.length, now);
          admitted.push(...waiting.slice(0, granted));
          const denied = waiting.slice(granted);
          if (denied.length === 0 || nextTokenAt === null) return;
          const spacing = 1000 / (perSecond ?? 1);
          await this.store.deferLeases(
            workerId,
            denied.map((job) => job.eventId),
            denied.map((_, n) => Math.ceil(nextTokenAt + n * spacing)),
          );
        } catch (error) {
          // The events stay leased, unsent, until their leases expire: they wait, they do not fail.
          this.logger.error(
            { err: error, callbackId, events: waiting.length },
            'taking rate-limit tokens failed; those events wait for their leases to expire',
          );
        }
      }),
    );
    return admitted;
  }
}
