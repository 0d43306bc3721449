/**
 * The live stream's source: one reader per process follows the store's
 * activity feed (events as they are created, attempts as they are recorded)
 * and hands what it finds to every open stream, which keeps what its
 * principal may see. The database's work is the same for one open stream or
 * a thousand, and it is the store that is read, so a stream served by an API
 * process sees what a worker process delivered.
 *
 * Each item gets a number, `<epoch>.<seq>`: the epoch names this reader's
 * run, so a stream that reconnects (SSE's Last-Event-ID) resumes from the
 * items still kept here, or is told it missed some (`reset`) when it comes
 * back to another process or after more than the kept window.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { Attempt, EventRecord } from '../domain/types.js';
import type { Store } from '../store/store.js';

export type StreamItem =
  | { id: string; kind: 'event'; event: EventRecord }
  | { id: string; kind: 'attempt'; attempt: Attempt; event: EventRecord };

export interface StreamOptions {
  /** How often the feed is read while a stream is open. */
  pollMs: number;
  /** Rows of each kind read at once; a full read is followed by another at once. */
  pageSize: number;
  /** How long an ID skipped over is looked for (a transaction still open on PostgreSQL). */
  missingWaitMs: number;
  /** At most this many skipped IDs of each kind are looked for; the oldest are given up first. */
  maxMissing: number;
  /** Items kept for streams that reconnect. */
  keep: number;
  /** How long the reader goes on after the last stream closed, so reconnects can resume. */
  lingerMs: number;
}

export const DEFAULT_STREAM_OPTIONS: StreamOptions = {
  pollMs: 500,
  pageSize: 500,
  missingWaitMs: 30_000,
  maxMissing: 5_000,
  keep: 2_000,
  lingerMs: 30_000,
};

export type StreamListener = (items: readonly StreamItem[]) => void;

export interface StreamSubscription {
  /** Items after the Last-Event-ID asked for (already kept here); empty when none was asked. */
  backlog: StreamItem[];
  /** True when the Last-Event-ID asked for is no longer (or never was) kept here: the client missed items. */
  missed: boolean;
  /** Where the stream stands now: the id a client reconnecting from here sends. */
  position: string;
  close(): void;
}

/** IDs of one kind, with the cursor past which everything was seen or is looked for. */
class IdCursor {
  last = 0;
  /** Skipped IDs (not visible when a higher one was), and when they were first missed. */
  readonly missing = new Map<number, number>();

  constructor(private readonly options: StreamOptions) {}

  /** Takes the IDs a read found; answers the ones not seen before. */
  take<T>(rows: readonly T[], idOf: (row: T) => number, now: number): T[] {
    const fresh: T[] = [];
    for (const row of rows) {
      const id = idOf(row);
      if (id > this.last) {
        const firstSkipped = Math.max(this.last + 1, id - this.options.maxMissing);
        for (let skipped = firstSkipped; skipped < id; skipped++) this.missing.set(skipped, now);
        this.last = id;
        fresh.push(row);
      } else if (this.missing.delete(id)) {
        fresh.push(row);
      }
    }
    for (const [id, since] of this.missing) {
      if (now - since < this.options.missingWaitMs && this.missing.size <= this.options.maxMissing) break;
      this.missing.delete(id);
    }
    return fresh;
  }
}

export class EventStreamHub {
  readonly #listeners = new Set<StreamListener>();
  readonly #kept: StreamItem[] = [];
  #epoch = '';
  #seq = 0;
  #events: IdCursor;
  #attempts: IdCursor;
  #running: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #idleSince = 0;
  #stopped = false;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly options: StreamOptions = DEFAULT_STREAM_OPTIONS,
  ) {
    this.#events = new IdCursor(options);
    this.#attempts = new IdCursor(options);
  }

  /** Open streams in this process. */
  get size(): number {
    return this.#listeners.size;
  }

  /**
   * Adds a listener for items read from now on; with a Last-Event-ID, also
   * answers what came after it, if it is still kept.
   */
  async subscribe(listener: StreamListener, lastEventId?: string): Promise<StreamSubscription> {
    if (this.#stopped) throw new Error('the event stream has stopped');
    await this.#start();
    this.#listeners.add(listener);
    let backlog: StreamItem[] = [];
    let missed = false;
    if (lastEventId !== undefined) {
      const [epoch, seqText] = lastEventId.split('.');
      const seq = Number(seqText);
      const oldest = this.#kept[0] ? sequenceOf(this.#kept[0].id) : this.#seq + 1;
      if (epoch !== this.#epoch || !Number.isInteger(seq) || seq < oldest - 1 || seq > this.#seq) missed = true;
      else backlog = this.#kept.filter((item) => sequenceOf(item.id) > seq);
    }
    return {
      backlog,
      missed,
      position: `${this.#epoch}.${this.#seq}`,
      close: () => {
        if (this.#listeners.delete(listener) && this.#listeners.size === 0) this.#idleSince = Date.now();
      },
    };
  }

  /** Stops reading for good (the process is shutting down). */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#listeners.clear();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => undefined);
  }

  /** Starts the reader at the feed's current end, unless it runs. */
  #start(): Promise<void> {
    this.#running ??= (async () => {
      const position = await this.store.feedPosition();
      this.#epoch = randomBytes(6).toString('hex');
      this.#seq = 0;
      this.#kept.length = 0;
      this.#events = new IdCursor(this.options);
      this.#attempts = new IdCursor(this.options);
      this.#events.last = position.eventId;
      this.#attempts.last = position.attemptId;
      this.#schedule(this.options.pollMs);
    })().catch((error: unknown) => {
      this.#running = null;
      throw error;
    });
    return this.#running;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.#poll(), delayMs);
    this.#timer.unref();
  }

  async #poll(): Promise<void> {
    this.#timer = null;
    if (this.#listeners.size === 0 && Date.now() - this.#idleSince >= this.options.lingerMs) {
      this.#running = null;
      return;
    }
    let full = false;
    try {
      full = await this.#read();
    } catch (error) {
      this.logger.warn({ err: error }, 'event stream: reading the activity feed failed; trying again');
    }
    this.#schedule(full ? 0 : this.options.pollMs);
  }

  /** One read of the feed; answers whether a page came back full (more is waiting). */
  async #read(): Promise<boolean> {
    const { pageSize } = this.options;
    const page = await this.store.readFeed({
      eventsAfter: this.#events.last,
      attemptsAfter: this.#attempts.last,
      limit: pageSize,
      missingEventIds: [...this.#events.missing.keys()],
      missingAttemptIds: [...this.#attempts.missing.keys()],
    });
    if (this.#stopped) return false;
    const eventsAfter = this.#events.last;
    const attemptsAfter = this.#attempts.last;
    const now = Date.now();
    const events = this.#events.take(page.events, (event) => event.eventId, now);
    const attempts = this.#attempts.take(page.attempts, (row) => row.attempt.attemptId, now);
    const items: StreamItem[] = [];
    for (const event of events) items.push({ id: this.#nextId(), kind: 'event', event });
    for (const { attempt, event } of attempts) items.push({ id: this.#nextId(), kind: 'attempt', attempt, event });
    if (items.length > 0) {
      this.#kept.push(...items);
      if (this.#kept.length > this.options.keep) this.#kept.splice(0, this.#kept.length - this.options.keep);
      for (const listener of this.#listeners) listener(items);
    }
    return (
      page.events.filter((event) => event.eventId > eventsAfter).length >= pageSize ||
      page.attempts.filter((row) => row.attempt.attemptId > attemptsAfter).length >= pageSize
    );
  }

  #nextId(): string {
    this.#seq += 1;
    return `${this.#epoch}.${this.#seq}`;
  }
}

function sequenceOf(id: string): number {
  return Number(id.slice(id.indexOf('.') + 1));
}
