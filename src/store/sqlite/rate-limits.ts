/**
 * Per-callback rate limits on SQLite: the token bucket kept on the callback's
 * row, taken from inside a write transaction (one writer at a time, so the
 * read and the update are one atomic step), and deferring events that got no
 * token back to the queue without an attempt.
 */
import { bucketSize, nextTokenAt } from '../../domain/rate-bucket.js';
import type { RateGrant, RateLimitedCallbacks } from '../store.js';
import type { SqliteDatabase } from './database.js';

export interface SqliteRateLimitContext {
  db: SqliteDatabase;
}

interface BucketRow {
  max_per_second: number;
  rate_tokens: number | null;
  rate_at: number | null;
}

export class SqliteRateLimits {
  constructor(private readonly context: SqliteRateLimitContext) {}

  get #db(): SqliteDatabase {
    return this.context.db;
  }

  async limitedCallbacks(): Promise<RateLimitedCallbacks> {
    return this.#db.read(() => ({
      callbackIds: this.#db
        .all<{ id: number }>('SELECT id FROM callbacks WHERE max_per_second IS NOT NULL AND deleted_at IS NULL')
        .map((row) => row.id),
      newestCallbackId: this.#db.get<{ id: number | null }>('SELECT max(id) AS id FROM callbacks')?.id ?? 0,
    }));
  }

  async take(callbackId: number, wanted: number, now: number): Promise<RateGrant> {
    return this.#db.write(() => {
      const row = this.#db.get<BucketRow>(
        `SELECT max_per_second, rate_tokens, rate_at FROM callbacks
         WHERE id = ? AND max_per_second IS NOT NULL AND deleted_at IS NULL`,
        [callbackId],
      );
      if (!row) return { granted: wanted, nextTokenAt: null, perSecond: null };
      const size = bucketSize(row.max_per_second);
      const elapsed = Math.max(0, now - (row.rate_at ?? now));
      const available = Math.min(size, (row.rate_tokens ?? size) + (elapsed * row.max_per_second) / 1000);
      const granted = Math.min(wanted, Math.floor(available));
      const left = available - granted;
      this.#db.run('UPDATE callbacks SET rate_tokens = ?, rate_at = ?, rate_granted = ? WHERE id = ?', [
        left,
        Math.max(now, row.rate_at ?? now),
        granted,
        callbackId,
      ]);
      return {
        granted,
        nextTokenAt: granted < wanted ? nextTokenAt(left, row.max_per_second, now) : null,
        perSecond: row.max_per_second,
      };
    });
  }

  async defer(workerId: string, eventIds: number[], dueAts: number[]): Promise<number> {
    if (eventIds.length === 0) return 0;
    const { changes } = this.#db.writeRelaxed(() =>
      this.#db.run(
        `UPDATE events SET lease_owner = NULL, lease_until = NULL,
           next_attempt_at = max(next_attempt_at, (SELECT d.value FROM json_each(@dueAts) d WHERE d.key = i.key))
         FROM json_each(@ids) i
         WHERE events.id = i.value AND events.lease_owner = @workerId AND events.status = 'Pending'`,
        { workerId, ids: JSON.stringify(eventIds), dueAts: JSON.stringify(dueAts) },
      ),
    );
    return changes;
  }
}
