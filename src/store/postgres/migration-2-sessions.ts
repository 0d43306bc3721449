import type { Migration } from './migrations.js';

/**
 * SOAP Login sessions, kept in the database so that every API process knows
 * them. Only the SHA-256 of a session ID is stored; last_used_at drives the
 * idle timeout and the purge.
 */
export const SESSIONS_MIGRATION: Migration = {
  version: 2,
  name: 'sessions',
  sql: `
CREATE TABLE sessions (
  token_hash   TEXT   PRIMARY KEY,
  user_id      BIGINT NOT NULL REFERENCES users (id),
  created_at   BIGINT NOT NULL,
  last_used_at BIGINT NOT NULL
);
CREATE INDEX sessions_last_used ON sessions (last_used_at);
`,
};
