/**
 * What a callback update does beyond the fields it names, the same on both
 * stores: activating a suspended callback starts its health afresh (else the
 * health job would suspend it again at once) and may cancel the events a
 * suspension by gridhook kept; a user's suspension cancels pending events and
 * is the user's, not gridhook's.
 */
import type { CallbackRow } from './rows.js';
import type { CallbackPatch } from './store.js';

export interface HealthColumns {
  failingSince: number | null;
  suspendedByGridhookAt: number | null;
  suspendReason: string | null;
  pausedUntil: number | null;
}

export function healthAfter(current: CallbackRow, patch: CallbackPatch): HealthColumns {
  // Suspending a callback gridhook suspended makes the suspension the user's (and cancels its events).
  const changesStatus = patch.status === 'Suspended' || (patch.status !== undefined && patch.status !== current.status);
  if (!changesStatus) {
    return {
      failingSince: current.failing_since,
      suspendedByGridhookAt: current.suspended_by_gridhook_at,
      suspendReason: current.suspend_reason,
      pausedUntil: current.paused_until,
    };
  }
  return { failingSince: null, suspendedByGridhookAt: null, suspendReason: null, pausedUntil: null };
}

export function cancelsPending(current: CallbackRow, patch: CallbackPatch): boolean {
  if (patch.status === 'Suspended') return true;
  return patch.status === 'Active' && current.status === 'Suspended' && patch.keptEvents === 'cancel';
}
