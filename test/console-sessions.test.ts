/**
 * Console sign-in over REST: a login name and password or an API key buys an
 * HttpOnly SameSite=Strict session cookie; calls with it need the
 * X-Gridhook-Console header (CSRF); sign-in is rate limited and refuses an
 * unknown login and a wrong password alike; sign-out ends the session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, call, ok, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ signInsPerMinute: 5 });
});

afterAll(async () => {
  await server.close();
});

function cookieOf(response: { headers: Headers }): string {
  const header = response.headers.get('set-cookie') ?? '';
  return header.split(';')[0] ?? '';
}

async function signIn(body: unknown) {
  return call(server, 'POST', '/v2/sessions/sign-in', body, { key: null });
}

async function me(cookie: string, headers: Record<string, string> = { 'x-gridhook-console': '1' }) {
  return call(server, 'GET', '/v2/users/me', undefined, { key: null, headers: { cookie, ...headers } });
}

describe('console sessions', () => {
  it('signs in with a login name and password and sets an HttpOnly SameSite=Strict cookie', async () => {
    const user = await ok(server, 'POST', '/v2/users/create', {
      loginName: 'mailbox-person',
      password: 'correct horse battery',
      role: 'MailboxUser',
      networkId: 1,
      mailboxId: 1,
    });
    const response = await signIn({ loginName: 'mailbox-person', password: 'correct horse battery' });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ userId: user.userId, role: 'MailboxUser', mailboxId: 1 });
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^gridhook_session=ghs_/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).not.toContain('Secure');

    const answer = await me(cookieOf(response));
    expect(answer.status).toBe(200);
    expect(answer.body.data.loginName).toBe('mailbox-person');
  });

  it('refuses a cookie-authenticated call without the X-Gridhook-Console header (CSRF)', async () => {
    const user = await addUser(server, 'NetworkUser', 1);
    const response = await signIn({ apiKey: user.key });
    expect(response.status).toBe(200);
    const refused = await me(cookieOf(response), {});
    expect(refused.status).toBe(403);
    expect(refused.body.errorCode).toBe('AccessDenied');
    expect(refused.body.message).toContain('x-gridhook-console');
    expect((await me(cookieOf(response))).status).toBe(200);
  });

  it('signs in with an API key, and the session sees what the key sees', async () => {
    const user = await addUser(server, 'MailboxUser', 1, 1);
    const response = await signIn({ apiKey: user.key });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ userId: user.userId, role: 'MailboxUser' });
    const list = await call(server, 'POST', '/v2/mailboxes/list', {}, {
      key: null,
      headers: { cookie: cookieOf(response), 'x-gridhook-console': '1' },
    });
    expect(list.status).toBe(200);
    expect(list.body.data.mailboxes.map((m: { mailboxId: number }) => m.mailboxId)).toEqual([1]);
  });

  it('answers an unknown login and a wrong password alike', async () => {
    await addUser(server, 'NetworkUser', 1);
    const unknown = await signIn({ loginName: 'nobody-here', password: 'whatever it is' });
    const wrong = await signIn({ loginName: 'mailbox-person', password: 'not the password' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(unknown.headers.get('set-cookie')).toBeNull();
  });

  it('names the missing field', async () => {
    const response = await signIn({ loginName: 'someone' });
    expect(response.status).toBe(400);
    expect(response.body.message).toContain('password');
  });

  it('signs out: the cookie is cleared and the session no longer works', async () => {
    const user = await addUser(server, 'NetworkAdmin', 1);
    const response = await signIn({ apiKey: user.key });
    const cookie = cookieOf(response);
    const out = await call(server, 'POST', '/v2/sessions/sign-out', undefined, { key: null, headers: { cookie } });
    expect(out.status).toBe(200);
    expect(out.body.data.signedOut).toBe(true);
    expect(out.headers.get('set-cookie')).toMatch(/^gridhook_session=;/);
    const after = await me(cookie);
    expect(after.status).toBe(401);
  });

  it('rate limits sign-in attempts for one login name', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      statuses.push((await signIn({ loginName: 'target-login', password: `guess ${i}` })).status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const limited = await signIn({ loginName: 'target-login', password: 'guess' });
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
