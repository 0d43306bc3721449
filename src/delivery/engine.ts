/**
 * The delivery loop of one process: claim due events with a lease, post each
 * without waiting for the others, and write the outcomes back in batches.
 *
 * No database transaction is ever open across an HTTP call: a claim commits
 * its leases, the sends run, and their results are recorded later. If this
 * process dies in between, the leases expire and any worker delivers the
 * events again under the same eventId (at-least-once).
 *
 * One slow or hanging receiver cannot starve the others: the store's claim
 * leases at most perCallbackConcurrency events of one callback at a time
 * (across all workers), which is kept below this engine's concurrency, so
 * there are always free slots for other callbacks' events.
 */
import { systemClock, type Clock } from '../domain/clock.js';
import { goneReason, suspendsAtOnce } from '../domain/endpoint-health.js';
import type { Logger } from '../logger.js';
import type { AttemptResult, ClaimOffer, ClaimRequest, DeliveryJob, Store } from '../store/store.js';
import { isRowDataError, storeErrorCode } from '../store/write-errors.js';
import type { CallbackSuspender } from './callback-suspender.js';
import { recordEachResult } from './isolated-results.js';
import { NO_OBSERVER, type DeliveryObserver } from './observer.js';
import { decideOutcome } from './outcome.js';
import { RateGate } from './rate-gate.js';
import type { SendResult, Sender } from './sender.js';

export interface DeliveryEngineOptions {
  store: Store;
  /** The engine sends through it but does not close it; its owner does, after stop(). */
  sender: Pick<Sender, 'send'>;
  logger: Logger;
  /** Default: the system clock. */
  clock?: Clock;
  /** Lease owner name; unique per process. */
  workerId: string;
  /** Attempts in flight at once in this process. */
  concurrency: number;
  /** Attempts of one callback in flight at once, across all workers. */
  perCallbackConcurrency: number;
  leaseMs: number;
  /** How often an idle engine looks for work it was not told about (other processes, expired leases). */
  pollIntervalMs: number;
  /** Most events claimed in one call. Default 100. */
  claimBatch?: number;
  /** Told about every attempt (metrics, traces). Default: nobody. */
  observer?: DeliveryObserver;
  /** Suspends a callback whose receiver answered 410 Gone. Default: none (the event is only deferred). */
  suspender?: Pick<CallbackSuspender, 'suspend'>;
}

/** Results written in one recordAttempts call at most. */
const RECORD_BATCH = 500;
/**
 * A result write still running after this long lets one more start beside
 * it: the results waiting behind a slow write hold their callbacks' slots.
 */
const SECOND_WRITE_AFTER_MS = 5;
const STORE_BACKOFF_MIN_MS = 100;
const STORE_BACKOFF_MAX_MS = 30_000;

function nextBackoff(previous: number): number {
  return previous === 0 ? STORE_BACKOFF_MIN_MS : Math.min(previous * 2, STORE_BACKOFF_MAX_MS);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class DeliveryEngine {
  readonly workerId: string;

  private readonly store: Store;
  private readonly sender: Pick<Sender, 'send'>;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly concurrency: number;
  private readonly perCallbackConcurrency: number;
  private readonly leaseMs: number;
  private readonly pollIntervalMs: number;
  private readonly claimBatch: number;
  private readonly observer: DeliveryObserver;
  private readonly suspender: Pick<CallbackSuspender, 'suspend'> | null;
  private readonly rateGate: RateGate;
  /** Claimed events of rate-limited callbacks waiting for their tokens. */
  private readonly admissions = new Set<Promise<void>>();

  private running = false;
  /** Set by stop(): no attempt starts after it, test calls included. */
  private stopRequested = false;
  private loop: Promise<void> | null = null;
  private unsubscribe: (() => void) | null = null;
  /** Set by anything that may have made work claimable; checked before the loop sleeps. */
  private workSignalled = false;
  private wakeSleeper: (() => void) | null = null;

  private readonly inFlight = new Map<DeliveryJob, Promise<void>>();
  /** Jobs whose leases stop() gave back while their send was still running: their results are dropped. */
  private readonly abandoned = new Set<DeliveryJob>();

  private buffer: AttemptResult[] = [];
  /** Numbers this engine's attempts, for their attemptKey. */
  private attemptSeq = 0;
  /** Results of the write in progress. */
  private recording = 0;
  /** Slots promised to claims in progress, so two claims at once cannot overfill the engine. */
  private reserved = 0;
  /** The next write: after this I/O phase, beside a slow write, or after a failed write's backoff. */
  private flushTimer: { cancel(): void; backoff?: boolean } | null = null;
  /** Result writes in progress: one, a second beside a slow one (see scheduleFlush). */
  private readonly writes = new Set<Promise<void>>();
  /** Failed writes so far: a write in progress stops taking batches once another failed (the backoff decides). */
  private writeFailures = 0;
  private flushBackoffMs = 0;
  /** When the latest result write started (performance.now()). */
  private writeStartedAt = 0;
  /** The soonest due time this engine knows of (its own retries, the store's last answer), if any. */
  private knownDueAt: number | null = null;

  constructor(options: DeliveryEngineOptions) {
    this.store = options.store;
    this.sender = options.sender;
    this.logger = options.logger;
    this.clock = options.clock ?? systemClock;
    this.workerId = options.workerId;
    this.concurrency = options.concurrency;
    this.perCallbackConcurrency = options.perCallbackConcurrency;
    this.leaseMs = options.leaseMs;
    this.pollIntervalMs = options.pollIntervalMs;
    this.claimBatch = options.claimBatch ?? 100;
    this.observer = options.observer ?? NO_OBSERVER;
    this.suspender = options.suspender ?? null;
    this.rateGate = new RateGate(this.store, this.clock, this.logger);
    for (const [name, value] of Object.entries({
      concurrency: this.concurrency,
      perCallbackConcurrency: this.perCallbackConcurrency,
      leaseMs: this.leaseMs,
      pollIntervalMs: this.pollIntervalMs,
      claimBatch: this.claimBatch,
    })) {
      if (!Number.isInteger(value) || value < 1) {
        throw new RangeError(`DeliveryEngine: ${name} must be a whole number ≥ 1, got ${value}`);
      }
    }
    if (this.perCallbackConcurrency >= this.concurrency) {
      this.logger.warn(
        { concurrency: this.concurrency, perCallbackConcurrency: this.perCallbackConcurrency },
        'per-callback concurrency is not below the delivery concurrency: ' +
          'one slow receiver can hold every delivery slot',
      );
    }
  }

  /** Whether stop() was called: nothing new may be attempted. */
  get stopping(): boolean {
    return this.stopRequested;
  }

  /** Events leased to this engine whose results are not yet recorded. */
  get leasesHeld(): number {
    return this.inFlight.size + this.buffer.length + this.recording;
  }

  /** Starts claiming and delivering due events. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.store.onNewWork(() => this.signalWork());
    this.loop = this.rateGate.start().then(() => this.run());
  }

  /**
   * Stops claiming, lets attempts in flight finish for up to graceMs, gives
   * back the leases of those still running (so another worker can deliver
   * them now rather than after the lease expires) and writes every result.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopRequested = true;
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.signalWork();
    await this.loop;
    this.loop = null;
    this.rateGate.stop();
    await Promise.all(this.admissions);

    if (this.inFlight.size > 0) {
      let graceTimer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled(this.inFlight.values()),
        new Promise<void>((resolve) => (graceTimer = setTimeout(resolve, graceMs))),
      ]);
      clearTimeout(graceTimer);
    }
    const unfinished = [...this.inFlight.keys()];
    for (const job of unfinished) this.abandoned.add(job);

    // Write now what is buffered, even if a failed write was waiting out its backoff.
    this.cancelFlushTimer();
    await this.writesSettled();
    this.cancelFlushTimer();
    await this.flush();
    await this.writesSettled();
    if (this.buffer.length > 0) {
      this.logger.error(
        { results: this.buffer.length },
        'attempt results could not be recorded; their events will be delivered again when their leases expire',
      );
      this.buffer = [];
    }

    if (unfinished.length > 0) {
      try {
        const released = await this.store.releaseLeases(
          this.workerId,
          unfinished.map((job) => job.eventId),
        );
        this.logger.info({ released }, 'released leases of attempts still running at shutdown');
      } catch (error) {
        this.logger.error({ err: error }, 'releasing leases failed; those events wait for their leases to expire');
      }
    }
  }

  /**
   * Sends one event that the caller has already leased to this engine's
   * workerId, and records the outcome before answering (the "test callback"
   * call reports it). Works whether or not the loop is running. If recording
   * fails the error is thrown; the lease then expires and the event is
   * delivered again by a worker.
   */
  async deliverNow(job: DeliveryJob): Promise<AttemptResult> {
    if (this.stopRequested) throw new Error('the delivery engine is stopping');
    // It holds one of this engine's slots while it runs, as a claimed event does.
    const attempted = this.attempt(job);
    this.inFlight.set(
      job,
      attempted.then(() => undefined),
    );
    let result: AttemptResult;
    try {
      result = await attempted;
    } finally {
      this.inFlight.delete(job);
    }
    try {
      await this.store.recordAttempts([result]);
    } catch (error) {
      if (!isRowDataError(error)) throw error;
      const unwritten = await recordEachResult(this.store, this.logger, [result]);
      if (unwritten.length > 0) throw error;
    }
    return result;
  }

  /**
   * A claim for the store to make in a publishing write, for as many events
   * as this engine has free slots (reserved until take or cancel), or null
   * when the engine is not running or has no free slot.
   */
  offerClaim(): (ClaimOffer & { cancel(): void }) | null {
    if (!this.running || !this.rateGate.ready) return null;
    const limit = Math.min(this.freeSlots(), this.claimBatch);
    if (limit <= 0) return null;
    this.reserved += limit;
    let open = true;
    const settle = (): boolean => {
      if (open) this.reserved -= limit;
      const was = open;
      open = false;
      return was;
    };
    return {
      request: this.claimRequest(limit),
      take: (jobs) => {
        if (!settle() || !this.running) {
          void this.giveBack(jobs);
          return;
        }
        this.dispatchAll(jobs);
        if (jobs.length === limit) this.signalWork();
      },
      // Slots given back unused (a store that leaves claims to the engine)
      // may be what the claim loop went to sleep for want of.
      cancel: () => {
        if (settle()) this.signalWork();
      },
    };
  }

  private signalWork(): void {
    this.workSignalled = true;
    const wake = this.wakeSleeper;
    this.wakeSleeper = null;
    wake?.();
  }

  /** Sleeps up to ms; signalWork() ends it early when interruptible, and stop() always does. */
  private sleep(ms: number, interruptible = true): Promise<void> {
    if (interruptible && this.workSignalled) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        if (this.wakeSleeper === wake) this.wakeSleeper = null;
        resolve();
      };
      const wake = (): void => {
        if (interruptible || !this.running) finish();
        else this.wakeSleeper = wake;
      };
      const timer = setTimeout(finish, ms);
      this.wakeSleeper = wake;
    });
  }

  private async run(): Promise<void> {
    let backoff = 0;
    while (this.running) {
      // An attempt holds its slot until its result is recorded, not just sent:
      // then a process killed at any moment leaves at most `concurrency`
      // leased events behind, the most that can be delivered twice.
      const free = this.freeSlots();
      if (free <= 0) {
        // Recorded results free slots and their write refills them; a publish,
        // or a result that schedules a retry, signals work.
        this.workSignalled = false;
        await this.sleep(this.pollIntervalMs);
        continue;
      }
      const limit = Math.min(free, this.claimBatch);
      this.workSignalled = false;
      let jobs: DeliveryJob[];
      const request = this.claimRequest(limit);
      this.reserved += limit;
      try {
        jobs = await this.store.claimDueEvents(request);
        backoff = 0;
      } catch (error) {
        this.reserved -= limit;
        if (isRowDataError(error)) {
          // Not an outage: the database refuses what a claim would write for
          // some row, and will each time until someone looks at it. Said as
          // such, and tried again at the poll interval rather than after a
          // backoff grown as if the database were away.
          backoff = 0;
          this.logger.error(
            { err: error, code: storeErrorCode(error), retryInMs: this.pollIntervalMs },
            "claiming due events failed: the database refused a row's data; retrying",
          );
          await this.sleep(this.pollIntervalMs, false);
          continue;
        }
        backoff = nextBackoff(backoff);
        this.logger.error({ err: error, retryInMs: backoff }, 'claiming due events failed: the database is unavailable; retrying');
        await this.sleep(backoff, false);
        continue;
      }
      this.reserved -= limit;

      if (!this.running) {
        await this.giveBack(jobs);
        break;
      }
      this.dispatchAll(jobs);
      if (jobs.length === limit || this.workSignalled) continue;
      await this.sleep(await this.idleDelay(request.now));
    }
  }

  private freeSlots(): number {
    return this.concurrency - this.inFlight.size - this.buffer.length - this.recording - this.reserved;
  }

  private claimRequest(limit: number): ClaimRequest {
    return {
      workerId: this.workerId,
      now: this.clock.now(),
      leaseMs: this.leaseMs,
      limit,
      perCallbackLimit: this.perCallbackConcurrency,
    };
  }

  /**
   * How long to wait after a claim made at claimedAt came back short: until
   * the next event is due, or the poll interval.
   */
  private async idleDelay(claimedAt: number): Promise<number> {
    let due: number | null;
    // While attempts are out, each write wakes the loop when its claim came
    // back full or it scheduled a retry, and this engine knows the soonest
    // retry it wrote: asking the store after each short claim would walk past
    // every leased event (on PostgreSQL a tenth of the database's time in a
    // drain). Once a claim has had that time, the store says what follows.
    const busy = this.inFlight.size + this.buffer.length + this.writes.size > 0;
    if (busy && (this.knownDueAt === null || this.knownDueAt > claimedAt)) {
      due = this.knownDueAt;
    } else {
      try {
        due = await this.store.nextDueAt();
      } catch {
        // The next claim will report the outage; until then, poll.
        return this.pollIntervalMs;
      }
      // A time a claim has had is not kept: while busy, it would send every
      // short claim back to the store.
      this.knownDueAt = due !== null && due > claimedAt ? due : null;
    }
    // Due when the claim looked, yet not claimed: its callback is at its
    // per-callback limit, and a finished attempt or the poll will bring it.
    // Due since (the clock moved on after the claim): claim again now.
    if (due === null || due <= claimedAt) return this.pollIntervalMs;
    return Math.min(Math.max(0, due - this.clock.now()), this.pollIntervalMs);
  }

  private noteRetries(batch: AttemptResult[]): void {
    for (const { outcome, nextAttemptAt } of batch) {
      if ((outcome === 'Retry' || outcome === 'Deferred') && nextAttemptAt !== null) {
        this.knownDueAt = this.knownDueAt === null ? nextAttemptAt : Math.min(this.knownDueAt, nextAttemptAt);
      }
    }
  }

  private async giveBack(jobs: DeliveryJob[]): Promise<void> {
    if (jobs.length === 0) return;
    try {
      await this.store.releaseLeases(
        this.workerId,
        jobs.map((job) => job.eventId),
      );
    } catch (error) {
      this.logger.error({ err: error }, 'releasing leases failed; those events wait for their leases to expire');
    }
  }

  /**
   * Sends the claimed jobs; those of rate-limited callbacks first take their
   * tokens (holding their slots meanwhile), and those that get none wait in
   * the queue. Without limits this adds nothing to the claim's round trip.
   */
  private dispatchAll(jobs: DeliveryJob[]): void {
    if (this.rateGate.unknownIn(jobs)) {
      this.reserved += jobs.length;
      const reading = this.rateGate.refresh().then(async () => {
        this.reserved -= jobs.length;
        if (this.running) this.admitAll(jobs);
        else await this.giveBack(jobs);
      });
      this.admissions.add(reading);
      void reading.finally(() => this.admissions.delete(reading));
      return;
    }
    this.admitAll(jobs);
  }

  private admitAll(jobs: DeliveryJob[]): void {
    const limited = this.rateGate.limitedOf(jobs);
    if (limited.length === 0) {
      for (const job of jobs) this.dispatch(job);
      return;
    }
    const waiting = new Set(limited);
    for (const job of jobs) if (!waiting.has(job)) this.dispatch(job);
    this.reserved += limited.length;
    const admission = this.rateGate.admit(this.workerId, limited).then(async (admitted) => {
      this.reserved -= limited.length;
      if (this.running) for (const job of admitted) this.dispatch(job);
      else await this.giveBack(admitted);
      // The deferred events' slots are free, and the callback may have more
      // events due now: without this the loop would wait a poll interval.
      if (admitted.length < limited.length) this.signalWork();
    });
    this.admissions.add(admission);
    void admission.finally(() => this.admissions.delete(admission));
  }

  private dispatch(job: DeliveryJob): void {
    const task = this.attempt(job).then((result) => {
      this.inFlight.delete(job);
      if (this.abandoned.delete(job)) return;
      this.buffer.push(result);
      this.scheduleFlush();
    });
    this.inFlight.set(job, task);
  }

  private async attempt(claimed: DeliveryJob): Promise<AttemptResult> {
    const startedAt = this.clock.now();
    const job = this.observer.beforeSend(claimed);
    let sent: SendResult;
    try {
      sent = await this.sender.send(job, startedAt);
    } catch (error) {
      this.logger.error({ err: error, eventId: job.eventId }, 'sender failed unexpectedly');
      sent = {
        httpStatus: null,
        error: `internal error: ${errorText(error)}`,
        durationMs: this.clock.now() - startedAt,
        retryAfterMs: null,
        delivered: false,
      };
    }
    const result = decideOutcome(job, sent, this.workerId, startedAt, this.clock.now());
    result.attemptKey = `${this.workerId}#${++this.attemptSeq}`;
    this.observer.afterAttempt(job, result);
    const fields = {
      eventId: job.eventId,
      callbackId: job.callbackId,
      attempt: job.attempts + 1,
      httpStatus: result.httpStatus,
      durationMs: result.durationMs,
    };
    if (result.outcome === 'Delivered') {
      this.logger.debug(fields, 'event delivered');
    } else if (result.outcome === 'Retry') {
      const retry = { ...fields, reason: result.error, nextAttemptAt: result.nextAttemptAt };
      this.logger.warn(retry, 'attempt failed; will retry');
    } else if (result.outcome === 'Deferred') {
      const deferred = { ...fields, nextAttemptAt: result.nextAttemptAt, pauseCallbackUntil: result.pauseCallbackUntil ?? null };
      this.logger.info(deferred, 'attempt deferred without using a retry');
    } else {
      this.logger.warn({ ...fields, reason: result.error }, 'event failed: no retries left');
    }
    if (suspendsAtOnce(result.httpStatus)) this.suspendGone(job);
    return result;
  }

  /** A 410 Gone says the endpoint is gone for good: suspend its callback now, keeping its events. */
  private suspendGone(job: DeliveryJob): void {
    if (!this.suspender) return;
    this.suspender.suspend(job.callbackId, 'gone', goneReason(job.url), this.clock.now()).catch((error: unknown) => {
      this.logger.error(
        { err: error, callbackId: job.callbackId },
        'suspending a callback after 410 Gone failed; its next attempt will try again',
      );
    });
  }

  private scheduleFlush(): void {
    // While a write runs, new results wait for it to end and go in the next
    // (group commit), so batches grow with the load: on PostgreSQL, four
    // writes at once made a drain's batches a quarter the size, and the
    // database spent half as much again per delivery (250–330 against
    // 160–200 µs of CPU with one callback) for 15–20% fewer deliveries. Only
    // a write that is slow to end (a busy database) gets a second beside it.
    // A write that failed waits for its backoff timer.
    if (this.flushTimer || this.writes.size >= 2) return;
    if (this.writes.size === 1) {
      const wait = Math.max(0, this.writeStartedAt + SECOND_WRITE_AFTER_MS - performance.now());
      const timer = setTimeout(() => {
        this.flushTimer = null;
        if (this.buffer.length > 0 && this.writes.size < 2) void this.flush();
      }, wait);
      this.flushTimer = { cancel: () => clearTimeout(timer) };
      return;
    }
    // setImmediate runs after the current I/O phase, so every response that
    // arrived in it goes into one write, at no added latency.
    const immediate = setImmediate(() => {
      this.flushTimer = null;
      void this.flush();
    });
    this.flushTimer = { cancel: () => clearImmediate(immediate) };
  }

  private async writesSettled(): Promise<void> {
    while (this.writes.size > 0) await Promise.all(this.writes);
  }

  private cancelFlushTimer(): void {
    this.flushTimer?.cancel();
    this.flushTimer = null;
  }

  private flush(): Promise<void> {
    this.writeStartedAt = performance.now();
    const write: Promise<void> = this.writeBuffer().finally(() => {
      this.writes.delete(write);
      if (this.buffer.length > 0 && this.flushBackoffMs === 0) {
        // A second write waiting for its timer goes now instead.
        this.cancelFlushTimer();
        this.scheduleFlush();
      }
    });
    this.writes.add(write);
    return write;
  }

  /**
   * Writes the buffered results and, while running, claims in the same write
   * as many events as the results free slots (and any others free), so a busy
   * callback's next events go out without waiting for the claim loop. When a
   * row's data is refused the batch is written row by row; when the database
   * is unavailable the results are kept and retried after a backoff.
   */
  private async writeBuffer(): Promise<void> {
    const failures = this.writeFailures;
    while (this.buffer.length > 0 && this.writeFailures === failures) {
      const batch = this.buffer.splice(0, RECORD_BATCH);
      this.recording += batch.length;
      // The batch's own slots are free once it is written. Another write in
      // flight may have promised them all already: never a negative claim,
      // which would hand slots back that are not free.
      const limit = this.running ? Math.max(0, Math.min(this.claimBatch, this.freeSlots() + batch.length)) : 0;
      this.reserved += limit;
      let jobs: DeliveryJob[] = [];
      try {
        if (limit > 0) jobs = await this.store.recordAndClaim(batch, this.claimRequest(limit));
        else await this.store.recordAttempts(batch);
      } catch (error) {
        this.reserved -= limit;
        // A row the database refuses would fail every retry of the whole
        // batch, holding every other result (and its slot) behind it.
        const unwritten = isRowDataError(error) ? await recordEachResult(this.store, this.logger, batch) : batch;
        this.recording -= batch.length;
        if (unwritten.length === 0) {
          this.flushBackoffMs = 0;
          this.noteRetries(batch);
          this.signalWork();
          continue;
        }
        this.buffer = unwritten.concat(this.buffer);
        this.writeFailures++;
        this.flushBackoffMs = nextBackoff(this.flushBackoffMs);
        this.logger.error(
          { err: error, results: this.buffer.length, retryInMs: this.flushBackoffMs },
          'recording attempt results failed; retrying',
        );
        if (this.running && !this.flushTimer?.backoff) {
          this.cancelFlushTimer();
          const timer = setTimeout(() => {
            this.flushTimer = null;
            void this.flush();
          }, this.flushBackoffMs);
          this.flushTimer = { cancel: () => clearTimeout(timer), backoff: true };
        }
        return;
      }
      this.reserved -= limit;
      this.recording -= batch.length;
      this.flushBackoffMs = 0;
      this.noteRetries(batch);
      if (this.running) this.dispatchAll(jobs);
      else await this.giveBack(jobs);
      // The claim loop looks again when this claim may have left due events
      // behind, and when a retry was scheduled (its wake-up time is new).
      if (jobs.length === limit || batch.some((result) => result.outcome === 'Retry')) this.signalWork();
    }
  }
}
