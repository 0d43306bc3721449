/** Sealing for tests that build jobs or callbacks without a running gridhook. */
import { createSecretBox, type SealBinding } from '../../src/services/secrets-crypto.js';
import type { NewCallback } from '../../src/store/store.js';

/** GRIDHOOK_ENCRYPTION_KEY for test processes whose callbacks a test seeds itself. */
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 0x5e).toString('base64');

export const testBox = createSecretBox(Buffer.from(TEST_ENCRYPTION_KEY, 'base64'));

/** The sender's openSealed for values sealed by testBox. */
export const openWithTestBox = (sealed: string, binding: SealBinding): string => testBox.open(sealed, binding);

/** A seal for store.createCallback that seals `secret` with testBox, as the services would. */
export function sealedWithTestBox(secret: string): NewCallback['seal'] {
  return (callbackId) => ({
    secret: testBox.seal(secret, { callbackId, field: 'signing-secret' }),
    basicAuth: null,
    customHeaders: null,
  });
}
