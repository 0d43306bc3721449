/** `gridhook events …`: the callbacks' events and their attempts over the REST API. */
import { UsageError, callApi } from './api-client.js';
import { REPLAY_USAGE, runReplay } from './events-replay.js';
import { tailEvents } from './events-tail.js';
import { defined, requiredNumber, text, wholeNumber, type CommandGroup } from './remote.js';
import { formatRecord, formatTable } from './table.js';

interface EventView {
  eventId: number;
  webhookId: string;
  callBackQueueId: number;
  callBackEvent: string;
  status: string;
  attempts: number;
  lastHttpStatus: number | null;
  nextCall: string | null;
  eventDateTime: string;
  parcelId: number;
}

export const EVENTS: CommandGroup = {
  name: 'events',
  summary: "callbacks' events",
  commands: {
    list: {
      usage: 'list [--callback ID] [--status Pending|Delivered|Failed|Canceled]',
      flags: { callback: { type: 'string' }, status: { type: 'string' } },
      async run(target, flags) {
        const data = await callApi<{ events: EventView[] }>(target, 'POST', '/v2/callbacks/queue-list', {
          ...defined({ callBackQueueId: wholeNumber(flags.callback, '--callback'), status: text(flags.status) }),
          recordsPerPage: 100,
        });
        const human = formatTable(data.events, [
          ['ID', (e) => e.eventId],
          ['CALLBACK', (e) => e.callBackQueueId],
          ['EVENT', (e) => e.callBackEvent],
          ['STATUS', (e) => e.status],
          ['ATTEMPTS', (e) => e.attempts],
          ['LAST HTTP', (e) => e.lastHttpStatus],
          ['PARCEL', (e) => e.parcelId],
          ['CREATED', (e) => e.eventDateTime],
          ['NEXT CALL', (e) => e.nextCall],
          ['WEBHOOK ID', (e) => e.webhookId],
        ]);
        return { data, human };
      },
    },
    get: {
      usage: 'get ID      the event, its attempts and its payload',
      async run(target, _flags, [id]) {
        const data = await callApi<Record<string, unknown> & { attemptLog?: Record<string, unknown>[] }>(
          target,
          'GET',
          `/v2/callbacks/events/${requiredNumber(id, 'ID')}`,
        );
        const { attemptLog = [], payload, ...event } = data;
        const attempts = formatTable(attemptLog, [
          ['WHEN', (a) => a.attemptDateTime],
          ['HTTP', (a) => a.httpStatus],
          ['MS', (a) => a.durationMs],
          ['ERROR', (a) => a.error],
        ]);
        return { data, human: `${formatRecord(event)}\nAttempts:\n${attempts}\nPayload (as signed and sent):\n${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n` };
      },
    },
    tail: {
      usage: 'tail [--callback ID]      events and attempt outcomes as they happen, until Ctrl-C (--json: one object a line)',
      flags: { callback: { type: 'string' } },
      async run(target, flags) {
        const callbackId = wholeNumber(flags.callback, '--callback');
        const stop = new AbortController();
        const onSignal = (): void => stop.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        try {
          await tailEvents(target, {
            callbackId,
            json: flags.json === true,
            out: (text) => process.stdout.write(text),
            err: (text) => process.stderr.write(text),
            signal: stop.signal,
          });
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
        return null;
      },
    },
    retry: {
      usage: 'retry ID | retry --callback ID      send an event again (or every Failed one of a callback)',
      flags: { callback: { type: 'string' } },
      async run(target, flags, [id]) {
        const eventId = wholeNumber(id, 'ID');
        const callBackQueueId = wholeNumber(flags.callback, '--callback');
        if ((eventId === undefined) === (callBackQueueId === undefined)) {
          throw new UsageError('Name one event (retry ID) or one callback (retry --callback ID).');
        }
        const data = await callApi<{ retried: number }>(target, 'POST', '/v2/callbacks/events/retry', defined({ eventId, callBackQueueId }));
        return { data, human: `Retrying ${data.retried} event${data.retried === 1 ? '' : 's'}.\n` };
      },
    },
    replay: {
      usage: REPLAY_USAGE,
      flags: {
        callback: { type: 'string' },
        since: { type: 'string' },
        until: { type: 'string' },
        status: { type: 'string' },
        wait: { type: 'boolean' },
      },
      run: runReplay,
    },
  },
};
