import type { Migration } from './migrations.js';

/**
 * Ordered (FIFO) delivery: a callback's ordering, what orders it (the
 * callback, or each sender/recipient pair) and what a Failed event does to
 * its key; each event of a FIFO callback carries its key (NULL otherwise).
 *
 * events_fifo holds only the events that can hold a key up (Pending, Failed),
 * so a claim finds each key and its lowest event with one seek apiece.
 * callbacks_fifo lets the claim learn that no callback is FIFO without
 * reading the callbacks.
 */
export const FIFO_MIGRATION: Migration = {
  version: 14,
  name: 'ordered delivery',
  sql: `
ALTER TABLE callbacks ADD COLUMN ordering TEXT NOT NULL DEFAULT 'none';
ALTER TABLE callbacks ADD COLUMN ordering_key TEXT NOT NULL DEFAULT 'callback';
ALTER TABLE callbacks ADD COLUMN on_failure TEXT NOT NULL DEFAULT 'block';
CREATE INDEX callbacks_fifo ON callbacks (id) WHERE ordering = 'fifo';

ALTER TABLE events ADD COLUMN fifo_key TEXT;
CREATE INDEX events_fifo ON events (callback_id, fifo_key, id)
  WHERE fifo_key IS NOT NULL AND status IN ('Pending', 'Failed');
`,
};
