import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeSignature } from '../src/delivery/signature.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { call, ok, startTestServer, type TestServer } from './helpers/server.js';

const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

let server: TestServer;
let receiver: Receiver;

beforeAll(async () => {
  server = await startTestServer();
  receiver = await startReceiver();
});

afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

function signatureValid(headers: Record<string, unknown>, body: string, secret: string): boolean {
  const id = String(headers['webhook-id']);
  const timestamp = Number(headers['webhook-timestamp']);
  const expected = computeSignature(secret, id, timestamp, body);
  return String(headers['webhook-signature']).split(' ').includes(expected);
}

describe("the guide's three steps", () => {
  it('creates, tests and lists a callback field for field', async () => {
    const hook = receiver.urlFor('/guide');

    // Step 1, the guide's body as printed (with a receiver we run).
    const created = await call(server, 'POST', '/v2/callbacks/create', {
      networkId: 0,
      mailboxId: 0,
      ecGridId: 0,
      callBackUrl: hook,
      callBackEvent: 'InBox',
      frequency: 1,
      retries: 3,
      status: 'Active',
    });
    expect(created.status).toBe(200);
    expect(created.headers.get('content-type')).toMatch(/^application\/json/);
    expect(created.body.success).toBe(true);
    const callback = created.body.data;
    expect(callback).toEqual({
      callBackQueueId: expect.any(Number),
      callBackUrl: hook,
      callBackEvent: 'InBox',
      status: 'Active',
      networkId: 1,
      mailboxId: 0,
      ecGridId: 0,
      frequency: 1,
      retries: 3,
      retrySchedule: null,
      health: 'healthy',
      failingSince: null,
      suspendedByGridhookAt: null,
      suspendReason: null,
      pausedUntil: null,
      ordering: 'none',
      orderingKey: 'callback',
      onFailure: 'block',
      maxPerSecond: null,
      hasBasicAuth: false,
      hasCustomHeaders: false,
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/=]{20,}$/),
      createdAt: expect.stringMatching(DATE),
      updatedAt: expect.stringMatching(DATE),
    });

    // Step 2.
    const tested = await call(server, 'POST', '/v2/callbacks/test', { callBackQueueId: callback.callBackQueueId });
    expect(tested.status).toBe(200);
    expect(tested.body).toEqual({
      success: true,
      data: {
        eventId: expect.any(Number),
        webhookId: expect.stringMatching(/^evt_[0-9a-f]{32}$/),
        callBackQueueId: callback.callBackQueueId,
        delivered: true,
        httpStatus: 200,
        error: null,
        durationMs: expect.any(Number),
        status: 'Delivered',
      },
    });
    const eventId = tested.body.data.eventId;
    const [received] = receiver.requestsTo('/guide');
    expect(received).toBeDefined();
    expect(received!.method).toBe('POST');
    expect(received!.headers['content-type']).toMatch(/^application\/json/);
    expect(received!.json()).toMatchObject({
      eventId,
      callBackQueueId: callback.callBackQueueId,
      callBackEvent: 'InBox',
      ecGridId: expect.any(Number),
      mailboxId: expect.any(Number),
      parcelId: expect.any(Number),
      fileName: expect.any(String),
      eventDateTime: expect.stringMatching(DATE),
      isTest: true,
    });
    expect(received!.headers['webhook-id']).toBe(tested.body.data.webhookId);
    expect(signatureValid(received!.headers, received!.body, callback.secret)).toBe(true);

    // Step 3.
    const queue = await call(server, 'POST', '/v2/callbacks/queue-list', {
      callBackQueueId: callback.callBackQueueId,
      pageNo: 1,
      recordsPerPage: 25,
    });
    expect(queue.status).toBe(200);
    expect(queue.body.data).toEqual({
      totalRecords: 1,
      totalRecordsExact: true,
      pageNo: 1,
      recordsPerPage: 25,
      nextCursor: null,
      events: [
        {
          eventId,
          webhookId: tested.body.data.webhookId,
          callBackQueueId: callback.callBackQueueId,
          callBackEvent: 'InBox',
          status: 'Delivered',
          attempts: 1,
          callsRemaining: 0,
          nextCall: null,
          lastAttempt: expect.stringMatching(DATE),
          lastHttpStatus: 200,
          lastError: null,
          eventDateTime: expect.stringMatching(DATE),
          isTest: true,
          parcelId: expect.any(Number),
          fileName: expect.any(String),
          networkId: 1,
          mailboxId: 0,
          ecGridId: 0,
        },
      ],
    });
  });

  it('applies the documented defaults when only the URL and event are sent', async () => {
    const data = await ok(server, 'POST', '/v2/callbacks/create', {
      callBackUrl: receiver.urlFor('/defaults'),
      callBackEvent: 'OutBox',
    });
    expect(data).toMatchObject({ networkId: 1, mailboxId: 0, ecGridId: 0, frequency: 1, retries: 3, status: 'Active' });
  });

  it('ignores properties it does not know, for clients that send more', async () => {
    const data = await ok(server, 'POST', '/v2/callbacks/create', {
      callBackUrl: receiver.urlFor('/extra'),
      callBackEvent: 'InBox',
      someFutureField: { nested: true },
    });
    expect(data).not.toHaveProperty('someFutureField');
  });
});

describe('the rest of the lifecycle', () => {
  it('gets one callback, without its secret', async () => {
    const created = await ok(server, 'POST', '/v2/callbacks/create', {
      callBackUrl: receiver.urlFor('/get'),
      callBackEvent: 'ConfirmDelivery',
      frequency: 30,
      retries: 7,
    });
    const got = await ok(server, 'GET', `/v2/callbacks/${created.callBackQueueId}`);
    const { secret: _secret, ...withoutSecret } = created;
    expect(got).toEqual(withoutSecret);
  });

  it('lists callbacks with filters and paging', async () => {
    const mailbox = await ok(server, 'POST', '/v2/mailboxes/create', { networkId: 1, name: 'list filters' });
    const inMailbox = await ok(server, 'POST', '/v2/callbacks/create', {
      mailboxId: mailbox.mailboxId,
      callBackUrl: receiver.urlFor('/list-a'),
      callBackEvent: 'InBoxError',
    });
    const suspended = await ok(server, 'POST', '/v2/callbacks/create', {
      mailboxId: mailbox.mailboxId,
      callBackUrl: receiver.urlFor('/list-b'),
      callBackEvent: 'OutBoxError',
      status: 'Suspended',
    });

    const byMailbox = await ok(server, 'POST', '/v2/callbacks/list', { mailboxId: mailbox.mailboxId });
    expect(byMailbox.callBacks.map((c: any) => c.callBackQueueId).sort()).toEqual(
      [inMailbox.callBackQueueId, suspended.callBackQueueId].sort(),
    );
    expect(byMailbox.totalRecords).toBe(2);
    expect(byMailbox.callBacks[0]).not.toHaveProperty('secret');

    const byEvent = await ok(server, 'POST', '/v2/callbacks/list', { callBackEvent: 'InBoxError' });
    expect(byEvent.callBacks.every((c: any) => c.callBackEvent === 'InBoxError')).toBe(true);
    expect(byEvent.callBacks.map((c: any) => c.callBackQueueId)).toContain(inMailbox.callBackQueueId);

    const byStatus = await ok(server, 'POST', '/v2/callbacks/list', { status: 'Suspended' });
    expect(byStatus.callBacks.map((c: any) => c.callBackQueueId)).toEqual([suspended.callBackQueueId]);

    const all = await ok(server, 'POST', '/v2/callbacks/list', {});
    const paged = await ok(server, 'POST', '/v2/callbacks/list', { pageNo: 2, recordsPerPage: 1 });
    expect(paged).toMatchObject({ totalRecords: all.totalRecords, pageNo: 2, recordsPerPage: 1 });
    expect(paged.callBacks).toHaveLength(1);
    expect(paged.callBacks[0]).toEqual(all.callBacks[1]);
    expect(all).toMatchObject({ pageNo: 1, recordsPerPage: 25 });
  });

  it('updates the fields sent and keeps the others', async () => {
    const created = await ok(server, 'POST', '/v2/callbacks/create', {
      callBackUrl: receiver.urlFor('/before'),
      callBackEvent: 'InBox',
    });
    const mailbox = await ok(server, 'POST', '/v2/mailboxes/create', { name: 'moved here' });
    const updated = await ok(server, 'POST', '/v2/callbacks/update', {
      callBackQueueId: created.callBackQueueId,
      callBackUrl: receiver.urlFor('/after'),
      callBackEvent: 'OutBox',
      frequency: 60,
      retries: 0,
      mailboxId: mailbox.mailboxId,
    });
    expect(updated).toMatchObject({
      callBackQueueId: created.callBackQueueId,
      callBackUrl: receiver.urlFor('/after'),
      callBackEvent: 'OutBox',
      frequency: 60,
      retries: 0,
      status: 'Active',
      networkId: 1,
      mailboxId: mailbox.mailboxId,
      ecGridId: 0,
      createdAt: created.createdAt,
    });
    expect(await ok(server, 'GET', `/v2/callbacks/${created.callBackQueueId}`)).toEqual(updated);
  });

  it('suspending cancels pending events; reactivating lets them be retried', async () => {
    receiver.reply('/down', { status: 503 });
    const created = await ok(server, 'POST', '/v2/callbacks/create', {
      callBackUrl: receiver.urlFor('/down'),
      callBackEvent: 'InBox',
      frequency: 3600,
      retries: 2,
    });
    const tested = await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId: created.callBackQueueId });
    expect(tested).toMatchObject({ delivered: false, httpStatus: 503, status: 'Pending' });
    expect(tested.error).toEqual(expect.any(String));

    const pending = await ok(server, 'GET', `/v2/callbacks/events/${tested.eventId}`);
    expect(pending).toMatchObject({ status: 'Pending', attempts: 1, callsRemaining: 2, lastHttpStatus: 503 });
    expect(pending.nextCall).toMatch(DATE);

    const suspended = await ok(server, 'POST', '/v2/callbacks/update', {
      callBackQueueId: created.callBackQueueId,
      status: 'Suspended',
    });
    expect(suspended.status).toBe('Suspended');
    const canceled = await ok(server, 'POST', '/v2/callbacks/queue-list', { callBackQueueId: created.callBackQueueId });
    expect(canceled.events.map((e: any) => e.status)).toEqual(['Canceled']);

    const refused = await call(server, 'POST', '/v2/callbacks/test', { callBackQueueId: created.callBackQueueId });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ success: false, errorCode: 'InvalidState', data: null });
    expect(refused.body.message).toMatch(/Suspended/);

    const active = await ok(server, 'POST', '/v2/callbacks/update', {
      callBackQueueId: created.callBackQueueId,
      status: 'Active',
    });
    expect(active.status).toBe('Active');
    receiver.reply('/down', { status: 200 });
    const retried = await ok(server, 'POST', '/v2/callbacks/events/retry', { eventId: tested.eventId });
    expect(retried).toMatchObject({ retried: 1, event: { eventId: tested.eventId, status: 'Pending' } });
  });

  it('deleting cancels pending events and the callback is gone', async () => {
    receiver.reply('/gone', { status: 500 });
    const created = await ok(server, 'POST', '/v2/callbacks/create', {
      callBackUrl: receiver.urlFor('/gone'),
      callBackEvent: 'InBox',
      frequency: 3600,
    });
    const tested = await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId: created.callBackQueueId });
    expect(tested.status).toBe('Pending');

    const deleted = await call(server, 'DELETE', `/v2/callbacks/${created.callBackQueueId}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ success: true, data: { callBackQueueId: created.callBackQueueId, deleted: true } });

    const event = await ok(server, 'GET', `/v2/callbacks/events/${tested.eventId}`);
    expect(event.status).toBe('Canceled');

    const missing = await call(server, 'GET', `/v2/callbacks/${created.callBackQueueId}`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ success: false, errorCode: 'ObjectNotFound', data: null });
    expect((await call(server, 'DELETE', `/v2/callbacks/${created.callBackQueueId}`)).status).toBe(404);
    const listed = await ok(server, 'POST', '/v2/callbacks/list', {});
    expect(listed.callBacks.map((c: any) => c.callBackQueueId)).not.toContain(created.callBackQueueId);
  });

  it('rotates the secret; during the grace period both secrets sign', async () => {
    const created = await ok(server, 'POST', '/v2/callbacks/create', {
      callBackUrl: receiver.urlFor('/rotate'),
      callBackEvent: 'InBox',
    });
    const rotated = await ok(server, 'POST', '/v2/callbacks/rotate-secret', { callBackQueueId: created.callBackQueueId });
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);
    expect(rotated.callBackQueueId).toBe(created.callBackQueueId);
    const graceHours = (Date.parse(rotated.previousSecretExpiresAt) - Date.now()) / 3_600_000;
    expect(graceHours).toBeGreaterThan(23.9);
    expect(graceHours).toBeLessThanOrEqual(24);

    await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId: created.callBackQueueId });
    const [received] = receiver.requestsTo('/rotate');
    expect(signatureValid(received!.headers, received!.body, rotated.secret)).toBe(true);
    expect(signatureValid(received!.headers, received!.body, created.secret)).toBe(true);
  });
});

describe('limits', () => {
  it('refuses a callback beyond the per-network limit', async () => {
    const limited = await startTestServer({ maxCallbacksPerNetwork: 2 });
    try {
      const body = { callBackUrl: 'http://127.0.0.1:9/hook', callBackEvent: 'InBox' };
      await ok(limited, 'POST', '/v2/callbacks/create', body);
      await ok(limited, 'POST', '/v2/callbacks/create', body);
      const third = await call(limited, 'POST', '/v2/callbacks/create', body);
      expect(third.status).toBe(409);
      expect(third.body).toMatchObject({ success: false, errorCode: 'InvalidState', data: null });
      expect(third.body.message).toMatch(/most allowed \(2\)/);
    } finally {
      await limited.close();
    }
  });
});
