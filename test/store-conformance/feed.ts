/**
 * The activity feed the live stream reads, in the conformance suite: where
 * it stands, events and attempts past a cursor in ID order (each attempt with
 * its event as it stands), at most `limit` of each, and missing IDs read
 * again by name. Called by describeStoreConformance on both stores.
 */
import { describe, expect } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { attempt, claimAll, newCallback, publishTo, T0 } from './fixtures.js';

type Test = (group: string) => (title: string, fn: () => Promise<void>) => void;

export function describeFeedConformance(store: () => Store, test: Test): void {
  describe('activity feed', () => {
    const t = test('activity feed');

    t('feedPosition answers the newest event and attempt IDs, 0 on an empty database', async () => {
      const s = store();
      expect(await s.feedPosition()).toEqual({ eventId: 0, attemptId: 0 });
      const callback = await s.createCallback(newCallback(), T0);
      const ids = await publishTo(s, callback.callbackId, 3, T0);
      const [job] = await claimAll(s, 'w1', T0);
      await s.recordAttempts([attempt(job!, 'Delivered')]);
      const [logged] = await s.listAttempts(job!.eventId);
      expect(await s.feedPosition()).toEqual({ eventId: Math.max(...ids), attemptId: logged!.attemptId });
    });

    t('readFeed answers events and attempts past the cursor in ID order, at most limit of each', async () => {
      const s = store();
      const callback = await s.createCallback(newCallback(), T0);
      const ids = await publishTo(s, callback.callbackId, 5, T0);
      const jobs = (await claimAll(s, 'w1', T0)).sort((x, y) => x.eventId - y.eventId);
      await s.recordAttempts([attempt(jobs[0]!, 'Delivered', { durationMs: 12 }), attempt(jobs[1]!, 'Failed', { httpStatus: 500, error: 'HTTP 500' })]);

      const page = await s.readFeed({ eventsAfter: ids[0]!, attemptsAfter: 0, limit: 3, missingEventIds: [], missingAttemptIds: [] });
      expect(page.events.map((e) => e.eventId)).toEqual(ids.slice(1, 4));
      expect(page.attempts.map((a) => a.attempt.eventId)).toEqual([ids[0], ids[1]]);
      const [delivered, failed] = page.attempts;
      expect(delivered!.attempt.durationMs).toBe(12);
      expect(delivered!.event).toMatchObject({ eventId: ids[0], status: 'Delivered', attempts: 1, callbackId: callback.callbackId });
      expect(failed!.attempt).toMatchObject({ httpStatus: 500, error: 'HTTP 500' });
      expect(failed!.event.status).toBe('Failed');

      const after = await s.readFeed({
        eventsAfter: Math.max(...ids),
        attemptsAfter: failed!.attempt.attemptId,
        limit: 3,
        missingEventIds: [],
        missingAttemptIds: [],
      });
      expect(after).toEqual({ events: [], attempts: [] });
    });

    t('readFeed reads the missing IDs it is given again, past the cursor or not, and skips those that do not exist', async () => {
      const s = store();
      const callback = await s.createCallback(newCallback(), T0);
      const ids = await publishTo(s, callback.callbackId, 4, T0);
      const [job] = await claimAll(s, 'w1', T0);
      await s.recordAttempts([attempt(job!, 'Delivered')]);
      const [logged] = await s.listAttempts(job!.eventId);
      const page = await s.readFeed({
        eventsAfter: Math.max(...ids),
        attemptsAfter: logged!.attemptId,
        limit: 10,
        missingEventIds: [ids[1]!, ids[2]!, 999_999],
        missingAttemptIds: [logged!.attemptId, 999_999],
      });
      expect(page.events.map((e) => e.eventId)).toEqual([ids[1], ids[2]]);
      expect(page.attempts.map((a) => a.attempt.attemptId)).toEqual([logged!.attemptId]);
      expect(page.attempts[0]!.event.eventId).toBe(job!.eventId);
    });
  });
}
