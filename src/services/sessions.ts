/**
 * Sessions, the ECGridOS way of calling: Login trades a login name and
 * password for a session ID, which then stands for the user in every call
 * until Logout or until it goes unused for sessionIdleMinutes. An API key is
 * accepted wherever a session ID is.
 *
 * Session IDs carry 256 random bits and are stored only as their SHA-256 (as
 * API keys are), in the database, so every process of a deployment knows
 * them: a client may log in through one API process and call another.
 */
import { randomBytes } from 'node:crypto';
import { GridhookError } from '../errors.js';
import type { Principal } from '../domain/types.js';
import { hashApiKey } from './api-keys.js';
import type { AuthService } from './auth.js';
import type { ServiceDeps } from './deps.js';

/** Tells a session ID from an API key without a database lookup. */
export const SESSION_ID_PREFIX = 'ghs_';

/** Longer than any ID or key gridhook issues; bounds the work a junk value can cause. */
const MAX_CREDENTIAL_LENGTH = 512;

export interface OpenedSession {
  sessionId: string;
  principal: Principal;
}

export interface EndedSession {
  startedAt: number;
  /** From Login to Logout. */
  durationMs: number;
}

export class SessionService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly auth: AuthService,
  ) {}

  /** How long a session may go unused before it ends. */
  get idleMs(): number {
    return this.deps.config.sessionIdleMinutes * 60_000;
  }

  /** Opens a session; InvalidAPIKey when the login name or password is wrong or the user is not active. */
  async login(loginName: string, password: string): Promise<OpenedSession> {
    return this.#open(await this.auth.login(loginName, password));
  }

  /**
   * Opens a session for an API key's user (the console's other way in), so
   * the browser holds a session cookie rather than the key itself.
   */
  async loginWithApiKey(apiKey: string): Promise<OpenedSession> {
    return this.#open(await this.auth.authenticate(apiKey));
  }

  async #open(principal: Principal): Promise<OpenedSession> {
    const sessionId = SESSION_ID_PREFIX + randomBytes(32).toString('base64url');
    await this.deps.store.createSession(principal.userId, hashApiKey(sessionId), this.deps.clock.now(), this.idleMs);
    this.deps.logger.info({ userId: principal.userId }, 'session opened');
    return { sessionId, principal };
  }

  /**
   * The principal behind a session ID or an API key; each successful call
   * keeps a session alive for another idle period.
   */
  async authenticate(credential: string | undefined): Promise<Principal> {
    const token = credential?.trim() ?? '';
    if (token === '') {
      throw new GridhookError('InvalidAPIKey', 'A session ID is required: call Login for one, or send an API key instead.');
    }
    if (token.length <= MAX_CREDENTIAL_LENGTH) {
      if (token.startsWith(SESSION_ID_PREFIX)) {
        const principal = await this.deps.store.findPrincipalBySession(
          hashApiKey(token),
          this.deps.clock.now(),
          this.idleMs,
        );
        if (principal) return principal;
      }
      // A root key set by the operator may look like anything, a session ID included.
      const principal = await this.auth.authenticate(token).catch((error: unknown) => {
        if (error instanceof GridhookError && error.code === 'InvalidAPIKey') return null;
        throw error;
      });
      if (principal) return principal;
    }
    throw new GridhookError(
      'InvalidAPIKey',
      'The session ID is not valid: it is unknown, was ended by Logout, or expired after ' +
        `${this.deps.config.sessionIdleMinutes} minutes without a call (or its user is no longer active). ` +
        'Call Login for a new one.',
    );
  }

  /**
   * Ends a session. Null when no live session was ended: the ID was unknown,
   * had already expired or ended, or was an API key (which Logout leaves valid).
   */
  async logout(sessionId: string | undefined): Promise<EndedSession | null> {
    const token = sessionId?.trim() ?? '';
    if (!token.startsWith(SESSION_ID_PREFIX) || token.length > MAX_CREDENTIAL_LENGTH) return null;
    const ended = await this.deps.store.deleteSession(hashApiKey(token));
    const now = this.deps.clock.now();
    if (!ended || ended.lastUsedAt <= now - this.idleMs) return null;
    this.deps.logger.info({ durationMs: now - ended.createdAt }, 'session closed');
    return { startedAt: ended.createdAt, durationMs: now - ended.createdAt };
  }
}
