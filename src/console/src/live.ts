/**
 * The console's live updates: one Server-Sent Events stream per signed-in tab
 * (GET /v2/callbacks/events/stream, scoped as the signed-in user's key), read
 * through the typed API client as a byte stream, so that it carries the
 * X-Gridhook-Console header the session cookie needs (EventSource cannot send
 * headers), and parsed with eventsource-parser. Pages subscribe with the
 * changes they show; a dropped stream is opened again where it left off.
 */
import { createParser } from 'eventsource-parser';
import { api } from './api';

/** What changed: an event was created or attempted; or anything may have (after a reconnect that missed items). */
export type LiveChange =
  | { kind: 'event' | 'attempt'; eventId: number; callbackId: number; parcelId: number }
  | { kind: 'reset' };

type Listener = (change: LiveChange) => void;

const listeners = new Set<Listener>();
const RECONNECT_MS = 2_000;

export function onLiveChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function emit(change: LiveChange): void {
  for (const listener of listeners) listener(change);
}

interface StreamedEvent {
  eventId: number;
  callBackQueueId: number;
  parcelId?: number;
  event?: { parcelId: number };
}

/** Follows the stream until `signal` aborts; `unauthorized` is called when the session has ended. */
export async function followLive(signal: AbortSignal, unauthorized: () => void): Promise<void> {
  let lastEventId: string | undefined;
  while (!signal.aborted) {
    try {
      const { response } = await api.GET('/v2/callbacks/events/stream', {
        parseAs: 'stream',
        headers: { accept: 'text/event-stream', ...(lastEventId !== undefined && { 'Last-Event-ID': lastEventId }) },
        signal,
      });
      if (response.status === 401) {
        unauthorized();
        return;
      }
      if (response.ok && response.body) {
        const parser = createParser({
          onEvent(message) {
            if (message.id !== undefined) lastEventId = message.id;
            if (message.event === 'ready' || message.event === 'reset') emit({ kind: 'reset' });
            if (message.event === 'event' || message.event === 'attempt') {
              const data = JSON.parse(message.data) as StreamedEvent;
              emit({
                kind: message.event,
                eventId: data.eventId,
                callbackId: data.callBackQueueId,
                parcelId: data.parcelId ?? data.event?.parcelId ?? 0,
              });
            }
          },
        });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) parser.feed(chunk.value);
      }
    } catch {
      // A dropped connection: open it again below.
    }
    if (signal.aborted) return;
    await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
  }
}
