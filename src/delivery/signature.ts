/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): a receiver
 * verifies `webhook-signature` with any Standard Webhooks library and the
 * callback's `whsec_` secret.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { CallbackSecrets } from '../store/store.js';

const SECRET_PREFIX = 'whsec_';

export interface SignatureHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** A new signing secret: `whsec_` + base64 of 24 random bytes (192 bits). */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(24).toString('base64');
}

const KEY_CACHE_LIMIT = 10_000;
const keys = new Map<string, Buffer>();

/** The HMAC key a secret stands for: the base64 after the `whsec_` prefix. */
export function secretKey(secret: string): Buffer {
  let key = keys.get(secret);
  if (key === undefined) {
    key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
    // Every attempt signs, and most go to callbacks signed a moment ago.
    if (keys.size >= KEY_CACHE_LIMIT) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

/** One `v1,<base64>` signature of `${id}.${timestamp}.${body}`. */
export function computeSignature(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/**
 * The three headers for one attempt. The id is the event's webhook-id, the
 * same on every retry and never reused by another event (not even after a
 * restore from backup), so receivers can de-duplicate on it. During a rotation's
 * grace period the body is signed with both secrets (space-separated, as the
 * spec allows), so a receiver still holding the old secret keeps verifying.
 */
export function signatureHeaders(
  id: string,
  body: string,
  secrets: CallbackSecrets,
  now: number,
): SignatureHeaders {
  const timestamp = Math.floor(now / 1000);
  let signature = computeSignature(secrets.secret, id, timestamp, body);
  if (
    secrets.previousSecret !== null &&
    secrets.previousSecretExpiresAt !== null &&
    secrets.previousSecretExpiresAt > now
  ) {
    signature += ` ${computeSignature(secrets.previousSecret, id, timestamp, body)}`;
  }
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
}
