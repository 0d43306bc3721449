/**
 * The log never holds a secret: everything a server at the most verbose level
 * writes while users log in, keys are issued and used (and refused),
 * callbacks with credentials are created and delivered (and fail against a
 * receiver that echoes what it got), and secrets are rotated and shown, is
 * searched for every one of those secrets.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeXml, postSoap, soapEnvelope, soapOperations, soapParams } from './helpers/api-surface.js';
import { call, ok, startTestServer, type TestServer } from './helpers/server.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';

const PASSWORD = 'log-test-Pa55word!';
const BASIC = { user: 'log-basic-user', password: 'log-basic-Pa55word' };
const HEADER_VALUE = 'log-header-token-value';

let server: TestServer;
let receiver: Receiver;
const lines: string[] = [];
const secrets = new Set<string>();

beforeAll(async () => {
  const capture = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  server = await startTestServer({ logLevel: 'trace' }, { logDestination: capture });
  receiver = await startReceiver();
  secrets.add(server.rootKey);
  secrets.add(PASSWORD);
  secrets.add(BASIC.password);
  secrets.add(Buffer.from(`${BASIC.user}:${BASIC.password}`).toString('base64'));
  secrets.add(HEADER_VALUE);
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});

describe('log lines', () => {
  it('never contain API keys, passwords, signing secrets, session IDs or callback credentials', async () => {
    // Users and keys, used and refused.
    const user = await ok(server, 'POST', '/v2/users/create', {
      loginName: 'log-user',
      password: PASSWORD,
      role: 'NetworkAdmin',
      networkId: 1,
    });
    const { apiKey } = await ok(server, 'POST', `/v2/users/key-generate/${user.userId}`);
    secrets.add(apiKey);
    await ok(server, 'GET', '/v2/users/me', undefined, { key: apiKey });
    const madeUp = 'gh_made-up-key-that-is-long-enough-to-matter';
    secrets.add(madeUp);
    expect((await call(server, 'GET', '/v2/users/me', undefined, { key: madeUp })).status).toBe(401);
    expect((await call(server, 'POST', '/v2/users/create', undefined, { rawBody: `{"password":"${PASSWORD}",` })).status).toBe(400);

    // Callbacks with credentials, delivered, failing, rotated, shown.
    receiver.reply('/echo', (req) => ({ status: 500, body: JSON.stringify(req.headers) }));
    const created = await ok(server, 'POST', '/v2/callbacks/create', {
      callBackUrl: receiver.urlFor('/echo'),
      callBackEvent: 'InBox',
      retries: 1,
      basicAuth: BASIC,
      customHeaders: { 'X-Token': HEADER_VALUE },
    });
    secrets.add(created.secret);
    await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId: created.callBackQueueId });
    await ok(server, 'POST', '/v2/callbacks/events/publish', { events: [{ callBackEvent: 'InBox', mailboxId: 1 }] });
    await receiver.waitForRequests(3, { path: '/echo' });
    const rotated = await ok(server, 'POST', '/v2/callbacks/rotate-secret', { callBackQueueId: created.callBackQueueId });
    secrets.add(rotated.secret);
    await ok(server, 'GET', `/v2/callbacks/${created.callBackQueueId}/secret`);
    await call(server, 'POST', '/v2/callbacks/update', {
      callBackQueueId: created.callBackQueueId,
      basicAuth: { user: 'bad:user', password: BASIC.password },
    });

    // SOAP logins, right and wrong, and calls with the session.
    for (const op of (await soapOperations(server.url)).filter((o) => o.operation.name === 'Login')) {
      for (const password of [PASSWORD, 'wrong-password-123']) {
        const answer = await postSoap(
          server.url,
          op,
          soapEnvelope(op.namespace, 'Login', soapParams(op, { LoginName: 'log-user', Password: escapeXml(password) })),
        );
        const session = /<LoginResult>([^<]+)<\/LoginResult>/.exec(answer.text)?.[1];
        if (session) secrets.add(session);
      }
    }

    await new Promise((resolve) => setTimeout(resolve, 300));
    const log = lines.join('');
    expect(log).toContain('callback created');
    expect(log).toContain('attempt failed');
    for (const secret of secrets) {
      const line = lines.find((l) => l.includes(secret));
      expect(line, `a log line holds a secret: ${line}`).toBeUndefined();
    }
  });
});
