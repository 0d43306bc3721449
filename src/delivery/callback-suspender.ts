/**
 * Suspends a callback on gridhook's own account and tells people: the store
 * keeps its Pending events and creates the CallBackSuspended events in one
 * transaction; this logs the warn line and counts it for metrics. The engine
 * calls it on a 410 Gone, the health job when a callback failed too long.
 */
import type { Logger } from '../logger.js';
import type { Store, SuspendedCallback } from '../store/store.js';

export type SuspensionCause = 'gone' | 'failing';

export interface CallbackSuspenderOptions {
  store: Pick<Store, 'suspendCallbackByGridhook'>;
  logger: Logger;
  /** Told of every suspension this process made (metrics). */
  onSuspended?: (cause: SuspensionCause) => void;
}

export class CallbackSuspender {
  readonly #store: Pick<Store, 'suspendCallbackByGridhook'>;
  readonly #logger: Logger;
  readonly #onSuspended: (cause: SuspensionCause) => void;

  constructor(options: CallbackSuspenderOptions) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#onSuspended = options.onSuspended ?? (() => undefined);
  }

  /** Null when the callback was no longer Active (another process suspended it first, or a user did). */
  async suspend(callbackId: number, cause: SuspensionCause, reason: string, now: number): Promise<SuspendedCallback | null> {
    const suspended = await this.#store.suspendCallbackByGridhook(callbackId, reason, now);
    if (!suspended) return null;
    this.#onSuspended(cause);
    this.#logger.warn(
      {
        callbackId,
        networkId: suspended.callback.networkId,
        cause,
        reason,
        keptEvents: suspended.keptEvents,
        notices: suspended.noticeEventIds.length,
      },
      'gridhook suspended a callback; its pending events are kept until it is activated again',
    );
    return suspended;
  }
}
