/**
 * GET /v2/callbacks/events/stream: events and attempt outcomes as they happen,
 * as Server-Sent Events, scoped like the events list (a mailbox key sees its
 * mailbox's). The items come from the process's one reader of the store
 * (services/event-stream.ts), so what a worker process delivers shows here too.
 *
 * Each open stream costs a filter per item and at most MAX_BUFFERED_BYTES of
 * unsent text: a client that reads slower than that is disconnected and may
 * resume with Last-Event-ID. The credential is checked again every
 * RECHECK_MS, so a revoked key or an ended session closes its streams.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ServerResponse } from 'node:http';
import { Type } from 'typebox';
import { tooManyStreams } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Services } from '../../services/index.js';
import type { EventStreamHub, StreamItem } from '../../services/event-stream.js';
import { principalOf, reauthenticator } from './auth.js';
import { ErrorResponses, PathId, pathId } from './schemas.js';
import { formatDateTime } from '../../domain/time-format.js';
import { eventView } from './views.js';

/** Most streams one user keeps open at once (browser tabs, tails). */
export const MAX_STREAMS_PER_USER = 20;
/** Most streams one process serves at once. */
export const MAX_STREAMS_PER_PROCESS = 1_000;
/** A stream whose client leaves this much unread is closed. */
const MAX_BUFFERED_BYTES = 1 << 20;
/** A comment line this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;
const RECHECK_MS = 60_000;
/** How long a client waits before reconnecting (EventSource's retry). */
const RECONNECT_MS = 2_000;

const StreamQuery = Type.Object({
  callBackQueueId: Type.Optional(PathId('Only events (and their attempts) of this callback')),
  lastEventId: Type.Optional(
    Type.String({ maxLength: 64, description: 'Resume after this item, for clients that cannot send the Last-Event-ID header' }),
  ),
});

const DESCRIPTION = `Server-Sent Events (text/event-stream), from the moment of connecting: an \`event\` message when an event is
created (data: the event, as in queue-list) and an \`attempt\` message when an attempt is recorded (data: {eventId,
callBackQueueId, attempt: {attemptDateTime, httpStatus, error, durationMs}, event: the event as it stands after it}).
The first message is \`ready\`. Each message has an id; reconnecting with it in the Last-Event-ID header resumes after
it, or starts with a \`reset\` message when items were missed (the client should reload what it shows). Scoped as
the events list: a mailbox key sees only its mailbox's events. Authenticated by X-API-Key, or by the console's
session cookie with the X-Gridhook-Console header.`;

type Write = (text: string) => void;

function message(item: StreamItem): string {
  const data =
    item.kind === 'event'
      ? eventView(item.event)
      : {
          eventId: item.event.eventId,
          callBackQueueId: item.event.callbackId,
          attempt: {
            attemptDateTime: formatDateTime(item.attempt.startedAt),
            httpStatus: item.attempt.httpStatus,
            error: item.attempt.error,
            durationMs: item.attempt.durationMs,
          },
          event: eventView(item.event),
        };
  return `id: ${item.id}\nevent: ${item.kind}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function eventStreamRoutes(services: Services, hub: EventStreamHub, logger: Logger): FastifyPluginAsyncTypebox {
  return async (app) => {
    const open = new Set<ServerResponse>();
    const perUser = new Map<number, number>();

    app.addHook('preClose', async () => {
      for (const response of open) response.end();
      await hub.stop();
    });

    app.get(
      '/v2/callbacks/events/stream',
      {
        schema: {
          tags: ['events'],
          summary: 'Events and attempt outcomes as they happen (Server-Sent Events)',
          description: DESCRIPTION,
          querystring: StreamQuery,
          response: {
            200: {
              description: 'A stream of Server-Sent Events',
              content: { 'text/event-stream': { schema: Type.String() } },
            },
            ...ErrorResponses,
          },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { callBackQueueId, lastEventId: queryLastId } = request.query;
        const keep = await services.events.streamFilter(
          principal,
          callBackQueueId === undefined ? undefined : pathId(callBackQueueId, 'Callback'),
        );
        if (open.size >= MAX_STREAMS_PER_PROCESS) throw tooManyStreams('process', MAX_STREAMS_PER_PROCESS);
        const userStreams = perUser.get(principal.userId) ?? 0;
        if (userStreams >= MAX_STREAMS_PER_USER) throw tooManyStreams('user', MAX_STREAMS_PER_USER);
        const header = request.headers['last-event-id'];
        const lastEventId = (Array.isArray(header) ? header[0] : header) ?? queryLastId;

        const raw = reply.raw;
        const write: Write = (text) => {
          if (raw.writableEnded) return;
          if (raw.writableLength > MAX_BUFFERED_BYTES) {
            logger.info({ userId: principal.userId }, 'event stream closed: the client reads too slowly');
            raw.end();
            return;
          }
          raw.write(text);
        };
        const subscription = await hub.subscribe((items) => {
          let text = '';
          for (const item of items) if (keep(item.event)) text += message(item);
          if (text) write(text);
        }, lastEventId);

        reply.hijack();
        raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          'x-accel-buffering': 'no',
          connection: 'keep-alive',
        });
        open.add(raw);
        perUser.set(principal.userId, userStreams + 1);
        let text = `retry: ${RECONNECT_MS}\n`;
        if (subscription.missed) text += `event: reset\ndata: {"reason":"items were missed since the Last-Event-ID; reload what you show"}\n\n`;
        for (const item of subscription.backlog) if (keep(item.event)) text += message(item);
        text += `id: ${subscription.position}\nevent: ready\ndata: {}\n\n`;
        write(text);

        const recheck = reauthenticator(request, services);
        const heartbeat = setInterval(() => write(': keep-alive\n\n'), HEARTBEAT_MS);
        const checker = setInterval(() => {
          recheck().then(
            () => undefined,
            () => {
              write('event: end\ndata: {"reason":"the API key or session is no longer valid; sign in again"}\n\n');
              raw.end();
            },
          );
        }, RECHECK_MS);
        heartbeat.unref();
        checker.unref();
        raw.on('close', () => {
          clearInterval(heartbeat);
          clearInterval(checker);
          subscription.close();
          open.delete(raw);
          const left = (perUser.get(principal.userId) ?? 1) - 1;
          if (left > 0) perUser.set(principal.userId, left);
          else perUser.delete(principal.userId);
        });
      },
    );
  };
}
