/**
 * The PostgreSQL schema, as numbered migrations applied in order inside one
 * transaction and recorded in schema_migrations. It mirrors the SQLite schema
 * table for table and column for column, so both stores map rows the same
 * way; the differences are PostgreSQL's types (BIGINT identities, BOOLEAN),
 * the indexes the claim needs and the claim functions. A released
 * migration is never edited; a change is a new entry at the end.
 *
 * Times are epoch milliseconds in BIGINT, as on SQLite, so there is one
 * domain model of time. Scope columns use 0 for "all" (mailbox, ECGrid ID),
 * so they carry no foreign key.
 */
import { CALLBACK_CREDENTIALS_MIGRATION } from './migration-4-callback-credentials.js';
import { SESSIONS_MIGRATION } from './migration-2-sessions.js';
import { CLAIM_PLANS_MIGRATION } from './migration-5-claim-plans.js';
import { WEBHOOK_IDS_MIGRATION } from './migration-6-webhook-ids.js';
import { IDEMPOTENCY_REQUESTS_MIGRATION } from './migration-7-idempotency-requests.js';
import { FAILED_INDEX_MIGRATION } from './migration-8-failed-index.js';
import { RETENTION_INDEXES_MIGRATION } from './migration-9-retention-indexes.js';
import { TRACEPARENT_MIGRATION } from './migration-10-traceparent.js';
import { LEASE_SLOTS_MIGRATION } from './migration-11-lease-slots.js';
import { ATTEMPT_ANSWERS_MIGRATION } from './migration-12-attempt-answers.js';
import { DELIVERY_POLICIES_MIGRATION } from './migration-13-delivery-policies.js';
import { FIFO_MIGRATION } from './migration-14-fifo.js';
import { RATE_LIMITS_MIGRATION } from './migration-15-rate-limits.js';
import { LIST_INDEXES_MIGRATION } from './migration-16-list-indexes.js';
import { LEASE_ROOM_MIGRATION } from './migration-17-lease-room.js';
import { PARCELS_MIGRATION } from './migration-3-parcels.js';

import type { Migration } from '../migration-plan.js';

export type { Migration };

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
CREATE TABLE networks (
  id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name       TEXT   NOT NULL,
  status     TEXT   NOT NULL DEFAULT 'Active',
  created_at BIGINT NOT NULL
);

CREATE TABLE mailboxes (
  id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  network_id BIGINT NOT NULL REFERENCES networks (id),
  name       TEXT   NOT NULL,
  status     TEXT   NOT NULL DEFAULT 'Active',
  created_at BIGINT NOT NULL
);
CREATE INDEX mailboxes_network ON mailboxes (network_id);

CREATE TABLE ecgrid_ids (
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  network_id  BIGINT NOT NULL REFERENCES networks (id),
  mailbox_id  BIGINT NOT NULL REFERENCES mailboxes (id),
  qualifier   TEXT   NOT NULL,
  value       TEXT   NOT NULL,
  description TEXT   NOT NULL DEFAULT '',
  status      TEXT   NOT NULL DEFAULT 'Active',
  created_at  BIGINT NOT NULL,
  CONSTRAINT ecgrid_ids_address_unique UNIQUE (network_id, qualifier, value)
);
CREATE INDEX ecgrid_ids_mailbox ON ecgrid_ids (mailbox_id);
CREATE INDEX ecgrid_ids_address ON ecgrid_ids (qualifier, value);

CREATE TABLE users (
  id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  login_name    TEXT   NOT NULL CONSTRAINT users_login_name_unique UNIQUE,
  password_hash TEXT   NOT NULL,
  role          TEXT   NOT NULL,
  network_id    BIGINT NOT NULL REFERENCES networks (id),
  mailbox_id    BIGINT NOT NULL DEFAULT 0,
  status        TEXT   NOT NULL DEFAULT 'Active',
  created_at    BIGINT NOT NULL
);
CREATE INDEX users_scope ON users (network_id, mailbox_id);

CREATE TABLE api_keys (
  id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id    BIGINT NOT NULL REFERENCES users (id),
  key_hash   TEXT   NOT NULL CONSTRAINT api_keys_key_hash_unique UNIQUE,
  key_prefix TEXT   NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX api_keys_user ON api_keys (user_id) WHERE revoked_at IS NULL;

-- The guide's examples (and its cURL sample's second step) use callback 7001:
-- on a new database the first callback gets exactly that id.
CREATE TABLE callbacks (
  id                         BIGINT  GENERATED ALWAYS AS IDENTITY (START WITH 7001) PRIMARY KEY,
  network_id                 BIGINT  NOT NULL,
  mailbox_id                 BIGINT  NOT NULL DEFAULT 0,
  ecgrid_id                  BIGINT  NOT NULL DEFAULT 0,
  url                        TEXT    NOT NULL,
  event_type                 TEXT    NOT NULL,
  frequency                  INTEGER NOT NULL,
  retries                    INTEGER NOT NULL,
  status                     TEXT    NOT NULL,
  secret                     TEXT    NOT NULL,
  previous_secret            TEXT,
  previous_secret_expires_at BIGINT,
  created_at                 BIGINT  NOT NULL,
  updated_at                 BIGINT  NOT NULL,
  deleted_at                 BIGINT
);
CREATE INDEX callbacks_match ON callbacks (network_id, event_type, status) WHERE deleted_at IS NULL;

CREATE TABLE events (
  id               BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  callback_id      BIGINT  NOT NULL REFERENCES callbacks (id),
  event_type       TEXT    NOT NULL,
  network_id       BIGINT  NOT NULL,
  mailbox_id       BIGINT  NOT NULL,
  ecgrid_id        BIGINT  NOT NULL,
  parcel_id        BIGINT  NOT NULL DEFAULT 0,
  file_name        TEXT    NOT NULL DEFAULT '',
  is_test          BOOLEAN NOT NULL DEFAULT FALSE,
  status           TEXT    NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  max_attempts     INTEGER NOT NULL,
  next_attempt_at  BIGINT,
  lease_owner      TEXT,
  lease_until      BIGINT,
  last_attempt_at  BIGINT,
  last_http_status INTEGER,
  last_error       TEXT,
  created_at       BIGINT  NOT NULL,
  finished_at      BIGINT
);
-- Partial indexes stay as small as the live queue, not the whole history.
CREATE INDEX events_due ON events (next_attempt_at, id) WHERE status = 'Pending';
-- By callback first: the claim finds the callbacks with work, counts their
-- leases and takes their oldest due events through these two.
CREATE INDEX events_leased ON events (callback_id, lease_until) WHERE status = 'Pending' AND lease_until IS NOT NULL;
CREATE INDEX events_due_by_callback ON events (callback_id, next_attempt_at, id) WHERE status = 'Pending';
CREATE INDEX events_by_callback ON events (callback_id, created_at DESC, id DESC);
CREATE INDEX events_by_network ON events (network_id, created_at DESC, id DESC);
CREATE INDEX events_delivered ON events (finished_at) WHERE status = 'Delivered';

CREATE TABLE attempts (
  id          BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id    BIGINT  NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  worker_id   TEXT    NOT NULL,
  started_at  BIGINT  NOT NULL,
  duration_ms INTEGER NOT NULL,
  http_status INTEGER,
  error       TEXT
);
CREATE INDEX attempts_event ON attempts (event_id);

-- result is NULL only inside the transaction that claimed the key: a second
-- publisher with the same key waits on the primary key until that one ends.
CREATE TABLE idempotency_keys (
  network_id BIGINT NOT NULL,
  key        TEXT   NOT NULL,
  result     JSONB,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (network_id, key)
);

/*
 * The events a claim takes from these callbacks: of each Active callback,
 * its oldest due, unleased events up to what its live leases leave of the
 * per-callback limit; of all those, the p_limit due first. Taking the events
 * per callback is what lets one busy callback's backlog not hide the work of
 * the callbacks behind it, at the cost of a few index probes per callback.
 * Called only from claim_due_events, whose search_path it runs under; with
 * no SET clause of its own the planner can inline it there.
 */
CREATE FUNCTION claimable_events(p_callbacks BIGINT[], p_now BIGINT, p_limit INTEGER, p_per_callback INTEGER)
RETURNS TABLE (callback_id BIGINT, id BIGINT, next_attempt_at BIGINT)
LANGUAGE sql STABLE
AS $fn$
  SELECT cb.callback_id, pick.id, pick.next_attempt_at
  FROM unnest(p_callbacks) AS cb (callback_id)
  -- LIMIT keeps the status test out of this subquery, so it can only be a
  -- primary key lookup, whatever the planner believes of callbacks_match.
  CROSS JOIN LATERAL (SELECT c.status, c.deleted_at FROM callbacks c WHERE c.id = cb.callback_id LIMIT 1) callback
  CROSS JOIN LATERAL (
    SELECT count(*)::INTEGER AS leased FROM events l
    WHERE l.callback_id = cb.callback_id AND l.status = 'Pending' AND l.lease_until > p_now
  ) live
  CROSS JOIN LATERAL (
    SELECT e.id, e.next_attempt_at
    FROM events e
    WHERE e.callback_id = cb.callback_id AND e.status = 'Pending' AND e.next_attempt_at <= p_now
      AND (e.lease_until IS NULL OR e.lease_until <= p_now)
    ORDER BY e.next_attempt_at, e.id
    LIMIT greatest(least(p_per_callback - live.leased, p_limit), 0)
  ) pick
  WHERE callback.status = 'Active' AND callback.deleted_at IS NULL
  ORDER BY pick.next_attempt_at, pick.id
  LIMIT p_limit
$fn$;

/*
 * Leases due events, at most p_per_callback of one callback's at once
 * across every worker (see claimable_events for which).
 *
 * A single statement cannot keep that limit: its snapshot predates the
 * leases of a claimer that commits while it runs, so two claimers would each
 * count the other's leases as free. Hence separate statements in a VOLATILE
 * function, each with a fresh snapshot, in one round trip:
 *   1. choose the events to claim and try-lock (transaction-scoped advisory
 *      locks) their callbacks; a callback another claimer holds is skipped
 *      this round;
 *   2. with those locks held, choose again among the locked callbacks, now
 *      counting every lease committed before the locks were granted;
 *   3. lock the chosen events FOR UPDATE SKIP LOCKED and lease them.
 * The UPDATE repeats every eligibility condition, so an event finished or
 * canceled meanwhile is re-checked on its newest version and left alone.
 *
 * Which callbacks to look at in step 1: usually those of the oldest due
 * events suffice, and finding them costs a short walk of events_due. When
 * that walk cannot settle the answer (one callback's backlog fills it), every
 * callback with Pending events is looked at instead, found by a skip scan of
 * events_due_by_callback: a probe per callback however long its queue, which
 * with thousands of such callbacks costs tens of milliseconds.
 */
CREATE FUNCTION claim_due_events(
  p_worker TEXT, p_now BIGINT, p_lease_until BIGINT, p_limit INTEGER, p_per_callback INTEGER
) RETURNS TABLE (
  id BIGINT, callback_id BIGINT, event_type TEXT, network_id BIGINT, mailbox_id BIGINT, ecgrid_id BIGINT,
  parcel_id BIGINT, file_name TEXT, is_test BOOLEAN, created_at BIGINT, attempts INTEGER, max_attempts INTEGER,
  next_attempt_at BIGINT, lease_owner TEXT, lease_until BIGINT, url TEXT, frequency INTEGER, secret TEXT,
  previous_secret TEXT, previous_secret_expires_at BIGINT
)
LANGUAGE plpgsql VOLATILE
SET search_path FROM CURRENT
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
    WITH RECURSIVE pending (callback_id) AS (
      SELECT min(e.callback_id) FROM events e WHERE e.status = 'Pending'
      UNION ALL
      SELECT (SELECT min(e.callback_id) FROM events e WHERE e.status = 'Pending' AND e.callback_id > p.callback_id)
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

  -- By id array, so even a generic plan of this statement looks the events up by key.
  -- Rows another transaction is writing (a result being recorded, a cancel) are
  -- skipped, not waited for: the claimer never queues behind other workers.
  RETURN QUERY
  WITH locked AS (
    SELECT e.id FROM events e WHERE e.id = ANY (v_events) FOR UPDATE SKIP LOCKED
  ), leased AS (
    UPDATE events e
    SET lease_owner = p_worker, lease_until = p_lease_until
    FROM callbacks c
    WHERE e.id IN (SELECT locked.id FROM locked) AND c.id = e.callback_id
      AND e.status = 'Pending' AND e.next_attempt_at <= p_now
      AND (e.lease_until IS NULL OR e.lease_until <= p_now)
      AND c.status = 'Active' AND c.deleted_at IS NULL
    RETURNING e.id, e.callback_id, e.event_type, e.network_id, e.mailbox_id, e.ecgrid_id, e.parcel_id, e.file_name,
      e.is_test, e.created_at, e.attempts, e.max_attempts, e.next_attempt_at, e.lease_owner, e.lease_until,
      c.url, c.frequency, c.secret, c.previous_secret, c.previous_secret_expires_at
  )
  SELECT * FROM leased ORDER BY leased.next_attempt_at, leased.id;
END
$fn$;

-- Identities hand out 1 to the first rows: the default network and mailbox.
INSERT INTO networks (name, status, created_at)
  VALUES ('Default network', 'Active', (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT);
INSERT INTO mailboxes (network_id, name, status, created_at)
  VALUES (1, 'Default mailbox', 'Active', (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT);
`,
  },
  SESSIONS_MIGRATION,
  PARCELS_MIGRATION,
  CALLBACK_CREDENTIALS_MIGRATION,
  CLAIM_PLANS_MIGRATION,
  WEBHOOK_IDS_MIGRATION,
  IDEMPOTENCY_REQUESTS_MIGRATION,
  FAILED_INDEX_MIGRATION,
  RETENTION_INDEXES_MIGRATION,
  TRACEPARENT_MIGRATION,
  LEASE_SLOTS_MIGRATION,
  ATTEMPT_ANSWERS_MIGRATION,
  DELIVERY_POLICIES_MIGRATION,
  FIFO_MIGRATION,
  RATE_LIMITS_MIGRATION,
  LIST_INDEXES_MIGRATION,
  LEASE_ROOM_MIGRATION,
];
