import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { buildConnector } from 'undici';
import { isForbiddenAddress, type LookupFunction, type UrlPolicy } from '../domain/url-policy.js';

export const systemLookup: LookupFunction = (hostname) => dnsLookup(hostname, { all: true });

/** A connection refused by the address policy. The message is meant for the attempt log. */
export class ForbiddenAddressError extends Error {
  override readonly name = 'ForbiddenAddressError';
  readonly code = 'GRIDHOOK_FORBIDDEN_ADDRESS';
}

/** A host name that did not resolve. */
export class LookupFailedError extends Error {
  override readonly name = 'LookupFailedError';
  readonly code = 'GRIDHOOK_DNS_FAILED';
}

export interface GuardedConnectorOptions {
  policy: UrlPolicy;
  connectTimeoutMs: number;
  lookup?: LookupFunction;
}

/**
 * An undici connector that resolves the host itself and checks every address
 * against the policy before connecting, then connects to the very address it
 * checked. Checking all addresses (not just the one used) means a name cannot
 * mix a public and a private answer; connecting to the checked address means
 * a second lookup cannot return something else (DNS rebinding). TLS still
 * verifies the certificate against the original host name.
 */
export function createGuardedConnector(options: GuardedConnectorOptions): buildConnector.connector {
  const connect = buildConnector({ timeout: options.connectTimeoutMs });
  const lookup = options.lookup ?? systemLookup;
  const { policy } = options;

  return (target, callback) => {
    const { hostname } = target;
    if (isIP(hostname) !== 0) {
      const reason = isForbiddenAddress(hostname, policy);
      if (reason !== null) {
        const message = `refused to connect to ${hostname}: not a public address (${reason})`;
        callback(new ForbiddenAddressError(message), null);
        return;
      }
      connect(target, callback);
      return;
    }

    lookup(hostname).then(
      (addresses) => {
        if (addresses.length === 0) {
          callback(new LookupFailedError(`DNS lookup of ${hostname} found no address`), null);
          return;
        }
        for (const { address } of addresses) {
          const reason = isForbiddenAddress(address, policy);
          if (reason !== null) {
            callback(
              new ForbiddenAddressError(
                `refused to connect to ${hostname}: it resolves to ${address}, not a public address (${reason})`,
              ),
              null,
            );
            return;
          }
        }
        const chosen = addresses[0]!.address;
        connect({ ...target, hostname: chosen, servername: target.servername || hostname }, callback);
      },
      (error: NodeJS.ErrnoException) => {
        const code = error.code ? ` (${error.code})` : '';
        callback(new LookupFailedError(`DNS lookup of ${hostname} failed${code}`, { cause: error }), null);
      },
    );
  };
}
