import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { serializePayload } from '../../delivery/payload.js';
import { describeSentHeaders } from '../../delivery/sender.js';
import { invalidParameter } from '../../errors.js';
import type { Services } from '../../services/index.js';
import { principalOf } from './auth.js';
import {
  ErrorResponses,
  EventDetailView,
  EventIdParams,
  EventPage,
  Ok,
  PublishBody,
  PublishView,
  QueueListBody,
  ReplayBody,
  ReplayIdParams,
  ReplayView,
  RetryBody,
  SkipBody,
  EventView,
  RetryView,
  pathId,
} from './schemas.js';
import { attemptView, eventView, pageView, replayView } from './views.js';

const tags = ['events'];

export function eventRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v2/callbacks/queue-list',
      {
        schema: {
          tags,
          summary: 'Events, newest first',
          body: QueueListBody,
          response: { 200: Ok(EventPage), ...ErrorResponses },
        },
      },
      async (request) => {
        const body = request.body;
        const page = await services.events.list(principalOf(request), {
          callbackId: body.callBackQueueId,
          status: body.status,
          eventType: body.callBackEvent,
          parcelId: body.parcelId,
          beginDate: body.beginDate,
          endDate: body.endDate,
          pageNo: body.pageNo,
          recordsPerPage: body.recordsPerPage,
          cursor: body.cursor,
        });
        return { success: true as const, data: { ...pageView(page, 'events', eventView), nextCursor: page.nextCursor } };
      },
    );

    app.get(
      '/v2/callbacks/events/:eventId',
      {
        schema: {
          tags,
          summary: 'One event with its attempt log',
          params: EventIdParams,
          response: { 200: Ok(EventDetailView), ...ErrorResponses },
        },
      },
      async (request) => {
        const { event, attempts, callback } = await services.events.get(principalOf(request), pathId(request.params.eventId, 'Event'));
        return {
          success: true as const,
          data: {
            ...eventView(event),
            attemptLog: attempts.map(attemptView),
            payload: serializePayload(event),
            requestHeaders: describeSentHeaders(event.webhookId, callback),
          },
        };
      },
    );

    app.post(
      '/v2/callbacks/events/retry',
      {
        schema: {
          tags,
          summary: 'Retry one event, or every Failed event of a callback',
          description:
            '{"eventId"} retries one Failed or Canceled event; {"callBackQueueId", "status": "Failed"} retries ' +
            'every Failed event of the callback (created between beginDate and endDate, when given). Retried ' +
            'events get a fresh set of retries.',
          body: RetryBody,
          response: { 200: Ok(RetryView), ...ErrorResponses },
        },
      },
      async (request) => {
        const { eventId, callBackQueueId, beginDate, endDate } = request.body;
        const principal = principalOf(request);
        if (eventId === undefined && callBackQueueId === undefined) {
          throw invalidParameter(
            'eventId',
            'is required, or send callBackQueueId with status "Failed" to retry every failed event of a callback',
          );
        }
        if (eventId !== undefined && callBackQueueId !== undefined) {
          throw invalidParameter('eventId', 'send eventId or callBackQueueId, not both');
        }
        if (eventId !== undefined) {
          const event = await services.events.retry(principal, eventId);
          return { success: true as const, data: { retried: 1, callBackQueueId: event.callbackId, event: eventView(event) } };
        }
        const callbackId = callBackQueueId as number;
        const retried = await services.events.retryFailed(principal, callbackId, beginDate, endDate);
        return { success: true as const, data: { retried, callBackQueueId: callbackId, event: null } };
      },
    );

    app.post(
      '/v2/callbacks/events/skip',
      {
        schema: {
          tags,
          summary: 'Skip one event: the FIFO key it holds up moves on',
          description:
            '{"eventId"} cancels a Pending or Failed event (its status becomes Canceled). On a callback with ' +
            '"ordering": "fifo", a Failed event holds its key until it is retried or skipped; skipping lets the ' +
            "key's next event go. A skipped event can still be retried.",
          body: SkipBody,
          response: { 200: Ok(EventView), ...ErrorResponses },
        },
      },
      async (request) => {
        const event = await services.events.skip(principalOf(request), request.body.eventId);
        return { success: true as const, data: eventView(event) };
      },
    );

    app.post(
      '/v2/callbacks/events/replay',
      {
        schema: {
          tags,
          summary: 'Send a span of events again (recover)',
          description:
            "Re-sends every event of the callback created in [since, until) whose status is in statuses (default " +
            '["Failed"]; Delivered and Canceled too when asked) as new attempts of the same events, with the same ' +
            'eventId and webhook-id and a fresh set of retries. Answers a job at once; its batches run in the ' +
            'background, and GET /v2/callbacks/events/replay/{replayId} reports its progress.',
          body: ReplayBody,
          response: { 200: Ok(ReplayView), ...ErrorResponses },
        },
      },
      async (request) => {
        const body = request.body;
        const job = await services.replays.start(principalOf(request), {
          callbackId: body.callBackQueueId,
          since: body.since,
          until: body.until,
          statuses: body.statuses,
        });
        return { success: true as const, data: replayView(job) };
      },
    );

    app.get(
      '/v2/callbacks/events/replay/:replayId',
      {
        schema: {
          tags,
          summary: "A replay's progress",
          params: ReplayIdParams,
          response: { 200: Ok(ReplayView), ...ErrorResponses },
        },
      },
      async (request) => {
        const job = await services.replays.get(principalOf(request), pathId(request.params.replayId, 'Replay'));
        return { success: true as const, data: replayView(job) };
      },
    );

    app.post(
      '/v2/callbacks/events/publish',
      {
        schema: {
          tags,
          summary: 'Publish events from an outside system',
          description:
            'Each event is fanned out to every Active callback of its type whose scope matches. Every event is ' +
            'checked before any is written. Root and NetworkAdmin keys only.',
          body: PublishBody,
          response: { 200: Ok(PublishView), ...ErrorResponses },
        },
      },
      async (request) => {
        const body = request.body;
        const result = await services.events.publish(principalOf(request), {
          idempotencyKey: body.idempotencyKey,
          events: body.events.map((e) => ({
            eventType: e.callBackEvent,
            networkId: e.networkId,
            mailboxId: e.mailboxId,
            ecGridId: e.ecGridId,
            parcelId: e.parcelId,
            fileName: e.fileName,
          })),
        });
        return { success: true as const, data: result };
      },
    );
  };
}
