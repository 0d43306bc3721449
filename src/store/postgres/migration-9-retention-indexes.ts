import type { Migration } from './migrations.js';

/**
 * What retention deletes, found in order without reading the rest: Failed
 * and Canceled events by when they ended (Delivered ones have their own
 * index), idempotency keys by when they were made.
 */
export const RETENTION_INDEXES_MIGRATION: Migration = {
  version: 9,
  name: 'retention of ended events and idempotency keys',
  sql: `
CREATE INDEX events_ended ON events (finished_at) WHERE status IN ('Failed', 'Canceled');
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
`,
};
