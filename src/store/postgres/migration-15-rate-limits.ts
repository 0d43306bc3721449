import type { Migration } from './migrations.js';

/**
 * Per-callback rate limits: the limit and the token bucket every worker takes
 * from. rate_tokens and rate_at are the bucket as last taken from (null: full,
 * untouched since the limit was set); rate_granted is what the latest take
 * granted, kept beside them so PostgreSQL can answer it from one UPDATE.
 * callbacks_rate_limited lets workers list the limited callbacks without
 * reading the others.
 */
export const RATE_LIMITS_MIGRATION: Migration = {
  version: 15,
  name: 'per-callback rate limits',
  sql: `
ALTER TABLE callbacks ADD COLUMN max_per_second INTEGER;
ALTER TABLE callbacks ADD COLUMN rate_tokens DOUBLE PRECISION;
ALTER TABLE callbacks ADD COLUMN rate_at BIGINT;
ALTER TABLE callbacks ADD COLUMN rate_granted INTEGER;
CREATE INDEX callbacks_rate_limited ON callbacks (id) WHERE max_per_second IS NOT NULL AND deleted_at IS NULL;
`,
};
