/**
 * The activity feed on PostgreSQL: events and attempts past a cursor, by ID,
 * and the missing IDs the reader names. An identity value is taken when a row
 * is inserted, not when its transaction commits, so a lower ID can become
 * visible after a higher one; the reader keeps the IDs it skipped and names
 * them here until they appear or it stops waiting. Pairs with sqlite/feed.ts.
 */
import { toAttempt, toEvent, type AttemptRow, type EventRow } from '../rows.js';
import type { FeedAttempt, FeedPage, FeedPosition, FeedQuery } from '../store.js';
import { EVENT_COLUMNS as SHARED_EVENT_COLUMNS } from './events.js';

/** What the feed needs of the store it belongs to. */
export interface PostgresFeedContext {
  query<R>(text: string, values: unknown[]): Promise<R[]>;
}

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

export class PostgresFeed {
  constructor(private readonly context: PostgresFeedContext) {}

  async position(): Promise<FeedPosition> {
    const [row] = await this.context.query<FeedPosition>(
      `SELECT (SELECT COALESCE(MAX(id), 0) FROM events) AS "eventId", (SELECT COALESCE(MAX(id), 0) FROM attempts) AS "attemptId"`,
      [],
    );
    return row as FeedPosition;
  }

  async readFeed(query: FeedQuery): Promise<FeedPage> {
    // Four short index reads side by side; each answers as of its own moment,
    // which the reader's cursor and missing IDs make harmless.
    const [events, attempts, lateEvents, lateAttempts] = await Promise.all([
      this.context.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.id > $1 ORDER BY e.id LIMIT $2`, [
        query.eventsAfter,
        query.limit,
      ]),
      this.context.query<AttemptJoinRow>(
        `SELECT ${ATTEMPT_COLUMNS}, ${EVENT_COLUMNS} FROM attempts a JOIN events e ON e.id = a.event_id
         WHERE a.id > $1 ORDER BY a.id LIMIT $2`,
        [query.attemptsAfter, query.limit],
      ),
      query.missingEventIds.length === 0
        ? Promise.resolve([])
        : this.context.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.id = ANY ($1::BIGINT[]) ORDER BY e.id`, [
            query.missingEventIds,
          ]),
      query.missingAttemptIds.length === 0
        ? Promise.resolve([])
        : this.context.query<AttemptJoinRow>(
            `SELECT ${ATTEMPT_COLUMNS}, ${EVENT_COLUMNS} FROM attempts a JOIN events e ON e.id = a.event_id
             WHERE a.id = ANY ($1::BIGINT[]) ORDER BY a.id`,
            [query.missingAttemptIds],
          ),
    ]);
    return {
      events: [...events, ...lateEvents].map(toEvent),
      attempts: [...attempts, ...lateAttempts].map(toFeedAttempt),
    };
  }
}
