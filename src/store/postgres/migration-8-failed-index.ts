import type { Migration } from './migrations.js';

/**
 * Failed events by callback and finishing time, for the console's overview
 * (failures per minute, the callbacks failing most) and each callback's
 * failed count. Partial, so it holds only the failures and the delivery
 * path writes to it only when an event fails.
 */
export const FAILED_INDEX_MIGRATION: Migration = {
  version: 8,
  name: 'failed events index',
  sql: `
CREATE INDEX events_failed ON events (callback_id, finished_at) WHERE status = 'Failed';
`,
};
