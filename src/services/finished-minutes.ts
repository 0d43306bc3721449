/**
 * The overview's finished events per minute, kept per scope so that a call
 * counts only the last few minutes instead of a whole day of events (at
 * 5,000,000 events, 160,000 finished a day: hundreds of milliseconds a
 * count). The minute that straddles `since` is counted from `since` while
 * it is fresh and left out once cached (at most a minute's events at the
 * far end of a day). A minute is taken as final once SETTLE_MS has passed since its
 * end, enough for a worker's batched results to be written. A retried
 * failure leaves its old minute; each scope is recounted in full every
 * REFRESH_MS, so the chart is never more than that behind such a change.
 */
import type { FinishedCount, OverviewFilter } from '../store/store.js';

const MINUTE = 60_000;
const SETTLE_MS = 2 * MINUTE;
const REFRESH_MS = 5 * MINUTE;
/** Scopes kept: Root, each network, mailbox and callback the console is looking at. */
const MAX_SCOPES = 1_000;

interface Entry {
  /** Counts of every minute before `finalUpTo` since the entry was built (or folded in later). */
  minutes: Map<number, FinishedCount[]>;
  finalUpTo: number;
  builtAt: number;
}

/** A store read whose `finished` counts start at `finishedSince`, the earliest finishing time it must read. */
export type CountFinished<T extends { finished: FinishedCount[] }> = (finishedSince: number) => Promise<T>;

export class FinishedMinutes {
  readonly #entries = new Map<string, Entry>();

  /**
   * `count`'s answer with its finished counts per minute from `since` until
   * `now`: the final minutes from the cache, the rest as `count` read them.
   */
  async read<T extends { finished: FinishedCount[] }>(filter: OverviewFilter, since: number, now: number, count: CountFinished<T>): Promise<T> {
    const key = JSON.stringify([filter.networkId ?? null, filter.mailboxId ?? null, filter.callbackId ?? null]);
    let entry = this.#entries.get(key);
    if (entry && now - entry.builtAt > REFRESH_MS) entry = undefined;
    const from = entry ? Math.max(entry.finalUpTo, since) : since;
    const counted = await count(from);
    const fresh = counted.finished;
    const finalUpTo = Math.floor((now - SETTLE_MS) / MINUTE) * MINUTE;
    if (!entry || entry.finalUpTo < from) {
      entry = { minutes: new Map(), finalUpTo: from, builtAt: now };
    }
    for (const row of fresh) {
      if (row.minute >= entry.finalUpTo && row.minute < finalUpTo) {
        entry.minutes.set(row.minute, [...(entry.minutes.get(row.minute) ?? []).filter((r) => r.status !== row.status), row]);
      }
    }
    entry.finalUpTo = Math.max(entry.finalUpTo, finalUpTo);
    for (const minute of entry.minutes.keys()) if (minute < since) entry.minutes.delete(minute);
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    if (this.#entries.size > MAX_SCOPES) this.#entries.delete(this.#entries.keys().next().value as string);

    const cached = [...entry.minutes.entries()].filter(([minute]) => minute < from).flatMap(([, rows]) => rows);
    return { ...counted, finished: [...cached, ...fresh].sort((a, b) => a.minute - b.minute || a.status.localeCompare(b.status)) };
  }
}
