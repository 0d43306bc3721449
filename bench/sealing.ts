/**
 * The bench seeds callbacks straight into the store, so it seals their
 * signing secrets itself, with a key every gridhook it starts is given.
 */
import { randomBytes } from 'node:crypto';
import { generateSecret } from '../src/delivery/signature.js';
import { createSecretBox } from '../src/services/secrets-crypto.js';
import type { NewCallback } from '../src/store/store.js';

const key = randomBytes(32);

/** GRIDHOOK_ENCRYPTION_KEY for every gridhook of this run. */
export const BENCH_ENCRYPTION_KEY = key.toString('base64');

const box = createSecretBox(key);

/** A new callback's seal: a fresh signing secret, no credentials. */
export function sealNewSecret(): NewCallback['seal'] {
  const secret = generateSecret();
  return (callbackId) => ({
    secret: box.seal(secret, { callbackId, field: 'signing-secret' }),
    basicAuth: null,
    customHeaders: null,
  });
}
