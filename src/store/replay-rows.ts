/** Replay jobs as both stores read them. */
import type { EventStatus } from '../domain/types.js';
import type { ReplayJob } from './store.js';

export interface ReplayJobRow {
  id: number;
  callback_id: number;
  created_from: number;
  created_before: number;
  /** JSON array of statuses. */
  statuses: string;
  user_id: number;
  status: 'Running' | 'Completed';
  replayed: number;
  scanned: number;
  cursor_created_at: number;
  last_event_id: number;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export function toReplayJob(row: ReplayJobRow): ReplayJob {
  return {
    replayId: row.id,
    callbackId: row.callback_id,
    since: row.created_from,
    until: row.created_before,
    statuses: JSON.parse(row.statuses) as EventStatus[],
    userId: row.user_id,
    status: row.status,
    replayed: row.replayed,
    scanned: row.scanned,
    lastEventId: row.last_event_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}
