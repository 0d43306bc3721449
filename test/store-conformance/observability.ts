/**
 * What observability needs of a store: the queue figures behind
 * gridhook_queue_pending and gridhook_queue_oldest_pending_seconds, and the
 * publisher's (or parcel upload's, or confirm's) traceparent kept with each
 * event. Called by describeStoreConformance, so both stores answer alike.
 */
import { describe, expect } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { attempt, claimAll, eventInput, LEASE_MS, newCallback, publishTo, T0 } from './fixtures.js';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const CONFIRM_TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

type Test = (group: string) => (title: string, fn: () => Promise<void>) => void;

export function describeObservabilityConformance(store: () => Store, test: Test): void {
  describe('queue stats', () => {
    const t = test('queue stats');

    t('an empty queue has nothing pending and no oldest event', async () => {
      expect(await store().queueStats()).toEqual({ pending: 0, oldestPendingAt: null });
    });

    t('counts Pending events only, and the oldest is the first created still pending', async () => {
      const s = store();
      const callback = await s.createCallback(newCallback({ retries: 0 }), T0);
      const [first, second] = await publishTo(s, callback.callbackId, 2, T0);
      await publishTo(s, callback.callbackId, 1, T0 + 5_000);
      expect(await s.queueStats()).toEqual({ pending: 3, oldestPendingAt: T0 });

      const jobs = await claimAll(s, 'w1', T0 + 6_000);
      const byId = new Map(jobs.map((job) => [job.eventId, job]));
      await s.recordAttempts([
        attempt(byId.get(first as number)!, 'Delivered'),
        attempt(byId.get(second as number)!, 'Failed'),
      ]);
      // Leased events are still Pending: they wait for their outcome.
      expect(await s.queueStats()).toEqual({ pending: 1, oldestPendingAt: T0 + 5_000 });
    });
  });

  describe('traceparent', () => {
    const t = test('traceparent');

    t('a published event carries the traceparent it was published under to its claimed job', async () => {
      const s = store();
      await s.createCallback(newCallback(), T0);
      await s.publishEvents([eventInput()], { now: T0, traceparent: TRACEPARENT });
      await s.publishEvents([eventInput()], { now: T0 });
      const jobs = await claimAll(s, 'w1', T0);
      expect(jobs.map((job) => job.traceparent)).toEqual([TRACEPARENT, null]);
    });

    t('a test event carries its traceparent too', async () => {
      const s = store();
      const callback = await s.createCallback(newCallback(), T0);
      const job = await s.createTestEvent(callback.callbackId, {
        workerId: 'w1',
        now: T0,
        leaseMs: LEASE_MS,
        perCallbackLimit: 4,
        traceparent: TRACEPARENT,
      });
      expect(job?.traceparent).toBe(TRACEPARENT);
    });

    t("a routed parcel's events carry the upload's traceparent, and a confirm's event the confirm's", async () => {
      const s = store();
      const sender = await s.createMailbox(1, 'Sender');
      const recipient = await s.createMailbox(1, 'Recipient');
      const from = await s.createEcGridId({ mailboxId: sender.mailboxId, qualifier: 'ZZ', id: 'SENDER', description: '' });
      const to = await s.createEcGridId({ mailboxId: recipient.mailboxId, qualifier: 'ZZ', id: 'RECEIVER', description: '' });
      for (const eventType of ['InBox', 'OutBox', 'ConfirmDelivery'] as const) {
        await s.createCallback(newCallback({ eventType }), T0);
      }
      const parcelId = await s.beginParcel(T0);
      await s.appendParcelChunk(parcelId, 0, Buffer.from('ISA*00*'));
      await s.finishParcel({
        parcelId,
        fileName: 'order.x12',
        networkId: 1,
        senderMailboxId: sender.mailboxId,
        senderEcGridId: from.ecGridId,
        recipientEcGridId: to.ecGridId,
        failure: null,
        standard: 'X12',
        controlNumber: '000000001',
        now: T0,
        traceparent: TRACEPARENT,
      });
      await s.confirmParcel(parcelId, T0, CONFIRM_TRACEPARENT);
      const jobs = await claimAll(s, 'w1', T0);
      expect(jobs.map((job) => [job.eventType, job.traceparent]).sort()).toEqual([
        ['ConfirmDelivery', CONFIRM_TRACEPARENT],
        ['InBox', TRACEPARENT],
        ['OutBox', TRACEPARENT],
      ]);
    });
  });
}
