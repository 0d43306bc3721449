/**
 * The activity feed on SQLite: events and attempts past a cursor, by ID.
 * SQLite has one writer at a time and an ID is taken inside the write that
 * commits it, so IDs become visible in order and the missing ones named are
 * rarely any. Pairs with postgres/feed.ts.
 */
import type Database from 'better-sqlite3';
import { toAttempt, toEvent, type AttemptRow, type EventRow } from '../rows.js';
import type { FeedAttempt, FeedPage, FeedPosition, FeedQuery } from '../store.js';
import { EVENT_COLUMNS as SHARED_EVENT_COLUMNS } from './events.js';

/** The events' columns, named through the alias `e` (attempts has an id too). */
const EVENT_COLUMNS = SHARED_EVENT_COLUMNS.split(',')
  .map((column) => `e.${column.trim()}`)
  .join(', ');

const ATTEMPT_COLUMNS = `a.id AS attempt_id, a.started_at AS attempt_started_at, a.duration_ms AS attempt_duration_ms,
  a.http_status AS attempt_http_status, a.error AS attempt_error`;

type AttemptJoinRow = EventRow & {
  attempt_id: number;
  attempt_started_at: number;
  attempt_duration_ms: number;
  attempt_http_status: number | null;
  attempt_error: string | null;
};

function toFeedAttempt(row: AttemptJoinRow): FeedAttempt {
  const attempt: AttemptRow = {
    id: row.attempt_id,
    event_id: row.id,
    started_at: row.attempt_started_at,
    duration_ms: row.attempt_duration_ms,
    http_status: row.attempt_http_status,
    error: row.attempt_error,
  };
  return { attempt: toAttempt(attempt), event: toEvent(row) };
}

export class SqliteFeed {
  constructor(
    private readonly db: Database.Database,
    /** Runs `fn` in one read transaction (a consistent snapshot). */
    private readonly read: <T>(fn: () => T) => T,
  ) {}

  position(): FeedPosition {
    return this.db
      .prepare(
        `SELECT (SELECT COALESCE(MAX(id), 0) FROM events) AS eventId, (SELECT COALESCE(MAX(id), 0) FROM attempts) AS attemptId`,
      )
      .get() as FeedPosition;
  }

  readFeed(query: FeedQuery): FeedPage {
    return this.read(() => {
      const events = this.db
        .prepare(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.id > ? ORDER BY e.id LIMIT ?`)
        .all(query.eventsAfter, query.limit) as EventRow[];
      const attempts = this.db
        .prepare(
          `SELECT ${ATTEMPT_COLUMNS}, ${EVENT_COLUMNS} FROM attempts a JOIN events e ON e.id = a.event_id
           WHERE a.id > ? ORDER BY a.id LIMIT ?`,
        )
        .all(query.attemptsAfter, query.limit) as AttemptJoinRow[];
      if (query.missingEventIds.length > 0) {
        events.push(
          ...(this.db
            .prepare(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.id IN (SELECT value FROM json_each(?)) ORDER BY e.id`)
            .all(JSON.stringify(query.missingEventIds)) as EventRow[]),
        );
      }
      if (query.missingAttemptIds.length > 0) {
        attempts.push(
          ...(this.db
            .prepare(
              `SELECT ${ATTEMPT_COLUMNS}, ${EVENT_COLUMNS} FROM attempts a JOIN events e ON e.id = a.event_id
               WHERE a.id IN (SELECT value FROM json_each(?)) ORDER BY a.id`,
            )
            .all(JSON.stringify(query.missingAttemptIds)) as AttemptJoinRow[]),
        );
      }
      return { events: events.map(toEvent), attempts: attempts.map(toFeedAttempt) };
    });
  }
}
