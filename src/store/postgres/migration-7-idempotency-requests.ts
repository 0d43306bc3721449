import type { Migration } from './migrations.js';

/**
 * An idempotency key remembers a hash of the request it was first used with,
 * so the same key with a different request is refused instead of answered
 * with the first request's result. Keys stored before have none and replay.
 */
export const IDEMPOTENCY_REQUESTS_MIGRATION: Migration = {
  version: 7,
  name: 'idempotency keys bound to their request',
  sql: `
ALTER TABLE idempotency_keys ADD COLUMN request_hash TEXT;
`,
};
