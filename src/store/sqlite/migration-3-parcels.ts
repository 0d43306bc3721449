import type { Migration } from './migrations.js';

/**
 * Parcels and their content. Content is kept in chunks of at most
 * PARCEL_CHUNK_BYTES, each committed as it arrives, so receiving a large file
 * never holds the write lock for long nor the whole file in memory. A parcel
 * is 'Receiving' until it is routed; such rows are invisible to every read.
 *
 * ecgrid_ids_route serves routing, which looks IDs up ignoring case.
 */
export const PARCELS_MIGRATION: Migration = {
  version: 3,
  name: 'parcels',
  sql: `
CREATE TABLE parcels (
  id                   INTEGER PRIMARY KEY AUTOINCREMENT,
  status               TEXT    NOT NULL,
  network_id           INTEGER NOT NULL DEFAULT 0,
  file_name            TEXT    NOT NULL DEFAULT '',
  bytes                INTEGER NOT NULL DEFAULT 0,
  sender_mailbox_id    INTEGER NOT NULL DEFAULT 0,
  sender_ecgrid_id     INTEGER NOT NULL DEFAULT 0,
  recipient_mailbox_id INTEGER NOT NULL DEFAULT 0,
  recipient_ecgrid_id  INTEGER NOT NULL DEFAULT 0,
  standard             TEXT,
  control_number       TEXT,
  status_message       TEXT,
  created_at           INTEGER NOT NULL,
  status_at            INTEGER NOT NULL
);
CREATE INDEX parcels_inbox ON parcels (recipient_mailbox_id, id) WHERE recipient_mailbox_id <> 0;
CREATE INDEX parcels_outbox ON parcels (sender_mailbox_id, id) WHERE status <> 'Receiving';
CREATE INDEX parcels_network ON parcels (network_id, id) WHERE status <> 'Receiving';
CREATE INDEX parcels_receiving ON parcels (created_at) WHERE status = 'Receiving';

CREATE TABLE parcel_chunks (
  parcel_id INTEGER NOT NULL REFERENCES parcels (id) ON DELETE CASCADE,
  seq       INTEGER NOT NULL,
  data      BLOB    NOT NULL,
  PRIMARY KEY (parcel_id, seq)
);

CREATE INDEX ecgrid_ids_route ON ecgrid_ids (network_id, upper(value));
`,
};
