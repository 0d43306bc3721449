/**
 * The attempt log keeps what a receiver answered: its header block and the
 * start of its body, as the engine gives them (already cleaned), and null
 * when no answer came or none was given. Called by describeStoreConformance.
 */
import { describe, expect } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { attempt, claimAll, newCallback, publishTo, T0 } from './fixtures.js';

type Test = (group: string) => (title: string, fn: () => Promise<void>) => void;

export function describeAttemptAnswersConformance(store: () => Store, test: Test): void {
  describe('attempt answers', () => {
    const t = test('attempt answers');

    t('listAttempts answers the headers and body recorded with each attempt, null where none were', async () => {
      const s = store();
      const callback = await s.createCallback(newCallback({ retries: 3 }), T0);
      const [eventId] = await publishTo(s, callback.callbackId, 1, T0);
      const [first] = await claimAll(s, 'w1', T0);
      await s.recordAttempts([
        attempt(first!, 'Retry', {
          startedAt: T0 + 1,
          responseHeaders: 'content-type: text/plain\nx-receiver: über',
          responseBody: 'down for maintenance ✓',
        }),
      ]);
      const [second] = await claimAll(s, 'w1', T0 + 120_000);
      await s.recordAttempts([attempt(second!, 'Retry', { startedAt: T0 + 120_001, httpStatus: null, error: 'refused' })]);
      const log = await s.listAttempts(eventId!);
      expect(log.map((a) => [a.responseHeaders, a.responseBody])).toEqual([
        ['content-type: text/plain\nx-receiver: über', 'down for maintenance ✓'],
        [null, null],
      ]);
    });
  });
}
