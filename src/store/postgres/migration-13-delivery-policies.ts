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
ALTER TABLE callbacks ADD COLUMN failing_since BIGINT;
ALTER TABLE callbacks ADD COLUMN suspended_by_gridhook_at BIGINT;
ALTER TABLE callbacks ADD COLUMN suspend_reason TEXT;
ALTER TABLE callbacks ADD COLUMN paused_until BIGINT;
CREATE INDEX callbacks_failing ON callbacks (failing_since)
  WHERE failing_since IS NOT NULL AND status = 'Active' AND deleted_at IS NULL;

ALTER TABLE events ADD COLUMN subject_callback_id BIGINT;

ALTER TABLE networks ADD COLUMN auto_suspend_after_seconds INTEGER;

CREATE TABLE replay_jobs (
  id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  callback_id        BIGINT NOT NULL,
  created_from       BIGINT NOT NULL,
  created_before     BIGINT NOT NULL,
  statuses           TEXT    NOT NULL,
  user_id            BIGINT NOT NULL,
  status             TEXT    NOT NULL,
  replayed           BIGINT NOT NULL DEFAULT 0,
  scanned            BIGINT NOT NULL DEFAULT 0,
  cursor_created_at  BIGINT NOT NULL,
  last_event_id      BIGINT NOT NULL DEFAULT 0,
  created_at         BIGINT NOT NULL,
  updated_at         BIGINT NOT NULL,
  finished_at        BIGINT
);
CREATE INDEX replay_jobs_running ON replay_jobs (id) WHERE status = 'Running';
`,
};
