/**
 * Replay jobs on PostgreSQL; PostgresStore's replay methods delegate here.
 *
 * A job walks its callback's events in (created_at, id) order from a cursor
 * kept in the job row, a bounded batch per transaction, so a million
 * matching events never hold many row locks nor sit in memory. The job row
 * is locked for the batch, so processes running one job take turns. A
 * replayed event keeps its eventId and webhook-id and gets a fresh set of
 * retries, as a retry does.
 */
import { fifoKeySql } from '../fifo-key-sql.js';
import { toReplayJob, type ReplayJobRow } from '../replay-rows.js';
import type { NewReplayJob, ReplayJob } from '../store.js';
import type { PostgresDatabase } from './database.js';

export interface PostgresReplayContext {
  db: PostgresDatabase;
  signalWork(): void;
}

export class PostgresReplays {
  constructor(private readonly context: PostgresReplayContext) {}

  async create(input: NewReplayJob): Promise<ReplayJob> {
    const [row] = await this.context.db.query<ReplayJobRow>(
      `INSERT INTO replay_jobs (callback_id, created_from, created_before, statuses, user_id, status,
                                cursor_created_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'Running', $2, $6, $6)
       RETURNING *`,
      [input.callbackId, input.since, input.until, JSON.stringify(input.statuses), input.userId, input.now],
    );
    return toReplayJob(row as ReplayJobRow);
  }

  async get(replayId: number): Promise<ReplayJob | null> {
    const [row] = await this.context.db.query<ReplayJobRow>('SELECT * FROM replay_jobs WHERE id = $1', [replayId]);
    return row ? toReplayJob(row) : null;
  }

  async listRunning(limit: number): Promise<ReplayJob[]> {
    const rows = await this.context.db.query<ReplayJobRow>(
      `SELECT * FROM replay_jobs WHERE status = 'Running' ORDER BY id LIMIT $1`,
      [limit],
    );
    return rows.map(toReplayJob);
  }

  async runBatch(replayId: number, batchSize: number, now: number): Promise<ReplayJob | null> {
    const { db } = this.context;
    const query = db.query.bind(db);
    let replayedNow = 0;
    const row = await db.transaction(async (tx): Promise<ReplayJobRow | undefined> => {
      const [job] = await query<ReplayJobRow>('SELECT * FROM replay_jobs WHERE id = $1 FOR UPDATE', [replayId], tx);
      if (!job || job.status !== 'Running') return job;
      const seen = await query<{ id: number; created_at: number; status: string }>(
        `SELECT id, created_at, status FROM events
         WHERE callback_id = $1 AND created_at < $2 AND (created_at, id) > ($3::BIGINT, $4::BIGINT)
         ORDER BY created_at, id
         LIMIT $5`,
        [job.callback_id, job.created_before, job.cursor_created_at, job.last_event_id, batchSize],
        tx,
      );
      const wanted = new Set(JSON.parse(job.statuses) as string[]);
      const ids = seen.filter((event) => wanted.has(event.status)).map((event) => event.id);
      if (ids.length > 0) {
        const replayed = await query<{ id: number }>(
          `UPDATE events e SET status = 'Pending', next_attempt_at = $2, finished_at = NULL, lease_owner = NULL,
             lease_until = NULL, max_attempts = e.attempts + 1 + c.retries, fifo_key = ${fifoKeySql('c', 'e.parcel_id')}
           FROM callbacks c
           WHERE e.id = ANY ($1::BIGINT[]) AND c.id = e.callback_id AND e.status <> 'Pending'
           RETURNING e.id`,
          [ids, now],
          tx,
        );
        replayedNow = replayed.length;
        if (replayedNow > 0) db.notifyWork(tx);
      }
      const last = seen.at(-1);
      const done = seen.length < batchSize;
      const [updated] = await query<ReplayJobRow>(
        `UPDATE replay_jobs SET replayed = replayed + $2, scanned = scanned + $3, cursor_created_at = $4,
           last_event_id = $5, updated_at = $6, status = $7, finished_at = $8
         WHERE id = $1 RETURNING *`,
        [
          replayId,
          replayedNow,
          seen.length,
          last?.created_at ?? job.cursor_created_at,
          last?.id ?? job.last_event_id,
          now,
          done ? 'Completed' : 'Running',
          done ? now : null,
        ],
        tx,
      );
      return updated;
    });
    if (replayedNow > 0) this.context.signalWork();
    return row ? toReplayJob(row) : null;
  }
}
