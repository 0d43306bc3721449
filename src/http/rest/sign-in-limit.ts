/**
 * Sign-in attempts allowed per login name and per client address in a
 * fixed window: slows password guessing whether it comes from many addresses
 * at one login or from one address at many logins. An address gets
 * ADDRESS_FACTOR times a login's allowance, since several people may sign in
 * from behind one proxy. Counters live in the process.
 */
import { GridhookError } from '../../errors.js';

const WINDOW_MS = 60_000;
/** Counters remembered at once; past this the oldest window is forgotten. */
const MAX_COUNTERS = 10_000;
export const ADDRESS_FACTOR = 5;

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

  /** Counts one attempt from this address (and for this login); RateLimitExceeded when either is over its limit. */
  take(address: string, loginName?: string): void {
    const now = this.now();
    let waitMs = 0;
    const keys: [string, number][] = [[`ip:${address}`, this.perMinute * ADDRESS_FACTOR]];
    if (loginName !== undefined) keys.push([`login:${loginName}`, this.perMinute]);
    for (const [key, max] of keys) {
      let window = this.#windows.get(key);
      if (!window || now - window.startedAt >= WINDOW_MS) {
        this.#windows.delete(key);
        if (this.#windows.size >= MAX_COUNTERS) this.#windows.delete(this.#windows.keys().next().value as string);
        window = { startedAt: now, count: 0 };
        this.#windows.set(key, window);
      }
      window.count += 1;
      if (window.count > max) waitMs = Math.max(waitMs, window.startedAt + WINDOW_MS - now);
    }
    if (waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw new GridhookError(
        'RateLimitExceeded',
        `Too many sign-in attempts: at most ${this.perMinute} a minute for one login name ` +
          `(${this.perMinute * ADDRESS_FACTOR} from one client address); ` +
          `retry after ${seconds} s.`,
        { retryAfterSeconds: seconds },
      );
    }
  }
}
