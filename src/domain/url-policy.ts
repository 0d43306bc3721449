/**
 * Which addresses a callback may reach. By default only public ones: a
 * callback URL is chosen by a tenant, and without this check it could make
 * gridhook post into the operator's own network (SSRF). The URL is checked
 * when it is registered (assertCallbackUrlAllowed) and every resolved address
 * again when a connection is opened (isForbiddenAddress, used by the guarded
 * connector), so a name that later resolves inside (DNS rebinding) is refused.
 */
import { BlockList, isIP } from 'node:net';
import { invalidParameter, type GridhookError } from '../errors.js';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to every address it has (dns.lookup with all: true). */
export type LookupFunction = (hostname: string) => Promise<ResolvedAddress[]>;

export interface UrlPolicy {
  /** The development setting: http and private or loopback addresses are all allowed. */
  allowPrivateUrls: boolean;
  /** Networks (CIDR, e.g. 10.1.0.0/16) callbacks may reach even when private addresses are refused. */
  allowedNetworks: string[];
}

/** Special-purpose ranges (IANA registries), most specific first so the reason named is the precise one. */
const FORBIDDEN_RANGES: ReadonlyArray<readonly [cidr: string, reason: string]> = [
  ['169.254.169.254/32', 'cloud metadata'],
  ['fd00:ec2::254/128', 'cloud metadata'],
  ['0.0.0.0/8', 'unspecified ("this network")'],
  ['127.0.0.0/8', 'loopback'],
  ['10.0.0.0/8', 'private'],
  ['172.16.0.0/12', 'private'],
  ['192.168.0.0/16', 'private'],
  ['100.64.0.0/10', 'carrier-grade NAT'],
  ['169.254.0.0/16', 'link-local'],
  ['192.0.0.0/24', 'IETF protocol assignment'],
  ['192.0.2.0/24', 'documentation'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['198.18.0.0/15', 'benchmarking'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['fc00::/7', 'private (unique local)'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local'],
  ['ff00::/8', 'multicast'],
  ['2001:db8::/32', 'documentation'],
  ['100::/64', 'discard-only'],
  ['2001::/32', 'Teredo tunnel'],
  ['64:ff9b:1::/48', 'local-use NAT64'],
  ['::/96', 'IPv4-compatible (deprecated)'],
  ['::ffff:0:0:0/96', 'IPv4-translated'],
];

function familyOf(ip: string): 'ipv4' | 'ipv6' {
  return isIP(ip) === 4 ? 'ipv4' : 'ipv6';
}

function addCidr(list: BlockList, cidr: string): void {
  const slash = cidr.indexOf('/');
  const address = slash === -1 ? cidr : cidr.slice(0, slash);
  const family = isIP(address);
  const prefix = slash === -1 ? (family === 4 ? 32 : 128) : Number(cidr.slice(slash + 1));
  if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) {
    throw new Error(`"${cidr}" is not a network like 10.0.0.0/8 or fd00::/8`);
  }
  list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
}

/** One BlockList per reason, in FORBIDDEN_RANGES order. */
const FORBIDDEN: ReadonlyArray<readonly [reason: string, list: BlockList]> = (() => {
  const byReason = new Map<string, BlockList>();
  for (const [cidr, reason] of FORBIDDEN_RANGES) {
    let list = byReason.get(reason);
    if (!list) byReason.set(reason, (list = new BlockList()));
    addCidr(list, cidr);
  }
  return [...byReason];
})();

const allowedCache = new Map<string, BlockList>();

function allowedList(networks: string[]): BlockList {
  const key = networks.join(',');
  let list = allowedCache.get(key);
  if (!list) {
    list = new BlockList();
    for (const cidr of networks) addCidr(list, cidr);
    allowedCache.set(key, list);
  }
  return list;
}

/** Throws when allowedNetworks holds something that is not a network, naming the setting. */
export function validateUrlPolicy(policy: UrlPolicy): void {
  try {
    allowedList(policy.allowedNetworks);
  } catch (error) {
    throw new Error(`GRIDHOOK_ALLOWED_NETWORKS: ${(error as Error).message}`);
  }
}

function ipv6Groups(ip: string): number[] {
  const parse = (part: string): number[] => {
    if (part === '') return [];
    const out: number[] = [];
    for (const piece of part.split(':')) {
      if (piece.includes('.')) {
        const [a = 0, b = 0, c = 0, d = 0] = piece.split('.').map(Number);
        out.push((a << 8) | b, (c << 8) | d);
      } else {
        out.push(parseInt(piece, 16));
      }
    }
    return out;
  };
  const gap = ip.indexOf('::');
  if (gap === -1) return parse(ip);
  const head = parse(ip.slice(0, gap));
  const tail = parse(ip.slice(gap + 2));
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

function ipv4FromGroups(high: number, low: number): string {
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

/**
 * The IPv4 address an IPv6 address carries and reaches, for the forms where
 * the IPv4 part is what the packet ends up at: IPv4-mapped (::ffff:a.b.c.d),
 * NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::).
 */
function embeddedIpv4(ip: string): string | null {
  const g = ipv6Groups(ip);
  if (g.length !== 8) return null;
  const [g0, g1, g2, g3, g4, g5, g6, g7] = g as [number, number, number, number, number, number, number, number];
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) return ipv4FromGroups(g6, g7);
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return ipv4FromGroups(g6, g7);
  if (g0 === 0x2002) return ipv4FromGroups(g1, g2);
  return null;
}

function stripZone(ip: string): string {
  const percent = ip.indexOf('%');
  return percent === -1 ? ip : ip.slice(0, percent);
}

/**
 * Why an address is not public ("loopback", "private", …), or null when it
 * is an ordinary public address. Ignores any policy.
 */
export function classifyAddress(ip: string): string | null {
  const address = stripZone(ip);
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    if (v4 !== null) {
      const inner = classifyAddress(v4);
      return inner === null ? null : `${inner} (IPv4 ${v4} inside IPv6)`;
    }
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [reason, list] of FORBIDDEN) {
    if (list.check(address, type)) return reason;
  }
  return null;
}

/**
 * Why a connection to this address must be refused under the policy, or null
 * when it may go ahead.
 */
export function isForbiddenAddress(ip: string, policy: UrlPolicy): string | null {
  if (policy.allowPrivateUrls) return null;
  const reason = classifyAddress(ip);
  if (reason === null) return null;
  if (policy.allowedNetworks.length > 0) {
    const address = stripZone(ip);
    const allowed = allowedList(policy.allowedNetworks);
    if (allowed.check(address, familyOf(address))) return null;
    const v4 = isIP(address) === 6 ? embeddedIpv4(address) : null;
    if (v4 !== null && allowed.check(v4, 'ipv4')) return null;
  }
  return reason;
}

const HOW_TO_ALLOW =
  'Callbacks must reach a public address. For local development the operator can set ' +
  'GRIDHOOK_ALLOW_PRIVATE_URLS=true, or allow a private network with GRIDHOOK_ALLOWED_NETWORKS.';

function notPublic(host: string, reason: string): GridhookError {
  return invalidParameter('callBackUrl', `the host ${host} is not a public address (${reason}). ${HOW_TO_ALLOW}`);
}

/**
 * Throws InvalidParameter (field callBackUrl) when the URL may not be used
 * as a callback under the policy, with a message that says how to fix it.
 * Host names other than localhost are not resolved here; their addresses are
 * checked when a connection is made.
 */
export function assertCallbackUrlAllowed(url: string, policy: UrlPolicy): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidParameter(
      'callBackUrl',
      `"${url.slice(0, 200)}" is not an absolute URL; use one like https://example.com/ecgrid/callback.`,
    );
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    const scheme = parsed.protocol.replace(/:$/, '');
    throw invalidParameter('callBackUrl', `the scheme "${scheme}" is not supported; use https://.`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw invalidParameter(
      'callBackUrl',
      'must not contain a user name or password; remove them and verify the webhook-signature header ' +
        'in your receiver instead.',
    );
  }
  if (parsed.protocol === 'http:' && !policy.allowPrivateUrls) {
    throw invalidParameter(
      'callBackUrl',
      'must use https://; plain http:// is accepted only when the operator sets ' +
        'GRIDHOOK_ALLOW_PRIVATE_URLS=true (development).',
    );
  }
  if (policy.allowPrivateUrls) return;

  // WHATWG URL has already turned 2130706433, 0x7f.1 and 017700000001 into 127.0.0.1.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const name = host.replace(/\.$/, '').toLowerCase();
  if (name === 'localhost' || name.endsWith('.localhost')) {
    if (isForbiddenAddress('127.0.0.1', policy) !== null || isForbiddenAddress('::1', policy) !== null) {
      throw notPublic(parsed.hostname, 'loopback');
    }
    return;
  }
  if (isIP(host) !== 0) {
    const reason = isForbiddenAddress(host, policy);
    if (reason !== null) {
      throw notPublic(parsed.hostname, reason);
    }
  }
}

/** How long registration waits for DNS before leaving the check to connect time. */
const REGISTRATION_LOOKUP_MS = 2_000;

/**
 * assertCallbackUrlAllowed, and then, for a host name, its current DNS
 * answers: a name that resolves inside is refused when it is registered, with
 * a message saying so, instead of failing every attempt later. A name that
 * does not resolve (yet) is accepted. This is a courtesy, not the guard: DNS
 * may answer differently at connect time, where every address is checked again.
 */
export async function assertCallbackUrlResolvesAllowed(
  url: string,
  policy: UrlPolicy,
  lookup: LookupFunction,
): Promise<void> {
  assertCallbackUrlAllowed(url, policy);
  if (policy.allowPrivateUrls) return;
  const host = new URL(url).hostname;
  if (host.startsWith('[') || isIP(host) !== 0) return;
  let timer: NodeJS.Timeout | undefined;
  const answers = await Promise.race([
    lookup(host).catch(() => null),
    new Promise<null>((resolve) => (timer = setTimeout(resolve, REGISTRATION_LOOKUP_MS, null))),
  ]).finally(() => clearTimeout(timer));
  for (const { address } of answers ?? []) {
    const reason = isForbiddenAddress(address, policy);
    if (reason !== null) throw notPublic(host, `it resolves to ${address}: ${reason}`);
  }
}
