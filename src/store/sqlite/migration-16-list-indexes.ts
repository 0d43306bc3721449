import type { Migration } from './migrations.js';

/**
 * Indexes that lead with each event list's order (newest first), so a page
 * reads its own rows and stops, at 5,000,000 events as at 5: Root's
 * unfiltered list, a mailbox user's list (scoped by mailbox), a parcel's
 * events, and the Failed events of a callback or of any scope (the
 * console's "what failed" filter, otherwise a walk past every delivered
 * event). The last two are
 * partial: the delivery path writes to them only for events that have a
 * parcel, or that fail.
 *
 * The Delivered events' index gains the scope's columns, so the overview of
 * one network, mailbox or callback counts from the index alone instead of
 * reading each delivered event's row to check its scope; a second one by
 * callback lets a callback's health read its latest deliveries and stop.
 * Both are written once per event, when it is delivered.
 */
export const LIST_INDEXES_MIGRATION: Migration = {
  version: 16,
  name: 'event list indexes',
  sql: `
CREATE INDEX events_listed ON events (created_at DESC, id DESC);
CREATE INDEX events_by_mailbox ON events (mailbox_id, created_at DESC, id DESC);
CREATE INDEX events_by_parcel ON events (parcel_id, created_at DESC, id DESC) WHERE parcel_id <> 0;
CREATE INDEX events_failed_listed ON events (callback_id, created_at DESC, id DESC) WHERE status = 'Failed';
CREATE INDEX events_failed_newest ON events (created_at DESC, id DESC) WHERE status = 'Failed';
DROP INDEX events_delivered;
CREATE INDEX events_delivered ON events (finished_at, network_id, mailbox_id, callback_id) WHERE status = 'Delivered';
CREATE INDEX events_delivered_by_callback ON events (callback_id, finished_at) WHERE status = 'Delivered';
`,
};
