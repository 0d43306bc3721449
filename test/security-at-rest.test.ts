/**
 * What the database holds, read straight from the SQLite files: API keys and
 * passwords only as hashes, callback credentials only encrypted, and none of
 * them ever in an API answer. And what the receiver gets: the credentials,
 * decrypted, on every attempt.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSender } from '../src/delivery/sender.js';
import { createSecretBox, ENCRYPTION_KEY_FILE, parseEncryptionKey } from '../src/services/secrets-crypto.js';
import { makeJob } from './helpers/delivery-job.js';
import { addUser, call, ok, startTestServer, type TestServer } from './helpers/server.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';

const PASSWORD = 'Tr0ub4dor&3-very-secret';
const BASIC = { user: 'partner-acme', password: 'b4sic-p4ssw0rd-!x' };
const HEADERS = { 'X-Receiver-Token': 'hdr-token-5ecr3t-value', 'X-Tenant': 'acme-corp-42' };

let server: TestServer;
let receiver: Receiver;

beforeAll(async () => {
  // No key configured: the first start generates one in the data dir.
  server = await startTestServer({ encryptionKey: '' });
  receiver = await startReceiver();
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});

function dbFile(s: TestServer): string {
  return s.config.databaseUrl.replace(/^sqlite:/, '');
}

/** Every byte SQLite has on disk for this database (main file and write-ahead log). */
function diskBytes(s: TestServer): string {
  const file = dbFile(s);
  return [file, `${file}-wal`]
    .filter((f) => fs.existsSync(f))
    .map((f) => fs.readFileSync(f).toString('latin1'))
    .join('');
}

function basicToken(user: string, password: string): string {
  return Buffer.from(`${user}:${password}`).toString('base64');
}

describe('keys and passwords are stored hashed', () => {
  it('keeps the SHA-256 of each API key and an scrypt hash of each password, nothing else', async () => {
    const created = await ok(server, 'POST', '/v2/users/create', {
      loginName: 'hash-check',
      password: PASSWORD,
      role: 'NetworkUser',
      networkId: 1,
    });
    const { apiKey } = await ok(server, 'POST', `/v2/users/key-generate/${created.userId}`);
    expect(JSON.stringify(created)).not.toContain(PASSWORD);

    const db = new Database(dbFile(server), { readonly: true });
    try {
      const user = db.prepare('SELECT password_hash FROM users WHERE id = ?').get(created.userId) as { password_hash: string };
      expect(user.password_hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
      const keys = db.prepare('SELECT key_hash, key_prefix FROM api_keys WHERE user_id = ?').all(created.userId) as {
        key_hash: string;
        key_prefix: string;
      }[];
      expect(keys).toEqual([{ key_hash: createHash('sha256').update(apiKey).digest('hex'), key_prefix: apiKey.slice(0, 8) }]);
    } finally {
      db.close();
    }
    const bytes = diskBytes(server);
    expect(bytes).not.toContain(PASSWORD);
    expect(bytes).not.toContain(apiKey);
    expect(bytes).not.toContain(server.rootKey);
  });
});

describe('callback credentials', () => {
  it('are sent with every attempt, encrypted at rest, and never answered', async () => {
    const created = await ok(server, 'POST', '/v2/callbacks/create', {
      callBackUrl: receiver.urlFor('/creds'),
      callBackEvent: 'InBox',
      basicAuth: BASIC,
      customHeaders: HEADERS,
    });
    expect(created).toMatchObject({ hasBasicAuth: true, hasCustomHeaders: true });

    const outcome = await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId: created.callBackQueueId });
    expect(outcome.delivered).toBe(true);
    const [request] = await receiver.waitForRequests(1, { path: '/creds' });
    expect(request!.headers.authorization).toBe(`Basic ${basicToken(BASIC.user, BASIC.password)}`);
    expect(request!.headers['x-receiver-token']).toBe(HEADERS['X-Receiver-Token']);
    expect(request!.headers['x-tenant']).toBe(HEADERS['X-Tenant']);
    expect(request!.headers['content-type']).toBe('application/json');
    new Webhook(created.secret).verify(request!.body, {
      'webhook-id': String(request!.headers['webhook-id']),
      'webhook-timestamp': String(request!.headers['webhook-timestamp']),
      'webhook-signature': String(request!.headers['webhook-signature']),
    });

    const answers = [
      JSON.stringify(created),
      JSON.stringify(await ok(server, 'GET', `/v2/callbacks/${created.callBackQueueId}`)),
      JSON.stringify(await ok(server, 'POST', '/v2/callbacks/list', {})),
      JSON.stringify(await ok(server, 'POST', '/v2/callbacks/update', { callBackQueueId: created.callBackQueueId, retries: 2 })),
      JSON.stringify(await ok(server, 'POST', '/v2/callbacks/rotate-secret', { callBackQueueId: created.callBackQueueId })),
      JSON.stringify(await ok(server, 'GET', `/v2/callbacks/events/${outcome.eventId}`)),
    ];
    const bytes = diskBytes(server);
    for (const secret of [BASIC.password, basicToken(BASIC.user, BASIC.password), ...Object.values(HEADERS)]) {
      for (const answer of answers) expect(answer).not.toContain(secret);
      expect(bytes).not.toContain(secret);
    }

    const db = new Database(dbFile(server), { readonly: true });
    try {
      const row = db.prepare('SELECT basic_auth, custom_headers FROM callbacks WHERE id = ?').get(created.callBackQueueId) as {
        basic_auth: string;
        custom_headers: string;
      };
      const key = parseEncryptionKey(fs.readFileSync(path.join(server.config.dataDir, ENCRYPTION_KEY_FILE), 'utf8'));
      const box = createSecretBox(key);
      const callbackId = created.callBackQueueId as number;
      expect(row.basic_auth).toMatch(new RegExp(`^v2\\.${box.keyId}\\.[A-Za-z0-9_-]+$`));
      expect(JSON.parse(box.open(row.basic_auth, { callbackId, field: 'basic-auth' }))).toEqual(BASIC);
      const headers = box.open(row.custom_headers, { callbackId, field: 'custom-headers' });
      expect(Object.fromEntries(JSON.parse(headers) as [string, string][])).toEqual(HEADERS);
      // The same plaintext sealed twice differs: nothing to compare across rows.
      const binding = { callbackId, field: 'basic-auth' } as const;
      expect(box.seal('x', binding)).not.toBe(box.seal('x', binding));
    } finally {
      db.close();
    }
    const mode = fs.statSync(path.join(server.config.dataDir, ENCRYPTION_KEY_FILE)).mode & 0o777;
    expect(mode).toBe(0o600);
  });

  it('are replaced or removed by update, and checked before they are stored', async () => {
    const created = await ok(server, 'POST', '/v2/callbacks/create', {
      callBackUrl: receiver.urlFor('/upd'),
      callBackEvent: 'OutBox',
      basicAuth: BASIC,
    });
    const id = created.callBackQueueId;
    expect(created).toMatchObject({ hasBasicAuth: true, hasCustomHeaders: false });

    const bad: [Record<string, unknown>, RegExp][] = [
      [{ customHeaders: { Host: 'evil.example' } }, /^customHeaders: Host is set by gridhook/],
      [{ customHeaders: { 'Content-Length': '5' } }, /^customHeaders: Content-Length is set by gridhook/],
      [{ customHeaders: { 'webhook-signature': 'v1,forged' } }, /^customHeaders: webhook-signature is set by gridhook/],
      [{ customHeaders: { 'X-Bad': 'a\r\nInjected: yes' } }, /^customHeaders\.X-Bad: must be a string/],
      [{ customHeaders: { 'Bad Name': 'x' } }, /^customHeaders: "Bad Name" is not a header name/],
      [{ customHeaders: { 'X-A': 'x', 'x-a': 'y' } }, /given twice/],
      [{ customHeaders: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-H${i}`, 'v'])) }, /^customHeaders: /],
      [{ basicAuth: { user: 'a:b', password: 'p' } }, /^basicAuth\.user: must not contain ":"/],
      [{ basicAuth: { user: 'a', password: 'p\u0001' } }, /^basicAuth\.password: must not contain control characters/],
      [{ basicAuth: { user: 'a', password: 'p\u0000' } }, /^basicAuth\.password: must not contain a NUL/],
      [{ basicAuth: { user: 'a' } }, /^basicAuth\.password: is required/],
      [{ basicAuth: 'user:pass' }, /^basicAuth: /],
    ];
    for (const [change, message] of bad) {
      const refused = await call(server, 'POST', '/v2/callbacks/update', { callBackQueueId: id, ...change });
      expect(refused.status, JSON.stringify(change)).toBe(400);
      expect(refused.body.message).toMatch(message);
      expect(JSON.stringify(refused.body)).not.toContain('p\u0000');
    }
    expect(await ok(server, 'GET', `/v2/callbacks/${id}`)).toMatchObject({ hasBasicAuth: true, hasCustomHeaders: false });

    const both = await ok(server, 'POST', '/v2/callbacks/update', {
      callBackQueueId: id,
      basicAuth: { user: 'new-user', password: 'new-password-1' },
      customHeaders: { Authorization: 'Bearer ignored-when-basic', 'X-Extra': 'extra-value' },
    });
    expect(both).toMatchObject({ hasBasicAuth: true, hasCustomHeaders: true });
    await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId: id });
    const [first] = await receiver.waitForRequests(1, { path: '/upd' });
    expect(first!.headers.authorization).toBe(`Basic ${basicToken('new-user', 'new-password-1')}`);
    expect(first!.headers['x-extra']).toBe('extra-value');

    const removed = await ok(server, 'POST', '/v2/callbacks/update', { callBackQueueId: id, basicAuth: null, customHeaders: {} });
    expect(removed).toMatchObject({ hasBasicAuth: false, hasCustomHeaders: false });
    await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId: id });
    const [, second] = await receiver.waitForRequests(2, { path: '/upd' });
    expect(second!.headers.authorization).toBeUndefined();
    expect(second!.headers['x-extra']).toBeUndefined();
  });

  it('are blanked out of the attempt log when a receiver echoes them back', async () => {
    receiver.reply('/echo', (req) => ({ status: 400, body: `bad request; you sent ${JSON.stringify(req.headers)}` }));
    const created = await ok(server, 'POST', '/v2/callbacks/create', {
      callBackUrl: receiver.urlFor('/echo'),
      callBackEvent: 'InBox',
      basicAuth: BASIC,
      customHeaders: HEADERS,
    });
    const outcome = await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId: created.callBackQueueId });
    expect(outcome.error).toMatch(/^HTTP 400: bad request; you sent /);
    expect(outcome.error).toContain('[redacted]');
    const event = await ok(server, 'GET', `/v2/callbacks/events/${outcome.eventId}`);
    for (const text of [outcome.error, JSON.stringify(event)]) {
      expect(text).not.toContain(basicToken(BASIC.user, BASIC.password));
      expect(text).not.toContain(HEADERS['X-Receiver-Token']);
    }
  });

  it('take their key from GRIDHOOK_ENCRYPTION_KEY, and another key fails the attempt instead of sending without them', async () => {
    const key = Buffer.alloc(32, 9).toString('base64');
    const keyed = await startTestServer({ encryptionKey: key });
    try {
      expect(fs.existsSync(path.join(keyed.config.dataDir, ENCRYPTION_KEY_FILE))).toBe(false);
      const created = await ok(keyed, 'POST', '/v2/callbacks/create', {
        callBackUrl: receiver.urlFor('/keyed'),
        callBackEvent: 'InBox',
        basicAuth: BASIC,
      });
      const db = new Database(dbFile(keyed), { readonly: true });
      const sealed = (db.prepare('SELECT basic_auth FROM callbacks WHERE id = ?').get(created.callBackQueueId) as { basic_auth: string })
        .basic_auth;
      db.close();
      const binding = { callbackId: created.callBackQueueId as number, field: 'basic-auth' } as const;
      expect(createSecretBox(Buffer.from(key, 'base64')).open(sealed, binding)).toContain(BASIC.password);

      // The same database delivered from by a process holding another key.
      const other = createSecretBox(Buffer.alloc(32, 1));
      const sender = createSender({
        timeoutMs: 2_000,
        maxResponseBytes: 1_024,
        policy: { allowPrivateUrls: true, allowedNetworks: [] },
        openSealed: (value, binding) => other.open(value, binding),
      });
      try {
        const result = await sender.send(makeJob({ url: receiver.urlFor('/wrong-key'), basicAuth: sealed, callbackId: created.callBackQueueId, secrets: {
              // Its signing secret opens in this process: only the credentials were sealed with another key.
              secret: other.seal('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', { callbackId: created.callBackQueueId, field: 'signing-secret' }),
              previousSecret: null,
              previousSecretExpiresAt: null,
            },
          }), Date.now());
        expect(result.delivered).toBe(false);
        expect(result.error).toMatch(
          /^the callback's credentials cannot be read: the stored value was encrypted with key [0-9a-f]{8}, but this process has key/,
        );
        expect(receiver.requestsTo('/wrong-key')).toHaveLength(0);
      } finally {
        await sender.close();
      }
    } finally {
      await keyed.close();
    }
  });

  it('are refused with a clear message in a bad GRIDHOOK_ENCRYPTION_KEY', () => {
    expect(() => parseEncryptionKey('too-short')).toThrow(/GRIDHOOK_ENCRYPTION_KEY must be 32 random bytes/);
    expect(parseEncryptionKey('ab'.repeat(32))).toHaveLength(32);
    expect(parseEncryptionKey(Buffer.alloc(32, 3).toString('base64url'))).toHaveLength(32);
  });

  it('belong to the callback’s scope like the rest of it', async () => {
    const mailbox = await ok(server, 'POST', '/v2/mailboxes/create', { networkId: 1, name: 'creds-other' });
    const outsider = await addUser(server, 'MailboxAdmin', 1, mailbox.mailboxId);
    const created = await ok(server, 'POST', '/v2/callbacks/create', {
      callBackUrl: receiver.urlFor('/scoped'),
      callBackEvent: 'InBox',
      mailboxId: 1,
    });
    const refused = await call(
      server,
      'POST',
      '/v2/callbacks/update',
      { callBackQueueId: created.callBackQueueId, basicAuth: { user: 'x', password: 'y' } },
      { key: outsider.key },
    );
    expect(refused.status).toBe(404);
    expect(await ok(server, 'GET', `/v2/callbacks/${created.callBackQueueId}`)).toMatchObject({ hasBasicAuth: false });
  });
});
