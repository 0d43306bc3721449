/**
 * Isolation, as a matrix: every REST route (from /openapi.json) and every SOAP
 * operation (from the served WSDLs), called with the keys of callers who must
 * not reach a victim's objects — another network's admin, another mailbox's
 * admin in the same network, a suspended user, a revoked key, a made-up key,
 * no key — naming the victim's IDs. None may read or change anything, and
 * each answers exactly as it does for IDs that do not exist, so nobody
 * learns what exists outside their scope.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exampleOf,
  faultOf,
  fillPath,
  postSoap,
  restRoutes,
  soapEnvelope,
  soapOperations,
  soapParams,
  escapeXml,
  type RestRoute,
  type SoapOperation,
} from './helpers/api-surface.js';
import { addUser, call, ok, startTestServer, type ApiResponse, type TestServer } from './helpers/server.js';

const MARKER = 'victim-marker';
const PARTNER = 'VICTIMPARTNER';
const MISSING = 987_654_321;
const MISSING_PARTNER = 'NOSUCHPARTNER';
const PASSWORD = 'correct horse battery';

let server: TestServer;
let routes: RestRoute[];
let soap: SoapOperation[];

interface Victim {
  networkId: number;
  mailboxId: number;
  otherMailboxId: number;
  ecGridId: number;
  callBackQueueId: number;
  eventId: number;
  userId: number;
  userKey: string;
  loginName: string;
  parcelId: number | null;
}
let victim: Victim;

interface Caller {
  name: string;
  key: string | null;
  /** Fields that stay the victim's in the "missing" variant: they are in this caller's own scope. */
  ownFields: string[];
  /** The answer every call must get (a key that authenticates nobody), or null to compare with missing IDs. */
  expect401: boolean;
  /** For SOAP Login: a login name and password this caller has, when it has one. */
  login?: { loginName: string; password: string };
}
let callers: Caller[];

function restValues(v: Victim): Record<string, unknown> {
  return {
    networkId: v.networkId,
    mailboxId: v.mailboxId,
    ecGridId: v.ecGridId,
    ecGridIdFrom: v.ecGridId,
    ecGridIdTo: v.ecGridId,
    callBackQueueId: v.callBackQueueId,
    eventId: v.eventId,
    userId: v.userId,
    parcelId: v.parcelId ?? MISSING,
    id: PARTNER,
  };
}

function missingValues(caller: Caller): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(restValues(victim))) {
    out[name] = caller.ownFields.includes(name) ? value : typeof value === 'number' ? MISSING : MISSING_PARTNER;
  }
  return out;
}

/** An answer with every number and partner ID blanked, for comparing the two variants. */
function normalized(text: string): string {
  return text.replace(new RegExp(`${PARTNER}|${MISSING_PARTNER}`, 'g'), '#').replace(/\d+/g, '#');
}

async function restCall(route: RestRoute, key: string | null, values: Record<string, unknown>): Promise<ApiResponse> {
  const path = fillPath(route.path, values as Record<string, number>);
  const body = route.body ? exampleOf(route.body, values) : undefined;
  return call(server, route.method, path, body, { key });
}

/** What only the victim's owners may see, read by Root: it must be the same after the attacks. */
async function snapshot(): Promise<string> {
  const v = victim;
  const reads: Promise<unknown>[] = [
    ok(server, 'GET', `/v2/networks/${v.networkId}`),
    ok(server, 'GET', `/v2/mailboxes/${v.mailboxId}`),
    ok(server, 'GET', `/v2/mailboxes/${v.otherMailboxId}`),
    ok(server, 'GET', `/v2/ids/${v.ecGridId}`),
    ok(server, 'GET', `/v2/callbacks/${v.callBackQueueId}`),
    ok(server, 'GET', `/v2/callbacks/${v.callBackQueueId}/secret`),
    ok(server, 'GET', `/v2/callbacks/events/${v.eventId}`),
    ok(server, 'POST', '/v2/callbacks/list', { networkId: v.networkId }),
    ok(server, 'POST', '/v2/callbacks/queue-list', { callBackQueueId: v.callBackQueueId }),
    ok(server, 'POST', '/v2/mailboxes/list', { networkId: v.networkId }),
    ok(server, 'POST', '/v2/ids/list', { networkId: v.networkId }),
    ok(server, 'POST', '/v2/users/list', { networkId: v.networkId }),
    ok(server, 'GET', '/v2/users/me', undefined, { key: v.userKey }),
  ];
  if (v.parcelId !== null) reads.push(ok(server, 'GET', `/v2/parcels/${v.parcelId}`));
  return JSON.stringify(await Promise.all(reads));
}
let before: string;

beforeAll(async () => {
  server = await startTestServer();
  const network = await ok(server, 'POST', '/v2/networks/create', { name: `${MARKER} network` });
  const mailbox = await ok(server, 'POST', '/v2/mailboxes/create', { networkId: network.networkId, name: `${MARKER} mailbox` });
  const other = await ok(server, 'POST', '/v2/mailboxes/create', { networkId: network.networkId, name: 'neighbour mailbox' });
  const ecGridId = await ok(server, 'POST', '/v2/ids/create', { mailboxId: mailbox.mailboxId, qualifier: 'ZZ', id: PARTNER });
  // The victim's trading partner, in a third mailbox: the neighbour below is no party to the victim's parcel.
  const third = await ok(server, 'POST', '/v2/mailboxes/create', { networkId: network.networkId, name: 'partner mailbox' });
  const partner = await ok(server, 'POST', '/v2/ids/create', { mailboxId: third.mailboxId, qualifier: 'ZZ', id: 'PARTNER' });
  const callback = await ok(server, 'POST', '/v2/callbacks/create', {
    networkId: network.networkId,
    mailboxId: mailbox.mailboxId,
    callBackUrl: `https://${MARKER}.example/hook`,
    callBackEvent: 'InBox',
    retries: 0,
    basicAuth: { user: MARKER, password: `${MARKER}-password` },
  });
  const published = await ok(server, 'POST', '/v2/callbacks/events/publish', {
    events: [{ callBackEvent: 'InBox', networkId: network.networkId, mailboxId: mailbox.mailboxId, fileName: `${MARKER}.edi` }],
  });
  const loginName = `${MARKER}-user`;
  const user = await ok(server, 'POST', '/v2/users/create', {
    loginName,
    password: PASSWORD,
    role: 'MailboxUser',
    networkId: network.networkId,
    mailboxId: mailbox.mailboxId,
  });
  const userKey = (await ok(server, 'POST', `/v2/users/key-generate/${user.userId}`)).apiKey;
  // Parcels, where this server has them: one sent from the victim's mailbox.
  const upload = await call(server, 'POST', '/v2/parcels/upload', {
    fileName: `${MARKER}.edi`,
    content: Buffer.from('victim parcel').toString('base64'),
    mailboxId: mailbox.mailboxId,
    ecGridIdFrom: ecGridId.ecGridId,
    ecGridIdTo: partner.ecGridId,
  });
  victim = {
    networkId: network.networkId,
    mailboxId: mailbox.mailboxId,
    otherMailboxId: other.mailboxId,
    ecGridId: ecGridId.ecGridId,
    callBackQueueId: callback.callBackQueueId,
    eventId: published.eventIds[0],
    userId: user.userId,
    userKey,
    loginName,
    parcelId: upload.status === 200 ? upload.body.data.parcelId : null,
  };

  const elsewhere = await ok(server, 'POST', '/v2/networks/create', { name: 'attacker network' });
  const otherNetwork = await addUser(server, 'NetworkAdmin', elsewhere.networkId);
  const otherMailbox = await addUser(server, 'MailboxAdmin', network.networkId, other.mailboxId);
  const suspended = await ok(server, 'POST', '/v2/users/create', {
    loginName: 'suspended-admin',
    password: PASSWORD,
    role: 'NetworkAdmin',
    networkId: network.networkId,
  });
  const suspendedKey = (await ok(server, 'POST', `/v2/users/key-generate/${suspended.userId}`)).apiKey;
  await server.store.updateUserStatus(suspended.userId, 'Suspended');
  const revoked = await addUser(server, 'NetworkAdmin', network.networkId);
  await ok(server, 'POST', `/v2/users/key-generate/${revoked.userId}`);

  callers = [
    { name: 'another network', key: otherNetwork.key, ownFields: [], expect401: false },
    { name: 'another mailbox', key: otherMailbox.key, ownFields: ['networkId'], expect401: false },
    {
      name: 'a suspended user',
      key: suspendedKey,
      ownFields: [],
      expect401: true,
      login: { loginName: 'suspended-admin', password: PASSWORD },
    },
    { name: 'a revoked key', key: revoked.key, ownFields: [], expect401: true },
    { name: 'a made-up key', key: `gh_${randomBytes(32).toString('base64url')}`, ownFields: [], expect401: true },
    { name: 'no key', key: null, ownFields: [], expect401: true },
  ];

  // The victim's event fails at once (its host does not resolve here) and then stays as it is.
  const deadline = Date.now() + 10_000;
  while ((await ok(server, 'GET', `/v2/callbacks/events/${victim.eventId}`)).status === 'Pending' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  routes = await restRoutes(server.url);
  soap = await soapOperations(server.url);
  before = await snapshot();
});
afterAll(async () => {
  await server.close();
});

describe('REST: every route × every outside caller', () => {
  it('covers the routes the OpenAPI document lists', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    expect(names).toContain('GET /v2/callbacks/{callBackQueueId}');
    expect(names).toContain('GET /v2/callbacks/{callBackQueueId}/secret');
    expect(names).toContain('POST /v2/callbacks/events/publish');
    expect(routes.length).toBeGreaterThanOrEqual(28);
  });

  it('answers the victim’s IDs exactly as missing ones, revealing and changing nothing', async () => {
    const problems: string[] = [];
    let scoped = 0;
    for (const caller of callers) {
      for (const route of routes) {
        const label = `${route.method} ${route.path} as ${caller.name}`;
        // Reading one's own network (a mailbox admin's) is no attack.
        if (route.params.length > 0 && route.params.every((p) => caller.ownFields.includes(p))) continue;
        const aimed = await restCall(route, caller.key, restValues(victim));
        const blind = await restCall(route, caller.key, missingValues(caller));
        const aimedText = JSON.stringify(aimed.body);
        if (aimed.status >= 500 || blind.status >= 500) problems.push(`${label}: ${aimed.status}/${blind.status}`);
        if (aimedText.includes(MARKER) || aimedText.includes(PARTNER)) problems.push(`${label}: answer shows the victim's data`);
        if (caller.expect401) {
          if (aimed.status !== 401 || aimed.body?.errorCode !== 'InvalidAPIKey') problems.push(`${label}: ${aimed.status}, not 401`);
        } else if (aimed.status === 200 && route.body === undefined && route.params.length > 0) {
          problems.push(`${label}: read the victim's object`);
        } else if (aimed.status === 404 || aimed.status === 403) {
          scoped += 1;
        }
        if (aimed.status !== blind.status || normalized(aimedText) !== normalized(JSON.stringify(blind.body))) {
          problems.push(`${label}: ${aimed.status} ${aimedText} differs from missing IDs: ${blind.status} ${JSON.stringify(blind.body)}`);
        }
      }
    }
    expect(problems).toEqual([]);
    // Most routes reach the scope check rather than stopping at validation: the examples are valid requests.
    const outsiders = callers.filter((c) => !c.expect401).length;
    expect(scoped).toBeGreaterThan(routes.length * outsiders * 0.6);
  });

  it('lets an outsider list only its own things', async () => {
    for (const caller of callers.filter((c) => !c.expect401)) {
      for (const route of routes.filter((r) => r.path.endsWith('/list') || r.path.endsWith('-list'))) {
        const answer = await call(server, route.method, route.path, {}, { key: caller.key });
        expect(answer.status, `${route.path} as ${caller.name}`).toBeLessThan(500);
        expect(JSON.stringify(answer.body)).not.toContain(MARKER);
      }
    }
  });
});

describe('SOAP: every served operation × every outside caller', () => {
  const soapIds = (contract: SoapOperation['contract'], values: Record<string, unknown>): Record<string, string> => ({
    NetworkID: String(values.networkId),
    MailboxID: String(values.mailboxId),
    ECGridID: String(values.ecGridId),
    ECGridIDFrom: String(values.ecGridId),
    ECGridIDTo: String(values.ecGridId),
    UserID: String(values.userId),
    ParcelID: String(values.parcelId),
    // The guide's CallBackQueueID is a callback; the ECGridOS WSDL's is an event, its CallBackEventID a callback.
    CallBackQueueID: String(contract === 'guide' ? values.callBackQueueId : values.eventId),
    CallBackEventID: String(values.callBackQueueId),
  });

  it('answers the victim’s IDs exactly as missing ones, revealing and changing nothing', async (context) => {
    if (soap.length === 0) context.skip();
    const problems: string[] = [];
    let exercised = 0;
    for (const op of soap) {
      if (!op.operation.input.some((f) => f.name === 'SessionID')) continue;
      for (const caller of callers) {
        const label = `${op.contract} ${op.operation.name} as ${caller.name}`;
        const session = { SessionID: escapeXml(caller.key ?? '') };
        const aimed = await postSoap(
          server.url,
          op,
          soapEnvelope(op.namespace, op.operation.name, soapParams(op, { ...session, ...soapIds(op.contract, restValues(victim)) })),
        );
        const blind = await postSoap(
          server.url,
          op,
          soapEnvelope(op.namespace, op.operation.name, soapParams(op, { ...session, ...soapIds(op.contract, missingValues(caller)) })),
        );
        const fault = faultOf(aimed.text);
        if (fault?.errorCode === 'ServiceUnavailable') continue;
        exercised += 1;
        if (aimed.text.includes(MARKER) || aimed.text.includes(PARTNER)) problems.push(`${label}: answer shows the victim's data`);
        if (fault?.code === 'soap:Server') problems.push(`${label}: server fault ${fault.message}`);
        // Logout of a session that is not there succeeds and does nothing, as ECGridOS's does.
        const refusable = op.operation.name !== 'Logout';
        if (refusable && caller.expect401 && fault?.errorCode !== 'InvalidAPIKey' && fault?.errorCode !== 'InvalidSessionID') {
          problems.push(`${label}: ${fault ? fault.errorCode : 'succeeded'}, not refused as unauthenticated`);
        }
        const a = fault ?? { body: normalized(aimed.text) };
        const b = faultOf(blind.text) ?? { body: normalized(blind.text) };
        if (normalized(JSON.stringify(a)) !== normalized(JSON.stringify(b))) {
          problems.push(`${label}: ${JSON.stringify(a)} differs from missing IDs: ${JSON.stringify(b)}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(exercised).toBeGreaterThan(0);
  });

  it('refuses a suspended user’s login and a wrong password exactly as an unknown login', async (context) => {
    const logins = soap.filter((op) => op.operation.name === 'Login');
    if (logins.length === 0) context.skip();
    for (const op of logins) {
      const attempt = async (loginName: string, password: string) =>
        faultOf(
          (
            await postSoap(
              server.url,
              op,
              soapEnvelope(
                op.namespace,
                'Login',
                soapParams(op, { LoginName: escapeXml(loginName), Password: escapeXml(password) }),
              ),
            )
          ).text,
        );
      const unknown = await attempt('nobody-by-this-name', PASSWORD);
      if (unknown?.errorCode === 'ServiceUnavailable') continue;
      expect(unknown).not.toBeNull();
      expect(await attempt('suspended-admin', PASSWORD)).toEqual(unknown);
      expect(await attempt(victim.loginName, 'wrong password')).toEqual(unknown);
    }
  });
});

describe('after every attack', () => {
  it('leaves the victim’s data exactly as it was', async () => {
    expect(await snapshot()).toBe(before);
  });
});
