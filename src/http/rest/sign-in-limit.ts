/**
 * Sign-in attempts allowed per client address and per login name in a
 * fixed window: slows password guessing whether it sprays one address at
 * many logins or many addresses at one login. Counters live in the process.
 */
import { GridhookError } from '../../errors.js';

const WINDOW_MS = 60_000;
/** Counters remembered at once; past this the oldest window is forgotten. */
const MAX_COUNTERS = 10_000;

interface Window {
  startedAt: number;
  count: number;
}

export class SignInLimit {
  readonly #windows = new Map<string, Window>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one attempt for each key; RateLimitExceeded when any is over the limit. */
  take(keys: readonly string[]): void {
    const now = this.now();
    let waitMs = 0;
    for (const key of keys) {
      let window = this.#windows.get(key);
      if (!window || now - window.startedAt >= WINDOW_MS) {
        this.#windows.delete(key);
        if (this.#windows.size >= MAX_COUNTERS) this.#windows.delete(this.#windows.keys().next().value as string);
        window = { startedAt: now, count: 0 };
        this.#windows.set(key, window);
      }
      window.count += 1;
      if (window.count > this.perMinute) waitMs = Math.max(waitMs, window.startedAt + WINDOW_MS - now);
    }
    if (waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw new GridhookError(
        'RateLimitExceeded',
        `Too many sign-in attempts: at most ${this.perMinute} a minute per client address and per login; ` +
          `retry after ${seconds} s.`,
        { retryAfterSeconds: seconds },
      );
    }
  }
}
