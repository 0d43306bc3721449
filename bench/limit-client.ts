/**
 * The reference a delivery system is measured against: one process with a
 * plain undici client POSTing the very bytes and headers gridhook would send
 * (same serializer, same signing) to the same receiver, with as many requests
 * in flight as gridhook may have for one callback. Nothing is read from or
 * written to a database, so no delivery system on this machine can beat it.
 */
import { Pool } from 'undici';
import type { DeliveryJob } from '../src/store/store.js';
import { serializePayload } from '../src/delivery/payload.js';
import { generateSecret, signatureHeaders } from '../src/delivery/signature.js';

export interface LimitRequest {
  url: string;
  count: number;
  concurrency: number;
  /** eventIds are firstEventId, firstEventId + 1, …, so they never collide with gridhook's. */
  firstEventId: number;
}

export interface LimitReply {
  sent: number;
  failed: number;
  elapsedMs: number;
  /** CPU time (user + system) the sending took. */
  cpuMs: number;
}

async function run(request: LimitRequest): Promise<LimitReply> {
  const target = new URL(request.url);
  const pool = new Pool(target.origin, { connections: request.concurrency });
  const secrets = { secret: generateSecret(), previousSecret: null, previousSecretExpiresAt: null };
  const path = target.pathname + target.search;
  let next = 0;
  let failed = 0;

  const one = async (index: number): Promise<void> => {
    const now = Date.now();
    const job: DeliveryJob = {
      eventId: request.firstEventId + index,
      webhookId: `evt_bench${request.firstEventId + index}`,
      callbackId: 1,
      eventType: 'InBox',
      networkId: 1,
      mailboxId: 1,
      ecGridId: 0,
      parcelId: index + 1,
      fileName: `limit-${index}.edi`,
      isTest: false,
      subjectCallbackId: null,
      retrySchedule: null,
      createdAt: now,
      attempts: 0,
      maxAttempts: 4,
      url: request.url,
      frequency: 1,
      secrets,
      leaseOwner: 'limit',
      leaseUntil: now + 60_000,
    };
    const body = serializePayload(job);
    const response = await pool.request({
      path,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'gridhook',
        ...signatureHeaders(job.webhookId, body, secrets, now),
      },
      body,
    });
    await response.body.dump();
    if (response.statusCode < 200 || response.statusCode >= 300) failed += 1;
  };

  const worker = async (): Promise<void> => {
    while (next < request.count) {
      const index = next;
      next += 1;
      try {
        await one(index);
      } catch {
        failed += 1;
      }
    }
  };

  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(Array.from({ length: request.concurrency }, worker));
  const cpu = process.cpuUsage(cpuBefore);
  const elapsedMs = performance.now() - started;
  await pool.close();
  return { sent: request.count, failed, elapsedMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

process.once('message', (request: LimitRequest) => {
  run(request).then(
    (reply) => process.send?.(reply, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
process.on('disconnect', () => process.exit(0));
