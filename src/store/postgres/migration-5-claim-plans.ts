import type { Migration } from './migrations.js';

/**
 * The claim, made independent of the planner's statistics on events.
 *
 * Before autovacuum has analyzed events after a bulk load, or with statistics
 * from when the queue looked different, migration 1's claim read the whole
 * backlog. Plans seen on PostgreSQL 15 with 1,000,000 due events of one
 * callback and 1,000 of another:
 *   - never analyzed: the lease UPDATE joined from callbacks through
 *     events_due_by_callback (guessing 2 events per callback), semi-joining
 *     every event to the few locked ids (3 to 4.5 s); the walk read all of
 *     events_due through a bitmap heap scan and a top-N sort (0.3 to 0.5 s);
 *   - analyzed before the second callback's events came: its pick walked
 *     events_due filtering on callback_id, through the first callback's
 *     backlog (0.4 s per claim);
 *   - analyzed while only Delivered events existed: all of the above, and
 *     the skip scan computed min(callback_id) over a whole index (5 s).
 * Each step is meant to be a few index probes, so each now leaves the
 * planner no cheaper-looking plan than those probes:
 *   - claim_due_events runs with seq scans, bitmap scans and sorts disabled
 *     (as costs: a step with no other plan still gets one). Each step reads
 *     an index in the order it needs, so a plan that scans or sorts reads
 *     more than the step's limit. jit is off because those costs would
 *     otherwise pass jit_above_cost: compiling took 150 to 300 ms a claim;
 *   - the pick's order can come only from events_due_by_callback (below);
 *   - the skip scan asks for the first entry, ORDER BY … LIMIT 1, not min();
 *   - the lease locks the chosen ids, checks eligibility on the rows the lock
 *     returned (their newest versions), and updates by id alone.
 * After this, the same backlogs claim in 5 to 15 ms, analyzed or not.
 * The semantics are migration 1's: same choice of events, same advisory
 * try-locks, same SKIP LOCKED, same re-check of eligibility on each event's
 * newest version.
 */
export const CLAIM_PLANS_MIGRATION: Migration = {
  version: 5,
  name: 'claim plans independent of statistics',
  sql: `
CREATE OR REPLACE FUNCTION claimable_events(p_callbacks BIGINT[], p_now BIGINT, p_limit INTEGER, p_per_callback INTEGER)
RETURNS TABLE (callback_id BIGINT, id BIGINT, next_attempt_at BIGINT)
LANGUAGE sql STABLE
AS $fn$
  SELECT cb.callback_id, pick.id, pick.next_attempt_at
  FROM unnest(p_callbacks) AS cb (callback_id)
  -- LIMIT keeps the status test out of this subquery, so it can only be a
  -- primary key lookup, whatever the planner believes of callbacks_match.
  CROSS JOIN LATERAL (SELECT c.status, c.deleted_at FROM callbacks c WHERE c.id = cb.callback_id LIMIT 1) callback
  -- Any index but events_leased would read every Pending event of the
  -- callback to find its few leased ones. Under any statistics it never
  -- costs more than they do (it holds only leased rows and matches both
  -- conditions), so this is left as migration 1 wrote it.
  CROSS JOIN LATERAL (
    SELECT count(*)::INTEGER AS leased FROM events l
    WHERE l.callback_id = cb.callback_id AND l.status = 'Pending' AND l.lease_until > p_now
  ) live
  -- Not "e.callback_id = cb.callback_id": that would make callback_id a
  -- constant of the ORDER BY, which events_due then satisfies too, and the
  -- planner may walk it filtering on callback_id (through every other
  -- callback's backlog). As written, only events_due_by_callback yields this
  -- order without a sort (see claim_due_events' SET clause).
  CROSS JOIN LATERAL (
    SELECT e.id, e.next_attempt_at
    FROM events e
    WHERE e.callback_id = ANY (ARRAY[cb.callback_id]) AND e.status = 'Pending' AND e.next_attempt_at <= p_now
      AND (e.lease_until IS NULL OR e.lease_until <= p_now)
    ORDER BY e.callback_id, e.next_attempt_at, e.id
    LIMIT greatest(least(p_per_callback - live.leased, p_limit), 0)
  ) pick
  WHERE callback.status = 'Active' AND callback.deleted_at IS NULL
  ORDER BY pick.next_attempt_at, pick.id
  LIMIT p_limit
$fn$;

-- As in migration 1 but for the SET clause and the lease step (see above).
CREATE OR REPLACE FUNCTION claim_due_events(
  p_worker TEXT, p_now BIGINT, p_lease_until BIGINT, p_limit INTEGER, p_per_callback INTEGER
) RETURNS TABLE (
  id BIGINT, callback_id BIGINT, event_type TEXT, network_id BIGINT, mailbox_id BIGINT, ecgrid_id BIGINT,
  parcel_id BIGINT, file_name TEXT, is_test BOOLEAN, created_at BIGINT, attempts INTEGER, max_attempts INTEGER,
  next_attempt_at BIGINT, lease_owner TEXT, lease_until BIGINT, url TEXT, frequency INTEGER, secret TEXT,
  previous_secret TEXT, previous_secret_expires_at BIGINT
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

  -- The walk settles it when it saw every due event, or when the last event
  -- chosen lies inside it: any other callback's events come later.
  IF v_walked = v_window
     AND (v_picked < p_limit OR (v_last_picked_at, v_last_picked_id) > (v_last_walked_at, v_last_walked_id)) THEN
    -- ORDER BY … LIMIT 1, not min(): believing few rows Pending, the planner
    -- may compute min() over a whole index rather than read its first entry.
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

  -- Rows another transaction is writing (a result being recorded, a cancel) are
  -- skipped, not waited for: the claimer never queues behind other workers.
  -- The lock is by id alone, so it can only be a primary key lookup. What it
  -- returns is each event's newest version (a row changed since this
  -- statement's snapshot is re-read when locked), so eligibility is checked
  -- there. The UPDATE then names the rows by id alone, for the same reason:
  -- given the status or a callback to join on, the planner may reach them
  -- through a partial index of every Pending event instead.
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
    RETURNING e.id, e.callback_id, e.event_type, e.network_id, e.mailbox_id, e.ecgrid_id, e.parcel_id, e.file_name,
      e.is_test, e.created_at, e.attempts, e.max_attempts, e.next_attempt_at, e.lease_owner, e.lease_until
  )
  SELECT leased.id, leased.callback_id, leased.event_type, leased.network_id, leased.mailbox_id, leased.ecgrid_id,
    leased.parcel_id, leased.file_name, leased.is_test, leased.created_at, leased.attempts, leased.max_attempts,
    leased.next_attempt_at, leased.lease_owner, leased.lease_until,
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
