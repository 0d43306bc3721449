import type { Migration } from './migrations.js';

/** What a claim answers for each leased event: migration 11's columns, then the schedule and a notice's subject. */
export const JOB_COLUMNS = `
  id BIGINT, webhook_id TEXT, traceparent TEXT, callback_id BIGINT, event_type TEXT, network_id BIGINT, mailbox_id BIGINT,
  ecgrid_id BIGINT, parcel_id BIGINT, file_name TEXT, is_test BOOLEAN, created_at BIGINT, attempts INTEGER,
  max_attempts INTEGER, lease_owner TEXT, lease_until BIGINT, url TEXT, frequency INTEGER, secret TEXT,
  previous_secret TEXT, previous_secret_expires_at BIGINT, basic_auth TEXT, custom_headers TEXT,
  retry_schedule TEXT, subject_callback_id BIGINT
`;

/**
 * Delivery policies: a callback's retry schedule, its endpoint health
 * (failing since, suspended by gridhook and why, paused by a receiver's
 * Retry-After), the callback a CallBackSuspended event reports, a network's
 * own auto-suspend period, and replay jobs with their progress.
 *
 * callbacks_failing finds what the health job may suspend without reading
 * healthy callbacks. A replay walks events_by_callback (callback, created_at,
 * id) from its cursor, so each batch reads only the events it looks at.
 *
 * The functions of migration 11 are replaced whole, unchanged but for this:
 * claim_events skips a callback its receiver paused and answers the
 * callback's retry_schedule and a notice's subject_callback_id;
 * record_attempts takes each result's pause (p_pauses), records Deferred
 * (due again, max_attempts raised with attempts) and notes the callbacks'
 * health in the same statement; both also take the receiver's answer
 * (p_headers, p_bodies: migration 12's columns) and record_and_claim passes
 * everything on.
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

DROP FUNCTION record_and_claim(BIGINT[], TEXT[], BIGINT[], INTEGER[], INTEGER[], TEXT[], TEXT[], BIGINT[], TEXT[],
  TEXT, BIGINT, BIGINT, INTEGER, INTEGER);
DROP FUNCTION record_attempts(BIGINT[], TEXT[], BIGINT[], INTEGER[], INTEGER[], TEXT[], TEXT[], BIGINT[], TEXT[]);
DROP FUNCTION claim_events(TEXT, BIGINT, BIGINT, INTEGER, INTEGER, BOOLEAN);

CREATE FUNCTION claim_events(
  p_worker TEXT, p_now BIGINT, p_lease_until BIGINT, p_limit INTEGER, p_per_callback INTEGER, p_durable BOOLEAN
) RETURNS TABLE (${JOB_COLUMNS})
LANGUAGE plpgsql VOLATILE
SET search_path FROM CURRENT
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
SET enable_bitmapscan = off
SET enable_sort = off
SET jit = off
AS $fn$
#variable_conflict use_column
DECLARE
  v_callbacks BIGINT[];
BEGIN
  IF p_limit <= 0 OR p_per_callback <= 0 THEN
    RETURN;
  END IF;
  IF NOT p_durable THEN
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;

  -- The Active callbacks with Pending events: a skip scan, one probe each.
  WITH RECURSIVE pending (callback_id) AS (
    SELECT (SELECT e.callback_id FROM events e WHERE e.status = 'Pending' ORDER BY e.callback_id LIMIT 1)
    UNION ALL
    SELECT (
      SELECT e.callback_id FROM events e WHERE e.status = 'Pending' AND e.callback_id > p.callback_id
      ORDER BY e.callback_id LIMIT 1
    )
    FROM pending p
    WHERE p.callback_id IS NOT NULL
  )
  SELECT array_agg(p.callback_id) INTO v_callbacks
  FROM pending p
  WHERE p.callback_id IS NOT NULL
    AND EXISTS (
      SELECT 1 FROM callbacks c WHERE c.id = p.callback_id AND c.status = 'Active' AND c.deleted_at IS NULL
        AND (c.paused_until IS NULL OR c.paused_until <= p_now)
    );

  IF v_callbacks IS NULL THEN
    RETURN;
  END IF;

  -- Slots for a callback seen for the first time, or after the limit was raised.
  INSERT INTO lease_slots (callback_id, slot)
  SELECT cb.id, s.slot
  FROM unnest(v_callbacks) AS cb (id) CROSS JOIN generate_series(0, p_per_callback - 1) AS s (slot)
  WHERE NOT EXISTS (SELECT 1 FROM lease_slots l WHERE l.callback_id = cb.id AND l.slot = p_per_callback - 1)
  ON CONFLICT DO NOTHING;

  RETURN QUERY
  WITH free AS MATERIALIZED (
    SELECT f.callback_id, f.slot, row_number() OVER (PARTITION BY f.callback_id ORDER BY f.slot) AS n
    FROM unnest(v_callbacks) AS cb (id)
    CROSS JOIN LATERAL (
      SELECT l.callback_id, l.slot FROM lease_slots l
      WHERE l.callback_id = cb.id AND l.slot < p_per_callback AND l.until <= p_now
      ORDER BY l.slot
      LIMIT p_limit
      FOR UPDATE SKIP LOCKED
    ) f
  ), room AS (
    SELECT free.callback_id, count(*) AS n FROM free GROUP BY free.callback_id
  ), due AS MATERIALIZED (
    SELECT d.id, d.callback_id, d.next_attempt_at,
      row_number() OVER (PARTITION BY d.callback_id ORDER BY d.next_attempt_at, d.id) AS n
    FROM room
    CROSS JOIN LATERAL (
      SELECT e.id, e.callback_id, e.next_attempt_at FROM events e
      -- Not "e.callback_id = room.callback_id": that would make callback_id a
      -- constant of the ORDER BY, which events_due then satisfies too, and the
      -- planner may walk it filtering on callback_id (through every other
      -- callback's backlog). As written, only events_due_by_callback yields
      -- this order, and sorting is off.
      WHERE e.callback_id = ANY (ARRAY[room.callback_id]) AND e.status = 'Pending' AND e.next_attempt_at <= p_now
        AND (e.lease_until IS NULL OR e.lease_until <= p_now)
      ORDER BY e.callback_id, e.next_attempt_at, e.id
      LIMIT room.n
      FOR UPDATE SKIP LOCKED
    ) d
  ), chosen AS MATERIALIZED (
    SELECT due.id, due.callback_id, due.next_attempt_at, free.slot
    FROM due JOIN free ON free.callback_id = due.callback_id AND free.n = due.n
    ORDER BY due.next_attempt_at, due.id
    LIMIT p_limit
  ), granted AS (
    UPDATE lease_slots l SET event_id = ch.id, owner = p_worker, until = p_lease_until
    FROM chosen ch
    WHERE l.callback_id = ch.callback_id AND l.slot = ch.slot
  ), leased AS (
    UPDATE events e SET lease_owner = p_worker, lease_until = p_lease_until
    FROM chosen ch
    WHERE e.id = ch.id
    RETURNING e.id, e.webhook_id, e.traceparent, e.callback_id, e.event_type, e.network_id, e.mailbox_id, e.ecgrid_id,
      e.parcel_id, e.file_name, e.is_test, e.created_at, e.attempts, e.max_attempts, e.lease_owner, e.lease_until,
      e.subject_callback_id, ch.next_attempt_at
  )
  SELECT leased.id, leased.webhook_id, leased.traceparent, leased.callback_id, leased.event_type, leased.network_id,
    leased.mailbox_id, leased.ecgrid_id, leased.parcel_id, leased.file_name, leased.is_test, leased.created_at,
    leased.attempts, leased.max_attempts, leased.lease_owner, leased.lease_until,
    c.url, c.frequency, c.secret, c.previous_secret, c.previous_secret_expires_at, c.basic_auth, c.custom_headers,
    c.retry_schedule, leased.subject_callback_id
  FROM leased
  CROSS JOIN LATERAL (SELECT * FROM callbacks c WHERE c.id = leased.callback_id LIMIT 1) c
  ORDER BY leased.next_attempt_at, leased.id;
END
$fn$;

CREATE FUNCTION record_attempts(
  p_event_ids BIGINT[], p_workers TEXT[], p_started BIGINT[], p_durations INTEGER[], p_statuses INTEGER[],
  p_errors TEXT[], p_outcomes TEXT[], p_next BIGINT[], p_keys TEXT[], p_pauses BIGINT[], p_headers TEXT[],
  p_bodies TEXT[]
) RETURNS VOID
LANGUAGE plpgsql VOLATILE
SET search_path FROM CURRENT
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
SET jit = off
AS $fn$
#variable_conflict use_column
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  WITH input AS (
    SELECT * FROM unnest(p_event_ids, p_workers, p_started, p_durations, p_statuses, p_errors, p_outcomes, p_next, p_keys,
                         p_pauses, p_headers, p_bodies)
      WITH ORDINALITY AS r (event_id, worker_id, started_at, duration_ms, http_status, error, outcome, next_attempt_at,
                            attempt_key, pause_until, response_headers, response_body, ord)
  ), decided AS (
    UPDATE events e SET
      status = CASE WHEN r.outcome IN ('Retry', 'Deferred') THEN 'Pending' ELSE r.outcome END,
      attempts = e.attempts + 1,
      max_attempts = CASE r.outcome WHEN 'Deferred' THEN e.max_attempts + 1 ELSE e.max_attempts END,
      last_attempt_at = r.started_at,
      last_http_status = r.http_status,
      last_error = r.error,
      last_attempt_key = r.attempt_key,
      finished_at = CASE WHEN r.outcome IN ('Retry', 'Deferred') THEN e.finished_at ELSE r.started_at + r.duration_ms END,
      next_attempt_at = CASE WHEN r.outcome IN ('Retry', 'Deferred')
        THEN COALESCE(r.next_attempt_at, r.started_at + r.duration_ms) END,
      lease_owner = NULL,
      lease_until = NULL
    FROM input r
    WHERE e.id = r.event_id AND e.status = 'Pending'
      AND (r.outcome = 'Delivered' OR e.lease_owner IS NULL OR e.lease_owner = r.worker_id)
      AND (r.attempt_key IS NULL OR e.last_attempt_key IS DISTINCT FROM r.attempt_key)
    RETURNING e.id, e.callback_id, r.worker_id
  ), counted AS (
    UPDATE events e SET
      attempts = e.attempts + 1,
      last_attempt_at = r.started_at,
      last_http_status = r.http_status,
      last_error = r.error,
      last_attempt_key = r.attempt_key
    FROM input r
    WHERE e.id = r.event_id AND e.id NOT IN (SELECT decided.id FROM decided)
      AND (r.attempt_key IS NULL OR e.last_attempt_key IS DISTINCT FROM r.attempt_key)
    RETURNING e.id, e.callback_id, r.worker_id
  ), written AS (
    SELECT * FROM decided UNION ALL SELECT * FROM counted
  ), freed AS (
    UPDATE lease_slots l SET until = 0
    FROM written w
    WHERE l.callback_id = w.callback_id AND l.event_id = w.id AND l.owner = w.worker_id AND l.until > 0
  ), outcomes AS (
    -- Endpoint health: a failure starts failing_since, a success ends it, a
    -- receiver's pause moves paused_until on. Written results only, so a
    -- result written again changes nothing.
    SELECT w.callback_id, bool_or(r.outcome = 'Delivered') AS any_delivered,
           min(r.started_at) FILTER (WHERE r.outcome <> 'Delivered') AS first_failure, max(r.pause_until) AS pause
    FROM written w JOIN input r ON r.event_id = w.id
    GROUP BY w.callback_id
  ), health AS (
    -- The guard leaves callbacks whose state does not change unwritten (and unlocked).
    UPDATE callbacks c SET
      failing_since = CASE WHEN o.any_delivered THEN NULL ELSE COALESCE(c.failing_since, o.first_failure) END,
      paused_until = CASE WHEN o.pause IS NULL THEN c.paused_until ELSE GREATEST(c.paused_until, o.pause) END
    FROM outcomes o
    WHERE c.id = o.callback_id
      AND (o.pause IS NOT NULL OR (o.any_delivered AND c.failing_since IS NOT NULL)
           OR (NOT o.any_delivered AND c.failing_since IS NULL))
  )
  INSERT INTO attempts (event_id, worker_id, started_at, duration_ms, http_status, error, response_headers, response_body)
  SELECT r.event_id, r.worker_id, r.started_at, r.duration_ms, r.http_status, r.error, r.response_headers, r.response_body
  FROM input r
  WHERE r.event_id IN (SELECT written.id FROM written)
  ORDER BY r.ord;
END
$fn$;

CREATE FUNCTION record_and_claim(
  p_event_ids BIGINT[], p_workers TEXT[], p_started BIGINT[], p_durations INTEGER[], p_statuses INTEGER[],
  p_errors TEXT[], p_outcomes TEXT[], p_next BIGINT[], p_keys TEXT[], p_pauses BIGINT[], p_headers TEXT[],
  p_bodies TEXT[], p_worker TEXT, p_now BIGINT, p_lease_until BIGINT, p_limit INTEGER, p_per_callback INTEGER
) RETURNS TABLE (${JOB_COLUMNS})
LANGUAGE plpgsql VOLATILE
SET search_path FROM CURRENT
AS $fn$
BEGIN
  PERFORM record_attempts(
    p_event_ids, p_workers, p_started, p_durations, p_statuses, p_errors, p_outcomes, p_next, p_keys, p_pauses,
    p_headers, p_bodies
  );
  RETURN QUERY SELECT * FROM claim_events(p_worker, p_now, p_lease_until, p_limit, p_per_callback, FALSE);
END
$fn$;
`,
};
