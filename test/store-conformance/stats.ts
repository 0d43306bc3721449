/**
 * What the console reads, in the conformance suite: the overview's counts,
 * callback health, and the event filters its pages use. Called by
 * describeStoreConformance, so both stores must count, bucket, rank and
 * filter alike.
 */
import { describe, expect } from 'vitest';
import { COUNT_AHEAD } from '../../src/domain/paging.js';
import { HEALTH_SAMPLE_EVENTS, type Store } from '../../src/store/store.js';
import { attempt, claimAll, eventInput, newCallback, publishTo, T0 } from './fixtures.js';

type Test = (group: string) => (title: string, fn: () => Promise<void>) => void;

const MINUTE = 60_000;

export function describeStatsConformance(store: () => Store, test: Test): void {
  /**
   * Callback A (mailbox 1): 3 delivered in minute 0 with durations 10, 20, 30;
   * 2 failed in minute 1 (HTTP 503, 40 and 50 ms); 1 still pending.
   * Callback B (mailbox 2): 1 failed (no HTTP status), 1 pending.
   */
  async function history(s: Store) {
    const second = await s.createMailbox(1, 'Second');
    const a = await s.createCallback(newCallback({ mailboxId: 1 }), T0);
    const b = await s.createCallback(newCallback({ mailboxId: second.mailboxId, eventType: 'OutBox' }), T0);
    await publishTo(s, a.callbackId, 6, T0);
    await publishTo(s, b.callbackId, 2, T0 + 5 * MINUTE);
    const jobs = await claimAll(s, 'w1', T0 + 10 * MINUTE);
    const ofA = jobs.filter((j) => j.callbackId === a.callbackId).sort((x, y) => x.eventId - y.eventId);
    const ofB = jobs.filter((j) => j.callbackId === b.callbackId).sort((x, y) => x.eventId - y.eventId);
    const base = T0 + 20 * MINUTE;
    await s.recordAttempts([
      ...[10, 20, 30].map((durationMs, i) =>
        attempt(ofA[i]!, 'Delivered', { startedAt: base + i, durationMs }),
      ),
      ...[40, 50].map((durationMs, i) =>
        attempt(ofA[3 + i]!, 'Failed', { startedAt: base + MINUTE + i, durationMs }),
      ),
      attempt(ofB[0]!, 'Failed', { startedAt: base + MINUTE + 5, durationMs: 7, httpStatus: null, error: 'refused' }),
    ]);
    return { a, b, second, base };
  }

  describe('statistics', () => {
    const t = test('statistics');

    t('overviewCounts counts finished events per minute and outcome, the queue, and the most failing callbacks', async () => {
      const s = store();
      const { a, b, base } = await history(s);
      const counts = await s.overviewCounts({}, T0, T0 + 3 * MINUTE, 5);
      const total = (status: string) =>
        counts.finished.filter((f) => f.status === status).reduce((sum, f) => sum + f.count, 0);
      expect(total('Delivered')).toBe(3);
      expect(total('Failed')).toBe(3);
      for (const f of counts.finished) expect(f.minute % MINUTE).toBe(0);
      expect(counts.finished.map((f) => f.minute).every((m) => m >= base - MINUTE && m <= base + 2 * MINUTE)).toBe(true);
      expect(counts.pending).toBe(2);
      expect(counts.pendingRecent).toBe(1);
      expect(counts.oldestPendingAt).toBe(T0);
      expect(counts.failing).toEqual([
        { callbackId: a.callbackId, failed: 2 },
        { callbackId: b.callbackId, failed: 1 },
      ]);
      const top = await s.overviewCounts({}, T0, T0, 1);
      expect(top.failing).toEqual([{ callbackId: a.callbackId, failed: 2 }]);
      const later = await s.overviewCounts({}, base + 10 * MINUTE, T0, 5);
      expect(later.finished).toEqual([]);
      expect(later.failing).toEqual([]);
    });

    t('overviewCounts keeps to the scope it is given', async () => {
      const s = store();
      const { b, second } = await history(s);
      const counts = await s.overviewCounts({ networkId: 1, mailboxId: second.mailboxId }, T0, T0, 5);
      expect(counts.finished.reduce((sum, f) => sum + f.count, 0)).toBe(1);
      expect(counts.pending).toBe(1);
      expect(counts.oldestPendingAt).toBe(T0 + 5 * MINUTE);
      expect(counts.failing).toEqual([{ callbackId: b.callbackId, failed: 1 }]);
      const ofB = await s.overviewCounts({ callbackId: b.callbackId }, T0, T0, 5);
      expect(ofB.failing).toEqual([{ callbackId: b.callbackId, failed: 1 }]);
      expect(ofB.pending).toBe(1);
      const elsewhere = await s.overviewCounts({ networkId: 99 }, T0, T0, 5);
      expect(elsewhere).toEqual({ finished: [], pending: 0, pendingRecent: 0, oldestPendingAt: null, failing: [] });
    });

    t('callbackHealth answers attempts, successes, p95 latency, last status and counts, in the order asked', async () => {
      const s = store();
      const { a, b, base } = await history(s);
      const [ofB, ofA, none] = await s.callbackHealth([b.callbackId, a.callbackId, 9_999], T0);
      expect(ofA).toEqual({
        callbackId: a.callbackId,
        attempts: 5,
        succeeded: 3,
        p95DurationMs: 50,
        lastHttpStatus: 503,
        lastAttemptAt: base + MINUTE + 1,
        pending: 1,
        failed: 2,
      });
      expect(ofB).toEqual({
        callbackId: b.callbackId,
        attempts: 1,
        succeeded: 0,
        p95DurationMs: 7,
        lastHttpStatus: null,
        lastAttemptAt: base + MINUTE + 5,
        pending: 1,
        failed: 1,
      });
      expect(none).toEqual({
        callbackId: 9_999,
        attempts: 0,
        succeeded: 0,
        p95DurationMs: null,
        lastHttpStatus: null,
        lastAttemptAt: null,
        pending: 0,
        failed: 0,
      });
      const [recent] = await s.callbackHealth([a.callbackId], base + MINUTE);
      expect(recent).toMatchObject({ attempts: 2, succeeded: 0, p95DurationMs: 50, pending: 1, failed: 2 });
      expect(await s.callbackHealth([], T0)).toEqual([]);
    });

    t("callbackHealth reads the attempts of only the callback's latest HEALTH_SAMPLE_EVENTS events", async () => {
      const s = store();
      const c = await s.createCallback(newCallback({ retries: 0 }), T0);
      const older = 20;
      await publishTo(s, c.callbackId, HEALTH_SAMPLE_EVENTS + older, T0);
      const jobs = (await claimAll(s, 'w1', T0 + MINUTE)).sort((x, y) => x.eventId - y.eventId);
      expect(jobs).toHaveLength(HEALTH_SAMPLE_EVENTS + older);
      const base = T0 + 2 * MINUTE;
      await s.recordAttempts(
        jobs.map((job, i) =>
          i < older
            ? attempt(job, 'Failed', { startedAt: base + i, durationMs: 1_000 })
            : attempt(job, 'Delivered', { startedAt: base + i, durationMs: 10 }),
        ),
      );
      const [health] = await s.callbackHealth([c.callbackId], T0);
      expect(health).toMatchObject({ attempts: HEALTH_SAMPLE_EVENTS, succeeded: HEALTH_SAMPLE_EVENTS, p95DurationMs: 10, failed: older });
    });

    t('listEvents filters by event type and by parcel', async () => {
      const s = store();
      await s.createCallback(newCallback({ eventType: 'InBox' }), T0);
      await s.createCallback(newCallback({ eventType: 'OutBox' }), T0);
      await s.publishEvents(
        [
          eventInput({ eventType: 'InBox', parcelId: 7 }),
          eventInput({ eventType: 'OutBox', parcelId: 7 }),
          eventInput({ eventType: 'InBox', parcelId: 8 }),
        ],
        { now: T0 },
      );
      const page = { pageNo: 1, recordsPerPage: 10 };
      const outBox = await s.listEvents({ eventType: 'OutBox' }, page);
      expect(outBox.items.map((e) => [e.eventType, e.parcelId])).toEqual([['OutBox', 7]]);
      const ofSeven = await s.listEvents({ parcelId: 7 }, page);
      expect(ofSeven.totalRecords).toBe(2);
      expect(ofSeven.items.every((e) => e.parcelId === 7)).toBe(true);
      const both = await s.listEvents({ parcelId: 8, eventType: 'InBox' }, page);
      expect(both.items.map((e) => e.parcelId)).toEqual([8]);
    });

    t('listEvents filters by creation time, and retryFailedEvents retries only the Failed events created in a range', async () => {
      const s = store();
      const callback = await s.createCallback(newCallback({ retries: 0 }), T0);
      const [early] = await publishTo(s, callback.callbackId, 1, T0);
      const [late] = await publishTo(s, callback.callbackId, 1, T0 + 10 * MINUTE);
      const page = { pageNo: 1, recordsPerPage: 10 };
      const ids = async (filter: Parameters<Store['listEvents']>[0]) =>
        (await s.listEvents(filter, page)).items.map((e) => e.eventId);
      expect(await ids({ createdFrom: T0 + 10 * MINUTE })).toEqual([late]);
      expect(await ids({ createdBefore: T0 + 10 * MINUTE })).toEqual([early]);
      expect(await ids({ createdFrom: T0 + 1, createdBefore: T0 + 10 * MINUTE })).toEqual([]);

      const jobs = await claimAll(s, 'w1', T0 + 20 * MINUTE);
      await s.recordAttempts(jobs.map((job) => attempt(job, 'Failed', { startedAt: T0 + 20 * MINUTE })));
      expect(await s.retryFailedEvents(callback.callbackId, T0 + 30 * MINUTE, { from: T0 + 5 * MINUTE })).toBe(1);
      expect((await s.getEvent(late!))?.status).toBe('Pending');
      expect((await s.getEvent(early!))?.status).toBe('Failed');
      expect(await s.retryFailedEvents(callback.callbackId, T0 + 30 * MINUTE, { before: T0 + 5 * MINUTE })).toBe(1);
      expect((await s.getEvent(early!))?.status).toBe('Pending');
    });

    t('listEvents counts no further than the page and COUNT_AHEAD more, and says when the total is a lower bound', async () => {
      const s = store();
      const callback = await s.createCallback(newCallback(), T0);
      const all = COUNT_AHEAD + 35;
      for (let done = 0; done < all; done += 500) await publishTo(s, callback.callbackId, Math.min(500, all - done), T0 + done);
      const first = await s.listEvents({ callbackId: callback.callbackId }, { pageNo: 1, recordsPerPage: 10 });
      expect(first).toMatchObject({ totalRecords: COUNT_AHEAD + 10, totalRecordsExact: false });
      expect(first.items).toHaveLength(10);
      // Further in, the bound moves with the page, so it always lies past the page while more follow.
      const third = await s.listEvents({ callbackId: callback.callbackId }, { pageNo: 3, recordsPerPage: 10 });
      expect(third).toMatchObject({ totalRecords: COUNT_AHEAD + 30, totalRecordsExact: false });
      const fourth = await s.listEvents({ callbackId: callback.callbackId }, { pageNo: 4, recordsPerPage: 10 });
      expect(fourth).toMatchObject({ totalRecords: all, totalRecordsExact: true });
      const exact = await s.listEvents({ callbackId: callback.callbackId }, { pageNo: 1, recordsPerPage: 1, exactTotal: true });
      expect(exact).toMatchObject({ totalRecords: all, totalRecordsExact: true });
      const lastBatch = await s.listEvents({ callbackId: callback.callbackId, createdFrom: T0 + 1000 }, { pageNo: 1, recordsPerPage: 10 });
      expect(lastBatch).toMatchObject({ totalRecords: 35, totalRecordsExact: true });
    });

    t('listEvents pages by position: after a cursor, the next events newest first, none twice or missed', async () => {
      const s = store();
      const callback = await s.createCallback(newCallback(), T0);
      // Pairs created in the same millisecond: the id breaks the tie, as in the list's order.
      const ids: number[] = [];
      for (let i = 0; i < 7; i++) ids.push(...(await publishTo(s, callback.callbackId, 2, T0 + i * 1000)));
      const newestFirst = [...ids].sort((a, b) => b - a);
      const seen: number[] = [];
      let after: { createdAt: number; id: number } | undefined;
      for (;;) {
        const page = await s.listEvents(
          { callbackId: callback.callbackId },
          { pageNo: 1, recordsPerPage: 3, ...(after && { after }) },
        );
        seen.push(...page.items.map((e) => e.eventId));
        const last = page.items.at(-1);
        if (after === undefined) expect(page.totalRecords).toBe(14);
        else expect(page.totalRecords).toBe(Math.min(4, 14 - seen.length + page.items.length));
        if (!last || page.totalRecords <= page.items.length) break;
        after = { createdAt: last.createdAt, id: last.eventId };
      }
      expect(seen).toEqual(newestFirst);
      const none = await s.listEvents({}, { pageNo: 1, recordsPerPage: 3, after: { createdAt: T0 - 1, id: 1 } });
      expect(none).toMatchObject({ totalRecords: 0, totalRecordsExact: true, items: [] });
    });

    t('overviewCounts counts finished events from finishedSince, and failing callbacks from since', async () => {
      const s = store();
      const { base } = await history(s);
      const all = await s.overviewCounts({}, T0, T0, 5);
      const lastMinute = await s.overviewCounts({}, T0, T0, 5, base + MINUTE);
      expect(lastMinute.finished.map((f) => [f.minute - T0, f.status, f.count])).toEqual(
        all.finished.filter((f) => f.minute >= base + MINUTE).map((f) => [f.minute - T0, f.status, f.count]),
      );
      expect(lastMinute.finished.length).toBeLessThan(all.finished.length);
      expect(lastMinute.failing).toEqual(all.failing);
    });
  });
}
