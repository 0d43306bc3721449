/**
 * A client of the live REST stream (GET /v2/callbacks/events/stream) for
 * tests: a real HTTP connection, its Server-Sent Events parsed with
 * eventsource-parser, every message kept, and a way to wait for one.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface StreamMessage {
  id: string | undefined;
  event: string | undefined;
  /** The parsed JSON data. */
  data: any;
}

export interface OpenStream {
  status: number;
  /** Every message so far, in arrival order. */
  readonly messages: StreamMessage[];
  /** Resolves with the first message (so far or to come) that `match` accepts; rejects after timeoutMs. */
  waitFor(match: (message: StreamMessage) => boolean, timeoutMs?: number): Promise<StreamMessage>;
  /** Resolves once the server ended the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

export interface StreamRequest {
  /** Query string, without the "?". */
  query?: string;
  headers?: Record<string, string>;
}

/** Opens the stream and waits for its `ready` message (or answers the refusal: status and envelope). */
export async function openStream(baseUrl: string, request: StreamRequest): Promise<OpenStream> {
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}/v2/callbacks/events/stream${request.query ? `?${request.query}` : ''}`, {
    headers: { accept: 'text/event-stream', ...request.headers },
    signal: abort.signal,
  });
  if (response.status !== 200 || !response.body) {
    const text = await response.text();
    throw Object.assign(new Error(`stream refused: ${response.status} ${text}`), { status: response.status, body: JSON.parse(text) });
  }
  const messages: StreamMessage[] = [];
  const waiters = new Set<() => void>();
  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      messages.push({ id: message.id, event: message.event, data: JSON.parse(message.data) });
      for (const wake of waiters) wake();
    },
  });
  const body = response.body;
  const ended = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of body) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
    } catch {
      // Closed by close().
    }
  })();
  const stream: OpenStream = {
    status: response.status,
    messages,
    ended,
    waitFor(match, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(match);
          if (!found) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no such stream message in ${timeoutMs} ms; got ${JSON.stringify(messages.map((m) => m.event))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => abort.abort(),
  };
  await stream.waitFor((message) => message.event === 'ready');
  return stream;
}
