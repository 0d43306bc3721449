/**
 * The PostgreSQL server's clock, read in this process without a round trip.
 *
 * Workers on several machines share leases and due times through the
 * database, so they must all tell time by one clock: the server's. Asking it
 * on every claim would add a round trip to each; instead the offset between
 * this machine's clock and the server's is measured now and then (NTP's way:
 * the server's reading is taken to fall at the midpoint of the round trip,
 * and of a few round trips the shortest is trusted, as the one least delayed
 * by a busy pool or network), and now() is the local clock plus that offset.
 * Its error is at most half that round trip.
 *
 * A step of the local clock (someone sets the date) is corrected at the next
 * measurement; NTP slews a running clock rather than stepping it, and a slew
 * of a few parts per million is nothing over RESYNC_MS. A lost connection
 * measures again a moment later: it may have been a failover to another
 * server, with a clock of its own.
 */
import type { Clock } from '../../domain/clock.js';

/** The two clocks at one moment, in ms since the epoch. */
export interface ClockReading {
  localTime: number;
  databaseTime: number;
}

export interface ServerClockOptions {
  /** The server's clock_timestamp(), in ms since the epoch: one round trip. */
  readServer(): Promise<number>;
  /** This machine's clock, in ms since the epoch. */
  localTime(): number;
  /** Told when the local clock goes SKEW_WARN_MS or more away from the server's (again only after it came back). */
  onSkew(reading: ClockReading): void;
}

/** Round trips per measurement; the shortest one's reading is kept. */
const SAMPLES = 3;
/** How often the offset is measured again. */
const RESYNC_MS = 30_000;
/** The first wait before measuring again after a failed measurement; it doubles up to RESYNC_MS. */
const RETRY_MIN_MS = 500;
/**
 * How long after a lost connection the offset is measured again: the pool's
 * other connections to that server were likely lost with it, and measuring
 * at once could take one of them before its loss is known.
 */
const AFTER_LOSS_MS = 1_000;
/** How far the two clocks may be apart before a person should hear of it (leases are unaffected either way). */
const SKEW_WARN_MS = 1_000;

export class ServerClock implements Clock {
  /** Server time minus local time, in whole ms; 0 until the first measurement. */
  #offset = 0;
  #skewed = false;
  #measuring: Promise<void> | null = null;
  #measureAgain = false;
  #timer: NodeJS.Timeout | null = null;
  #retryMs = 0;
  #running = false;

  constructor(private readonly options: ServerClockOptions) {}

  now(): number {
    return this.options.localTime() + this.#offset;
  }

  /** Measures the offset; rejects when the server cannot be read, keeping the offset it had. */
  sync(): Promise<void> {
    this.#measuring ??= this.#measure().finally(() => {
      this.#measuring = null;
      if (this.#measureAgain) {
        this.#measureAgain = false;
        this.resyncSoon();
      }
    });
    return this.#measuring;
  }

  /** Measures now and then every RESYNC_MS (sooner, backing off, while the server cannot be read). */
  start(): void {
    this.#running = true;
    this.#schedule(0);
  }

  /** After a lost connection: the server that answers next may be another one. */
  resyncSoon(): void {
    if (!this.#running) return;
    // A measurement under way may have read the old server: another one follows it.
    if (this.#measuring) this.#measureAgain = true;
    else this.#schedule(AFTER_LOSS_MS);
  }

  stop(): void {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #schedule(delayMs: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.sync().then(
        () => {
          this.#retryMs = 0;
          if (this.#running && this.#timer === null) this.#schedule(RESYNC_MS);
        },
        () => {
          // The outage shows wherever the database is used; the last offset stays meanwhile.
          this.#retryMs = Math.min(RESYNC_MS, this.#retryMs === 0 ? RETRY_MIN_MS : this.#retryMs * 2);
          if (this.#running && this.#timer === null) this.#schedule(this.#retryMs);
        },
      );
    }, delayMs);
    this.#timer.unref();
  }

  async #measure(): Promise<void> {
    let best: (ClockReading & { roundTripMs: number }) | null = null;
    for (let sample = 0; sample < SAMPLES; sample++) {
      const sent = this.options.localTime();
      const databaseTime = await this.options.readServer();
      const roundTripMs = this.options.localTime() - sent;
      // Negative only when the local clock stepped back meanwhile: that reading says nothing.
      if (roundTripMs < 0) continue;
      if (best === null || roundTripMs < best.roundTripMs) best = { localTime: sent + roundTripMs / 2, databaseTime, roundTripMs };
    }
    if (best === null) return;
    // Whole milliseconds, as every time gridhook stores is.
    this.#offset = Math.round(best.databaseTime - best.localTime);
    const skewed = Math.abs(this.#offset) >= SKEW_WARN_MS;
    if (skewed && !this.#skewed) this.options.onSkew({ localTime: best.localTime, databaseTime: best.databaseTime });
    this.#skewed = skewed;
  }
}
