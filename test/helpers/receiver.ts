/**
 * A real HTTP server on 127.0.0.1 (random port) standing in for a callback
 * receiver in tests. It records every request and answers per path as told:
 * a status, a delay, headers such as Retry-After, or misbehaviour (hang,
 * reset the connection, stream an endless body).
 *
 *   const receiver = await startReceiver();
 *   receiver.reply('/flaky', (req, nth) => (nth < 3 ? { status: 503, headers: { 'retry-after': '1' } } : {}));
 *   // … point a callback at receiver.urlFor('/flaky') …
 *   const [first] = await receiver.waitForRequests(1, { path: '/flaky' });
 *   await receiver.close();
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  /** Path and query as sent. */
  path: string;
  /** Lower-cased header names. */
  headers: IncomingHttpHeaders;
  /** The raw body, for signature checks. */
  body: string;
  /** Date.now() when the body had arrived. */
  receivedAt: number;
  /** The body parsed as JSON. */
  json<T = Record<string, unknown>>(): T;
}

export interface Reply {
  /** Default 200. */
  status?: number;
  headers?: Record<string, string>;
  /** Default "ok". */
  body?: string | Buffer;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Never answer; the connection stays open until the client gives up or close(). */
  hang?: boolean;
  /** Send the status line and headers, then never finish the body. */
  hangAfterHeaders?: boolean;
  /** Destroy the connection without answering (the client sees a reset / closed socket). */
  reset?: boolean;
  /** Answer with a body of this many bytes, written as fast as the client reads it. */
  streamBytes?: number;
}

/** A fixed reply, or one chosen per request; `nth` counts requests to the same path, from 1. */
export type ReplyRule = Reply | ((request: ReceivedRequest, nth: number) => Reply);

export interface Receiver {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  urlFor(path: string): string;
  /** How requests to `path` (exact pathname) are answered from now on; "*" sets the default (200 "ok"). */
  reply(path: string, rule: ReplyRule): void;
  /** Every request so far, in arrival order. */
  readonly requests: readonly ReceivedRequest[];
  requestsTo(path: string): ReceivedRequest[];
  /** Resolves once `count` requests (to `path`, if given) have arrived; rejects after timeoutMs (default 10 s). */
  waitForRequests(count: number, options?: { path?: string; timeoutMs?: number }): Promise<ReceivedRequest[]>;
  /** TCP connections accepted so far (keep-alive reuse shows as fewer connections than requests). */
  readonly connections: number;
  /** Requests currently held open by `hang` or `hangAfterHeaders`. */
  readonly hanging: number;
  /** Body bytes written so far by `streamBytes` replies. */
  readonly streamedBytes: number;
  /** Stops the server and drops every open connection, hanging ones included. */
  close(): Promise<void>;
}

const CHUNK = Buffer.alloc(64 * 1024, 'x');

function pathnameOf(path: string): string {
  const q = path.indexOf('?');
  return q === -1 ? path : path.slice(0, q);
}

export async function startReceiver(options: { defaultReply?: ReplyRule } = {}): Promise<Receiver> {
  const rules = new Map<string, ReplyRule>([['*', options.defaultReply ?? {}]]);
  const counts = new Map<string, number>();
  const requests: ReceivedRequest[] = [];
  const byPath = new Map<string, ReceivedRequest[]>();
  const waiters = new Set<() => void>();
  let connections = 0;
  let hanging = 0;
  let streamedBytes = 0;

  const stream = (res: ServerResponse, total: number): void => {
    let left = total;
    let stopped = false;
    res.on('close', () => (stopped = true));
    const pump = (): void => {
      while (!stopped && left > 0) {
        const chunk = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
        left -= chunk.length;
        streamedBytes += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!stopped) res.end();
    };
    pump();
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      const record: ReceivedRequest = {
        method: req.method ?? '',
        path,
        headers: req.headers,
        body,
        receivedAt: Date.now(),
        json: <T>() => JSON.parse(body) as T,
      };
      const pathname = pathnameOf(path);
      const nth = (counts.get(pathname) ?? 0) + 1;
      counts.set(pathname, nth);
      requests.push(record);
      let list = byPath.get(pathname);
      if (!list) byPath.set(pathname, (list = []));
      list.push(record);
      for (const waiter of [...waiters]) waiter();

      const rule = rules.get(pathname) ?? rules.get('*') ?? {};
      const reply = typeof rule === 'function' ? rule(record, nth) : rule;
      const answer = (): void => {
        if (reply.reset) {
          req.socket.destroy();
          return;
        }
        if (reply.hang) {
          hanging += 1;
          res.on('close', () => (hanging -= 1));
          return;
        }
        res.writeHead(reply.status ?? 200, reply.headers ?? {});
        if (reply.hangAfterHeaders) {
          hanging += 1;
          res.on('close', () => (hanging -= 1));
          res.write('partial');
        } else if (reply.streamBytes !== undefined) {
          stream(res, reply.streamBytes);
        } else {
          res.end(reply.body ?? 'ok');
        }
      };
      if (reply.delayMs) setTimeout(answer, reply.delayMs);
      else answer();
    });
  });
  server.on('connection', () => (connections += 1));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  const matching = (path: string | undefined): readonly ReceivedRequest[] =>
    path === undefined ? requests : (byPath.get(path) ?? []);

  return {
    url,
    port,
    urlFor: (path) => url + (path.startsWith('/') ? path : `/${path}`),
    reply: (path, rule) => void rules.set(path, rule),
    requests,
    requestsTo: (path) => [...matching(path)],
    waitForRequests(count, { path, timeoutMs = 10_000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const found = matching(path);
          if (found.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve([...found]);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          const where = path === undefined ? '' : ` to ${path}`;
          reject(new Error(`expected ${count} requests${where} within ${timeoutMs} ms, got ${matching(path).length}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    get connections() {
      return connections;
    },
    get hanging() {
      return hanging;
    },
    get streamedBytes() {
      return streamedBytes;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
