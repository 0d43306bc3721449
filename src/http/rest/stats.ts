import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { formatDateTime, formatNullableDateTime } from '../../domain/time-format.js';
import type { Services } from '../../services/index.js';
import { principalOf } from './auth.js';
import { ErrorResponses, Ok, pathId } from './schemas.js';
import { HealthBody, HealthList, LatencyQuery, LatencyView, OverviewQuery, OverviewView } from './stats-schemas.js';

const tags = ['statistics'];

export function statsRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v2/stats/overview',
      {
        schema: {
          tags,
          summary: 'Delivered, failed and pending events, per minute and in total, within your scope',
          description: "With ?callBackQueueId=N, only that callback's events (a callback out of scope answers 404).",
          querystring: OverviewQuery,
          response: { 200: Ok(OverviewView), ...ErrorResponses },
        },
      },
      async (request) => {
        const { callBackQueueId } = request.query;
        const o = await services.stats.overview(
          principalOf(request),
          callBackQueueId === undefined ? undefined : pathId(callBackQueueId, 'Callback'),
        );
        return {
          success: true as const,
          data: {
            lastHour: o.lastHour,
            lastDay: o.lastDay,
            perMinute: o.perMinute.map((m) => ({ ...m, minute: formatDateTime(m.minute) })),
            failingCallbacks: o.failingCallbacks.map((f) => ({ callBackQueueId: f.callbackId, failed: f.failed })),
            queueDepth: o.queueDepth,
            oldestPending: formatNullableDateTime(o.oldestPendingAt),
            countedAt: formatDateTime(o.at),
          },
        };
      },
    );

    app.post(
      '/v2/callbacks/health',
      {
        schema: {
          tags,
          summary: 'Delivery health of callbacks over the last 24 hours',
          description: 'A callback outside your scope answers ObjectNotFound, as everywhere.',
          body: HealthBody,
          response: { 200: Ok(HealthList), ...ErrorResponses },
        },
      },
      async (request) => {
        const health = await services.stats.callbackHealth(principalOf(request), request.body.callBackQueueIds);
        return {
          success: true as const,
          data: {
            callbacks: health.map((h) => ({
              callBackQueueId: h.callbackId,
              attempts24h: h.attempts,
              successRate24h: h.attempts === 0 ? null : h.succeeded / h.attempts,
              p95LatencyMs: h.p95DurationMs,
              lastHttpStatus: h.lastHttpStatus,
              lastAttempt: formatNullableDateTime(h.lastAttemptAt),
              pending: h.pending,
              failed: h.failed,
            })),
          },
        };
      },
    );

    app.get(
      '/v2/stats/latency',
      {
        schema: {
          tags,
          summary: "A callback's delivery latency over time: p50 and p95 attempt duration per bucket",
          description:
            "Attempts started in each bucket of the window, and the nearest-rank percentiles of their durations. A callback out of scope answers 404.",
          querystring: LatencyQuery,
          response: { 200: Ok(LatencyView), ...ErrorResponses },
        },
      },
      async (request) => {
        const { callBackQueueId, minutes, bucketMinutes } = request.query;
        const callbackId = pathId(callBackQueueId, 'Callback');
        const latency = await services.stats.latency(principalOf(request), callbackId, {
          minutes: minutes === undefined ? 60 : Number(minutes),
          bucketMinutes: bucketMinutes === undefined ? 1 : Number(bucketMinutes),
        });
        return {
          success: true as const,
          data: {
            callBackQueueId: callbackId,
            from: formatDateTime(latency.from),
            to: formatDateTime(latency.to),
            bucketMinutes: latency.bucketMinutes,
            buckets: latency.buckets.map((b) => ({
              start: formatDateTime(b.start),
              attempts: b.attempts,
              p50LatencyMs: b.p50DurationMs,
              p95LatencyMs: b.p95DurationMs,
            })),
            sampled: latency.sampled,
          },
        };
      },
    );
  };
}
