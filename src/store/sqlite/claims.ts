/**
 * Claims on SQLite: leasing due events, recording attempt results, releasing
 * leases and reading the queue; SqliteStore's delivery methods delegate here.
 * Claims take turns under the write lock, so no event is leased twice and no
 * callback has more than perCallbackLimit events out across all processes.
 */
import type Database from 'better-sqlite3';
import type { AttemptResult, ClaimRequest, DeliveryJob, QueueStats } from '../store.js';
import { toJob, type JobCallbackRow, type JobEventRow } from '../rows.js';
import type { SqliteDatabase } from './database.js';

/** What the claims need of the store they belong to. */
export interface SqliteClaimContext {
  db: SqliteDatabase;
  /** Tells the store's listeners that work may be due. */
  signalWork(): void;
  /** Notes what recorded results say of their callbacks' health, inside the same write. */
  noteOutcomes(results: readonly AttemptResult[]): void;
}

/**
 * What a delivery job needs of its event, read as an array: better-sqlite3
 * builds a row object one named property at a time, which on the claim path
 * cost more than leasing the event.
 */
const JOB_EVENT_COLUMNS = `id, webhook_id, callback_id, event_type, network_id, mailbox_id, ecgrid_id, parcel_id, file_name, is_test,
  created_at, attempts, max_attempts, lease_owner, lease_until, traceparent, subject_callback_id`;

type JobEventValues = [
  id: number,
  webhookId: string,
  callbackId: number,
  eventType: JobEventRow['event_type'],
  networkId: number,
  mailboxId: number,
  ecGridId: number,
  parcelId: number,
  fileName: string,
  isTest: number,
  createdAt: number,
  attempts: number,
  maxAttempts: number,
  leaseOwner: string,
  leaseUntil: number,
  traceparent: string | null,
  subjectCallbackId: number | null,
];

function jobEventRow(v: JobEventValues): JobEventRow {
  return {
    id: v[0],
    webhook_id: v[1],
    callback_id: v[2],
    event_type: v[3],
    network_id: v[4],
    mailbox_id: v[5],
    ecgrid_id: v[6],
    parcel_id: v[7],
    file_name: v[8],
    is_test: v[9],
    created_at: v[10],
    attempts: v[11],
    max_attempts: v[12],
    lease_owner: v[13],
    lease_until: v[14],
    traceparent: v[15],
    subject_callback_id: v[16],
  };
}

/** What a delivery job needs of its callback. */
const JOB_CALLBACK_COLUMNS =
  'url, frequency, retry_schedule, secret, previous_secret, previous_secret_expires_at, basic_auth, custom_headers';

/** Up to this many callbacks with Pending events, a claim asks each rather than walking the due queue. */
const FEW_CALLBACKS = 64;

interface DueRow {
  id: number;
  callback_id: number;
  next_attempt_at: number;
}

/** Takes rows in order while their callback has room (counting load and what it took), up to limit. */
function pickWithinLimits(rows: DueRow[], load: Map<number, number>, limit: number, perCallbackLimit: number): DueRow[] {
  const counted = new Map(load);
  const picked: DueRow[] = [];
  for (const row of rows) {
    const n = counted.get(row.callback_id) ?? 0;
    if (n >= perCallbackLimit) continue;
    picked.push(row);
    counted.set(row.callback_id, n + 1);
    if (picked.length === limit) break;
  }
  return picked;
}

export class SqliteClaims {
  constructor(private readonly context: SqliteClaimContext) {}

  get #db(): SqliteDatabase {
    return this.context.db;
  }

  /**
   * Leases due events, at most perCallbackLimit of one callback's at once
   * across every process (the write lock makes claims take turns). Which
   * events: of each Active callback, its oldest due, unleased ones up to what
   * its live leases leave of the limit; of all those, the `limit` due first.
   */
  async claim(request: ClaimRequest): Promise<DeliveryJob[]> {
    return this.#db.writeRelaxed(() => this.claimInWrite(request));
  }

  /**
   * The claim itself; the caller holds the write transaction.
   *
   * With few callbacks holding Pending events (the usual case) each is asked
   * for its oldest due events, a few index probes apiece, found by a skip
   * scan of events_due_by_callback. With many, a short walk of the due queue
   * usually settles it; when the walk is filled without filling the claim
   * (one callback's backlog, at its limit, hides what is behind it) every
   * callback is asked after all. The same plan as the PostgreSQL claim.
   */
  claimInWrite(request: ClaimRequest): DeliveryJob[] {
    const { workerId, now, leaseMs, limit, perCallbackLimit } = request;
    if (limit <= 0 || perCallbackLimit <= 0) return [];
    const load = new Map<number, number>();
    for (const { callback_id, n } of this.#db.all<{ callback_id: number; n: number }>(
      // Without INDEXED BY the planner walks events_by_callback (already
      // grouped) through the whole table instead of the few live leases.
      `SELECT callback_id, COUNT(*) AS n FROM events INDEXED BY events_leased
       WHERE status = 'Pending' AND lease_until > ? GROUP BY callback_id`,
      [now],
    )) {
      load.set(callback_id, n);
    }
    const heads = this.#fifoHeads(now, load, perCallbackLimit);
    const withHeads = (rows: DueRow[]): DueRow[] =>
      heads.length === 0 ? rows : [...rows, ...heads].sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.id - b.id);
    const few = this.#callbacksWithPending(FEW_CALLBACKS + 1);
    let picked: DueRow[];
    if (few.length <= FEW_CALLBACKS) {
      picked = pickWithinLimits(withHeads(this.#dueOf(few, now, load, perCallbackLimit)), load, limit, perCallbackLimit);
    } else {
      // Enough to fill the claim when callbacks have room; a wider walk mostly
      // reads the backlog of callbacks at their limit, on every claim.
      const window = Math.max(limit, 64);
      const walked = this.#db.all<DueRow>(
        `SELECT e.id, e.callback_id, e.next_attempt_at FROM events e INDEXED BY events_due
           CROSS JOIN callbacks c ON c.id = e.callback_id
         WHERE e.status = 'Pending' AND e.next_attempt_at <= @now
           AND (e.lease_until IS NULL OR e.lease_until <= @now)
           AND c.status = 'Active' AND c.deleted_at IS NULL AND (c.paused_until IS NULL OR c.paused_until <= @now)
           AND c.ordering <> 'fifo'
         ORDER BY e.next_attempt_at, e.id
         LIMIT @window`,
        { now, window },
      );
      picked = pickWithinLimits(withHeads(walked), load, limit, perCallbackLimit);
      if (walked.length === window && picked.length < limit) {
        const every = this.#callbacksWithPending(Number.MAX_SAFE_INTEGER);
        picked = pickWithinLimits(withHeads(this.#dueOf(every, now, load, perCallbackLimit)), load, limit, perCallbackLimit);
      }
    }
    if (picked.length === 0) return [];
    // One statement for the lot: most of a small write's cost is per statement.
    const leased = (
      this.#db.rawSql(
        `UPDATE events SET lease_owner = @workerId, lease_until = @leaseUntil
         WHERE id IN (SELECT value FROM json_each(@ids)) RETURNING ${JOB_EVENT_COLUMNS}`,
      ).all({ workerId, leaseUntil: now + leaseMs, ids: JSON.stringify(picked.map((row) => row.id)) }) as JobEventValues[]
    ).map(jobEventRow);
    const byId = new Map(leased.map((event) => [event.id, event]));
    const callbacks = new Map<number, JobCallbackRow>();
    return picked.map(({ id }) => {
      const event = byId.get(id) as JobEventRow;
      let callback = callbacks.get(event.callback_id);
      if (callback === undefined) {
        callback = this.#db.get<JobCallbackRow>(`SELECT ${JOB_CALLBACK_COLUMNS} FROM callbacks WHERE id = ?`, [
          event.callback_id,
        ]) as JobCallbackRow;
        callbacks.set(event.callback_id, callback);
      }
      return toJob(event, callback);
    });
  }

  /** Up to `most` callbacks that have Pending events, by a skip scan: one index seek each. */
  #callbacksWithPending(most: number): number[] {
    const next = this.#db.sql(
      `SELECT callback_id FROM events INDEXED BY events_due_by_callback
       WHERE status = 'Pending' AND callback_id > ? ORDER BY callback_id LIMIT 1`,
    ).pluck();
    const found: number[] = [];
    for (let id = next.get(0) as number | undefined; id !== undefined && found.length < most; id = next.get(id) as number | undefined) {
      found.push(id);
    }
    return found;
  }

  /**
   * The oldest due, unleased events of these callbacks that are Active, as
   * many of each as its live leases leave room for, in due order.
   */
  #dueOf(callbackIds: number[], now: number, load: ReadonlyMap<number, number>, perCallbackLimit: number): DueRow[] {
    const due = this.#db.sql(
      `SELECT e.id, e.callback_id, e.next_attempt_at
       FROM callbacks c CROSS JOIN events e INDEXED BY events_due_by_callback ON e.callback_id = c.id
       WHERE c.id = @callbackId AND c.status = 'Active' AND c.deleted_at IS NULL
         AND (c.paused_until IS NULL OR c.paused_until <= @now) AND c.ordering <> 'fifo'
         AND e.status = 'Pending' AND e.next_attempt_at <= @now AND (e.lease_until IS NULL OR e.lease_until <= @now)
       ORDER BY e.next_attempt_at, e.id
       LIMIT @room`,
    );
    const rows: DueRow[] = [];
    for (const callbackId of callbackIds) {
      const room = perCallbackLimit - (load.get(callbackId) ?? 0);
      if (room <= 0) continue;
      for (const row of due.all({ callbackId, now, room }) as DueRow[]) rows.push(row);
    }
    return rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.id - b.id);
  }

  /**
   * Of each Active FIFO callback with room, the lowest event of each key that
   * holds the key up (Pending, or Failed when the callback blocks on failure),
   * when it is due and unleased: one event in flight per key, and never a
   * later one before an earlier one is done. A dead worker's lease leaves its
   * event Pending, so the key waits for that lease to expire and the same
   * event goes again. Keys are found by a skip scan of events_fifo.
   */
  #fifoHeads(now: number, load: ReadonlyMap<number, number>, perCallbackLimit: number): DueRow[] {
    const callbacks = this.#db.all<{ id: number; block: number }>(
      `SELECT id, on_failure = 'block' AS block FROM callbacks INDEXED BY callbacks_fifo
       WHERE ordering = 'fifo' AND status = 'Active' AND deleted_at IS NULL AND (paused_until IS NULL OR paused_until <= ?)`,
      [now],
    );
    if (callbacks.length === 0) return [];
    const firstKey = this.#db.sql(
      `SELECT fifo_key FROM events INDEXED BY events_fifo
       WHERE callback_id = ? AND fifo_key IS NOT NULL AND status IN ('Pending', 'Failed')
       ORDER BY fifo_key LIMIT 1`,
    ).pluck();
    const nextKey = this.#db.sql(
      `SELECT fifo_key FROM events INDEXED BY events_fifo
       WHERE callback_id = ? AND fifo_key > ? AND fifo_key IS NOT NULL AND status IN ('Pending', 'Failed')
       ORDER BY fifo_key LIMIT 1`,
    ).pluck();
    const head = this.#db.sql(
      `SELECT id, callback_id, status, next_attempt_at, lease_until FROM events INDEXED BY events_fifo
       WHERE callback_id = @callbackId AND fifo_key = @key AND fifo_key IS NOT NULL AND status IN ('Pending', 'Failed')
         AND (status = 'Pending' OR @block)
       ORDER BY id LIMIT 1`,
    );
    const rows: DueRow[] = [];
    for (const { id: callbackId, block } of callbacks) {
      if (perCallbackLimit - (load.get(callbackId) ?? 0) <= 0) continue;
      for (let key = firstKey.get(callbackId) as string | undefined; key !== undefined; key = nextKey.get(callbackId, key) as string | undefined) {
        const first = head.get({ callbackId, key, block }) as
          | (DueRow & { status: string; lease_until: number | null })
          | undefined;
        if (
          first !== undefined &&
          first.status === 'Pending' &&
          first.next_attempt_at <= now &&
          (first.lease_until === null || first.lease_until <= now)
        ) {
          rows.push({ id: first.id, callback_id: first.callback_id, next_attempt_at: first.next_attempt_at });
        }
      }
    }
    return rows;
  }

  async record(results: AttemptResult[]): Promise<void> {
    if (results.length === 0) return;
    this.#db.writeRelaxed(() => this.#record(results));
  }

  async recordAndClaim(results: AttemptResult[], claim: ClaimRequest): Promise<DeliveryJob[]> {
    return this.#db.writeRelaxed(() => {
      this.#record(results);
      return this.claimInWrite(claim);
    });
  }

  /** Writes results; the caller holds the write transaction. */
  #record(results: AttemptResult[]): void {
    // Positional parameters: binding named ones costs a lookup per name, on
    // the two statements every delivery runs. Each starts with the same three.
    const attempted = 'attempts = attempts + 1, last_attempt_at = ?, last_http_status = ?, last_error = ?';
    // A Retry or Failed from a worker whose lease another worker has since
    // taken must not clear that worker's lease: only the holder decides.
    // Delivered always wins, since the receiver has the event.
    const delivered = this.#db.sql(
      `UPDATE events SET status = 'Delivered', ${attempted}, finished_at = ?, next_attempt_at = NULL,
         lease_owner = NULL, lease_until = NULL
       WHERE id = ? AND status = 'Pending'`,
    );
    const retry = this.#db.sql(
      `UPDATE events SET ${attempted}, next_attempt_at = ?, lease_owner = NULL, lease_until = NULL
       WHERE id = ? AND status = 'Pending' AND (lease_owner IS NULL OR lease_owner = ?)`,
    );
    const failed = this.#db.sql(
      `UPDATE events SET status = 'Failed', ${attempted}, finished_at = ?, next_attempt_at = NULL,
         lease_owner = NULL, lease_until = NULL
       WHERE id = ? AND status = 'Pending' AND (lease_owner IS NULL OR lease_owner = ?)`,
    );
    // Deferred: due again without using a retry, so the attempt raises max_attempts with attempts.
    const deferred = this.#db.sql(
      `UPDATE events SET ${attempted}, max_attempts = max_attempts + 1, next_attempt_at = ?, lease_owner = NULL,
         lease_until = NULL
       WHERE id = ? AND status = 'Pending' AND (lease_owner IS NULL OR lease_owner = ?)`,
    );
    const countOnly = this.#db.sql(`UPDATE events SET ${attempted} WHERE id = ?`);
    const insertAttempt = this.#db.sql(
      `INSERT INTO attempts (event_id, worker_id, started_at, duration_ms, http_status, error, response_headers, response_body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const result of results) {
      const { eventId, workerId, startedAt, durationMs, httpStatus, error, outcome, nextAttemptAt } = result;
      const finishedAt = startedAt + durationMs;
      const changed =
        outcome === 'Delivered'
          ? delivered.run(startedAt, httpStatus, error, finishedAt, eventId)
          : outcome === 'Retry'
            ? retry.run(startedAt, httpStatus, error, nextAttemptAt ?? finishedAt, eventId, workerId)
            : outcome === 'Deferred'
              ? deferred.run(startedAt, httpStatus, error, nextAttemptAt ?? finishedAt, eventId, workerId)
              : failed.run(startedAt, httpStatus, error, finishedAt, eventId, workerId);
      if (changed.changes === 0 && countOnly.run(startedAt, httpStatus, error, eventId).changes === 0) {
        // The event is gone (purged); there is nothing left to log against.
        continue;
      }
      insertAttempt.run(
        eventId,
        workerId,
        startedAt,
        durationMs,
        httpStatus,
        error,
        result.responseHeaders ?? null,
        result.responseBody ?? null,
      );
    }
    this.context.noteOutcomes(results);
  }

  async release(workerId: string, eventIds?: number[]): Promise<number> {
    const release = (): Database.RunResult =>
      eventIds === undefined
        ? this.#db.run(
            "UPDATE events SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ? AND status = 'Pending'",
            [workerId],
          )
        : this.#db.run(
            `UPDATE events SET lease_owner = NULL, lease_until = NULL
             WHERE lease_owner = ? AND status = 'Pending' AND id IN (SELECT value FROM json_each(?))`,
            [workerId, JSON.stringify(eventIds)],
          );
    const { changes } = this.#db.writeRelaxed(release);
    if (changes > 0) this.context.signalWork();
    return changes;
  }

  async queueStats(): Promise<QueueStats> {
    // events_due holds only Pending rows and carries their id, so this reads
    // the backlog and not the delivered history; ids grow with creation, so
    // the smallest is the oldest.
    return this.#db.read(() => {
      const row = this.#db.get<{ pending: number; oldest: number | null }>(
        `SELECT COUNT(*) AS pending, MIN(id) AS oldest FROM events INDEXED BY events_due WHERE status = 'Pending'`,
      ) as { pending: number; oldest: number | null };
      const oldestPendingAt =
        row.oldest === null
          ? null
          : (this.#db.get<{ at: number }>('SELECT created_at AS at FROM events WHERE id = ?', [row.oldest])?.at ?? null);
      return { pending: row.pending, oldestPendingAt };
    });
  }

  async nextDueAt(): Promise<number | null> {
    // Events whose callback is not Active are never claimed, so they must not
    // count here either, or an idle engine would wake for them forever.
    return this.#db.read(
      () =>
        this.#db.get<{ at: number }>(
          `SELECT e.next_attempt_at AS at FROM events e CROSS JOIN callbacks c ON c.id = e.callback_id
           WHERE e.status = 'Pending' AND e.lease_until IS NULL AND c.status = 'Active' AND c.deleted_at IS NULL
           ORDER BY e.next_attempt_at LIMIT 1`,
        )?.at ?? null,
    );
  }
}
