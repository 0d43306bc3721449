import type { Migration } from './migrations.js';

/**
 * Each callback's due queue on its own, so a claim can take one callback's
 * oldest events, and list the callbacks that have Pending events, without
 * walking another callback's backlog (see SqliteStore.claimDueEvents).
 */
export const CLAIM_INDEX_MIGRATION: Migration = {
  version: 5,
  name: 'per-callback due index',
  sql: `
CREATE INDEX events_due_by_callback ON events (callback_id, next_attempt_at, id) WHERE status = 'Pending';
`,
};
