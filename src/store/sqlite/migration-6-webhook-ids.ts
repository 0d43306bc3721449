import type { Migration } from './migrations.js';

/**
 * The SQL expression of a new event's webhook-id: `evt_` and 128 random bits.
 * An eventId repeats after a restore from backup or a lost WAL tail, and a
 * receiver that de-duplicates on it would drop a different event.
 */
export const NEW_WEBHOOK_ID = `'evt_' || lower(hex(randomblob(16)))`;

/**
 * Every event gets a webhook-id unique for ever. SQLite cannot add a column
 * with a non-constant default, so existing events get theirs here and every
 * insert names the column.
 */
export const WEBHOOK_IDS_MIGRATION: Migration = {
  version: 6,
  name: 'globally unique webhook ids',
  sql: `
ALTER TABLE events ADD COLUMN webhook_id TEXT;
UPDATE events SET webhook_id = ${NEW_WEBHOOK_ID};
`,
};
