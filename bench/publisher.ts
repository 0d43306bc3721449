/**
 * Open-loop publishing at a fixed rate: each event goes out at its scheduled
 * time whether or not earlier calls have answered, so a slow API shows up as
 * latency instead of quietly lowering the rate (no coordinated omission).
 * One event per publish call, as a system reporting each parcel as it moves.
 */
import type { EventType } from '../src/domain/types.js';
import type { ApiClient } from './api-client.js';
import { sleep } from './processes.js';
import { preciseNow, summarize, type LatencySummary } from './stats.js';

export interface Stream {
  eventType: EventType;
  /** Events per second. */
  rate: number;
}

export interface PublishRun {
  /** Per stream (same order): events the API accepted (eventIds answered), warm-up included. */
  accepted: number[];
  /** Calls that failed or answered an error. */
  failed: number;
  /** Calls still unanswered when publishing gave up waiting (their events may yet be accepted). */
  unanswered: number;
  /** Events not sent because MAX_IN_FLIGHT calls were already waiting: the API could not keep up. */
  skipped: number;
  firstError: string | null;
  /** Answer time of the publish calls after warm-up. */
  apiLatency: LatencySummary;
  /** Calls made after warm-up, over the measured seconds. */
  achievedRate: number;
}

/** More calls than this waiting for answers means the API is saturated; further events are skipped, not queued. */
const MAX_IN_FLIGHT = 500;
/** How long unanswered calls are waited for once the schedule is done. */
const ANSWER_WAIT_MS = 30_000;

/**
 * Publishes every stream at its rate for warmupMs (fileName "warm:…", not
 * counted in delivery latency) and then durationMs (fileName "sent:<time>").
 */
export async function publishAtRate(
  api: ApiClient,
  streams: Stream[],
  warmupMs: number,
  durationMs: number,
): Promise<PublishRun> {
  const accepted = streams.map(() => 0);
  const sent = streams.map(() => 0);
  const totals = streams.map((s) => Math.round((s.rate * (warmupMs + durationMs)) / 1000));
  const inFlight = new Set<Promise<void>>();
  const apiLatencies: number[] = [];
  let failed = 0;
  let skipped = 0;
  let firstError: string | null = null;
  let measuredCalls = 0;
  let over = false;

  const start = preciseNow();
  const measureFrom = start + warmupMs;
  const scheduleEnd = start + warmupMs + durationMs;

  const publishOne = (index: number, stream: Stream, parcelId: number): void => {
    if (inFlight.size >= MAX_IN_FLIGHT) {
      skipped += 1;
      return;
    }
    const at = preciseNow();
    const measured = at >= measureFrom;
    if (measured) measuredCalls += 1;
    const call = api
      .publish([
        {
          callBackEvent: stream.eventType,
          networkId: 1,
          mailboxId: 1,
          ecGridId: 0,
          parcelId,
          fileName: `${measured ? 'sent' : 'warm'}:${at.toFixed(3)}`,
        },
      ])
      .then(
        (answer) => {
          if (over) return;
          accepted[index] = (accepted[index] ?? 0) + answer.eventIds.length;
          if (measured) apiLatencies.push(preciseNow() - at);
        },
        (error: unknown) => {
          if (over) return;
          failed += 1;
          firstError ??= error instanceof Error ? error.message : String(error);
        },
      )
      .finally(() => inFlight.delete(call));
    inFlight.add(call);
  };

  // Every call is due by scheduleEnd; the extra second only bounds the loop.
  while (preciseNow() < scheduleEnd + 1_000) {
    const elapsed = preciseNow() - start;
    let remaining = 0;
    streams.forEach((stream, index) => {
      const due = Math.min(totals[index] as number, Math.floor((elapsed * stream.rate) / 1000) + 1);
      while ((sent[index] as number) < due) {
        sent[index] = (sent[index] as number) + 1;
        publishOne(index, stream, sent[index] as number);
      }
      remaining += (totals[index] as number) - (sent[index] as number);
    });
    if (remaining === 0) break;
    await sleep(1);
  }
  const waitUntil = preciseNow() + ANSWER_WAIT_MS;
  while (inFlight.size > 0 && preciseNow() < waitUntil) await sleep(10);
  over = true;
  return {
    accepted: [...accepted],
    failed,
    unanswered: inFlight.size,
    skipped,
    firstError,
    apiLatency: summarize(apiLatencies),
    achievedRate: Math.round((measuredCalls / durationMs) * 1000),
  };
}
