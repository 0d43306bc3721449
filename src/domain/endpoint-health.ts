/**
 * Endpoint health: when gridhook stops sending to a receiver on its own, and
 * how a callback's health reads. Shared by the delivery engine (which sees
 * the answers), the health job (which suspends on time) and the services
 * (which answer it).
 *
 * A callback is `failing` from its first failed attempt after a success (or
 * ever) until its next success. Failing without one success for the network's
 * auto-suspend period suspends it; a receiver answering 410 Gone suspends it
 * at once, as Standard Webhooks advises. Either way its Pending events are
 * kept (not canceled) and go out when it is activated again.
 */
import type { Callback, EndpointHealth } from './types.js';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** GRIDHOOK_AUTO_SUSPEND_AFTER's default: five days. */
export const DEFAULT_AUTO_SUSPEND_AFTER_MS = 5 * DAY_MS;
/** Shortest auto-suspend period a network may set (seconds): a minute. */
export const MIN_AUTO_SUSPEND_AFTER_SECONDS = 60;
/** Longest (seconds): a year. */
export const MAX_AUTO_SUSPEND_AFTER_SECONDS = 366 * 24 * 60 * 60;

export function endpointHealth(callback: Pick<Callback, 'status' | 'failingSince' | 'suspendedByGridhookAt'>): EndpointHealth {
  if (callback.status === 'Suspended' && callback.suspendedByGridhookAt !== null) return 'suspended-by-gridhook';
  return callback.failingSince === null ? 'healthy' : 'failing';
}

/** A receiver that answers 410 Gone says the endpoint is gone for good. */
export function suspendsAtOnce(httpStatus: number | null): boolean {
  return httpStatus === 410;
}

export function goneReason(url: string): string {
  return `the receiver answered 410 Gone (${url.length > 200 ? `${url.slice(0, 200)}…` : url})`;
}

export function failingTooLongReason(failingSince: number, afterMs: number): string {
  return `every attempt failed since ${new Date(failingSince).toISOString()}, longer than ${formatPeriod(afterMs)}`;
}

function formatPeriod(ms: number): string {
  if (ms % DAY_MS === 0) return `${ms / DAY_MS} day${ms === DAY_MS ? '' : 's'}`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}
