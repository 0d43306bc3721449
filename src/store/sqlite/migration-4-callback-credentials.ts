import type { Migration } from './migrations.js';

/**
 * A callback's HTTP Basic credentials and custom headers, each sealed
 * (AES-256-GCM) by the services before it reaches the store; NULL when unset.
 */
export const CALLBACK_CREDENTIALS_MIGRATION: Migration = {
  version: 4,
  name: 'callback credentials',
  sql: `
ALTER TABLE callbacks ADD COLUMN basic_auth TEXT;
ALTER TABLE callbacks ADD COLUMN custom_headers TEXT;
`,
};
