/**
 * Delivery policies in the conformance suite: retry schedules, endpoint
 * health (failing since, suspension by gridhook with its CallBackSuspended
 * notices, a receiver's pause), networks' auto-suspend periods and replay
 * jobs. Called by describeStoreConformance, so both stores behave alike.
 */
import { describe, expect } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { attempt, claimAll, newCallback, publishTo, T0 } from './fixtures.js';

type Test = (group: string) => (title: string, fn: () => Promise<void>) => void;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function describeDeliveryPoliciesConformance(store: () => Store, test: Test): void {
  describe('retry schedules', () => {
    const t = test('retry schedules');

    t('keeps a callback’s schedule, hands it to claimed jobs, and drops it on null', async () => {
      const s = store();
      const schedule = [5, 300, 1800, 7200, 18000, 36000, 36000];
      const callback = await s.createCallback(newCallback({ retrySchedule: schedule, retries: schedule.length }), T0);
      expect(callback).toMatchObject({ retrySchedule: schedule, retries: 7 });
      expect((await s.getCallback(callback.callbackId))?.retrySchedule).toEqual(schedule);
      await publishTo(s, callback.callbackId, 1);
      const [job] = await claimAll(s, 'w1');
      expect(job?.retrySchedule).toEqual(schedule);
      expect(job?.maxAttempts).toBe(8);

      const plain = await s.createCallback(newCallback(), T0);
      expect(plain.retrySchedule).toBeNull();
      const dropped = await s.updateCallback(callback.callbackId, { retrySchedule: null, retries: 3 }, T0 + 1);
      expect(dropped).toMatchObject({ retrySchedule: null, retries: 3 });
    });
  });

  describe('endpoint health', () => {
    const t = test('endpoint health');

    t('a failure starts failingSince, a later failure keeps it, a success ends it', async () => {
      const s = store();
      const callback = await s.createCallback(newCallback(), T0);
      await publishTo(s, callback.callbackId, 3);
      const jobs = await claimAll(s, 'w1');
      expect((await s.getCallback(callback.callbackId))?.failingSince).toBeNull();

      await s.recordAttempts([attempt(jobs[0]!, 'Retry', { startedAt: T0 + 100 })]);
      expect((await s.getCallback(callback.callbackId))?.failingSince).toBe(T0 + 100);
      await s.recordAttempts([attempt(jobs[1]!, 'Failed', { startedAt: T0 + 200 })]);
      expect((await s.getCallback(callback.callbackId))?.failingSince).toBe(T0 + 100);
      await s.recordAttempts([attempt(jobs[2]!, 'Delivered', { startedAt: T0 + 300 })]);
      expect((await s.getCallback(callback.callbackId))?.failingSince).toBeNull();
    });

    t('a deferred attempt is logged without using a retry, and a pause holds the whole callback', async () => {
      const s = store();
      const callback = await s.createCallback(newCallback({ retries: 1 }), T0);
      const [first, second] = await publishTo(s, callback.callbackId, 2);
      const jobs = await claimAll(s, 'w1', T0, 1);
      expect(jobs.map((j) => j.eventId)).toEqual([first]);
      const until = T0 + 60_000;
      await s.recordAttempts([
        attempt(jobs[0]!, 'Deferred', { httpStatus: 429, error: 'HTTP 429', nextAttemptAt: until, pauseCallbackUntil: until }),
      ]);
      const event = await s.getEvent(first!);
      expect(event).toMatchObject({ status: 'Pending', attempts: 1, callsRemaining: 2, nextAttemptAt: until });
      expect(await s.listAttempts(first!)).toHaveLength(1);
      expect((await s.getCallback(callback.callbackId))?.pausedUntil).toBe(until);

      // The other event was due all along; the pause holds it too.
      expect(await claimAll(s, 'w1', T0 + 1_000)).toEqual([]);
      const after = await claimAll(s, 'w1', until);
      expect(after.map((j) => j.eventId).sort()).toEqual([first, second].sort());
    });

    t('suspending by gridhook keeps pending events and tells subscribed callbacks of its network', async () => {
      const s = store();
      const other = await s.createNetwork('Other');
      const gone = await s.createCallback(newCallback({ mailboxId: 1 }), T0);
      const watcher = await s.createCallback(newCallback({ eventType: 'CallBackSuspended' }), T0);
      const mailboxWatcher = await s.createCallback(newCallback({ eventType: 'CallBackSuspended', mailboxId: 1 }), T0);
      await s.createCallback(newCallback({ eventType: 'CallBackSuspended', networkId: other.networkId }), T0);
      await s.createCallback(newCallback({ eventType: 'CallBackSuspended', status: 'Suspended' }), T0);
      const ids = await publishTo(s, gone.callbackId, 3);
      await claimAll(s, 'w1', T0);

      const suspended = await s.suspendCallbackByGridhook(gone.callbackId, 'the receiver answered 410 Gone', T0 + 10);
      expect(suspended?.callback).toMatchObject({
        status: 'Suspended',
        suspendedByGridhookAt: T0 + 10,
        suspendReason: 'the receiver answered 410 Gone',
      });
      expect(suspended?.keptEvents).toBe(3);
      expect(suspended?.noticeEventIds).toHaveLength(2);
      for (const id of ids) expect((await s.getEvent(id))?.status).toBe('Pending');

      const notices = await Promise.all(suspended!.noticeEventIds.map((id) => s.getEvent(id)));
      expect(notices.map((n) => n?.callbackId).sort()).toEqual([watcher.callbackId, mailboxWatcher.callbackId].sort());
      for (const notice of notices) {
        expect(notice).toMatchObject({ eventType: 'CallBackSuspended', subjectCallbackId: gone.callbackId, status: 'Pending' });
      }
      // Kept events are not claimed while suspended; the notices are.
      const claimed = await claimAll(s, 'w2', T0 + 20);
      expect(claimed.map((j) => j.eventId).sort()).toEqual([...suspended!.noticeEventIds].sort());
      expect(claimed.every((j) => j.subjectCallbackId === gone.callbackId)).toBe(true);

      expect(await s.suspendCallbackByGridhook(gone.callbackId, 'again', T0 + 30)).toBeNull();
    });

    t('activating again sends the kept events, with a fresh health; or cancels them when asked', async () => {
      const s = store();
      const a = await s.createCallback(newCallback(), T0);
      const b = await s.createCallback(newCallback({ eventType: 'OutBox' }), T0);
      const [aEvent] = await publishTo(s, a.callbackId, 1);
      const [bEvent] = await publishTo(s, b.callbackId, 1);
      const jobs = await claimAll(s, 'w1');
      await s.recordAttempts(jobs.map((job) => attempt(job, 'Retry', { nextAttemptAt: T0 + 1_000 })));
      await s.suspendCallbackByGridhook(a.callbackId, 'failing', T0 + 10);
      await s.suspendCallbackByGridhook(b.callbackId, 'failing', T0 + 10);

      const activated = await s.updateCallback(a.callbackId, { status: 'Active' }, T0 + 2_000);
      expect(activated).toMatchObject({ status: 'Active', suspendedByGridhookAt: null, suspendReason: null, failingSince: null });
      expect((await claimAll(s, 'w1', T0 + 2_000)).map((j) => j.eventId)).toContain(aEvent);

      expect((await s.getEvent(bEvent!))?.status).toBe('Pending');
      await s.updateCallback(b.callbackId, { status: 'Active', keptEvents: 'cancel' }, T0 + 2_000);
      expect((await s.getEvent(bEvent!))?.status).toBe('Canceled');
    });

    t('finds callbacks failing longer than their network allows', async () => {
      const s = store();
      const strict = await s.createNetwork('Strict', { autoSuspendAfterSeconds: 3_600 });
      expect(strict.autoSuspendAfterSeconds).toBe(3_600);
      const lenient = await s.createCallback(newCallback(), T0);
      const tight = await s.createCallback(newCallback({ networkId: strict.networkId }), T0);
      await publishTo(s, lenient.callbackId, 1);
      await publishTo(s, tight.callbackId, 1);
      const jobs = await claimAll(s, 'w1');
      await s.recordAttempts(jobs.map((job) => attempt(job, 'Retry', { startedAt: T0 })));

      const later = T0 + 2 * HOUR;
      expect((await s.callbacksFailingTooLong(later, 5 * DAY, 10)).map((c) => c.callbackId)).toEqual([tight.callbackId]);
      const found = await s.callbacksFailingTooLong(T0 + 6 * DAY, 5 * DAY, 10);
      expect(found.map((c) => [c.callbackId, c.afterMs])).toEqual(
        expect.arrayContaining([
          [lenient.callbackId, 5 * DAY],
          [tight.callbackId, HOUR],
        ]),
      );

      const relaxed = await s.updateNetwork(strict.networkId, { autoSuspendAfterSeconds: null });
      expect(relaxed?.autoSuspendAfterSeconds).toBeNull();
      expect(await s.callbacksFailingTooLong(later, 5 * DAY, 10)).toEqual([]);
      expect(await s.updateNetwork(999_999, { autoSuspendAfterSeconds: 60 })).toBeNull();
    });
  });

  describe('replays', () => {
    const t = test('replays');

    /** Ten events one second apart: 0-3 Failed, 4-6 Delivered, 7-9 Pending. */
    async function history(s: Store) {
      const callback = await s.createCallback(newCallback({ retries: 0 }), T0);
      const ids: number[] = [];
      for (let i = 0; i < 10; i += 1) ids.push(...(await publishTo(s, callback.callbackId, 1, T0 + i * 1_000)));
      const jobs = await claimAll(s, 'w1', T0 + 20_000);
      const byId = new Map(jobs.map((job) => [job.eventId, job]));
      await s.recordAttempts([
        ...ids.slice(0, 4).map((id) => attempt(byId.get(id)!, 'Failed')),
        ...ids.slice(4, 7).map((id) => attempt(byId.get(id)!, 'Delivered')),
      ]);
      await s.releaseLeases('w1');
      return { callback, ids };
    }

    t('sends matching events again in bounded batches, reporting progress', async () => {
      const s = store();
      const { callback, ids } = await history(s);
      const before = await s.getEvent(ids[1]!);
      const job = await s.createReplayJob({
        callbackId: callback.callbackId,
        since: T0 + 1_000,
        until: T0 + 6_000,
        statuses: ['Failed', 'Delivered'],
        userId: 1,
        now: T0 + 30_000,
      });
      expect(job).toMatchObject({ status: 'Running', replayed: 0, scanned: 0, statuses: ['Failed', 'Delivered'] });
      expect(await s.listRunningReplayJobs(10)).toEqual([job]);

      const first = await s.runReplayBatch(job.replayId, 2, T0 + 31_000);
      expect(first).toMatchObject({ status: 'Running', scanned: 2, replayed: 2, lastEventId: ids[2] });
      const second = await s.runReplayBatch(job.replayId, 2, T0 + 32_000);
      expect(second).toMatchObject({ status: 'Running', scanned: 4, replayed: 4, lastEventId: ids[4] });
      const last = await s.runReplayBatch(job.replayId, 2, T0 + 33_000);
      expect(last).toMatchObject({ status: 'Completed', scanned: 5, replayed: 5, finishedAt: T0 + 33_000 });
      expect(await s.listRunningReplayJobs(10)).toEqual([]);
      expect(await s.getReplayJob(job.replayId)).toEqual(last);
      expect(await s.runReplayBatch(job.replayId, 2, T0 + 34_000)).toEqual(last);

      // In range: events 1-5; 0 and 6+ were left alone.
      const after = await Promise.all(ids.map((id) => s.getEvent(id)));
      expect(after.map((e) => e?.status)).toEqual([
        'Failed',
        'Pending',
        'Pending',
        'Pending',
        'Pending',
        'Pending',
        'Delivered',
        'Pending',
        'Pending',
        'Pending',
      ]);
      // The same event: its eventId and webhook-id, attempts kept, a fresh set of retries, due now.
      expect(after[1]).toMatchObject({ webhookId: before!.webhookId, attempts: 1, callsRemaining: 1, nextAttemptAt: T0 + 31_000 });
      const replayed = await claimAll(s, 'w2', T0 + 40_000);
      expect(replayed.map((j) => j.eventId)).toEqual(expect.arrayContaining(ids.slice(1, 6)));
    });

    t('replays events canceled by a suspension, Failed only by default', async () => {
      const s = store();
      const { callback, ids } = await history(s);
      await s.updateCallback(callback.callbackId, { status: 'Suspended' }, T0 + 25_000);
      await s.updateCallback(callback.callbackId, { status: 'Active' }, T0 + 26_000);
      expect((await s.getEvent(ids[9]!))?.status).toBe('Canceled');
      const job = await s.createReplayJob({
        callbackId: callback.callbackId,
        since: T0,
        until: T0 + 60_000,
        statuses: ['Canceled'],
        userId: 1,
        now: T0 + 30_000,
      });
      const done = await s.runReplayBatch(job.replayId, 1_000, T0 + 30_000);
      expect(done).toMatchObject({ status: 'Completed', scanned: 10, replayed: 3 });
      expect((await Promise.all(ids.map((id) => s.getEvent(id)))).map((e) => e?.status)).toEqual([
        'Failed',
        'Failed',
        'Failed',
        'Failed',
        'Delivered',
        'Delivered',
        'Delivered',
        'Pending',
        'Pending',
        'Pending',
      ]);
      expect(await s.runReplayBatch(999_999, 10, T0)).toBeNull();
      expect(await s.getReplayJob(999_999)).toBeNull();
    });
  });

  describe('rate limits', () => {
    const t = test('rate limits');

    t('keeps maxPerSecond, lists the limited callbacks, and drops the limit on null', async () => {
      const s = store();
      const limited = await s.createCallback(newCallback({ maxPerSecond: 5 }), T0);
      const plain = await s.createCallback(newCallback(), T0);
      expect(limited.maxPerSecond).toBe(5);
      expect(plain.maxPerSecond).toBeNull();
      expect((await s.getCallback(limited.callbackId))?.maxPerSecond).toBe(5);
      expect(await s.rateLimitedCallbacks()).toEqual({ callbackIds: [limited.callbackId], newestCallbackId: plain.callbackId });

      expect((await s.updateCallback(limited.callbackId, { maxPerSecond: 7 }, T0 + 1))?.maxPerSecond).toBe(7);
      expect((await s.updateCallback(limited.callbackId, { frequency: 9 }, T0 + 2))?.maxPerSecond).toBe(7);
      expect((await s.updateCallback(limited.callbackId, { maxPerSecond: null }, T0 + 3))?.maxPerSecond).toBeNull();
      expect((await s.rateLimitedCallbacks()).callbackIds).toEqual([]);
    });

    t('a bucket holds a twentieth of a second’s worth (two at least) and refills at maxPerSecond', async () => {
      const s = store();
      const callback = await s.createCallback(newCallback({ maxPerSecond: 100 }), T0);
      const id = callback.callbackId;
      // 100 a second: a full bucket is 5 tokens, one more every 10 ms.
      expect(await s.takeRateTokens(id, 8, T0)).toEqual({ granted: 5, nextTokenAt: T0 + 10, perSecond: 100 });
      expect(await s.takeRateTokens(id, 1, T0 + 5)).toMatchObject({ granted: 0, nextTokenAt: T0 + 10 });
      expect(await s.takeRateTokens(id, 4, T0 + 30)).toMatchObject({ granted: 3, nextTokenAt: T0 + 40 });
      // Idle for a minute: still only a full bucket.
      expect(await s.takeRateTokens(id, 100, T0 + 60_000)).toMatchObject({ granted: 5 });

      // One second of takes every 5 ms grants the second's refill, no more.
      let granted = 0;
      for (let at = T0 + 60_005; at <= T0 + 61_000; at += 5) granted += (await s.takeRateTokens(id, 10, at)).granted;
      expect(granted).toBe(100);

      const plain = await s.createCallback(newCallback(), T0);
      expect(await s.takeRateTokens(plain.callbackId, 1_000, T0)).toEqual({ granted: 1_000, nextTokenAt: null, perSecond: null });
    });

    t('takes from several callers at once never grant more than the bucket holds', async () => {
      const s = store();
      const callback = await s.createCallback(newCallback({ maxPerSecond: 100 }), T0);
      const grants = await Promise.all(Array.from({ length: 20 }, () => s.takeRateTokens(callback.callbackId, 3, T0)));
      expect(grants.reduce((sum, g) => sum + g.granted, 0)).toBe(5);
    });

    t('a new limit starts with a full bucket', async () => {
      const s = store();
      const callback = await s.createCallback(newCallback({ maxPerSecond: 10 }), T0);
      expect((await s.takeRateTokens(callback.callbackId, 5, T0)).granted).toBe(2);
      await s.updateCallback(callback.callbackId, { maxPerSecond: 80 }, T0 + 1);
      expect((await s.takeRateTokens(callback.callbackId, 5, T0 + 1)).granted).toBe(4);
    });

    t('deferred events go back to the queue, due later, with no attempt and no retry used', async () => {
      const s = store();
      const callback = await s.createCallback(newCallback({ maxPerSecond: 1, retries: 0 }), T0);
      const ids = await publishTo(s, callback.callbackId, 3);
      const jobs = await claimAll(s, 'w1');
      expect(jobs).toHaveLength(3);
      const deferred = jobs.slice(1).map((job) => job.eventId);
      expect(await s.deferLeases('w1', deferred, [T0 + 1_000, T0 + 2_000])).toBe(2);
      // Another worker's defer touches nothing of w1's.
      expect(await s.deferLeases('w2', [jobs[0]!.eventId], [T0 + 5_000])).toBe(0);

      expect(await claimAll(s, 'w2', T0 + 999)).toHaveLength(0);
      expect((await claimAll(s, 'w2', T0 + 1_000)).map((j) => j.eventId)).toEqual([deferred[0]]);
      for (const [n, eventId] of deferred.entries()) {
        const event = await s.getEvent(eventId);
        expect(event).toMatchObject({ status: 'Pending', attempts: 0, nextAttemptAt: T0 + 1_000 * (n + 1) });
      }
      expect((await s.getEvent(ids[0]!))?.attempts).toBe(0);
    });
  });
}
