import { once } from 'node:events';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createSecureContext } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LookupFunction, ResolvedAddress, UrlPolicy } from '../src/domain/url-policy.js';
import { createSender, type Sender } from '../src/delivery/sender.js';
import { makeJob } from './helpers/delivery-job.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { openWithTestBox } from './helpers/sealing.js';

const STRICT: UrlPolicy = { allowPrivateUrls: false, allowedNetworks: [] };

let receiver: Receiver;
const senders: Sender[] = [];

/** A DNS the test controls: every name resolves to the given answers, and each lookup is counted. */
function fakeDns(answers: ResolvedAddress[] | Error): LookupFunction & { calls: string[] } {
  const calls: string[] = [];
  const lookup = async (hostname: string) => {
    calls.push(hostname);
    if (answers instanceof Error) throw answers;
    return answers;
  };
  return Object.assign(lookup, { calls });
}

function sender(policy: UrlPolicy, lookup: LookupFunction): Sender {
  const created = createSender({ timeoutMs: 2_000, maxResponseBytes: 4_096, policy, lookup, openSealed: openWithTestBox });
  senders.push(created);
  return created;
}

beforeAll(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await Promise.all(senders.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await receiver.close();
});

describe('connect-time address guard (DNS rebinding)', () => {
  it('refuses a host name that resolves to a loopback address', async () => {
    const dns = fakeDns([{ address: '127.0.0.1', family: 4 }]);
    const result = await sender(STRICT, dns).send(makeJob({ url: `http://rebind.example:${receiver.port}/in` }), Date.now());
    expect(result).toMatchObject({
      delivered: false,
      httpStatus: null,
      error: 'refused to connect to rebind.example: it resolves to 127.0.0.1, not a public address (loopback)',
    });
    expect(dns.calls).toEqual(['rebind.example']);
    expect(receiver.requestsTo('/in')).toHaveLength(0);
  });

  it('refuses when any of the resolved addresses is private, not just the first', async () => {
    const dns = fakeDns([
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ]);
    const result = await sender(STRICT, dns).send(makeJob({ url: 'https://mixed.example/in' }), Date.now());
    expect(result.error).toBe('refused to connect to mixed.example: it resolves to 10.0.0.7, not a public address (private)');
  });

  it('refuses an IPv6 metadata answer and an IPv4-mapped loopback answer', async () => {
    const v6 = await sender(STRICT, fakeDns([{ address: 'fd00:ec2::254', family: 6 }])).send(
      makeJob({ url: 'https://meta.example/' }),
      Date.now(),
    );
    expect(v6.error).toContain('cloud metadata');
    const mapped = await sender(STRICT, fakeDns([{ address: '::ffff:127.0.0.1', family: 6 }])).send(
      makeJob({ url: `http://mapped.example:${receiver.port}/in` }),
      Date.now(),
    );
    expect(mapped.error).toContain('loopback');
    expect(receiver.requestsTo('/in')).toHaveLength(0);
  });

  it('refuses an IP literal in a stored URL without looking anything up', async () => {
    const dns = fakeDns([]);
    const result = await sender(STRICT, dns).send(makeJob({ url: `http://127.0.0.1:${receiver.port}/in` }), Date.now());
    expect(result.error).toBe('refused to connect to 127.0.0.1: not a public address (loopback)');
    expect(dns.calls).toEqual([]);
    expect(receiver.requestsTo('/in')).toHaveLength(0);
  });

  it('connects to the checked address when the network is allowed, keeping the Host header', async () => {
    const dns = fakeDns([{ address: '127.0.0.1', family: 4 }]);
    const policy: UrlPolicy = { allowPrivateUrls: false, allowedNetworks: ['127.0.0.0/8'] };
    const result = await sender(policy, dns).send(makeJob({ url: `http://hooks.example:${receiver.port}/allowed` }), Date.now());
    expect(result).toMatchObject({ delivered: true, httpStatus: 200 });
    const [request] = receiver.requestsTo('/allowed');
    expect(request!.headers.host).toBe(`hooks.example:${receiver.port}`);
  });

  it('allows everything in the development setting', async () => {
    const dns = fakeDns([{ address: '127.0.0.1', family: 4 }]);
    const dev: UrlPolicy = { allowPrivateUrls: true, allowedNetworks: [] };
    const result = await sender(dev, dns).send(makeJob({ url: `http://dev.example:${receiver.port}/dev` }), Date.now());
    expect(result.delivered).toBe(true);
  });

  it('reports a name that does not resolve', async () => {
    const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.example'), { code: 'ENOTFOUND' });
    const result = await sender(STRICT, fakeDns(notFound)).send(makeJob({ url: 'https://nowhere.example/' }), Date.now());
    expect(result).toMatchObject({ delivered: false, httpStatus: null, error: 'DNS lookup of nowhere.example failed (ENOTFOUND)' });
  });

  it('keeps to the attempt deadline while DNS does not answer', async () => {
    const never: LookupFunction = () => new Promise(() => {});
    const s = createSender({ timeoutMs: 200, maxResponseBytes: 4_096, policy: STRICT, lookup: never, openSealed: openWithTestBox });
    senders.push(s);
    const result = await s.send(makeJob({ url: 'https://slow-dns.example/' }), Date.now());
    expect(result).toMatchObject({ delivered: false, httpStatus: null, error: 'timeout after 200 ms' });
  });

  it('verifies TLS against the original host name while connecting to the checked address', async () => {
    const servernames: string[] = [];
    const context = createSecureContext({ key: TEST_KEY, cert: TEST_CERT });
    const server = createTlsServer(
      {
        key: TEST_KEY,
        cert: TEST_CERT,
        SNICallback: (servername, callback) => {
          servernames.push(servername);
          callback(null, context);
        },
      },
      (_req, res) => res.end('ok'),
    );
    server.on('tlsClientError', () => {});
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const policy: UrlPolicy = { allowPrivateUrls: false, allowedNetworks: ['127.0.0.0/8'] };
      const result = await sender(policy, fakeDns([{ address: '127.0.0.1', family: 4 }])).send(
        makeJob({ url: `https://receiver.test:${port}/` }),
        Date.now(),
      );
      // The certificate is self-signed, so a verifying client must refuse it.
      expect(result.delivered).toBe(false);
      expect(result.error).toMatch(/^TLS failed: /);
      expect(result.error).not.toMatch(/altname|does not match/i);
      expect(servernames).toEqual(['receiver.test']);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

/** Self-signed, CN and SAN receiver.test, valid for a century. */
const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgF6SqofSVnJs7iGHb
Bs1tjsNB8f11I0yssnC8CiM3IE2hRANCAAQ/zrDT9CfrOkTjGpoB86TXDAxYj3g2
Ol5KaScxHwtH+NR69tJ/C/znS0C+fexvUMzy3qPItOn9nao5HdWcUqO5
-----END PRIVATE KEY-----
`;
const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBojCCAUegAwIBAgIUapUrt4ZDrYZvTywmufJIbRVkRXAwCgYIKoZIzj0EAwIw
GDEWMBQGA1UEAwwNcmVjZWl2ZXIudGVzdDAgFw0yNjExMjgyMjQyMTlaGA8yMTI2
MTEwNDIyNDIxOVowGDEWMBQGA1UEAwwNcmVjZWl2ZXIudGVzdDBZMBMGByqGSM49
AgEGCCqGSM49AwEHA0IABD/OsNP0J+s6ROMamgHzpNcMDFiPeDY6XkppJzEfC0f4
1Hr20n8L/OdLQL597G9QzPLeo8i06f2dqjkd1ZxSo7mjbTBrMB0GA1UdDgQWBBSC
q0PeDjLsV1m7N3wlQYAVH281RjAfBgNVHSMEGDAWgBSCq0PeDjLsV1m7N3wlQYAV
H281RjAPBgNVHRMBAf8EBTADAQH/MBgGA1UdEQQRMA+CDXJlY2VpdmVyLnRlc3Qw
CgYIKoZIzj0EAwIDSQAwRgIhAIaxYYAS7VF7+BDrcHgvbUys12OHPvMgzYWht4PO
xm/uAiEAslBslLKLOkOGvbSjqKMhXGZS7CWTkuSuRW7MTFfJX2Y=
-----END CERTIFICATE-----
`;
