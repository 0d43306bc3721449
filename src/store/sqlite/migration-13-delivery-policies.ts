import type { Migration } from './migrations.js';

/**
 * Delivery policies: a callback's retry schedule, its endpoint health
 * (failing since, suspended by gridhook and why, paused by a receiver's
 * Retry-After), the callback a CallBackSuspended event reports, a network's
 * own auto-suspend period, and replay jobs with their progress.
 *
 * callbacks_failing finds what the health job may suspend without reading
 * healthy callbacks. A replay walks events_by_callback (callback, created_at,
 * id) from its cursor, so each batch reads only the events it looks at.
 */
export const DELIVERY_POLICIES_MIGRATION: Migration = {
  version: 13,
  name: 'retry schedules, endpoint health and replays',
  sql: `
ALTER TABLE callbacks ADD COLUMN retry_schedule TEXT;
ALTER TABLE callbacks ADD COLUMN failing_since INTEGER;
ALTER TABLE callbacks ADD COLUMN suspended_by_gridhook_at INTEGER;
ALTER TABLE callbacks ADD COLUMN suspend_reason TEXT;
ALTER TABLE callbacks ADD COLUMN paused_until INTEGER;
CREATE INDEX callbacks_failing ON callbacks (failing_since)
  WHERE failing_since IS NOT NULL AND status = 'Active' AND deleted_at IS NULL;

ALTER TABLE events ADD COLUMN subject_callback_id INTEGER;

ALTER TABLE networks ADD COLUMN auto_suspend_after_seconds INTEGER;

CREATE TABLE replay_jobs (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  callback_id        INTEGER NOT NULL,
  created_from       INTEGER NOT NULL,
  created_before     INTEGER NOT NULL,
  statuses           TEXT    NOT NULL,
  user_id            INTEGER NOT NULL,
  status             TEXT    NOT NULL,
  replayed           INTEGER NOT NULL DEFAULT 0,
  scanned            INTEGER NOT NULL DEFAULT 0,
  cursor_created_at  INTEGER NOT NULL,
  last_event_id      INTEGER NOT NULL DEFAULT 0,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  finished_at        INTEGER
);
CREATE INDEX replay_jobs_running ON replay_jobs (id) WHERE status = 'Running';
`,
};
