/**
 * List and chart calls yield to deliveries. In `gridhook serve` the API and
 * the delivery engine share one event loop, and a client paging through the
 * history as fast as its rate limit lets it (100 pages of 100 events a
 * second) took a third of that loop from the deliveries. So while this
 * process's engine holds leases, these reads run one at a time, and after
 * each the next waits in proportion to what it took, so that together they
 * take at most `share` of the process's time. With nothing to deliver they run
 * freely. A call waits for its turn rather than failing; only past
 * `maxWaiting` queued calls does one get 429 with Retry-After.
 *
 * Written here rather than taken from a rate-limit library: those count
 * requests per key per window, and what must be bounded is the time all keys'
 * reads take together, and only while deliveries wait for it.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { pauseForShare } from '../domain/time-share.js';
import { GridhookError } from '../errors.js';

export interface ListPacerOptions {
  /** The largest share of the process's time these reads take while delivering, above 0; 1 turns pacing off. */
  share: number;
  /** True while deliveries are under way in this process. */
  delivering: () => boolean;
  /** Calls that may wait for their turn; beyond, a call is refused. */
  maxWaiting?: number;
  /** The longest pause after one read, so that one slow read does not hold the next for long. */
  maxPauseMs?: number;
  now?: () => number;
}

/** Given to an admitted read; `done` takes how long the read took, in ms, and may be called more than once. */
export interface ListTurn {
  readonly waitedMs: number;
  done(tookMs: number): void;
}

const FREE_TURN: ListTurn = { waitedMs: 0, done() {} };

export class ListPacer {
  readonly #share: number;
  readonly #delivering: () => boolean;
  readonly #maxWaiting: number;
  readonly #maxPauseMs: number;
  readonly #now: () => number;
  /** A paced read is under way: the next waits for its end. */
  #busy = false;
  /** No paced read starts before this time. */
  #resumeAt = 0;
  #waiting: Array<(paced: boolean) => void> = [];
  #timer: NodeJS.Timeout | null = null;

  constructor(options: ListPacerOptions) {
    this.#share = options.share;
    this.#delivering = options.delivering;
    this.#maxWaiting = options.maxWaiting ?? 64;
    this.#maxPauseMs = options.maxPauseMs ?? 250;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Resolves when the read may start. */
  async admit(): Promise<ListTurn> {
    if (this.#share >= 1 || (!this.#delivering() && this.#waiting.length === 0)) return FREE_TURN;
    if (!this.#busy && this.#waiting.length === 0 && this.#now() >= this.#resumeAt) return this.#turn(0);
    if (this.#waiting.length >= this.#maxWaiting) {
      throw new GridhookError(
        'RateLimitExceeded',
        `Too many list calls at once while deliveries are under way: at most ${this.#maxWaiting} wait for their turn; ` +
          'retry after 1 s, or page one call at a time.',
        { retryAfterSeconds: 1 },
      );
    }
    const queuedAt = this.#now();
    const paced = await new Promise<boolean>((resolve) => {
      this.#waiting.push(resolve);
      this.#schedule();
    });
    const waitedMs = this.#now() - queuedAt;
    return paced ? this.#turn(waitedMs) : { ...FREE_TURN, waitedMs };
  }

  #turn(waitedMs: number): ListTurn {
    this.#busy = true;
    let ended = false;
    return {
      waitedMs,
      done: (tookMs) => {
        if (ended) return;
        ended = true;
        this.#busy = false;
        this.#resumeAt = this.#now() + pauseForShare(tookMs, this.#share, this.#maxPauseMs);
        this.#schedule();
      },
    };
  }

  #schedule(): void {
    if (this.#timer !== null || this.#busy || this.#waiting.length === 0) return;
    if (!this.#delivering()) {
      for (const resolve of this.#waiting.splice(0)) resolve(false);
      return;
    }
    const wait = this.#resumeAt - this.#now();
    if (wait <= 0) {
      // Busy from here, not from when the read resumes: no second read may start in between.
      this.#busy = true;
      this.#waiting.shift()!(true);
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#schedule();
    }, wait);
  }
}

/**
 * Waits for a paced call's turn; the turn ends when its response is sent or
 * its connection is gone. `onWaited` is told the wait, in ms.
 */
export async function takeTurn(pacer: ListPacer, reply: FastifyReply, onWaited: (ms: number) => void): Promise<void> {
  const turn = await pacer.admit();
  onWaited(turn.waitedMs);
  const end = (): void => turn.done(reply.elapsedTime - turn.waitedMs);
  if (reply.raw.closed) end();
  else reply.raw.once('close', end);
}

/** Paces the calls of the given REST routes. */
export function installListPacing(
  app: FastifyInstance,
  pacer: ListPacer,
  routes: ReadonlySet<string>,
  onWaited: (ms: number) => void,
): void {
  app.addHook('preHandler', async (request, reply) => {
    if (routes.has(request.routeOptions.url ?? '')) await takeTurn(pacer, reply, onWaited);
  });
}
