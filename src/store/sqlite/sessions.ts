/**
 * SOAP Login sessions on SQLite; SqliteStore's session methods delegate here.
 * A session row is keyed by the SHA-256 of its ID, so the database never
 * holds a usable session ID.
 */
import type Database from 'better-sqlite3';
import type { Principal } from '../../domain/types.js';
import { sessionTouchIntervalMs, type SessionTimes } from '../store.js';
import type { SessionRow, SessionUserRow } from '../rows.js';

/** Runs `fn` in one BEGIN IMMEDIATE transaction of the store. */
export type SqliteWrite = <T>(fn: () => T) => T;

export class SqliteSessions {
  readonly #statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly write: SqliteWrite,
  ) {}

  /** Prepared on first use: the table exists only once migrate() has run. */
  #sql(source: string): Database.Statement {
    let statement = this.#statements.get(source);
    if (statement === undefined) {
      statement = this.db.prepare(source);
      this.#statements.set(source, statement);
    }
    return statement;
  }

  create(userId: number, tokenHash: string, now: number, idleMs: number): void {
    this.write(() => {
      this.#sql('DELETE FROM sessions WHERE last_used_at <= ?').run(now - idleMs);
      this.#sql('INSERT INTO sessions (token_hash, user_id, created_at, last_used_at) VALUES (?, ?, ?, ?)').run(
        tokenHash,
        userId,
        now,
        now,
      );
    });
  }

  findPrincipal(tokenHash: string, now: number, idleMs: number): Principal | null {
    const row = this.#sql(
      `SELECT s.last_used_at, u.id AS user_id, u.login_name, u.role, u.network_id, u.mailbox_id
       FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = ? AND s.last_used_at > ? AND u.status = 'Active'`,
    ).get(tokenHash, now - idleMs) as SessionUserRow | undefined;
    if (!row) return null;
    if (now - row.last_used_at >= sessionTouchIntervalMs(idleMs)) {
      // Never backwards: another process may have recorded a later use meanwhile.
      this.write(() =>
        this.#sql('UPDATE sessions SET last_used_at = ? WHERE token_hash = ? AND last_used_at < ?').run(now, tokenHash, now),
      );
    }
    return {
      userId: row.user_id,
      loginName: row.login_name,
      role: row.role,
      networkId: row.network_id,
      mailboxId: row.mailbox_id,
      apiKeyId: 0,
    };
  }

  delete(tokenHash: string): SessionTimes | null {
    const row = this.write(
      () =>
        this.#sql('DELETE FROM sessions WHERE token_hash = ? RETURNING created_at, last_used_at').get(tokenHash) as
          | SessionRow
          | undefined,
    );
    return row ? { createdAt: row.created_at, lastUsedAt: row.last_used_at } : null;
  }
}
