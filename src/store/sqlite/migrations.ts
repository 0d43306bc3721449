/**
 * The SQLite schema, as numbered migrations applied in order and recorded in
 * schema_migrations. They live in TypeScript rather than .sql files so the
 * compiled package carries them. A released migration is never edited; a
 * change is a new entry at the end.
 *
 * Times are epoch milliseconds. Scope columns use 0 for "all" (mailbox,
 * ECGrid ID), so they carry no foreign key.
 */
import { CALLBACK_CREDENTIALS_MIGRATION } from './migration-4-callback-credentials.js';
import { CLAIM_INDEX_MIGRATION } from './migration-5-claim-index.js';
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
import { SESSIONS_MIGRATION } from './migration-2-sessions.js';
import { PARCELS_MIGRATION } from './migration-3-parcels.js';

import type { Migration } from '../migration-plan.js';

export type { Migration };

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
CREATE TABLE networks (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT    NOT NULL,
  status     TEXT    NOT NULL DEFAULT 'Active',
  created_at INTEGER NOT NULL
);

CREATE TABLE mailboxes (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  network_id INTEGER NOT NULL REFERENCES networks (id),
  name       TEXT    NOT NULL,
  status     TEXT    NOT NULL DEFAULT 'Active',
  created_at INTEGER NOT NULL
);
CREATE INDEX mailboxes_network ON mailboxes (network_id);

CREATE TABLE ecgrid_ids (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  network_id  INTEGER NOT NULL REFERENCES networks (id),
  mailbox_id  INTEGER NOT NULL REFERENCES mailboxes (id),
  qualifier   TEXT    NOT NULL,
  value       TEXT    NOT NULL,
  description TEXT    NOT NULL DEFAULT '',
  status      TEXT    NOT NULL DEFAULT 'Active',
  created_at  INTEGER NOT NULL,
  UNIQUE (network_id, qualifier, value)
);
CREATE INDEX ecgrid_ids_mailbox ON ecgrid_ids (mailbox_id);
CREATE INDEX ecgrid_ids_address ON ecgrid_ids (qualifier, value);

CREATE TABLE users (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  login_name    TEXT    NOT NULL UNIQUE,
  password_hash TEXT    NOT NULL,
  role          TEXT    NOT NULL,
  network_id    INTEGER NOT NULL REFERENCES networks (id),
  mailbox_id    INTEGER NOT NULL DEFAULT 0,
  status        TEXT    NOT NULL DEFAULT 'Active',
  created_at    INTEGER NOT NULL
);
CREATE INDEX users_scope ON users (network_id, mailbox_id);

CREATE TABLE api_keys (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id    INTEGER NOT NULL REFERENCES users (id),
  key_hash   TEXT    NOT NULL UNIQUE,
  key_prefix TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX api_keys_user ON api_keys (user_id) WHERE revoked_at IS NULL;

CREATE TABLE callbacks (
  id                         INTEGER PRIMARY KEY AUTOINCREMENT,
  network_id                 INTEGER NOT NULL,
  mailbox_id                 INTEGER NOT NULL DEFAULT 0,
  ecgrid_id                  INTEGER NOT NULL DEFAULT 0,
  url                        TEXT    NOT NULL,
  event_type                 TEXT    NOT NULL,
  frequency                  INTEGER NOT NULL,
  retries                    INTEGER NOT NULL,
  status                     TEXT    NOT NULL,
  secret                     TEXT    NOT NULL,
  previous_secret            TEXT,
  previous_secret_expires_at INTEGER,
  created_at                 INTEGER NOT NULL,
  updated_at                 INTEGER NOT NULL,
  deleted_at                 INTEGER
);
CREATE INDEX callbacks_match ON callbacks (network_id, event_type, status) WHERE deleted_at IS NULL;

CREATE TABLE events (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  callback_id      INTEGER NOT NULL REFERENCES callbacks (id),
  event_type       TEXT    NOT NULL,
  network_id       INTEGER NOT NULL,
  mailbox_id       INTEGER NOT NULL,
  ecgrid_id        INTEGER NOT NULL,
  parcel_id        INTEGER NOT NULL DEFAULT 0,
  file_name        TEXT    NOT NULL DEFAULT '',
  is_test          INTEGER NOT NULL DEFAULT 0,
  status           TEXT    NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  max_attempts     INTEGER NOT NULL,
  next_attempt_at  INTEGER,
  lease_owner      TEXT,
  lease_until      INTEGER,
  last_attempt_at  INTEGER,
  last_http_status INTEGER,
  last_error       TEXT,
  created_at       INTEGER NOT NULL,
  finished_at      INTEGER
);
-- Partial indexes stay as small as the live queue, not the whole history.
CREATE INDEX events_due ON events (next_attempt_at) WHERE status = 'Pending';
CREATE INDEX events_leased ON events (lease_until, callback_id) WHERE status = 'Pending' AND lease_until IS NOT NULL;
CREATE INDEX events_by_callback ON events (callback_id, created_at DESC, id DESC);
CREATE INDEX events_by_network ON events (network_id, created_at DESC, id DESC);
CREATE INDEX events_delivered ON events (finished_at) WHERE status = 'Delivered';

CREATE TABLE attempts (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  worker_id   TEXT    NOT NULL,
  started_at  INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  http_status INTEGER,
  error       TEXT
);
CREATE INDEX attempts_event ON attempts (event_id);

CREATE TABLE idempotency_keys (
  network_id INTEGER NOT NULL,
  key        TEXT    NOT NULL,
  result     TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (network_id, key)
) WITHOUT ROWID;

INSERT INTO networks (id, name, status, created_at)
  VALUES (1, 'Default network', 'Active', CAST(unixepoch('subsec') * 1000 AS INTEGER));
INSERT INTO mailboxes (id, network_id, name, status, created_at)
  VALUES (1, 1, 'Default mailbox', 'Active', CAST(unixepoch('subsec') * 1000 AS INTEGER));
-- The guide's examples (and its cURL sample's second step) use callback 7001:
-- on a new database the first callback gets exactly that id.
INSERT INTO sqlite_sequence (name, seq) VALUES ('callbacks', 7000);
`,
  },
  SESSIONS_MIGRATION,
  PARCELS_MIGRATION,
  CALLBACK_CREDENTIALS_MIGRATION,
  CLAIM_INDEX_MIGRATION,
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
];
