/**
 * Claims on PostgreSQL: leasing due events, recording attempt results,
 * releasing leases and reading the queue; PostgresStore's delivery methods
 * delegate here. Leases are taken in the claim_due_events function (see
 * migrations 1 and 5) under per-callback advisory locks, so no event is
 * leased twice and no callback ever has more than perCallbackLimit events
 * out across all workers.
 */
import type { AttemptResult, ClaimRequest, DeliveryJob, QueueStats } from '../store.js';
import { toJob, type CallbackRow, type JobCallbackRow, type JobEventRow } from '../rows.js';
import type { PostgresDatabase, Queryable } from './database.js';

/** What the claims need of the store they belong to. */
export interface PostgresClaimContext {
  db: PostgresDatabase;
  /** Tells this process's listeners that work may be due. */
  signalWork(): void;
}

/** What claim_due_events answers: the leased event with what the sender needs from its callback. */
type JobRow = JobEventRow & JobCallbackRow;

export class PostgresClaims {
  constructor(private readonly context: PostgresClaimContext) {}

  get #db(): PostgresDatabase {
    return this.context.db;
  }

  async claim(request: ClaimRequest): Promise<DeliveryJob[]> {
    const { workerId, now, leaseMs, limit, perCallbackLimit } = request;
    if (limit <= 0 || perCallbackLimit <= 0) return [];
    const rows = await this.#db.query<JobRow>('SELECT * FROM claim_due_events($1, $2, $3, $4, $5)', [
      workerId,
      now,
      now + leaseMs,
      limit,
      perCallbackLimit,
    ]);
    if (rows.length === 0) return [];
    // Read apart from claim_due_events, whose result columns are fixed by its
    // migration: a primary-key probe for the few callbacks that have any.
    const ids = [...new Set(rows.map((row) => row.callback_id))];
    const credentials = await this.#db.query<Pick<CallbackRow, 'id' | 'basic_auth' | 'custom_headers'>>(
      `SELECT id, basic_auth, custom_headers FROM callbacks
       WHERE id = ANY ($1::BIGINT[]) AND (basic_auth IS NOT NULL OR custom_headers IS NOT NULL)`,
      [ids],
    );
    if (credentials.length === 0) return rows.map((row) => toJob(row, row));
    const byCallback = new Map(credentials.map((row) => [Number(row.id), row]));
    return rows.map((row) => {
      const found = byCallback.get(Number(row.callback_id));
      return toJob(row, found ? { ...row, basic_auth: found.basic_auth, custom_headers: found.custom_headers } : row);
    });
  }

  async record(results: AttemptResult[]): Promise<void> {
    if (results.length === 0) return;
    // One statement writes a whole batch. An UPDATE touches a row once per
    // statement, so two results for one event go in successive rounds.
    const rounds: AttemptResult[][] = [];
    const seen = new Map<number, number>();
    for (const result of results) {
      const round = seen.get(result.eventId) ?? 0;
      seen.set(result.eventId, round + 1);
      (rounds[round] ??= []).push(result);
    }
    const write = (batch: AttemptResult[], on: Queryable) => this.#db.query(RECORD_ATTEMPTS, recordAttemptsParams(batch), on);
    if (rounds.length === 1) {
      await write(results, this.#db.pool);
      return;
    }
    await this.#db.transaction(async (tx) => {
      for (const round of rounds) await write(round, tx);
    });
  }

  /** Two round trips: the claim function takes its own advisory locks and snapshots. */
  async recordAndClaim(results: AttemptResult[], claim: ClaimRequest): Promise<DeliveryJob[]> {
    await this.record(results);
    return this.claim(claim);
  }

  async release(workerId: string, eventIds?: number[]): Promise<number> {
    const released = await this.#db.transaction(async (tx) => {
      const count = await this.#db.count(
        `UPDATE events SET lease_owner = NULL, lease_until = NULL
         WHERE lease_owner = $1 AND status = 'Pending' AND ($2::BIGINT[] IS NULL OR id = ANY ($2))`,
        [workerId, eventIds ?? null],
        tx,
      );
      if (count > 0) this.#db.notifyWork(tx);
      return count;
    });
    if (released > 0) this.context.signalWork();
    return released;
  }

  async queueStats(): Promise<QueueStats> {
    // An index-only scan of events_due (Pending rows only, with their id):
    // the backlog is read, not the delivered history. Ids grow with creation,
    // so the smallest is the oldest.
    const row = await this.#db.one<{ pending: number; oldest_at: number | null }>(
      `SELECT pending, (SELECT created_at FROM events WHERE id = oldest) AS oldest_at
       FROM (SELECT count(*)::INTEGER AS pending, min(id) AS oldest FROM events WHERE status = 'Pending') q`,
    );
    return { pending: row?.pending ?? 0, oldestPendingAt: row?.oldest_at ?? null };
  }

  async nextDueAt(): Promise<number | null> {
    // Events whose callback is not Active are never claimed, so they must not
    // count here either, or an idle engine would wake for them forever.
    const row = await this.#db.one<{ at: number | null }>(
      `SELECT LEAST(
         (SELECT e.next_attempt_at FROM events e JOIN callbacks c ON c.id = e.callback_id
          WHERE e.status = 'Pending' AND e.lease_until IS NULL AND c.status = 'Active' AND c.deleted_at IS NULL
          ORDER BY e.next_attempt_at LIMIT 1),
         (SELECT min(e.lease_until) FROM events e JOIN callbacks c ON c.id = e.callback_id
          WHERE e.status = 'Pending' AND e.lease_until IS NOT NULL AND c.status = 'Active' AND c.deleted_at IS NULL)
       ) AS at`,
    );
    return row?.at ?? null;
  }
}

/**
 * Writes a batch of attempt results (no event twice) in one statement:
 * - the outcome, on Pending events only; a Retry or Failed from a worker
 *   whose lease another worker has since taken must not clear that worker's
 *   lease, while Delivered always wins since the receiver has the event;
 * - otherwise (canceled meanwhile, or leased by another) just the count and
 *   last result;
 * - the attempt log, for every event that still exists.
 */
const RECORD_ATTEMPTS = `
WITH input AS (
  SELECT * FROM unnest($1::BIGINT[], $2::TEXT[], $3::BIGINT[], $4::INTEGER[], $5::INTEGER[], $6::TEXT[], $7::TEXT[],
                       $8::BIGINT[])
    WITH ORDINALITY AS r (event_id, worker_id, started_at, duration_ms, http_status, error, outcome, next_attempt_at, ord)
),
decided AS (
  UPDATE events e SET
    status = CASE r.outcome WHEN 'Retry' THEN 'Pending' ELSE r.outcome END,
    attempts = e.attempts + 1,
    last_attempt_at = r.started_at,
    last_http_status = r.http_status,
    last_error = r.error,
    finished_at = CASE r.outcome WHEN 'Retry' THEN e.finished_at ELSE r.started_at + r.duration_ms END,
    next_attempt_at = CASE r.outcome
      WHEN 'Retry' THEN COALESCE(r.next_attempt_at, r.started_at + r.duration_ms) END,
    lease_owner = NULL,
    lease_until = NULL
  FROM input r
  WHERE e.id = r.event_id AND e.status = 'Pending'
    AND (r.outcome = 'Delivered' OR e.lease_owner IS NULL OR e.lease_owner = r.worker_id)
  RETURNING e.id
),
counted AS (
  UPDATE events e SET
    attempts = e.attempts + 1,
    last_attempt_at = r.started_at,
    last_http_status = r.http_status,
    last_error = r.error
  FROM input r
  WHERE e.id = r.event_id AND e.id NOT IN (SELECT id FROM decided)
  RETURNING e.id
)
INSERT INTO attempts (event_id, worker_id, started_at, duration_ms, http_status, error)
SELECT r.event_id, r.worker_id, r.started_at, r.duration_ms, r.http_status, r.error
FROM input r
WHERE r.event_id IN (SELECT id FROM decided UNION ALL SELECT id FROM counted)
ORDER BY r.ord`;

function recordAttemptsParams(batch: AttemptResult[]): unknown[] {
  return [
    batch.map((r) => r.eventId),
    batch.map((r) => r.workerId),
    batch.map((r) => r.startedAt),
    batch.map((r) => r.durationMs),
    batch.map((r) => r.httpStatus),
    batch.map((r) => r.error),
    batch.map((r) => r.outcome),
    batch.map((r) => r.nextAttemptAt),
  ];
}
