/**
 * `gridhook events tail [--callback ID]`: events and attempt outcomes as they
 * happen, read from the REST API's live stream (GET /v2/callbacks/events/stream).
 * One line per item, or one JSON object per line with --json. A dropped
 * connection is opened again where it left off (Last-Event-ID); the command
 * runs until Ctrl-C, or until the API refuses it.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { ApiError, UnreachableError, type ApiTarget } from './api-client.js';

interface EventData {
  eventId: number;
  callBackQueueId: number;
  callBackEvent: string;
  status: string;
  attempts: number;
  eventDateTime: string;
  parcelId: number;
  fileName: string;
  isTest: boolean;
}

interface AttemptData {
  eventId: number;
  callBackQueueId: number;
  attempt: { attemptDateTime: string; httpStatus: number | null; error: string | null; durationMs: number };
  event: EventData;
}

/** How long to wait before opening a dropped stream again. */
const RECONNECT_MS = 2_000;

export interface TailOptions {
  callbackId: number | undefined;
  json: boolean;
  out: (text: string) => void;
  err: (text: string) => void;
  /** Ends the tail (Ctrl-C). */
  signal: AbortSignal;
}

export function tailLine(message: EventSourceMessage): string | null {
  if (message.event === 'event') {
    const e = JSON.parse(message.data) as EventData;
    const parcel = e.parcelId ? `  parcel ${e.parcelId}` : '';
    const file = e.fileName ? `  ${e.fileName}` : '';
    return `${e.eventDateTime}  event    ${e.eventId}  callback ${e.callBackQueueId}  ${e.callBackEvent}  ${e.status}${e.isTest ? '  (test)' : ''}${parcel}${file}\n`;
  }
  if (message.event === 'attempt') {
    const a = JSON.parse(message.data) as AttemptData;
    const answer = a.attempt.httpStatus === null ? 'no answer' : `HTTP ${a.attempt.httpStatus}`;
    const error = a.attempt.error ? `  ${a.attempt.error}` : '';
    return `${a.attempt.attemptDateTime}  attempt  ${a.eventId}  callback ${a.callBackQueueId}  ${answer}  ${a.attempt.durationMs} ms  → ${a.event.status}${error}\n`;
  }
  return null;
}

/** Answers once the tail is stopped; throws ApiError or UnreachableError when it cannot go on. */
export async function tailEvents(target: ApiTarget, options: TailOptions): Promise<void> {
  let lastEventId: string | undefined;
  let connectedOnce = false;
  const query = options.callbackId === undefined ? '' : `?callBackQueueId=${options.callbackId}`;
  while (!options.signal.aborted) {
    let response: Response;
    try {
      response = await fetch(`${target.url}/v2/callbacks/events/stream${query}`, {
        headers: {
          'x-api-key': target.apiKey,
          accept: 'text/event-stream',
          ...(lastEventId !== undefined && { 'last-event-id': lastEventId }),
        },
        signal: options.signal,
      });
    } catch (error) {
      if (options.signal.aborted) return;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code === 'ECONNREFUSED' ? 'the connection was refused' : (cause?.message ?? (error as Error).message);
      if (!connectedOnce) {
        throw new UnreachableError(`Cannot reach gridhook at ${target.url}: ${why}. Is it running, and is --url (or GRIDHOOK_URL) right?`);
      }
      options.err(`Lost gridhook at ${target.url} (${why}); trying again.\n`);
      await pause(RECONNECT_MS, options.signal);
      continue;
    }
    if (!response.ok || !response.body) throw await refusal(response);
    const parser = createParser({
      onEvent(message) {
        if (message.id !== undefined) lastEventId = message.id;
        if (message.event === 'ready' && !connectedOnce) {
          connectedOnce = true;
          const which = options.callbackId === undefined ? 'every callback you can see' : `callback ${options.callbackId}`;
          options.err(`Following events of ${which} at ${target.url}; Ctrl-C stops.\n`);
          return;
        }
        if (message.event === 'reset') {
          options.err('Some events were missed while the stream was away (the server restarted, or too long passed).\n');
          return;
        }
        if (message.event === 'end') {
          options.err(`The stream ended: ${(JSON.parse(message.data) as { reason: string }).reason}.\n`);
          return;
        }
        if (options.json) {
          if (message.event === 'event' || message.event === 'attempt') {
            options.out(`${JSON.stringify({ type: message.event, ...(JSON.parse(message.data) as object) })}\n`);
          }
          return;
        }
        const line = tailLine(message);
        if (line !== null) options.out(line);
      },
    });
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
    } catch (error) {
      if (options.signal.aborted) return;
      options.err(`The stream broke off (${(error as Error).message}); opening it again.\n`);
    }
    if (options.signal.aborted) return;
    await pause(RECONNECT_MS, options.signal);
  }
}

async function refusal(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const envelope = JSON.parse(text) as { errorCode?: string; message?: string };
    const hint = response.status === 401 ? ' Check --api-key (or GRIDHOOK_API_KEY).' : '';
    return new ApiError(response.status, envelope.errorCode ?? `HTTP${response.status}`, `${envelope.message ?? `HTTP ${response.status}`}${hint}`);
  } catch {
    return new ApiError(response.status, 'NotGridhook', `the stream answered ${response.status} with something other than gridhook's JSON; is --url right?`);
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
