/**
 * Hears about new work committed by other processes, and about changed keys
 * and users (src/store/postgres/principal-cache.ts), over LISTEN/NOTIFY on
 * one dedicated connection (a pooled one cannot stay subscribed).
 *
 * The connection is opened on first use and reopened with a growing delay
 * whenever it drops; a drop is reported, never thrown, so a restarted or
 * failed-over database cannot crash the process. Notifications sent while it
 * was down are lost, so every reconnect wakes the listeners once: they look
 * for due work themselves, as they do on their regular poll.
 */
import pg from 'pg';
import { KEYS_CHANNEL } from './principal-cache.js';

/** The channel every gridhook process notifies on when it commits due work. */
export const WORK_CHANNEL = 'gridhook_work';

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 10_000;

export interface WorkListenerOptions {
  connection: pg.ClientConfig;
  /** Payloads this process sent itself: it has already woken its own listeners. */
  ownPayload: string;
  onWork: () => void;
  /** A key or user changed, or notifications may have been missed (the connection dropped). */
  onKeysChanged: () => void;
  onError: (error: Error) => void;
}

export class WorkListener {
  readonly #options: WorkListenerOptions;
  #client: pg.Client | null = null;
  /** The client once its LISTEN has succeeded. */
  #listening: pg.Client | null = null;
  #started = false;
  #closed = false;
  #reconnectTimer: NodeJS.Timeout | null = null;
  #reconnectDelayMs = 0;

  constructor(options: WorkListenerOptions) {
    this.#options = options;
  }

  /** Opens the connection unless it is open, opening or closed for good. */
  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    void this.#connect(false);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
    const client = this.#client;
    this.#client = null;
    this.#listening = null;
    if (client) await client.end().catch(() => undefined);
  }

  /** The backend serving the subscription, or null while not subscribed (for tests and diagnostics). */
  get backendPid(): number | null {
    return (this.#listening as (pg.Client & { processID?: number }) | null)?.processID ?? null;
  }

  async #connect(reconnecting: boolean): Promise<void> {
    const client = new pg.Client(this.#options.connection);
    this.#client = client;
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client, new Error('The LISTEN connection to PostgreSQL ended.')));
    client.on('notification', (message) => {
      if (message.channel === KEYS_CHANNEL) this.#options.onKeysChanged();
      else if (message.channel === WORK_CHANNEL && message.payload !== this.#options.ownPayload) this.#options.onWork();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(WORK_CHANNEL)}; LISTEN ${pg.escapeIdentifier(KEYS_CHANNEL)}`);
    } catch (error) {
      this.#lost(client, error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (this.#client !== client) return;
    this.#listening = client;
    this.#reconnectDelayMs = 0;
    if (reconnecting) this.#options.onWork();
  }

  #lost(client: pg.Client, error: Error): void {
    if (this.#client !== client) return;
    this.#client = null;
    this.#listening = null;
    this.#options.onKeysChanged();
    client.end().catch(() => undefined);
    if (this.#closed) return;
    this.#reconnectDelayMs = Math.min(Math.max(this.#reconnectDelayMs * 2, RECONNECT_MIN_MS), RECONNECT_MAX_MS);
    this.#options.onError(
      new Error(`Lost the PostgreSQL LISTEN connection (${error.message}); reconnecting in ${this.#reconnectDelayMs} ms.`, {
        cause: error,
      }),
    );
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      void this.#connect(true);
    }, this.#reconnectDelayMs);
    this.#reconnectTimer.unref();
  }
}
