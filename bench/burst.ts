/**
 * A burst of fresh events drained to a local receiver: the measure of
 * delivery the list and purge scenarios hold their disturbances against. The
 * receiver answers at once and keeps which events arrived; a burst publishes
 * its events in calls of 100 and ends when every one has arrived.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { call } from './deployment.js';

export interface BurstReceiver {
  /** Register callbacks under this URL (any path). */
  url: string;
  /** Requests received, over every burst. */
  readonly received: number;
  /** Distinct events received, over every burst. */
  readonly unique: number;
  /** Publishes `size` InBox events to mailbox 1 and waits until all arrive (120 s at most); answers deliveries per second. */
  drain(base: string, key: string, size: number): Promise<number>;
  close(): Promise<void>;
}

export async function startBurstReceiver(): Promise<BurstReceiver> {
  const arrivals = new Set<number>();
  const everyEvent = new Set<number>();
  let received = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const { eventId } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { eventId: number };
      arrivals.add(eventId);
      everyEvent.add(eventId);
      received += 1;
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    get received() {
      return received;
    },
    get unique() {
      return everyEvent.size;
    },
    async drain(base, key, size) {
      arrivals.clear();
      const started = performance.now();
      for (let sent = 0; sent < size; sent += 100) {
        await call(base, key, 'POST', '/v2/callbacks/events/publish', {
          events: Array.from({ length: Math.min(100, size - sent) }, () => ({ callBackEvent: 'InBox', mailboxId: 1 })),
        });
      }
      const until = performance.now() + 120_000;
      while (arrivals.size < size && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
      if (arrivals.size < size) throw new Error(`only ${arrivals.size} of ${size} fresh events arrived in 120 s`);
      return size / ((performance.now() - started) / 1000);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
