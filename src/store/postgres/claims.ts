/**
 * Claims on PostgreSQL: leasing due events, recording attempt results,
 * releasing leases and reading the queue; PostgresStore's delivery methods
 * delegate here. The work is in the functions of migration 11 (as migration
 * 13 replaced them: pauses, Deferred results, health, retry schedules): a claim takes
 * free lease slots of each callback and as many of its oldest due events,
 * both FOR UPDATE SKIP LOCKED, so no event is leased twice and no callback
 * ever has more than perCallbackLimit leases out across all workers, and a
 * claimer never waits for another. Each is one named statement (parsed and
 * planned once per connection), one round trip.
 */
import type { AttemptResult, ClaimRequest, DeliveryJob, QueueStats } from '../store.js';
import { toJob, type JobCallbackRow, type JobEventRow } from '../rows.js';
import type { NamedStatement, PostgresDatabase, Queryable } from './database.js';

/** What the claims need of the store they belong to. */
export interface PostgresClaimContext {
  db: PostgresDatabase;
  /** Tells this process's listeners that work may be due. */
  signalWork(): void;
}

/** What claim_events answers: the leased event with what the sender needs from its callback. */
export type JobRow = JobEventRow & JobCallbackRow;

const CLAIM: NamedStatement = {
  name: 'gridhook.claim_events',
  text: 'SELECT * FROM claim_events($1, $2, $3, $4, $5, FALSE)',
};

const RECORD: NamedStatement = {
  name: 'gridhook.record_attempts',
  text: 'SELECT record_attempts($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)',
};

const RECORD_AND_CLAIM: NamedStatement = {
  name: 'gridhook.record_and_claim',
  text: 'SELECT * FROM record_and_claim($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)',
};

export class PostgresClaims {
  constructor(private readonly context: PostgresClaimContext) {}

  get #db(): PostgresDatabase {
    return this.context.db;
  }

  async claim(request: ClaimRequest): Promise<DeliveryJob[]> {
    if (request.limit <= 0 || request.perCallbackLimit <= 0) return [];
    return toJobs(await this.#db.named<JobRow>(CLAIM, claimParams(request)));
  }

  async record(results: AttemptResult[]): Promise<void> {
    if (results.length === 0) return;
    const rounds = inRounds(results);
    const write = (batch: AttemptResult[], on: Queryable) => this.#db.named(RECORD, recordParams(batch), on);
    if (rounds.length === 1) {
      await write(results, this.#db.pool);
      return;
    }
    await this.#db.transaction(async (tx) => {
      for (const round of rounds) await write(round, tx);
    });
  }

  /** One round trip and one commit when no event has two results in the batch. */
  async recordAndClaim(results: AttemptResult[], claim: ClaimRequest): Promise<DeliveryJob[]> {
    if (results.length === 0) return this.claim(claim);
    if (claim.limit <= 0 || claim.perCallbackLimit <= 0 || inRounds(results).length > 1) {
      await this.record(results);
      return this.claim(claim);
    }
    return toJobs(await this.#db.named<JobRow>(RECORD_AND_CLAIM, [...recordParams(results), ...claimParams(claim)]));
  }

  async release(workerId: string, eventIds?: number[]): Promise<number> {
    const released = await this.#db.transaction(async (tx) => {
      // The slots first: without event ids, they say which events are this worker's.
      const count = await this.#db.count(
        `WITH freed AS (
           UPDATE lease_slots SET until = 0
           WHERE owner = $1 AND until > 0 AND ($2::BIGINT[] IS NULL OR event_id = ANY ($2))
           RETURNING event_id
         )
         UPDATE events SET lease_owner = NULL, lease_until = NULL
         WHERE lease_owner = $1 AND status = 'Pending' AND id = ANY (COALESCE($2, ARRAY(SELECT event_id FROM freed)))`,
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
      `SELECT e.next_attempt_at AS at FROM events e JOIN callbacks c ON c.id = e.callback_id
       WHERE e.status = 'Pending' AND e.lease_until IS NULL AND c.status = 'Active' AND c.deleted_at IS NULL
       ORDER BY e.next_attempt_at LIMIT 1`,
    );
    return row?.at ?? null;
  }
}

/** An UPDATE touches a row once per statement, so two results for one event go in successive rounds. */
function inRounds(results: AttemptResult[]): AttemptResult[][] {
  const rounds: AttemptResult[][] = [];
  const seen = new Map<number, number>();
  for (const result of results) {
    const round = seen.get(result.eventId) ?? 0;
    seen.set(result.eventId, round + 1);
    (rounds[round] ??= []).push(result);
  }
  return rounds;
}

export function toJobs(rows: JobRow[]): DeliveryJob[] {
  return rows.map((row) => toJob(row, row));
}

export function claimParams(request: ClaimRequest): unknown[] {
  const { workerId, now, leaseMs, limit, perCallbackLimit } = request;
  return [workerId, now, now + leaseMs, limit, perCallbackLimit];
}

function recordParams(batch: AttemptResult[]): unknown[] {
  return [
    batch.map((r) => r.eventId),
    batch.map((r) => r.workerId),
    batch.map((r) => r.startedAt),
    batch.map((r) => r.durationMs),
    batch.map((r) => r.httpStatus),
    batch.map((r) => r.error),
    batch.map((r) => r.outcome),
    batch.map((r) => r.nextAttemptAt),
    batch.map((r) => r.attemptKey ?? null),
    batch.map((r) => r.pauseCallbackUntil ?? null),
    batch.map((r) => r.responseHeaders ?? null),
    batch.map((r) => r.responseBody ?? null),
  ];
}
