/**
 * Replay jobs on SQLite; SqliteStore's replay methods delegate here.
 *
 * A job walks its callback's events in (created_at, id) order from a cursor
 * kept in the job row, a bounded batch per write transaction, so a million
 * matching events never hold the one writer for long nor sit in memory.
 * A replayed event keeps its eventId and webhook-id and gets a fresh set of
 * retries, as a retry does.
 */
import { fifoKeySql } from '../fifo-key-sql.js';
import { toReplayJob, type ReplayJobRow } from '../replay-rows.js';
import type { NewReplayJob, ReplayJob } from '../store.js';
import type { SqliteDatabase } from './database.js';

export interface SqliteReplayContext {
  db: SqliteDatabase;
  signalWork(): void;
}

export class SqliteReplays {
  constructor(private readonly context: SqliteReplayContext) {}

  #sql(source: string) {
    return this.context.db.sql(source);
  }

  create(input: NewReplayJob): ReplayJob {
    const row = this.context.db.write(
      () =>
        this.#sql(
          `INSERT INTO replay_jobs (callback_id, created_from, created_before, statuses, user_id, status,
                                    cursor_created_at, created_at, updated_at)
           VALUES (@callbackId, @since, @until, @statuses, @userId, 'Running', @since, @now, @now)
           RETURNING *`,
        ).get({ ...input, statuses: JSON.stringify(input.statuses) }) as ReplayJobRow,
    );
    return toReplayJob(row);
  }

  get(replayId: number): ReplayJob | null {
    const row = this.#sql('SELECT * FROM replay_jobs WHERE id = ?').get(replayId) as ReplayJobRow | undefined;
    return row ? toReplayJob(row) : null;
  }

  listRunning(limit: number): ReplayJob[] {
    return (
      this.#sql(`SELECT * FROM replay_jobs WHERE status = 'Running' ORDER BY id LIMIT ?`).all(limit) as ReplayJobRow[]
    ).map(toReplayJob);
  }

  runBatch(replayId: number, batchSize: number, now: number): ReplayJob | null {
    let replayedNow = 0;
    const row = this.context.db.write((): ReplayJobRow | undefined => {
      const job = this.#sql('SELECT * FROM replay_jobs WHERE id = ?').get(replayId) as ReplayJobRow | undefined;
      if (!job || job.status !== 'Running') return job;
      const seen = this.#sql(
        `SELECT id, created_at, status FROM events
         WHERE callback_id = @callbackId AND created_at < @before
           AND (created_at > @cursorAt OR (created_at = @cursorAt AND id > @cursorId))
         ORDER BY created_at, id
         LIMIT @batchSize`,
      ).all({
        callbackId: job.callback_id,
        before: job.created_before,
        cursorAt: job.cursor_created_at,
        cursorId: job.last_event_id,
        batchSize,
      }) as { id: number; created_at: number; status: string }[];
      const wanted = new Set(JSON.parse(job.statuses) as string[]);
      const ids = seen.filter((event) => wanted.has(event.status)).map((event) => event.id);
      if (ids.length > 0) {
        replayedNow = this.#sql(
          `UPDATE events SET status = 'Pending', next_attempt_at = @now, finished_at = NULL, lease_owner = NULL,
             lease_until = NULL,
             max_attempts = attempts + 1 + (SELECT retries FROM callbacks WHERE id = events.callback_id),
             fifo_key = (SELECT ${fifoKeySql('c', 'events.parcel_id')} FROM callbacks c WHERE c.id = events.callback_id)
           WHERE id IN (SELECT value FROM json_each(@ids)) AND status <> 'Pending'`,
        ).run({ now, ids: JSON.stringify(ids) }).changes;
      }
      const last = seen.at(-1);
      return this.#sql(
        `UPDATE replay_jobs SET replayed = replayed + @replayed, scanned = scanned + @scanned,
           cursor_created_at = @cursorAt, last_event_id = @cursorId, updated_at = @now,
           status = @status, finished_at = @finishedAt
         WHERE id = @replayId RETURNING *`,
      ).get({
        replayId,
        replayed: replayedNow,
        scanned: seen.length,
        cursorAt: last?.created_at ?? job.cursor_created_at,
        cursorId: last?.id ?? job.last_event_id,
        now,
        status: seen.length < batchSize ? 'Completed' : 'Running',
        finishedAt: seen.length < batchSize ? now : null,
      }) as ReplayJobRow;
    });
    if (replayedNow > 0) this.context.signalWork();
    return row ? toReplayJob(row) : null;
  }
}
