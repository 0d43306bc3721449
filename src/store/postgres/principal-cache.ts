/**
 * The principals of API keys one process has looked up, kept briefly: on
 * PostgreSQL the lookup was a round trip on every API call, and without it
 * the API's publish rate on a 2-core machine went from about 600 to 1,400-
 * 2,000 calls/s (docs/performance.md). A key stops working everywhere as soon as any change
 * to keys or users commits: every such transaction sends a NOTIFY on
 * KEYS_CHANNEL, and each process empties its cache when it hears one. The
 * cache is used only while this process is subscribed, so a notification
 * cannot be missed unnoticed (a reconnect empties it too), and an entry
 * lives at most TTL_MS, which bounds what a change made outside gridhook
 * (an operator's SQL) can leave behind. Only keys that were found are kept:
 * a key created a moment ago works at once.
 */
import type { Principal } from '../../domain/types.js';

/** The channel every gridhook process notifies on when a key or user changes. */
export const KEYS_CHANNEL = 'gridhook_keys';

const TTL_MS = 1_000;
/** Past this many keys the cache starts again empty: a bound on memory only. */
const MAX_ENTRIES = 10_000;

export class PrincipalCache {
  readonly #entries = new Map<string, { principal: Principal; until: number }>();
  /** Bumped by every clear, so a lookup that raced a change is not kept. */
  #generation = 0;

  get generation(): number {
    return this.#generation;
  }

  get(keyHash: string, now: number): Principal | undefined {
    const entry = this.#entries.get(keyHash);
    if (entry === undefined) return undefined;
    if (entry.until > now) return entry.principal;
    this.#entries.delete(keyHash);
    return undefined;
  }

  /** Keeps a principal read since `generation`, unless a change was heard meanwhile. */
  set(keyHash: string, principal: Principal, now: number, generation: number): void {
    if (generation !== this.#generation) return;
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
    this.#entries.set(keyHash, { principal, until: now + TTL_MS });
  }

  clear(): void {
    this.#generation += 1;
    this.#entries.clear();
  }
}
