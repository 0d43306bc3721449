import { describe, expect, it } from 'vitest';
import {
  assertCallbackUrlAllowed,
  classifyAddress,
  isForbiddenAddress,
  validateUrlPolicy,
  type UrlPolicy,
} from '../src/domain/url-policy.js';
import { GridhookError } from '../src/errors.js';

const STRICT: UrlPolicy = { allowPrivateUrls: false, allowedNetworks: [] };
const DEV: UrlPolicy = { allowPrivateUrls: true, allowedNetworks: [] };

function refusal(url: string, policy: UrlPolicy = STRICT): GridhookError | null {
  try {
    assertCallbackUrlAllowed(url, policy);
    return null;
  } catch (error) {
    if (!(error instanceof GridhookError)) throw error;
    return error;
  }
}

describe('callback URL policy (default: https to a public address)', () => {
  it.each([
    ['https://127.0.0.1/hook', 'loopback'],
    ['https://127.1.2.3/hook', 'loopback'],
    ['https://0.0.0.0/hook', 'unspecified'],
    ['https://[::1]/hook', 'loopback'],
    ['https://[::]/hook', 'unspecified'],
    ['https://[::ffff:127.0.0.1]/hook', 'loopback'],
    ['https://[::ffff:10.0.0.1]/hook', 'private'],
    ['https://10.1.2.3/hook', 'private'],
    ['https://172.16.0.1/hook', 'private'],
    ['https://172.31.255.255/hook', 'private'],
    ['https://192.168.1.10/hook', 'private'],
    ['https://169.254.169.254/latest/meta-data', 'cloud metadata'],
    ['https://169.254.10.1/hook', 'link-local'],
    ['https://[fd00:ec2::254]/hook', 'cloud metadata'],
    ['https://[fd12:3456::1]/hook', 'unique local'],
    ['https://[fe80::1]/hook', 'link-local'],
    ['https://100.64.0.1/hook', 'carrier-grade NAT'],
    ['https://100.127.255.254/hook', 'carrier-grade NAT'],
    ['https://224.0.0.1/hook', 'multicast'],
    ['https://[ff02::1]/hook', 'multicast'],
    ['https://255.255.255.255/hook', 'reserved'],
    ['https://[64:ff9b::a00:1]/hook', 'private'],
    ['https://[2002:c0a8:101::1]/hook', 'private'],
    // WHATWG URL reads these as 127.0.0.1.
    ['https://2130706433/hook', 'loopback'],
    ['https://0x7f.1/hook', 'loopback'],
    ['https://017700000001/hook', 'loopback'],
    ['https://0x7f000001/hook', 'loopback'],
    ['https://localhost/hook', 'loopback'],
    ['https://LOCALHOST./hook', 'loopback'],
    ['https://api.localhost:8443/hook', 'loopback'],
  ])('refuses %s (%s)', (url, reason) => {
    const error = refusal(url);
    expect(error).not.toBeNull();
    expect(error!.code).toBe('InvalidParameter');
    expect(error!.field).toBe('callBackUrl');
    expect(error!.message).toContain(reason);
    expect(error!.message).toContain('GRIDHOOK_ALLOW_PRIVATE_URLS');
  });

  it.each([
    'https://example.com/hooks/ecgrid',
    'https://8.8.8.8/hook',
    'https://[2606:4700:4700::1111]/hook',
    'https://172.32.0.1/hook',
    'https://100.128.0.1/hook',
    'https://hooks.example.com:8443/a?b=c',
  ])('accepts %s', (url) => {
    expect(refusal(url)).toBeNull();
  });

  it('refuses plain http unless private URLs are allowed', () => {
    expect(refusal('http://example.com/hook')?.message).toMatch(/must use https:\/\/.*GRIDHOOK_ALLOW_PRIVATE_URLS=true/);
    expect(refusal('http://example.com/hook', DEV)).toBeNull();
  });

  it('refuses what is not an http(s) URL, or carries credentials, under any policy', () => {
    expect(refusal('example.com/hook', DEV)?.message).toMatch(/not an absolute URL/);
    expect(refusal('ftp://example.com/hook', DEV)?.message).toMatch(/scheme "ftp" is not supported/);
    expect(refusal('javascript:alert(1)', DEV)?.message).toMatch(/scheme "javascript"/);
    expect(refusal('https://user:pass@example.com/hook', DEV)?.message).toMatch(/user name or password/);
    expect(refusal('https://user@example.com/hook', DEV)?.message).toMatch(/user name or password/);
  });

  it('allows loopback and private addresses in the development setting', () => {
    for (const url of ['http://127.0.0.1:8080/hook', 'http://localhost/hook', 'http://[::1]/', 'http://10.0.0.5/']) {
      expect(refusal(url, DEV)).toBeNull();
    }
  });

  it('allows private addresses inside GRIDHOOK_ALLOWED_NETWORKS only', () => {
    const policy: UrlPolicy = { allowPrivateUrls: false, allowedNetworks: ['10.20.0.0/16', 'fd00:1::/32'] };
    expect(refusal('https://10.20.3.4/hook', policy)).toBeNull();
    expect(refusal('https://[fd00:1::5]/hook', policy)).toBeNull();
    expect(refusal('https://[::ffff:10.20.3.4]/hook', policy)).toBeNull();
    expect(refusal('https://10.21.0.1/hook', policy)?.message).toContain('private');
    expect(refusal('https://127.0.0.1/hook', policy)?.message).toContain('loopback');
    expect(refusal('http://10.20.3.4/hook', policy)?.message).toMatch(/must use https/);
  });
});

describe('address classification (connect-time check)', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.0.1', 'private'],
    ['169.254.169.254', 'cloud metadata'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['224.0.0.1', 'multicast'],
    ['fe80::1%eth0', 'link-local'],
  ])('%s is %s', (ip, reason) => {
    expect(classifyAddress(ip)).toContain(reason);
    expect(isForbiddenAddress(ip, STRICT)).toContain(reason);
    expect(isForbiddenAddress(ip, DEV)).toBeNull();
  });

  it.each(['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '172.15.255.255', '192.169.0.1'])(
    '%s is public',
    (ip) => {
      expect(classifyAddress(ip)).toBeNull();
      expect(isForbiddenAddress(ip, STRICT)).toBeNull();
    },
  );

  it('lets allowedNetworks through', () => {
    const policy: UrlPolicy = { allowPrivateUrls: false, allowedNetworks: ['192.168.7.0/24'] };
    expect(isForbiddenAddress('192.168.7.9', policy)).toBeNull();
    expect(isForbiddenAddress('::ffff:192.168.7.9', policy)).toBeNull();
    expect(isForbiddenAddress('192.168.8.9', policy)).toBe('private');
  });

  it('rejects an allowedNetworks entry that is not a network', () => {
    expect(() => validateUrlPolicy({ allowPrivateUrls: false, allowedNetworks: ['10.0.0.0/99'] })).toThrow(
      'GRIDHOOK_ALLOWED_NETWORKS: "10.0.0.0/99" is not a network like 10.0.0.0/8 or fd00::/8',
    );
    expect(() => validateUrlPolicy({ allowPrivateUrls: false, allowedNetworks: ['10.0.0.0/8', 'fd00::/8'] })).not.toThrow();
  });

  it('treats what is not an address as forbidden', () => {
    expect(isForbiddenAddress('example.com', STRICT)).toBe('not an IP address');
  });
});
