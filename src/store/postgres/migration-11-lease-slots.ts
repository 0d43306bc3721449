import type { Migration } from './migrations.js';

/**
 * Claims that cost what they lease, and leasing that is a HOT update.
 *
 * "May send to callback c" is kept apart from "event e is leased": each
 * callback has perCallbackLimit rows in lease_slots, and a lease takes one
 * (until its expiry). A claim locks free slots FOR UPDATE SKIP LOCKED and
 * the oldest due, unleased events of the same callbacks FOR UPDATE SKIP
 * LOCKED, and pairs them: no advisory lock, no count of live leases, never
 * waiting on a row. Two claimers of one callback take different slots and
 * different events; a slot or an event another claimer leased after this
 * claim's snapshot is re-checked on its newest version once locked (its
 * expiry is in the row itself), so neither is leased twice and a callback
 * never has more than perCallbackLimit leases out.
 *
 * Leases and results commit without waiting for the WAL flush
 * (synchronous_commit off for their transaction, as SQLite commits them
 * with synchronous=NORMAL): a server crash may lose the last fraction of a
 * second of them, which only means those events are delivered again under
 * the same eventId, as at-least-once allows. Publishes still wait for it,
 * and so does a claim made in a publishing transaction (p_durable).
 *
 * publish_events writes a batch of publishes in one statement and, when
 * the publishing process's engine has free slots, claims for it in the same
 * call, as the SQLite store does in its publishing write.
 *
 * Nothing indexed changes when an event is leased (the lease_until index
 * goes, fillfactor leaves room on each page), so the lease is a HOT update;
 * lease_slots has only its primary key. attempts loses its foreign key
 * (a check and a row lock per attempt): purging deletes an event's attempts
 * itself. events.last_attempt_key makes recording a result idempotent: a
 * batch written again after its commit's acknowledgement was lost finds its
 * keys already there and writes nothing twice.
 *
 * claim_due_events and claimable_events (migrations 1, 5, 6, 10) are
 * retired; claim_events answers every column a job needs, the callback's
 * credentials included, and record_and_claim writes results and claims in
 * one call. Plans are generic and fixed to index order, so they cannot go
 * bad with the statistics.
 */
/** What a claim answers for each leased event: every column its delivery job needs. */
export const JOB_COLUMNS = `
  id BIGINT, webhook_id TEXT, traceparent TEXT, callback_id BIGINT, event_type TEXT, network_id BIGINT, mailbox_id BIGINT,
  ecgrid_id BIGINT, parcel_id BIGINT, file_name TEXT, is_test BOOLEAN, created_at BIGINT, attempts INTEGER,
  max_attempts INTEGER, lease_owner TEXT, lease_until BIGINT, url TEXT, frequency INTEGER, secret TEXT,
  previous_secret TEXT, previous_secret_expires_at BIGINT, basic_auth TEXT, custom_headers TEXT
`;

export const LEASE_SLOTS_MIGRATION: Migration = {
  version: 11,
  name: 'lease slots',
  sql: `
DROP FUNCTION claim_due_events(TEXT, BIGINT, BIGINT, INTEGER, INTEGER);
DROP FUNCTION claimable_events(BIGINT[], BIGINT, INTEGER, INTEGER);
DROP INDEX events_leased;
ALTER TABLE events SET (fillfactor = 85);
ALTER TABLE events ADD COLUMN last_attempt_key TEXT;
ALTER TABLE attempts DROP CONSTRAINT attempts_event_id_fkey;

CREATE TABLE lease_slots (
  callback_id BIGINT  NOT NULL,
  slot        INTEGER NOT NULL,
  event_id    BIGINT,
  owner       TEXT,
  until       BIGINT  NOT NULL DEFAULT 0,
  PRIMARY KEY (callback_id, slot)
) WITH (fillfactor = 50);

-- Live leases still count: each leased Pending event gets a slot of its callback.
INSERT INTO lease_slots (callback_id, slot, event_id, owner, until)
SELECT callback_id, (row_number() OVER (PARTITION BY callback_id ORDER BY id) - 1)::INTEGER, id, lease_owner, lease_until
FROM events WHERE status = 'Pending' AND lease_until IS NOT NULL;

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
    AND EXISTS (SELECT 1 FROM callbacks c WHERE c.id = p.callback_id AND c.status = 'Active' AND c.deleted_at IS NULL);

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
      ch.next_attempt_at
  )
  SELECT leased.id, leased.webhook_id, leased.traceparent, leased.callback_id, leased.event_type, leased.network_id,
    leased.mailbox_id, leased.ecgrid_id, leased.parcel_id, leased.file_name, leased.is_test, leased.created_at,
    leased.attempts, leased.max_attempts, leased.lease_owner, leased.lease_until,
    c.url, c.frequency, c.secret, c.previous_secret, c.previous_secret_expires_at, c.basic_auth, c.custom_headers
  FROM leased
  CROSS JOIN LATERAL (SELECT * FROM callbacks c WHERE c.id = leased.callback_id LIMIT 1) c
  ORDER BY leased.next_attempt_at, leased.id;
END
$fn$;

/*
 * Writes a batch of attempt results (no event twice) in one statement:
 * - the outcome, on Pending events only; a Retry or Failed from a worker
 *   whose lease another worker has since taken must not clear that worker's
 *   lease, while Delivered always wins since the receiver has the event;
 * - otherwise (canceled meanwhile, or leased by another) just the count and
 *   last result;
 * - the attempt log, for every event that still exists;
 * - the slot, when it is still this worker's for this event;
 * skipping every result whose key is the event's last one (written already).
 */
CREATE FUNCTION record_attempts(
  p_event_ids BIGINT[], p_workers TEXT[], p_started BIGINT[], p_durations INTEGER[], p_statuses INTEGER[],
  p_errors TEXT[], p_outcomes TEXT[], p_next BIGINT[], p_keys TEXT[]
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
    SELECT * FROM unnest(p_event_ids, p_workers, p_started, p_durations, p_statuses, p_errors, p_outcomes, p_next, p_keys)
      WITH ORDINALITY AS r (event_id, worker_id, started_at, duration_ms, http_status, error, outcome, next_attempt_at,
                            attempt_key, ord)
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
  INSERT INTO attempts (event_id, worker_id, started_at, duration_ms, http_status, error)
  SELECT r.event_id, r.worker_id, r.started_at, r.duration_ms, r.http_status, r.error
  FROM input r
  WHERE r.event_id IN (SELECT written.id FROM written)
  ORDER BY r.ord;
END
$fn$;

CREATE FUNCTION record_and_claim(
  p_event_ids BIGINT[], p_workers TEXT[], p_started BIGINT[], p_durations INTEGER[], p_statuses INTEGER[],
  p_errors TEXT[], p_outcomes TEXT[], p_next BIGINT[], p_keys TEXT[],
  p_worker TEXT, p_now BIGINT, p_lease_until BIGINT, p_limit INTEGER, p_per_callback INTEGER
) RETURNS TABLE (${JOB_COLUMNS})
LANGUAGE plpgsql VOLATILE
SET search_path FROM CURRENT
AS $fn$
BEGIN
  PERFORM record_attempts(p_event_ids, p_workers, p_started, p_durations, p_statuses, p_errors, p_outcomes, p_next, p_keys);
  RETURN QUERY SELECT * FROM claim_events(p_worker, p_now, p_lease_until, p_limit, p_per_callback, FALSE);
END
$fn$;
CREATE FUNCTION publish_events(
  p_network_ids BIGINT[], p_mailbox_ids BIGINT[], p_ecgrid_ids BIGINT[], p_event_types TEXT[], p_parcel_ids BIGINT[],
  p_file_names TEXT[], p_nows BIGINT[], p_traceparents TEXT[],
  p_worker TEXT, p_now BIGINT, p_lease_until BIGINT, p_limit INTEGER, p_per_callback INTEGER
) RETURNS TABLE (out_ids BIGINT[], out_matched INTEGER[], out_jobs JSON)
LANGUAGE plpgsql VOLATILE
SET search_path FROM CURRENT
SET plan_cache_mode = force_generic_plan
SET jit = off
AS $fn$
#variable_conflict use_column
DECLARE
  v_ids BIGINT[];
  v_matched INTEGER[];
  v_jobs JSON;
BEGIN
  -- Each input fanned out to the callbacks its scope matches, share-locked
  -- so that a suspend or delete waits for this publish and then cancels its
  -- events; inserted in input order, so identities ascend with it.
  WITH input AS (
    SELECT * FROM unnest(p_network_ids, p_mailbox_ids, p_ecgrid_ids, p_event_types, p_parcel_ids, p_file_names, p_nows,
                         p_traceparents)
      WITH ORDINALITY AS i (network_id, mailbox_id, ecgrid_id, event_type, parcel_id, file_name, now, traceparent, ord)
  ), fanned AS MATERIALIZED (
    SELECT i.ord, c.id AS callback_id, c.retries
    FROM input i
    JOIN callbacks c ON c.network_id = i.network_id AND c.event_type = i.event_type
      AND c.status = 'Active' AND c.deleted_at IS NULL
      AND c.mailbox_id IN (0, i.mailbox_id) AND c.ecgrid_id IN (0, i.ecgrid_id)
    FOR SHARE OF c
  ), inserted AS (
    INSERT INTO events (callback_id, event_type, network_id, mailbox_id, ecgrid_id, parcel_id, file_name, is_test,
                        status, attempts, max_attempts, next_attempt_at, created_at, traceparent)
    SELECT f.callback_id, i.event_type, i.network_id, i.mailbox_id, i.ecgrid_id, i.parcel_id, i.file_name, FALSE,
           'Pending', 0, f.retries + 1, i.now, i.now, i.traceparent
    FROM fanned f JOIN input i ON i.ord = f.ord
    ORDER BY f.ord, f.callback_id
    RETURNING id
  )
  SELECT (SELECT array_agg(inserted.id) FROM inserted),
         (SELECT array_agg(COALESCE(per_input.n, 0) ORDER BY i.ord)
          FROM input i LEFT JOIN (SELECT f.ord, count(*)::INTEGER AS n FROM fanned f GROUP BY f.ord) per_input
            ON per_input.ord = i.ord)
  INTO v_ids, v_matched;

  IF p_worker IS NOT NULL AND v_ids IS NOT NULL THEN
    SELECT json_agg(j) INTO v_jobs FROM claim_events(p_worker, p_now, p_lease_until, p_limit, p_per_callback, TRUE) j;
  END IF;
  RETURN QUERY SELECT v_ids, v_matched, v_jobs;
END
$fn$;
`,
};
