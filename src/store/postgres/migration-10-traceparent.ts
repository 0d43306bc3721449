import type { Migration } from './migrations.js';

/**
 * The W3C traceparent of the request that published an event (NULL when
 * tracing is off or the event came another way), so each delivery attempt's
 * span joins the publisher's trace and the receiver gets it as a header.
 *
 * claim_due_events returns it: its result columns are fixed, so the function
 * is replaced whole, unchanged but for traceparent.
 */
export const TRACEPARENT_MIGRATION: Migration = {
  version: 10,
  name: 'event traceparent',
  sql: `
ALTER TABLE events ADD COLUMN traceparent TEXT;

DROP FUNCTION claim_due_events(TEXT, BIGINT, BIGINT, INTEGER, INTEGER);
CREATE FUNCTION claim_due_events(
  p_worker TEXT, p_now BIGINT, p_lease_until BIGINT, p_limit INTEGER, p_per_callback INTEGER
) RETURNS TABLE (
  id BIGINT, webhook_id TEXT, traceparent TEXT, callback_id BIGINT, event_type TEXT, network_id BIGINT, mailbox_id BIGINT,
  ecgrid_id BIGINT, parcel_id BIGINT, file_name TEXT, is_test BOOLEAN, created_at BIGINT, attempts INTEGER,
  max_attempts INTEGER, next_attempt_at BIGINT, lease_owner TEXT, lease_until BIGINT, url TEXT, frequency INTEGER,
  secret TEXT, previous_secret TEXT, previous_secret_expires_at BIGINT
)
LANGUAGE plpgsql VOLATILE
SET search_path FROM CURRENT
SET enable_seqscan = off
SET enable_bitmapscan = off
SET enable_sort = off
SET jit = off
AS $fn$
#variable_conflict use_column
DECLARE
  v_lock_space INTEGER := hashtext(current_schema() || '.claim_due_events');
  v_window INTEGER := greatest(4 * p_limit, 64);
  v_walked INTEGER;
  v_last_walked_at BIGINT;
  v_last_walked_id BIGINT;
  v_candidates BIGINT[];
  v_picked INTEGER;
  v_last_picked_at BIGINT;
  v_last_picked_id BIGINT;
  v_chosen BIGINT[];
  v_callbacks BIGINT[];
  v_events BIGINT[];
BEGIN
  SELECT count(*), array_agg(DISTINCT w.callback_id),
         (array_agg(w.next_attempt_at ORDER BY w.next_attempt_at DESC, w.id DESC))[1],
         (array_agg(w.id ORDER BY w.next_attempt_at DESC, w.id DESC))[1]
  INTO v_walked, v_candidates, v_last_walked_at, v_last_walked_id
  FROM (
    SELECT e.callback_id, e.next_attempt_at, e.id
    FROM events e
    WHERE e.status = 'Pending' AND e.next_attempt_at <= p_now AND (e.lease_until IS NULL OR e.lease_until <= p_now)
    ORDER BY e.next_attempt_at, e.id
    LIMIT v_window
  ) w;

  SELECT count(*), array_agg(DISTINCT c.callback_id),
         (array_agg(c.next_attempt_at ORDER BY c.next_attempt_at DESC, c.id DESC))[1],
         (array_agg(c.id ORDER BY c.next_attempt_at DESC, c.id DESC))[1]
  INTO v_picked, v_chosen, v_last_picked_at, v_last_picked_id
  FROM claimable_events(v_candidates, p_now, p_limit, p_per_callback) c;

  IF v_walked = v_window
     AND (v_picked < p_limit OR (v_last_picked_at, v_last_picked_id) > (v_last_walked_at, v_last_walked_id)) THEN
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
    SELECT array_agg(p.callback_id) INTO v_candidates FROM pending p WHERE p.callback_id IS NOT NULL;

    SELECT array_agg(DISTINCT c.callback_id) INTO v_chosen
    FROM claimable_events(v_candidates, p_now, p_limit, p_per_callback) c;
  END IF;

  SELECT array_agg(chosen.callback_id) INTO v_callbacks
  FROM unnest(v_chosen) AS chosen (callback_id)
  WHERE pg_try_advisory_xact_lock(v_lock_space, (chosen.callback_id % 2147483647)::INTEGER);

  IF v_callbacks IS NULL THEN
    RETURN;
  END IF;

  SELECT array_agg(c.id) INTO v_events FROM claimable_events(v_callbacks, p_now, p_limit, p_per_callback) c;

  RETURN QUERY
  WITH locked AS MATERIALIZED (
    SELECT e.id, e.callback_id, e.status, e.next_attempt_at, e.lease_until
    FROM events e WHERE e.id = ANY (v_events)
    FOR UPDATE SKIP LOCKED
  ), leased AS (
    UPDATE events e
    SET lease_owner = p_worker, lease_until = p_lease_until
    WHERE e.id = ANY (ARRAY(
      SELECT l.id FROM locked l
      CROSS JOIN LATERAL (SELECT c.status, c.deleted_at FROM callbacks c WHERE c.id = l.callback_id LIMIT 1) c
      WHERE l.status = 'Pending' AND l.next_attempt_at <= p_now
        AND (l.lease_until IS NULL OR l.lease_until <= p_now)
        AND c.status = 'Active' AND c.deleted_at IS NULL
    ))
    RETURNING e.id, e.webhook_id, e.traceparent, e.callback_id, e.event_type, e.network_id, e.mailbox_id, e.ecgrid_id, e.parcel_id,
      e.file_name, e.is_test, e.created_at, e.attempts, e.max_attempts, e.next_attempt_at, e.lease_owner, e.lease_until
  )
  SELECT leased.id, leased.webhook_id, leased.traceparent, leased.callback_id, leased.event_type, leased.network_id, leased.mailbox_id,
    leased.ecgrid_id, leased.parcel_id, leased.file_name, leased.is_test, leased.created_at, leased.attempts,
    leased.max_attempts, leased.next_attempt_at, leased.lease_owner, leased.lease_until,
    c.url, c.frequency, c.secret, c.previous_secret, c.previous_secret_expires_at
  FROM leased
  CROSS JOIN LATERAL (
    SELECT c.url, c.frequency, c.secret, c.previous_secret, c.previous_secret_expires_at
    FROM callbacks c WHERE c.id = leased.callback_id LIMIT 1
  ) c
  ORDER BY leased.next_attempt_at, leased.id;
END
$fn$;
`,
};
