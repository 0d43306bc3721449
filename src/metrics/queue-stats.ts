import type { Clock } from '../domain/clock.js';
import type { QueueStats } from '../store/store.js';

export interface QueueFigures {
  pending: number;
  /** How long the oldest Pending event has waited since it was created; 0 when none is pending. */
  oldestPendingAgeMs: number;
}

/**
 * The store's queue figures, read at most once per `ttlMs` however often
 * they are asked for (several Prometheus servers scraping, the pulse line),
 * and never twice at once.
 */
export class CachedQueueStats {
  private value: QueueStats | null = null;
  private readAt = 0;
  private reading: Promise<QueueStats> | null = null;

  constructor(
    private readonly read: () => Promise<QueueStats>,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  /** The age is worked out now, so it keeps growing between reads as the real one does. */
  async get(): Promise<QueueFigures> {
    const stats = await this.stats();
    const now = this.clock.now();
    return {
      pending: stats.pending,
      oldestPendingAgeMs: stats.oldestPendingAt === null ? 0 : Math.max(0, now - stats.oldestPendingAt),
    };
  }

  private stats(): Promise<QueueStats> {
    const now = this.clock.now();
    if (this.value !== null && now - this.readAt < this.ttlMs) return Promise.resolve(this.value);
    this.reading ??= this.read()
      .then((stats) => {
        this.value = stats;
        this.readAt = now;
        return stats;
      })
      .finally(() => {
        this.reading = null;
      });
    return this.reading;
  }
}
