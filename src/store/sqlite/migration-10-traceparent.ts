import type { Migration } from './migrations.js';

/**
 * The W3C traceparent of the request that published an event (NULL when
 * tracing is off or the event came another way), so each delivery attempt's
 * span joins the publisher's trace and the receiver gets it as a header.
 */
export const TRACEPARENT_MIGRATION: Migration = {
  version: 10,
  name: 'event traceparent',
  sql: `
ALTER TABLE events ADD COLUMN traceparent TEXT;
`,
};
