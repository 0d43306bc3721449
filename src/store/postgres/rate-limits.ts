/**
 * Per-callback rate limits on PostgreSQL: the token bucket kept on the
 * callback's row, shared by every worker. A take is one UPDATE … RETURNING:
 * the row lock orders takes from several workers, and each SET expression
 * reads the row as that take found it, so no two takes spend the same token.
 * The claim functions are left alone: the engine takes tokens after a claim,
 * for rate-limited callbacks only, and defers the events that got none.
 */
import { nextTokenAt } from '../../domain/rate-bucket.js';
import type { RateGrant, RateLimitedCallbacks } from '../store.js';
import type { PostgresDatabase } from './database.js';

export interface PostgresRateLimitContext {
  db: PostgresDatabase;
}

/** domain/rate-bucket.ts's bucketSize and refill, in SQL. */
const SIZE = 'GREATEST(2, max_per_second / 20.0)';
const AVAILABLE = `LEAST(${SIZE}, COALESCE(rate_tokens, ${SIZE}) + GREATEST(0, $3 - COALESCE(rate_at, $3)) * max_per_second / 1000.0)`;
const GRANTED = `LEAST($2, floor(${AVAILABLE}))`;

const TAKE = `
UPDATE callbacks SET rate_granted = ${GRANTED}, rate_tokens = ${AVAILABLE} - ${GRANTED},
  rate_at = GREATEST(COALESCE(rate_at, $3), $3)
WHERE id = $1 AND max_per_second IS NOT NULL AND deleted_at IS NULL
RETURNING rate_granted AS granted, rate_tokens AS tokens, max_per_second`;

export class PostgresRateLimits {
  constructor(private readonly context: PostgresRateLimitContext) {}

  get #db(): PostgresDatabase {
    return this.context.db;
  }

  async limitedCallbacks(): Promise<RateLimitedCallbacks> {
    // One statement, so both parts are read at one moment.
    const row = await this.#db.one<{ ids: (number | string)[]; newest: number | string | null }>(
      `SELECT ARRAY(SELECT id FROM callbacks WHERE max_per_second IS NOT NULL AND deleted_at IS NULL) AS ids,
         (SELECT max(id) FROM callbacks) AS newest`,
    );
    return { callbackIds: (row?.ids ?? []).map(Number), newestCallbackId: Number(row?.newest ?? 0) };
  }

  async take(callbackId: number, wanted: number, now: number): Promise<RateGrant> {
    const row = await this.#db.one<{ granted: number; tokens: number; max_per_second: number }>(TAKE, [
      callbackId,
      wanted,
      now,
    ]);
    if (!row) return { granted: wanted, nextTokenAt: null, perSecond: null };
    const granted = Number(row.granted);
    return {
      granted,
      nextTokenAt: granted < wanted ? nextTokenAt(Number(row.tokens), Number(row.max_per_second), now) : null,
      perSecond: Number(row.max_per_second),
    };
  }

  async defer(workerId: string, eventIds: number[], dueAts: number[]): Promise<number> {
    if (eventIds.length === 0) return 0;
    // The slots first, as a release frees them: a deferred event holds none.
    // Other workers are told, as after a release: they may have found this
    // callback's due events all leased and gone to sleep for a poll interval.
    return this.#db.transaction(async (tx) => {
      const count = await this.#db.count(
      `WITH freed AS (
         UPDATE lease_slots SET until = 0 WHERE owner = $1 AND until > 0 AND event_id = ANY ($2::BIGINT[])
       )
       UPDATE events e SET lease_owner = NULL, lease_until = NULL, next_attempt_at = GREATEST(e.next_attempt_at, d.due)
       FROM unnest($2::BIGINT[], $3::BIGINT[]) AS d (id, due)
       WHERE e.id = d.id AND e.lease_owner = $1 AND e.status = 'Pending'`,
      [workerId, eventIds, dueAts],
        tx,
      );
      if (count > 0) this.#db.notifyWork(tx);
      return count;
    });
  }
}
