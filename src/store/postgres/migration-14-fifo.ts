import { JOB_COLUMNS } from './migration-13-delivery-policies.js';
import type { Migration } from './migrations.js';

/** What a claim answers of each leased event and its callback, as migration 13's claim. */
const LEASE_AND_ANSWER = `
  granted AS (
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
  ORDER BY leased.next_attempt_at, leased.id`;

/**
 * Ordered (FIFO) delivery: a callback's ordering, what orders it (the
 * callback, or each sender/recipient pair) and what a Failed event does to
 * its key; each event of a FIFO callback carries its key (NULL otherwise).
 * events_fifo holds only the events that can hold a key up (Pending, Failed).
 *
 * claim_events is migration 13's, with the Active callbacks split in two.
 * Those without ordering go through migration 13's statement unchanged (the
 * same plan). Of each FIFO callback, a skip scan of events_fifo finds its
 * keys, and of each key only its lowest event that holds it up (Pending, or
 * Failed when the callback blocks on failure) is a candidate, and only while
 * it is due and unleased: one event in flight per key, never a later one
 * before an earlier one is done. A worker killed with a lease leaves its
 * event Pending, so the key stays held until that lease expires and the same
 * event is claimed again. Candidates are locked FOR UPDATE SKIP LOCKED and
 * re-checked on their newest version, so two claimers never lease one.
 * record_and_claim and publish_events call claim_events by name; publish_events
 * is migration 11's, taking each input's sender/recipient pair (p_partners)
 * and writing each event's key.
 */
export const FIFO_MIGRATION: Migration = {
  version: 14,
  name: 'ordered delivery',
  sql: `
ALTER TABLE callbacks ADD COLUMN ordering TEXT NOT NULL DEFAULT 'none';
ALTER TABLE callbacks ADD COLUMN ordering_key TEXT NOT NULL DEFAULT 'callback';
ALTER TABLE callbacks ADD COLUMN on_failure TEXT NOT NULL DEFAULT 'block';

ALTER TABLE events ADD COLUMN fifo_key TEXT;
CREATE INDEX events_fifo ON events (callback_id, fifo_key, id)
  WHERE fifo_key IS NOT NULL AND status IN ('Pending', 'Failed');

CREATE OR REPLACE FUNCTION claim_events(
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
  v_fifo BIGINT[];
  v_left INTEGER;
  v_taken INTEGER;
  v_cb RECORD;
  v_heads BIGINT[];
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
  SELECT array_agg(p.callback_id) FILTER (WHERE NOT a.fifo), array_agg(p.callback_id) FILTER (WHERE a.fifo)
  INTO v_callbacks, v_fifo
  FROM pending p
  CROSS JOIN LATERAL (
    SELECT c.ordering = 'fifo' AS fifo FROM callbacks c
    WHERE c.id = p.callback_id AND c.status = 'Active' AND c.deleted_at IS NULL
      AND (c.paused_until IS NULL OR c.paused_until <= p_now)
  ) a
  WHERE p.callback_id IS NOT NULL;

  IF v_callbacks IS NULL AND v_fifo IS NULL THEN
    RETURN;
  END IF;

  -- Slots for a callback seen for the first time, or after the limit was raised.
  INSERT INTO lease_slots (callback_id, slot)
  SELECT cb.id, s.slot
  FROM unnest(COALESCE(v_callbacks, '{}') || COALESCE(v_fifo, '{}')) AS cb (id)
  CROSS JOIN generate_series(0, p_per_callback - 1) AS s (slot)
  WHERE NOT EXISTS (SELECT 1 FROM lease_slots l WHERE l.callback_id = cb.id AND l.slot = p_per_callback - 1)
  ON CONFLICT DO NOTHING;

  v_left := p_limit;
  IF v_callbacks IS NOT NULL THEN
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
        -- Not "e.callback_id = room.callback_id": see migration 13.
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
    ), ${LEASE_AND_ANSWER};
    GET DIAGNOSTICS v_taken = ROW_COUNT;
    v_left := v_left - v_taken;
  END IF;

  IF v_fifo IS NULL THEN
    RETURN;
  END IF;
  FOR v_cb IN SELECT c.id, c.on_failure = 'block' AS block FROM callbacks c WHERE c.id = ANY (v_fifo) ORDER BY c.id LOOP
    EXIT WHEN v_left <= 0;
    -- Each key's lowest event that holds it up; a candidate only if it is due and unleased.
    v_heads := ARRAY(
      WITH RECURSIVE keys (k) AS (
        SELECT (
          SELECT e.fifo_key FROM events e
          WHERE e.callback_id = v_cb.id AND e.fifo_key IS NOT NULL AND e.status IN ('Pending', 'Failed')
          ORDER BY e.fifo_key LIMIT 1
        )
        UNION ALL
        SELECT (
          SELECT e.fifo_key FROM events e
          WHERE e.callback_id = v_cb.id AND e.fifo_key > keys.k AND e.status IN ('Pending', 'Failed')
          ORDER BY e.fifo_key LIMIT 1
        )
        FROM keys
        WHERE keys.k IS NOT NULL
      )
      SELECT h.id
      FROM keys
      CROSS JOIN LATERAL (
        SELECT e.id, e.status, e.next_attempt_at, e.lease_until FROM events e
        WHERE e.callback_id = v_cb.id AND e.fifo_key = keys.k AND e.status IN ('Pending', 'Failed')
          AND (e.status = 'Pending' OR v_cb.block)
        ORDER BY e.fifo_key, e.id LIMIT 1
      ) h
      WHERE keys.k IS NOT NULL AND h.status = 'Pending' AND h.next_attempt_at <= p_now
        AND (h.lease_until IS NULL OR h.lease_until <= p_now)
    );
    CONTINUE WHEN cardinality(v_heads) = 0;

    RETURN QUERY
    WITH free AS MATERIALIZED (
      SELECT l.callback_id, l.slot, row_number() OVER (ORDER BY l.slot) AS n FROM (
        SELECT l.callback_id, l.slot FROM lease_slots l
        WHERE l.callback_id = v_cb.id AND l.slot < p_per_callback AND l.until <= p_now
        ORDER BY l.slot
        LIMIT v_left
        FOR UPDATE SKIP LOCKED
      ) l
    ), due AS MATERIALIZED (
      SELECT d.id, d.callback_id, d.next_attempt_at, row_number() OVER (ORDER BY d.next_attempt_at, d.id) AS n
      FROM (
        SELECT e.id, e.callback_id, e.next_attempt_at FROM events e
        WHERE e.id = ANY (v_heads) AND e.status = 'Pending' AND e.next_attempt_at <= p_now
          AND (e.lease_until IS NULL OR e.lease_until <= p_now)
        ORDER BY e.id
        FOR UPDATE SKIP LOCKED
      ) d
    ), chosen AS MATERIALIZED (
      SELECT due.id, due.callback_id, due.next_attempt_at, free.slot
      FROM due JOIN free ON free.n = due.n
    ), ${LEASE_AND_ANSWER};
    GET DIAGNOSTICS v_taken = ROW_COUNT;
    v_left := v_left - v_taken;
  END LOOP;
END
$fn$;

DROP FUNCTION publish_events(BIGINT[], BIGINT[], BIGINT[], TEXT[], BIGINT[], TEXT[], BIGINT[], TEXT[], TEXT, BIGINT, BIGINT,
  INTEGER, INTEGER);
CREATE FUNCTION publish_events(
  p_network_ids BIGINT[], p_mailbox_ids BIGINT[], p_ecgrid_ids BIGINT[], p_event_types TEXT[], p_parcel_ids BIGINT[],
  p_file_names TEXT[], p_nows BIGINT[], p_traceparents TEXT[],
  p_worker TEXT, p_now BIGINT, p_lease_until BIGINT, p_limit INTEGER, p_per_callback INTEGER, p_partners TEXT[]
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
                         p_traceparents, p_partners)
      WITH ORDINALITY AS i (network_id, mailbox_id, ecgrid_id, event_type, parcel_id, file_name, now, traceparent, partner,
                            ord)
  ), fanned AS MATERIALIZED (
    SELECT i.ord, c.id AS callback_id, c.retries, CASE WHEN c.ordering <> 'fifo' THEN NULL WHEN c.ordering_key = 'partner' THEN i.partner ELSE '' END
      AS fifo_key
    FROM input i
    JOIN callbacks c ON c.network_id = i.network_id AND c.event_type = i.event_type
      AND c.status = 'Active' AND c.deleted_at IS NULL
      AND c.mailbox_id IN (0, i.mailbox_id) AND c.ecgrid_id IN (0, i.ecgrid_id)
    FOR SHARE OF c
  ), inserted AS (
    INSERT INTO events (callback_id, event_type, network_id, mailbox_id, ecgrid_id, parcel_id, file_name, is_test,
                        status, attempts, max_attempts, next_attempt_at, created_at, traceparent, fifo_key)
    SELECT f.callback_id, i.event_type, i.network_id, i.mailbox_id, i.ecgrid_id, i.parcel_id, i.file_name, FALSE,
           'Pending', 0, f.retries + 1, i.now, i.now, i.traceparent, f.fifo_key
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
