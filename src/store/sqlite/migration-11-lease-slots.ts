import type { Migration } from './migrations.js';

/**
 * PostgreSQL's migration 11 gives each callback lease slots so that claimers
 * in many processes can share its cap without locks. SQLite has one writer,
 * which counts a callback's leases inside its write lock, so it needs no
 * change; the number is taken here so both stores' migrations keep the same
 * numbers and their files pair up.
 */
export const LEASE_SLOTS_MIGRATION: Migration = {
  version: 11,
  name: 'lease slots (PostgreSQL only)',
  sql: '',
};
