/**
 * The test call is a delivery like any other: it holds a slot and counts
 * toward its callback's per-callback concurrency across all workers. With a
 * hanging receiver and 100 parallel test calls, the receiver never has more
 * than the cap at once; the rest are told 429 with Retry-After. Both stores.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { describeWithPostgres } from './helpers/cluster.js';
import { createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';
import { startReceiver } from './helpers/receiver.js';
import { call, ok, startTestServer, type TestServer } from './helpers/server.js';

const CAP = 4;
const CALLS = 100;

function suite(start: () => Promise<TestServer>): void {
  it('never lets the receiver see more than the cap at once, and answers the rest 429 with Retry-After', async () => {
    const server = await start();
    const receiver = await startReceiver();
    try {
      receiver.reply('/hang', { hang: true });
      const callback = await ok(server, 'POST', '/v2/callbacks/create', {
        callBackUrl: receiver.urlFor('/hang'),
        callBackEvent: 'InBox',
      });
      let most = 0;
      let watching = true;
      const watch = (async () => {
        while (watching) {
          most = Math.max(most, receiver.hanging);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      const answers = await Promise.all(
        Array.from({ length: CALLS }, () =>
          call(server, 'POST', '/v2/callbacks/test', { callBackQueueId: callback.callBackQueueId }),
        ),
      );
      watching = false;
      await watch;
      const refused = answers.filter((answer) => answer.status === 429);
      const tested = answers.filter((answer) => answer.status === 200);
      expect(most).toBeLessThanOrEqual(CAP);
      expect(receiver.requestsTo('/hang').length).toBe(tested.length);
      expect(tested.length).toBeGreaterThanOrEqual(1);
      expect(tested.length + refused.length).toBe(CALLS);
      for (const answer of refused) {
        expect(answer.body.errorCode).toBe('RateLimitExceeded');
        expect(answer.body.message).toMatch(/^callBackQueueId: callback \d+ already has 4 deliveries in flight/);
        expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
    } finally {
      await receiver.close();
      await server.close();
    }
  }, 60_000);
}

const settings = { perCallbackConcurrency: CAP, deliveryConcurrency: 16, deliveryTimeoutMs: 1_500 };

describe('test call caps on SQLite', () => suite(() => startTestServer(settings)));

const availability = await postgresAvailable();
describeWithPostgres('test call caps on PostgreSQL', availability, () => {
  afterAll(() => dropTestDatabases());
  suite(async () => startTestServer({ ...settings, databaseUrl: (await createTestDatabase()).url }));
});
