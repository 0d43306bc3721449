/**
 * Logs people can read: JSON lines off a terminal, pretty lines on one; each
 * failed attempt logged once at warn with what an operator needs to find it;
 * and the per-minute pulse line.
 */
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { DeliveryPulse } from '../src/metrics/pulse.js';
import { CachedQueueStats } from '../src/metrics/queue-stats.js';
import { systemClock } from '../src/domain/clock.js';
import { openStore } from '../src/store/open-store.js';
import type { AttemptResult, DeliveryJob, Store } from '../src/store/store.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { eventually, ok, startTestServer, type TestServer } from './helpers/server.js';

function capture(tty: boolean): { stream: PassThrough; text: () => string } {
  const stream = Object.assign(new PassThrough(), { isTTY: tty });
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('log format', () => {
  it('writes one JSON object a line when the output is not a terminal', () => {
    const out = capture(false);
    createLogger('info', out.stream).info({ callbackId: 7001 }, 'hello operator');
    expect(jsonLines(out.text())).toEqual([expect.objectContaining({ msg: 'hello operator', callbackId: 7001, level: 30 })]);
  });

  it('writes readable lines on a terminal, secrets still redacted', () => {
    const out = capture(true);
    createLogger('info', out.stream).warn({ callbackId: 7001, secret: 'whsec_hidden' }, 'hello operator');
    // Coloured, since this stream says it is a terminal; the colours aside:
    const text = out.text().replace(/\u001b\[\d+m/g, '');
    expect(() => JSON.parse(text.split('\n')[0] as string)).toThrow();
    expect(text).toContain('WARN');
    expect(text).toContain('hello operator');
    expect(text).toMatch(/callbackId: 7001/);
    expect(text).not.toContain('whsec_hidden');
  });

  it('GRIDHOOK_LOG_FORMAT=json keeps JSON on a terminal', () => {
    const out = capture(true);
    createLogger('info', out.stream, 'json').info('plain');
    expect(jsonLines(out.text())[0]).toMatchObject({ msg: 'plain' });
  });
});

describe('failed attempts in the log', () => {
  let server: TestServer | undefined;
  let receiver: Receiver | undefined;
  afterEach(async () => {
    await server?.close();
    await receiver?.close();
  });

  it('logs each failed attempt once, at warn, with callback id, event id, attempt and reason', async () => {
    receiver = await startReceiver({ defaultReply: { status: 503, body: 'down for maintenance' } });
    const out = capture(false);
    server = await startTestServer({ logLevel: 'info' }, { logDestination: out.stream });
    const callback = await ok(server, 'POST', '/v2/callbacks/create', {
      callBackUrl: receiver.urlFor('/down'),
      callBackEvent: 'InBox',
      networkId: 1,
      retries: 1,
      frequency: 1,
    });
    const { eventIds } = await ok(server, 'POST', '/v2/callbacks/events/publish', {
      events: [{ callBackEvent: 'InBox', networkId: 1, mailboxId: 1 }],
    });
    const failures = await eventually(async () => {
      const lines = jsonLines(out.text()).filter((line) => line.level === 40 && line.eventId === eventIds[0]);
      return lines.length === 2 ? lines : null;
    }, 20_000);
    expect(failures).toEqual([
      expect.objectContaining({
        msg: 'attempt failed; will retry',
        callbackId: callback.callBackQueueId,
        attempt: 1,
        reason: 'HTTP 503: down for maintenance',
      }),
      expect.objectContaining({
        msg: 'event failed: no retries left',
        callbackId: callback.callBackQueueId,
        attempt: 2,
        reason: 'HTTP 503: down for maintenance',
      }),
    ]);
  });
});

describe('the pulse line', () => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
  });

  it('sums up delivered, retried and failed since the last line, with the queue depth', async () => {
    store = await openStore('sqlite::memory:');
    await store.migrate();
    const out = capture(false);
    const s = store;
    const pulse = new DeliveryPulse(createLogger('info', out.stream), new CachedQueueStats(() => s.queueStats(), systemClock, 0));
    const job = { eventId: 1, callbackId: 7001, eventType: 'InBox', createdAt: 0 } as DeliveryJob;
    const result = (outcome: AttemptResult['outcome']) => ({ outcome }) as AttemptResult;
    for (const outcome of ['Delivered', 'Delivered', 'Retry', 'Failed'] as const) pulse.observer.afterAttempt(job, result(outcome));
    await pulse.beat();
    await pulse.beat();
    expect(jsonLines(out.text())).toEqual([
      expect.objectContaining({ msg: 'delivery pulse', level: 30, delivered: 2, retried: 1, failed: 1, pending: 0, oldestPendingSeconds: 0 }),
      expect.objectContaining({ msg: 'delivery pulse', delivered: 0, retried: 0, failed: 0 }),
    ]);
  });
});
