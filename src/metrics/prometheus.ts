/**
 * gridhook's Prometheus metrics, on a registry of its own. The rest of the
 * code reports through DeliveryObserver and the few methods here; nothing
 * else imports prom-client.
 *
 * The delivery hot path only increments: every label combination it uses is
 * looked up once, here, so an attempt costs a few property reads and adds,
 * not a label hash or an allocation.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SuspensionCause } from '../delivery/callback-suspender.js';
import type { DeliveryObserver } from '../delivery/observer.js';
import { systemClock } from '../domain/clock.js';
import { SUBSCRIBABLE_EVENT_TYPES, type EventType } from '../domain/types.js';
import type { AttemptResult, DeliveryJob, EventSource } from '../store/store.js';
import type { CachedQueueStats } from './queue-stats.js';
import { RecentFailures } from './recent-failures.js';
import { STATUS_CLASSES, statusClass, type StatusClass } from './status-class.js';

interface Increment {
  inc(value?: number): void;
}
interface Observe {
  observe(value: number): void;
}

/**
 * Every series of a bounded label set is exported from the start, at 0, so
 * rate() and alerts see the first failure rather than a series appearing.
 */
function zeroed(child: Increment): Increment {
  child.inc(0);
  return child;
}

const PUBLISH_SOURCES: readonly EventSource[] = ['api', 'parcel', 'test', 'health'];

type Outcome = AttemptResult['outcome'];
const OUTCOME_LABEL: Record<Outcome, 'delivered' | 'retry' | 'failed' | 'deferred'> = {
  Delivered: 'delivered',
  Retry: 'retry',
  Failed: 'failed',
  Deferred: 'deferred',
};

const SUSPENSION_CAUSES: readonly SuspensionCause[] = ['gone', 'failing'];

/** The window of gridhook_callback_failures_top: long enough to outlast a scrape interval, short enough to show a recovery. */
const FAILURE_WINDOW_MINUTES = 15;

/** Receiver time: from a fast local answer to the longest delivery timeout. */
const DELIVERY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
/** Accepted to delivered: first attempts take milliseconds, retried events hours. */
const LATENCY_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 14400, 86400];
const HTTP_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const STORE_BUCKETS = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];

export interface MetricsOptions {
  /** gridhook_callback_deliveries_total{callback_id}: one series per callback, so off unless asked for. */
  perCallback: boolean;
  /**
   * gridhook_callback_failures_top{callback_id}: the callbacks with the most
   * failed attempts lately, at most this many series (0: none).
   */
  topCallbacks: number;
  queue: CachedQueueStats;
  /** Events leased to this process whose results are not yet recorded. */
  leasesHeld: () => number;
  /** Process metrics (CPU, memory, event-loop lag, …). Default true; tests may leave them out. */
  processDefaults?: boolean;
}

export class GridhookMetrics {
  readonly registry = new Registry();
  readonly observer: DeliveryObserver;

  private readonly published: Record<EventSource, Increment>;
  private readonly suspended: Record<SuspensionCause, Increment>;
  private readonly httpRequests: Counter<'method' | 'route' | 'status_code'>;
  private readonly httpDuration: Histogram<'method' | 'route'>;
  private readonly listWait: Histogram;
  private readonly storeDuration: Histogram<'operation'>;
  /** Route and status combinations answered so far (bounded: route templates, not URLs), with their children. */
  private readonly httpChildren = new Map<string, { count: Increment; duration: Observe }>();
  /** Store operations seen so far, each with its histogram child. */
  private readonly storeChildren = new Map<string, Observe>();

  constructor(options: MetricsOptions) {
    const registers = [this.registry];
    if (options.processDefaults ?? true) {
      collectDefaultMetrics({ register: this.registry });
      // Gauges named like counters, which promtool's lint refuses; the same
      // totals are sum(nodejs_active_handles) and so on.
      for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
        this.registry.removeSingleMetric(name);
      }
    }

    const deliveries = new Counter({
      name: 'gridhook_deliveries_total',
      help:
        'Attempts by the outcome they decided for their event: delivered, retry (due again later), failed (no retries ' +
        'left) or deferred (due again later without using a retry: a 429 with Retry-After, or a 410 Gone)',
      labelNames: ['outcome', 'event_type'] as const,
      registers,
    });
    const attempts = new Counter({
      name: 'gridhook_delivery_attempts_total',
      help: "Attempts by the receiver's status class, or why no status came (timeout, connect_error, refused_address)",
      labelNames: ['status_class'] as const,
      registers,
    });
    const duration = new Histogram({
      name: 'gridhook_delivery_duration_seconds',
      help: 'Time an attempt took, from sending to the end of the answer (receiver time)',
      buckets: DELIVERY_BUCKETS,
      registers,
    });
    const latency = new Histogram({
      name: 'gridhook_event_latency_seconds',
      help: 'Time from an event being accepted to its delivery',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    const perCallback = options.perCallback
      ? new Counter({
          name: 'gridhook_callback_deliveries_total',
          help: 'Attempts of each callback by outcome (GRIDHOOK_METRICS_PER_CALLBACK)',
          labelNames: ['callback_id', 'outcome'] as const,
          registers,
        })
      : null;
    const { topCallbacks } = options;
    const recentFailures = topCallbacks > 0 ? new RecentFailures(systemClock, FAILURE_WINDOW_MINUTES) : null;
    if (recentFailures !== null) {
      new Gauge({
        name: 'gridhook_callback_failures_top',
        help:
          `Attempts that did not deliver (retry, failed or deferred) in the last ${FAILURE_WINDOW_MINUTES} minutes, ` +
          `made by this process, for the ${topCallbacks} callbacks with the most (GRIDHOOK_METRICS_TOP_CALLBACKS); ` +
          'a callback that leaves them loses its series',
        labelNames: ['callback_id'] as const,
        registers,
        collect() {
          // Rebuilt whole on each scrape, so there are never more series than the top N.
          this.reset();
          for (const [callbackId, failures] of recentFailures.top(topCallbacks)) this.labels(String(callbackId)).set(failures);
        },
      });
    }
    const publishedCounter = new Counter({
      name: 'gridhook_events_published_total',
      help:
        'Events created, by what created them: api (events/publish), parcel (parcel routing and confirmation), ' +
        'test (callback tests), health (CallBackSuspended notices of callbacks gridhook suspended)',
      labelNames: ['source'] as const,
      registers,
    });
    this.published = Object.fromEntries(
      PUBLISH_SOURCES.map((source) => [source, zeroed(publishedCounter.labels(source))]),
    ) as Record<EventSource, Increment>;

    const suspensions = new Counter({
      name: 'gridhook_callbacks_suspended_total',
      help: 'Callbacks gridhook suspended on its own, by cause: gone (the receiver answered 410) or failing (no success for the auto-suspend period)',
      labelNames: ['cause'] as const,
      registers,
    });
    this.suspended = Object.fromEntries(
      SUSPENSION_CAUSES.map((cause) => [cause, zeroed(suspensions.labels(cause))]),
    ) as Record<SuspensionCause, Increment>;

    const { queue } = options;
    new Gauge({
      name: 'gridhook_queue_pending',
      help: 'Events waiting for delivery (Pending), in the whole database; read at most every few seconds',
      registers,
      async collect() {
        this.set((await queue.get()).pending);
      },
    });
    new Gauge({
      name: 'gridhook_queue_oldest_pending_seconds',
      help: 'Age of the oldest Pending event (0 when none is pending)',
      registers,
      async collect() {
        const { oldestPendingAgeMs } = await queue.get();
        this.set(oldestPendingAgeMs / 1000);
      },
    });
    const { leasesHeld } = options;
    new Gauge({
      name: 'gridhook_leases_held',
      help: 'Events leased to this process and not yet recorded: being delivered, or their results being written',
      registers,
      collect() {
        this.set(leasesHeld());
      },
    });

    this.httpRequests = new Counter({
      name: 'gridhook_http_requests_total',
      help: 'API requests answered, by method, route template and status code',
      labelNames: ['method', 'route', 'status_code'] as const,
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'gridhook_http_request_duration_seconds',
      help: 'Time to answer an API request, by method and route template',
      labelNames: ['method', 'route'] as const,
      buckets: HTTP_BUCKETS,
      registers,
    });
    this.listWait = new Histogram({
      name: 'gridhook_list_wait_seconds',
      help: 'Time a list or chart call waited for its turn while this process delivered (0 when it did not wait)',
      buckets: HTTP_BUCKETS,
      registers,
    });
    this.storeDuration = new Histogram({
      name: 'gridhook_store_query_duration_seconds',
      help: 'Time a store operation took, by operation (a Store method: one or a few queries in one transaction)',
      labelNames: ['operation'] as const,
      buckets: STORE_BUCKETS,
      registers,
    });

    const byOutcome = (outcome: Outcome): Record<EventType, Increment> =>
      Object.fromEntries(
        SUBSCRIBABLE_EVENT_TYPES.map((type) => [type, zeroed(deliveries.labels(OUTCOME_LABEL[outcome], type))]),
      ) as Record<EventType, Increment>;
    const deliveryChildren: Record<Outcome, Record<EventType, Increment>> = {
      Delivered: byOutcome('Delivered'),
      Retry: byOutcome('Retry'),
      Failed: byOutcome('Failed'),
      Deferred: byOutcome('Deferred'),
    };
    const attemptChildren = Object.fromEntries(
      STATUS_CLASSES.map((cls) => [cls, zeroed(attempts.labels(cls))]),
    ) as Record<StatusClass, Increment>;

    this.observer = {
      beforeSend: (job) => job,
      afterAttempt(job: DeliveryJob, result: AttemptResult) {
        deliveryChildren[result.outcome][job.eventType].inc();
        attemptChildren[statusClass(result.httpStatus, result.error)].inc();
        duration.observe(result.durationMs / 1000);
        if (result.outcome === 'Delivered') {
          latency.observe((result.startedAt + result.durationMs - job.createdAt) / 1000);
        }
        perCallback?.labels(String(job.callbackId), OUTCOME_LABEL[result.outcome]).inc();
        if (result.outcome !== 'Delivered') recentFailures?.add(job.callbackId);
      },
    };
  }

  callbackSuspended(cause: SuspensionCause): void {
    this.suspended[cause].inc();
  }

  eventsPublished(source: EventSource, count: number): void {
    if (count > 0) this.published[source].inc(count);
  }

  listCallWaited(seconds: number): void {
    this.listWait.observe(seconds);
  }

  httpRequest(method: string, route: string, statusCode: number, seconds: number): void {
    // Children are looked up once per route and status: prom-client hashes the labels on every labels() call.
    const key = `${method} ${route} ${statusCode}`;
    let children = this.httpChildren.get(key);
    if (children === undefined) {
      children = {
        count: this.httpRequests.labels(method, route, String(statusCode)),
        duration: this.httpDuration.labels(method, route),
      };
      this.httpChildren.set(key, children);
    }
    children.count.inc();
    children.duration.observe(seconds);
  }

  storeQuery(operation: string, seconds: number): void {
    let child = this.storeChildren.get(operation);
    if (child === undefined) {
      child = this.storeDuration.labels(operation);
      this.storeChildren.set(operation, child);
    }
    child.observe(seconds);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
