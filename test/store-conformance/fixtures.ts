/** Builders and waits shared by the conformance suite; they use only the Store contract. */
import { expect } from 'vitest';
import type { EventInput } from '../../src/domain/types.js';
import type { ErrorCode } from '../../src/errors.js';
import { GridhookError } from '../../src/errors.js';
import type { AttemptResult, DeliveryJob, NewCallback, SealedCallbackValues, Store } from '../../src/store/store.js';

/** A fixed "now" far from the real clock, so nothing can pass by accident on Date.now(). */
export const T0 = 1_800_000_000_000;
export const LEASE_MS = 30_000;

/**
 * A new callback. The store keeps sealed values opaque, so the fixture's
 * "sealed" values are plain strings the tests can compare.
 */
export function newCallback(overrides: Partial<NewCallback> & Partial<SealedCallbackValues> = {}): NewCallback {
  const { secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', basicAuth = null, customHeaders = null, ...fields } = overrides;
  return {
    networkId: 1,
    mailboxId: 0,
    ecGridId: 0,
    url: 'https://receiver.example/hooks/gridhook',
    eventType: 'InBox',
    frequency: 1,
    retries: 3,
    status: 'Active',
    seal: () => ({ secret, basicAuth, customHeaders }),
    ...fields,
  };
}

export function eventInput(overrides: Partial<EventInput> = {}): EventInput {
  return {
    networkId: 1,
    mailboxId: 1,
    ecGridId: 0,
    eventType: 'InBox',
    parcelId: 1,
    fileName: 'parcel.edi',
    ...overrides,
  };
}

export function attempt(
  job: Pick<DeliveryJob, 'eventId' | 'leaseOwner'>,
  outcome: AttemptResult['outcome'],
  overrides: Partial<AttemptResult> = {},
): AttemptResult {
  const failed = outcome !== 'Delivered';
  return {
    eventId: job.eventId,
    workerId: job.leaseOwner,
    startedAt: T0 + 10,
    durationMs: 25,
    httpStatus: failed ? 503 : 200,
    error: failed ? 'HTTP 503' : null,
    outcome,
    nextAttemptAt: outcome === 'Retry' ? T0 + 60_000 : null,
    ...overrides,
  };
}

/** Publishes `count` events to one callback and answers their ids. */
export async function publishTo(store: Store, callbackId: number, count: number, now = T0): Promise<number[]> {
  const callback = await store.getCallback(callbackId);
  if (!callback) throw new Error(`callback ${callbackId} is missing`);
  const inputs = Array.from({ length: count }, (_, i) =>
    eventInput({
      networkId: callback.networkId,
      mailboxId: callback.mailboxId || 1,
      ecGridId: callback.ecGridId,
      eventType: callback.eventType,
      parcelId: i + 1,
    }),
  );
  const result = await store.publishEvents(inputs, { now });
  return result.eventIds;
}

/** Claims everything due for one worker with generous limits. */
export function claimAll(store: Store, workerId: string, now = T0, perCallbackLimit = 1_000): Promise<DeliveryJob[]> {
  return store.claimDueEvents({ workerId, now, leaseMs: LEASE_MS, limit: 1_000, perCallbackLimit });
}

export async function expectGridhookError(promise: Promise<unknown>, code: ErrorCode): Promise<GridhookError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected GridhookError ${code}, but the call succeeded`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GridhookError);
  expect((error as GridhookError).code).toBe(code);
  return error as GridhookError;
}

/** Waits for `condition` without depending on how soon a store signals (in-process or over the network). */
export async function waitUntil(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
