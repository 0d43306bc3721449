/**
 * Signed deliveries, checked by an independent verifier: the Standard Webhooks
 * reference library (`standardwebhooks`), as a receiver would use it.
 */
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, ok, startTestServer, type TestServer } from './helpers/server.js';
import { startReceiver, type ReceivedRequest, type Receiver } from './helpers/receiver.js';
import { testBox } from './helpers/sealing.js';

let server: TestServer;
let receiver: Receiver;

beforeAll(async () => {
  server = await startTestServer();
  receiver = await startReceiver();
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});

function headersOf(request: ReceivedRequest): Record<string, string> {
  return {
    'webhook-id': String(request.headers['webhook-id']),
    'webhook-timestamp': String(request.headers['webhook-timestamp']),
    'webhook-signature': String(request.headers['webhook-signature']),
  };
}

function verifies(secret: string, request: ReceivedRequest): boolean {
  try {
    new Webhook(secret).verify(request.body, headersOf(request));
    return true;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return false;
    throw error;
  }
}

async function deliverTest(callBackQueueId: number, path: string): Promise<ReceivedRequest> {
  const before = receiver.requestsTo(path).length;
  const outcome = await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId });
  expect(outcome.delivered).toBe(true);
  const requests = await receiver.waitForRequests(before + 1, { path });
  return requests[before]!;
}

describe('Standard Webhooks signatures', () => {
  it('signs every delivery with the callback’s own whsec_ secret, verifiable by the reference library', async () => {
    const a = await ok(server, 'POST', '/v2/callbacks/create', { callBackUrl: receiver.urlFor('/a'), callBackEvent: 'InBox' });
    const b = await ok(server, 'POST', '/v2/callbacks/create', { callBackUrl: receiver.urlFor('/b'), callBackEvent: 'InBox' });
    expect(a.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(a.secret).not.toBe(b.secret);

    const request = await deliverTest(a.callBackQueueId, '/a');
    expect(verifies(a.secret, request)).toBe(true);
    expect(verifies(b.secret, request)).toBe(false);
    const event = await ok(server, 'GET', `/v2/callbacks/events/${request.json().eventId}`);
    expect(request.headers['webhook-id']).toBe(event.webhookId);
    expect(event.webhookId).toMatch(/^evt_[0-9a-f]{32}$/);
    expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);

    const tampered = { ...request, body: request.body.replace('"isTest":true', '"isTest":false') };
    expect(verifies(a.secret, tampered)).toBe(false);
  });

  it('answers the secret again on demand, in scope only', async () => {
    const created = await ok(server, 'POST', '/v2/callbacks/create', { callBackUrl: receiver.urlFor('/c'), callBackEvent: 'OutBox' });
    const shown = await ok(server, 'GET', `/v2/callbacks/${created.callBackQueueId}/secret`);
    expect(shown).toEqual({
      callBackQueueId: created.callBackQueueId,
      secret: created.secret,
      previousSecret: null,
      previousSecretExpiresAt: null,
    });
    const network = await ok(server, 'POST', '/v2/networks/create', { name: 'Elsewhere' });
    const outsider = await ok(server, 'POST', '/v2/users/create', {
      loginName: 'secret-outsider',
      password: 'correct horse battery',
      role: 'NetworkAdmin',
      networkId: network.networkId,
    });
    const key = (await ok(server, 'POST', `/v2/users/key-generate/${outsider.userId}`)).apiKey;
    const refused = await call(server, 'GET', `/v2/callbacks/${created.callBackQueueId}/secret`, undefined, { key });
    const missing = await call(server, 'GET', '/v2/callbacks/999999/secret', undefined, { key });
    expect(refused.status).toBe(404);
    expect(refused.body.errorCode).toBe('ObjectNotFound');
    expect(refused.body.message).toBe(missing.body.message.replace('999999', String(created.callBackQueueId)));
    expect(JSON.stringify(refused.body)).not.toContain(created.secret);
  });

  it('keeps the old secret valid for the grace period after a rotation, then only the new one', async () => {
    const created = await ok(server, 'POST', '/v2/callbacks/create', { callBackUrl: receiver.urlFor('/r'), callBackEvent: 'InBox' });
    const oldSecret: string = created.secret;
    const rotated = await ok(server, 'POST', '/v2/callbacks/rotate-secret', { callBackQueueId: created.callBackQueueId });
    expect(rotated.secret).not.toBe(oldSecret);
    const hoursLeft = (Date.parse(rotated.previousSecretExpiresAt) - Date.now()) / 3_600_000;
    expect(hoursLeft).toBeGreaterThan(23.9);
    expect(hoursLeft).toBeLessThanOrEqual(24);
    expect(await ok(server, 'GET', `/v2/callbacks/${created.callBackQueueId}/secret`)).toMatchObject({
      secret: rotated.secret,
      previousSecret: oldSecret,
      previousSecretExpiresAt: rotated.previousSecretExpiresAt,
    });

    const during = await deliverTest(created.callBackQueueId, '/r');
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifies(oldSecret, during)).toBe(true);
    expect(verifies(rotated.secret, during)).toBe(true);

    // The grace period ends (set in the store: waiting a day is not a test).
    // The store holds secrets sealed for their callback (with the test servers' key).
    const binding = { callbackId: created.callBackQueueId as number, field: 'signing-secret' } as const;
    const secrets = await server.store.getCallbackSecrets(created.callBackQueueId);
    const current = 'whsec_' + Buffer.alloc(24, 7).toString('base64');
    await server.store.rotateCallbackSecret(created.callBackQueueId, testBox.seal(current, binding), Date.now() - 1);
    expect(testBox.open(secrets!.secret, binding)).toBe(rotated.secret);
    const after = await deliverTest(created.callBackQueueId, '/r');
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(verifies(current, after)).toBe(true);
    expect(verifies(rotated.secret, after)).toBe(false);
    expect(await ok(server, 'GET', `/v2/callbacks/${created.callBackQueueId}/secret`)).toMatchObject({
      secret: current,
      previousSecret: null,
      previousSecretExpiresAt: null,
    });
  });
});
