/**
 * The benchmark's webhook receiver, run as its own process (forked with an IPC
 * channel) so that it never competes with the measuring process for an event
 * loop. It answers 200 at once, or after `?delayMs=` for a slow receiver, and
 * keeps per-channel counts: the channel is the first segment of the path.
 *
 * Duplicates are found by eventId over the process's whole life, so a reset of
 * the counters between rounds cannot hide a redelivery that crosses it.
 * Latency is receipt time minus the publish time the bench put in fileName
 * ("sent:<epoch ms>"); both sides read the same machine clock.
 */
import http from 'node:http';
import { preciseNow, summarize, type LatencySummary } from './stats.js';

export interface ChannelStats {
  received: number;
  unique: number;
  duplicates: number;
  /** Requests whose body was not a delivery (no numeric eventId). */
  malformed: number;
  firstAt: number | null;
  lastAt: number | null;
  latency: LatencySummary;
  /** Latency of the warm-up events ("warm:<epoch ms>"), which `latency` leaves out: how a cold start fares. */
  warmupLatency: LatencySummary;
  /** The worst latency of the events published in each second from the first one: where a p99 comes from. */
  worstBySecond: number[];
}

export type ReceiverCommand =
  | { cmd: 'stats' }
  | { cmd: 'reset'; channel?: string }
  | { cmd: 'latencies'; channel: string };
export type ReceiverRequest = ReceiverCommand & { id: number };
export interface ReceiverReply {
  id: number;
  channels: Record<string, ChannelStats>;
  /** Counts over the receiver's whole life, whatever was reset since: */
  received: number;
  unique: number;
  duplicates: number;
  /** Every latency of the channel, in order of receipt: asked for with `latencies`, to pool several runs. */
  latencies?: number[];
}
export type ReceiverHello = { ready: true; port: number };

interface Channel {
  received: number;
  unique: number;
  duplicates: number;
  malformed: number;
  firstAt: number | null;
  lastAt: number | null;
  latencies: number[];
  warmupLatencies: number[];
  firstSentAt: number | null;
  worstBySecond: number[];
}

const SENT_PREFIX = 'sent:';
const WARM_PREFIX = 'warm:';
/** A bound on the latencies one channel keeps, so memory stays bounded whatever a scenario sends. */
const MAX_LATENCIES = 2_000_000;

const seen = new Set<number>();
let received = 0;
let duplicates = 0;
const channels = new Map<string, Channel>();

function channelOf(name: string): Channel {
  let channel = channels.get(name);
  if (channel === undefined) {
    channel = { received: 0, unique: 0, duplicates: 0, malformed: 0, firstAt: null, lastAt: null, latencies: [], warmupLatencies: [], firstSentAt: null, worstBySecond: [] };
    channels.set(name, channel);
  }
  return channel;
}

function record(channel: Channel, body: string, at: number): void {
  received += 1;
  channel.received += 1;
  channel.firstAt ??= at;
  channel.lastAt = at;
  let delivery: { eventId?: unknown; fileName?: unknown };
  try {
    delivery = JSON.parse(body) as typeof delivery;
  } catch {
    channel.malformed += 1;
    return;
  }
  if (typeof delivery.eventId !== 'number') {
    channel.malformed += 1;
    return;
  }
  if (seen.has(delivery.eventId)) {
    channel.duplicates += 1;
    duplicates += 1;
  } else {
    seen.add(delivery.eventId);
    channel.unique += 1;
  }
  if (typeof delivery.fileName === 'string' && delivery.fileName.startsWith(WARM_PREFIX)) {
    const sentAt = Number(delivery.fileName.slice(WARM_PREFIX.length));
    if (Number.isFinite(sentAt) && channel.warmupLatencies.length < MAX_LATENCIES) {
      channel.warmupLatencies.push(at - sentAt);
    }
  }
  if (typeof delivery.fileName === 'string' && delivery.fileName.startsWith(SENT_PREFIX)) {
    const sentAt = Number(delivery.fileName.slice(SENT_PREFIX.length));
    if (!Number.isFinite(sentAt)) return;
    const latency = at - sentAt;
    if (channel.latencies.length < MAX_LATENCIES) channel.latencies.push(latency);
    channel.firstSentAt ??= sentAt;
    const second = Math.max(0, Math.floor((sentAt - channel.firstSentAt) / 1000));
    if (second < 3_600) {
      for (let i = channel.worstBySecond.length; i <= second; i++) channel.worstBySecond.push(0);
      channel.worstBySecond[second] = Math.max(channel.worstBySecond[second] ?? 0, Math.round(latency * 10) / 10);
    }
  }
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const at = preciseNow();
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const name = path.split('/')[1] || 'default';
    record(channelOf(name), Buffer.concat(chunks).toString('utf8'), at);
    const delayMs = query === -1 ? 0 : Number(new URLSearchParams(url.slice(query + 1)).get('delayMs') ?? 0);
    const answer = (): void => {
      res.writeHead(200, { 'content-length': '0' });
      res.end();
    };
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  });
});
// The sender keeps connections alive between attempts; so must the receiver.
server.keepAliveTimeout = 60_000;

function statsOf(channel: Channel): ChannelStats {
  const { latencies, warmupLatencies, firstSentAt: _firstSentAt, ...counts } = channel;
  return { ...counts, latency: summarize(latencies), warmupLatency: summarize(warmupLatencies) };
}

process.on('message', (message: ReceiverRequest) => {
  if (message.cmd === 'reset') {
    if (message.channel === undefined) channels.clear();
    else channels.delete(message.channel);
  }
  const reply: ReceiverReply = {
    id: message.id,
    channels: Object.fromEntries([...channels].map(([name, channel]) => [name, statsOf(channel)])),
    received,
    unique: seen.size,
    duplicates,
  };
  if (message.cmd === 'latencies') reply.latencies = channels.get(message.channel)?.latencies ?? [];
  process.send?.(reply);
});
// The bench going away (even killed) closes the channel: nothing is left running.
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const hello: ReceiverHello = { ready: true, port: typeof address === 'object' && address ? address.port : 0 };
  process.send?.(hello);
});
