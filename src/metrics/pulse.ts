import type { DeliveryObserver } from '../delivery/observer.js';
import type { Logger } from '../logger.js';
import type { AttemptResult } from '../store/store.js';
import type { CachedQueueStats } from './queue-stats.js';

/**
 * One info line a minute (by default) summing up delivery since the last
 * one, so an operator without Prometheus still sees the pulse:
 * {"delivered":812,"retried":3,"failed":0,"pending":12,"oldestPendingSeconds":4,"msg":"delivery pulse"}.
 */
export class DeliveryPulse {
  readonly observer: DeliveryObserver;
  private delivered = 0;
  private retried = 0;
  private failed = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly queue: CachedQueueStats,
  ) {
    this.observer = {
      beforeSend: (job) => job,
      afterAttempt: (_job, result: AttemptResult) => {
        if (result.outcome === 'Delivered') this.delivered += 1;
        else if (result.outcome === 'Retry') this.retried += 1;
        else this.failed += 1;
      },
    };
  }

  start(intervalMs = 60_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.beat(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Logs the line and starts counting afresh. */
  async beat(): Promise<void> {
    const counts = { delivered: this.delivered, retried: this.retried, failed: this.failed };
    this.delivered = 0;
    this.retried = 0;
    this.failed = 0;
    try {
      const { pending, oldestPendingAgeMs } = await this.queue.get();
      this.logger.info({ ...counts, pending, oldestPendingSeconds: Math.round(oldestPendingAgeMs / 1000) }, 'delivery pulse');
    } catch (error) {
      this.logger.info({ ...counts, queueError: (error as Error).message }, 'delivery pulse (queue depth unreadable)');
    }
  }
}
