import type { AttemptResult, DeliveryJob } from '../store/store.js';

/**
 * What the delivery engine tells whoever watches it (metrics, traces, the
 * pulse log line): the engine calls these and knows nothing of what they
 * feed. Both run on the hot path of every attempt, so an observer keeps them
 * to counter increments unless it was switched on to do more (tracing).
 */
export interface DeliveryObserver {
  /**
   * Just before an attempt is sent. Answers the job to send: the same one, or
   * a copy carrying the attempt's own traceparent.
   */
  beforeSend(job: DeliveryJob): DeliveryJob;
  /** Once the attempt's outcome is decided, before it is recorded; `job` is what beforeSend answered. */
  afterAttempt(job: DeliveryJob, result: AttemptResult): void;
}

export const NO_OBSERVER: DeliveryObserver = {
  beforeSend: (job) => job,
  afterAttempt: () => undefined,
};

/** One observer that tells each of several, in order. */
export function combineObservers(observers: DeliveryObserver[]): DeliveryObserver {
  if (observers.length === 0) return NO_OBSERVER;
  if (observers.length === 1) return observers[0] as DeliveryObserver;
  return {
    beforeSend(job) {
      let sent = job;
      for (const observer of observers) sent = observer.beforeSend(sent);
      return sent;
    },
    afterAttempt(job, result) {
      for (const observer of observers) observer.afterAttempt(job, result);
    },
  };
}
