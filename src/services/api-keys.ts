import { createHash, randomBytes } from 'node:crypto';

/** API keys are stored only as their SHA-256; the key itself is shown once, when made. */
export interface GeneratedApiKey {
  key: string;
  hash: string;
  /** Enough of the key for an operator to tell keys apart, never enough to use one. */
  prefix: string;
}

const KEY_PREFIX = 'gh_';

export function generateApiKey(): GeneratedApiKey {
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, hash: hashApiKey(key), prefix: key.slice(0, 8) };
}

/**
 * A fast hash is enough here, unlike for passwords: the key carries 256 random
 * bits, so there is nothing to brute-force, and every request pays this cost.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
