/**
 * Replays ("recover"): send again every event of a callback created in a
 * span, in the statuses asked for (Failed by default; Delivered and Canceled
 * when asked), as new attempts of the same events (same eventId and
 * webhook-id). The call answers a job at once; its batches run in the
 * background (delivery/replay-job.ts) and GET reports their progress.
 */
import { notFound, invalidParameter } from '../errors.js';
import type { EventStatus, Principal } from '../domain/types.js';
import type { ReplayJob } from '../store/store.js';
import type { CallbackService } from './callbacks.js';
import type { ServiceDeps } from './deps.js';
import { optionalDate } from './time-range.js';
import { objectId, oneOf } from './validate.js';

/** What a replay may send again: everything that is not Pending already. */
export const REPLAYABLE_STATUSES = ['Failed', 'Delivered', 'Canceled'] as const satisfies readonly EventStatus[];

export interface ReplayRequest {
  callbackId: number;
  /** ISO 8601: events created at or after. Required. */
  since: unknown;
  /** ISO 8601: events created before; absent: now. */
  until?: unknown;
  /** Default ['Failed']. */
  statuses?: unknown;
}

export class ReplayService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly callbacks: CallbackService,
  ) {}

  async start(principal: Principal, request: ReplayRequest): Promise<ReplayJob> {
    const { store, clock, logger } = this.deps;
    const now = clock.now();
    const since = optionalDate('since', request.since);
    if (since === undefined) throw invalidParameter('since', 'is required: the creation time replayed events start at (ISO 8601, e.g. 2026-05-07T14:00:00Z)');
    const until = optionalDate('until', request.until) ?? now;
    if (until <= since) throw invalidParameter('until', 'must be after since');
    const statuses = this.statuses(request.statuses);
    const callback = await this.callbacks.get(principal, request.callbackId);
    const job = await store.createReplayJob({
      callbackId: callback.callbackId,
      since,
      until,
      statuses,
      userId: principal.userId,
      now,
    });
    logger.info(
      { replayId: job.replayId, callbackId: callback.callbackId, statuses, since, until, userId: principal.userId },
      'replay started',
    );
    this.deps.replays?.kick(job.replayId);
    return job;
  }

  /** A replay of a callback the caller may see. */
  async get(principal: Principal, replayId: number): Promise<ReplayJob> {
    const id = objectId('replayId', replayId);
    const job = await this.deps.store.getReplayJob(id);
    if (!job) throw notFound('Replay', id);
    try {
      await this.callbacks.get(principal, job.callbackId);
    } catch {
      throw notFound('Replay', id);
    }
    return job;
  }

  private statuses(value: unknown): EventStatus[] {
    if (value === undefined || value === null) return ['Failed'];
    const rule = `must be a non-empty list of ${REPLAYABLE_STATUSES.join(', ')}, each at most once`;
    if (!Array.isArray(value) || value.length === 0) throw invalidParameter('statuses', rule);
    const statuses = value.map((status, i) => oneOf(`statuses[${i}]`, status, REPLAYABLE_STATUSES));
    if (new Set(statuses).size !== statuses.length) throw invalidParameter('statuses', rule);
    return statuses;
  }
}
