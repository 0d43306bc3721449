import type { DeliveryJob } from '../../src/store/store.js';
import { testBox } from './sealing.js';

/** The signing secret of makeJob's jobs, before it is sealed. */
export const TEST_SIGNING_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/**
 * A DeliveryJob as a claim would return it, for tests of the sender and the
 * outcome rules; its secret is sealed with testBox for the job's callback.
 */
export function makeJob(overrides: Partial<DeliveryJob> = {}): DeliveryJob {
  const callbackId = overrides.callbackId ?? 7001;
  return {
    eventId: 900123,
    webhookId: 'evt_0123456789abcdef0123456789abcdef',
    callbackId,
    eventType: 'InBox',
    networkId: 1,
    mailboxId: 54321,
    ecGridId: 111111,
    parcelId: 98765,
    fileName: '850_order.edi',
    isTest: false,
    subjectCallbackId: null,
    createdAt: Date.UTC(2026, 4, 7, 14, 32, 0, 456),
    attempts: 0,
    maxAttempts: 4,
    url: 'http://127.0.0.1:9/',
    frequency: 1,
    retrySchedule: null,
    secrets: {
      secret: testBox.seal(TEST_SIGNING_SECRET, { callbackId, field: 'signing-secret' }),
      previousSecret: null,
      previousSecretExpiresAt: null,
    },
    leaseOwner: 'test-worker',
    leaseUntil: Date.now() + 60_000,
    ...overrides,
  };
}
