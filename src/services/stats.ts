/**
 * The console's numbers: the overview (what was delivered, failed and is
 * waiting, minute by minute) and each callback's health. Everything is
 * counted within the principal's scope, as every list is.
 */
import type { Principal } from '../domain/types.js';
import { invalidParameter } from '../errors.js';
import type { CallbackHealth, LatencyBucket, OverviewFilter } from '../store/store.js';
import { FinishedMinutes } from './finished-minutes.js';
import type { CallbackService } from './callbacks.js';
import type { ServiceDeps } from './deps.js';
import { scopeFilter } from './scope.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The overview's chart: one bar per minute over the last hour. */
const CHART_MINUTES = 60;
const FAILING_LIMIT = 5;
export const MAX_HEALTH_IDS = 100;
/** The latency chart's window: at most a day, in at most MAX_LATENCY_BUCKETS buckets. */
export const MAX_LATENCY_MINUTES = 24 * 60;
export const MAX_LATENCY_BUCKETS = 288;

export interface OutcomeCounts {
  delivered: number;
  failed: number;
  pending: number;
}

export interface Overview {
  lastHour: OutcomeCounts;
  lastDay: OutcomeCounts;
  /** Oldest first, CHART_MINUTES entries, minutes without events included. */
  perMinute: { minute: number; delivered: number; failed: number }[];
  failingCallbacks: { callbackId: number; failed: number }[];
  queueDepth: number;
  oldestPendingAt: number | null;
  /** When these numbers were counted. */
  at: number;
}

export interface LatencyRequest {
  /** Length of the window ending with the current bucket (minutes). */
  minutes: number;
  /** Width of one bucket (minutes); divides `minutes`. */
  bucketMinutes: number;
}

export interface Latency {
  from: number;
  to: number;
  bucketMinutes: number;
  /** Oldest first, every bucket of the window, empty ones with no percentiles. */
  buckets: { start: number; attempts: number; p50DurationMs: number | null; p95DurationMs: number | null }[];
  sampled: boolean;
}

export class StatsService {
  readonly #finished = new FinishedMinutes();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly callbacks: CallbackService,
  ) {}

  /** Within the principal's scope; only one callback's events when `callbackId` is given. */
  async overview(principal: Principal, callbackId?: number): Promise<Overview> {
    const now = this.deps.clock.now();
    const filter: OverviewFilter = scopeFilter(principal);
    if (callbackId !== undefined) filter.callbackId = (await this.callbacks.get(principal, callbackId)).callbackId;
    const [day, hour] = await Promise.all([
      this.#finished.read(filter, now - DAY, now, (finishedSince) =>
        this.deps.store.overviewCounts(filter, now - DAY, now - DAY, FAILING_LIMIT, finishedSince),
      ),
      this.deps.store.overviewCounts(filter, now, now - HOUR, 0),
    ]);
    const firstMinute = Math.floor(now / MINUTE) * MINUTE - (CHART_MINUTES - 1) * MINUTE;
    const perMinute = Array.from({ length: CHART_MINUTES }, (_, i) => ({
      minute: firstMinute + i * MINUTE,
      delivered: 0,
      failed: 0,
    }));
    const lastHour = { delivered: 0, failed: 0, pending: hour.pendingRecent };
    const lastDay = { delivered: 0, failed: 0, pending: day.pendingRecent };
    for (const { minute, status, count } of day.finished) {
      const key = status === 'Delivered' ? 'delivered' : 'failed';
      lastDay[key] += count;
      const slot = perMinute[(minute - firstMinute) / MINUTE];
      if (slot) slot[key] += count;
      if (minute >= Math.floor((now - HOUR) / MINUTE) * MINUTE) lastHour[key] += count;
    }
    return {
      lastHour,
      lastDay,
      perMinute,
      failingCallbacks: day.failing,
      queueDepth: day.pending,
      oldestPendingAt: day.oldestPendingAt,
      at: now,
    };
  }

  /** Health over the last 24 hours of each callback named; any one out of scope answers ObjectNotFound. */
  async callbackHealth(principal: Principal, callbackIds: readonly number[]): Promise<CallbackHealth[]> {
    if (callbackIds.length > MAX_HEALTH_IDS) {
      throw invalidParameter('callBackQueueIds', `names ${callbackIds.length} callbacks; ask for at most ${MAX_HEALTH_IDS} at once`);
    }
    for (const id of callbackIds) await this.callbacks.get(principal, id);
    return this.deps.store.callbackHealth(callbackIds, this.deps.clock.now() - DAY);
  }

  /** Percentiles of one callback's attempt durations per bucket; a callback out of scope answers ObjectNotFound. */
  async latency(principal: Principal, callbackId: number, request: LatencyRequest): Promise<Latency> {
    const { minutes, bucketMinutes } = request;
    if (minutes < 1 || minutes > MAX_LATENCY_MINUTES) {
      throw invalidParameter('minutes', `is ${minutes}; give a window of 1 to ${MAX_LATENCY_MINUTES} minutes`);
    }
    if (bucketMinutes < 1 || minutes % bucketMinutes !== 0) {
      throw invalidParameter('bucketMinutes', `is ${bucketMinutes}; give a bucket width that divides minutes (${minutes}), e.g. 1`);
    }
    const count = minutes / bucketMinutes;
    if (count > MAX_LATENCY_BUCKETS) {
      throw invalidParameter(
        'bucketMinutes',
        `makes ${count} buckets of ${minutes} minutes; use wider buckets (at most ${MAX_LATENCY_BUCKETS} in a window)`,
      );
    }
    await this.callbacks.get(principal, callbackId);
    const bucketMs = bucketMinutes * MINUTE;
    const to = (Math.floor(this.deps.clock.now() / bucketMs) + 1) * bucketMs;
    const from = to - count * bucketMs;
    const read = await this.deps.store.callbackLatency({ callbackId, from, to, bucketMs });
    const byStart = new Map<number, LatencyBucket>(read.buckets.map((b) => [b.start, b]));
    const buckets = Array.from({ length: count }, (_, i) => {
      const start = from + i * bucketMs;
      const found = byStart.get(start);
      return {
        start,
        attempts: found?.attempts ?? 0,
        p50DurationMs: found?.p50DurationMs ?? null,
        p95DurationMs: found?.p95DurationMs ?? null,
      };
    });
    return { from, to, bucketMinutes, buckets, sampled: read.sampled };
  }
}
