/**
 * A result the database refuses for its data must not hold back the batch it
 * is written in. The engine writes results in batches; here one callback's
 * results carry values no column accepts (a duration that is not a number),
 * on both stores through their drivers. Every other result is recorded at
 * once, and the refused ones are recorded as failed attempts with a reason.
 * Before the row-by-row fallback the whole batch was retried for ever.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeliveryEngine } from '../src/delivery/engine.js';
import type { SendResult } from '../src/delivery/sender.js';
import { createLogger } from '../src/logger.js';
import { openPostgresStore } from '../src/store/postgres/postgres-store.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { DeliveryJob, Store } from '../src/store/store.js';
import { isRowDataError } from '../src/store/write-errors.js';
import { createCallbacks, describeWithPostgres, publishInBox, waitFor } from './helpers/cluster.js';
import { createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';

const PUBLISHES = 60;

function suite(open: () => Promise<Store>): void {
  it('records every other result at once and the refused ones as failed attempts with a reason', async () => {
    const store = await open();
    const [goodId, badId] = await createCallbacks(store, ['http://127.0.0.1:9/good', 'http://127.0.0.1:9/bad']);
    const sender = {
      async send(job: DeliveryJob): Promise<SendResult> {
        return job.callbackId === badId
          ? { delivered: false, httpStatus: 500, error: 'HTTP 500', durationMs: Number.NaN, retryAfterMs: null }
          : { delivered: true, httpStatus: 200, error: null, durationMs: 1, retryAfterMs: null };
      },
    };
    const engine = new DeliveryEngine({
      store,
      sender,
      logger: createLogger('silent'),
      workerId: 'row-isolation',
      concurrency: 64,
      perCallbackConcurrency: 32,
      leaseMs: 60_000,
      pollIntervalMs: 50,
    });
    try {
      const eventIds = await publishInBox(store, PUBLISHES);
      engine.start();
      const events = await waitFor(
        'every event attempted',
        async () => {
          const all = await Promise.all(eventIds.map((id) => store.getEvent(id)));
          return all.every((event) => event !== null && event.attempts >= 1) ? all : false;
        },
        20_000,
      );
      for (const event of events) {
        if (event!.callbackId === goodId) {
          expect(event!.status).toBe('Delivered');
        } else {
          expect(event!.callbackId).toBe(badId);
          // Retried a second later (frequency 1 s), so it may be on a later attempt by now.
          expect(['Pending', 'Failed']).toContain(event!.status);
          expect(event!.lastError).toMatch(/^the database refused this attempt's result \(\w+\)/);
          const [attempt] = await store.listAttempts(event!.eventId);
          expect(event!.attempts).toBeGreaterThanOrEqual(1);
          expect(attempt).toMatchObject({ httpStatus: 500, durationMs: 0 });
        }
      }
    } finally {
      await engine.stop(1_000);
      await store.close();
    }
  }, 60_000);

  it('tells a refused row from an unavailable database', async () => {
    const store = await open();
    const [eventId] = await publishInBox(store, 1);
    const refused = await store
      .recordAttempts([
        {
          eventId: eventId ?? 1,
          workerId: 'w',
          startedAt: Date.now(),
          durationMs: Number.NaN,
          httpStatus: 500,
          error: 'x',
          outcome: 'Failed',
          nextAttemptAt: null,
        },
      ])
      .then(() => null, (error: unknown) => error);
    await store.close();
    const closed = await store.ping().then(() => null, (error: unknown) => error);
    if (refused !== null) expect(isRowDataError(refused)).toBe(true);
    expect(closed).not.toBeNull();
    expect(isRowDataError(closed)).toBe(false);
  });
}

describe('row isolation on SQLite', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
  suite(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-rows-'));
    dirs.push(dir);
    const store = openSqliteStore(path.join(dir, 'gridhook.db'));
    await store.migrate();
    return store;
  });
});

const availability = await postgresAvailable();
describeWithPostgres('row isolation on PostgreSQL', availability, () => {
  afterAll(() => dropTestDatabases());
  suite(async () => openPostgresStore((await createTestDatabase()).url));
});
