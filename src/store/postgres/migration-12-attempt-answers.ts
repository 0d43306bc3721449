import type { Migration } from './migrations.js';
import { JOB_COLUMNS } from './migration-11-lease-slots.js';

/**
 * What a receiver answered, for the attempt log: its header block and the
 * first part of its body, both cleaned and cut short before they are stored
 * (delivery/outcome.ts). NULL when no answer came, and on attempts made before.
 *
 * record_attempts and record_and_claim take them as two more arrays: new
 * overloads, the same but for those, beside the old ones, which stay for
 * processes of the previous version during a rolling upgrade (their
 * attempts are logged without an answer).
 */
export const ATTEMPT_ANSWERS_MIGRATION: Migration = {
  version: 12,
  name: 'attempt answers',
  sql: `
ALTER TABLE attempts ADD COLUMN response_headers TEXT;
ALTER TABLE attempts ADD COLUMN response_body TEXT;

CREATE FUNCTION record_attempts(
  p_event_ids BIGINT[], p_workers TEXT[], p_started BIGINT[], p_durations INTEGER[], p_statuses INTEGER[],
  p_errors TEXT[], p_outcomes TEXT[], p_next BIGINT[], p_keys TEXT[], p_headers TEXT[], p_bodies TEXT[]
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
                         p_headers, p_bodies)
      WITH ORDINALITY AS r (event_id, worker_id, started_at, duration_ms, http_status, error, outcome, next_attempt_at,
                            attempt_key, response_headers, response_body, ord)
  ), decided AS (
    UPDATE events e SET
      status = CASE r.outcome WHEN 'Retry' THEN 'Pending' ELSE r.outcome END,
      attempts = e.attempts + 1,
      last_attempt_at = r.started_at,
      last_http_status = r.http_status,
      last_error = r.error,
      last_attempt_key = r.attempt_key,
      finished_at = CASE r.outcome WHEN 'Retry' THEN e.finished_at ELSE r.started_at + r.duration_ms END,
      next_attempt_at = CASE r.outcome
        WHEN 'Retry' THEN COALESCE(r.next_attempt_at, r.started_at + r.duration_ms) END,
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
  p_errors TEXT[], p_outcomes TEXT[], p_next BIGINT[], p_keys TEXT[], p_headers TEXT[], p_bodies TEXT[],
  p_worker TEXT, p_now BIGINT, p_lease_until BIGINT, p_limit INTEGER, p_per_callback INTEGER
) RETURNS TABLE (${JOB_COLUMNS})
LANGUAGE plpgsql VOLATILE
SET search_path FROM CURRENT
AS $fn$
BEGIN
  PERFORM record_attempts(p_event_ids, p_workers, p_started, p_durations, p_statuses, p_errors, p_outcomes, p_next, p_keys,
                          p_headers, p_bodies);
  RETURN QUERY SELECT * FROM claim_events(p_worker, p_now, p_lease_until, p_limit, p_per_callback, FALSE);
END
$fn$;
`,
};
