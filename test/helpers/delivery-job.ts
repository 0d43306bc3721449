import type { DeliveryJob } from '../../src/store/store.js';

/** A DeliveryJob as a claim would return it, for tests of the sender and the outcome rules. */
export function makeJob(overrides: Partial<DeliveryJob> = {}): DeliveryJob {
  return {
    eventId: 900123,
    webhookId: 'evt_0123456789abcdef0123456789abcdef',
    callbackId: 7001,
    eventType: 'InBox',
    networkId: 1,
    mailboxId: 54321,
    ecGridId: 111111,
    parcelId: 98765,
    fileName: '850_order.edi',
    isTest: false,
    createdAt: Date.UTC(2026, 4, 7, 14, 32, 0, 456),
    attempts: 0,
    maxAttempts: 4,
    url: 'http://127.0.0.1:9/',
    frequency: 1,
    secrets: { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', previousSecret: null, previousSecretExpiresAt: null },
    leaseOwner: 'test-worker',
    leaseUntil: Date.now() + 60_000,
    ...overrides,
  };
}
