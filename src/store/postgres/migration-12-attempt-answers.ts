import type { Migration } from './migrations.js';

/**
 * What a receiver answered, for the attempt log: its header block and the
 * first part of its body, both cleaned and cut short before they are stored
 * (delivery/outcome.ts). NULL when no answer came, and on attempts made before.
 * record_attempts and record_and_claim take them as two more arrays from
 * migration 13 on, which replaces both.
 */
export const ATTEMPT_ANSWERS_MIGRATION: Migration = {
  version: 12,
  name: 'attempt answers',
  sql: `
ALTER TABLE attempts ADD COLUMN response_headers TEXT;
ALTER TABLE attempts ADD COLUMN response_body TEXT;
`,
};
