/**
 * SOAP Login sessions on PostgreSQL; PostgresStore's session methods delegate
 * here. Every process of a deployment sees the same sessions, so a client may
 * log in through one API process and call another. A session row is keyed by
 * the SHA-256 of its ID, so the database never holds a usable session ID.
 */
import type { Principal } from '../../domain/types.js';
import { sessionTouchIntervalMs, type SessionTimes } from '../store.js';
import type { SessionRow, SessionUserRow } from '../rows.js';

/** One statement on the store's pool, errors translated as the store does. */
export type PostgresQuery = <R>(text: string, values: unknown[]) => Promise<R[]>;

export class PostgresSessions {
  constructor(private readonly query: PostgresQuery) {}

  async create(userId: number, tokenHash: string, now: number, idleMs: number): Promise<void> {
    // One statement, so the purge and the insert commit together.
    await this.query(
      `WITH purged AS (DELETE FROM sessions WHERE last_used_at <= $4)
       INSERT INTO sessions (token_hash, user_id, created_at, last_used_at) VALUES ($1, $2, $3, $3)`,
      [tokenHash, userId, now, now - idleMs],
    );
  }

  async findPrincipal(tokenHash: string, now: number, idleMs: number): Promise<Principal | null> {
    const [row] = await this.query<SessionUserRow>(
      `SELECT s.last_used_at, u.id AS user_id, u.login_name, u.role, u.network_id, u.mailbox_id
       FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = $1 AND s.last_used_at > $2 AND u.status = 'Active'`,
      [tokenHash, now - idleMs],
    );
    if (!row) return null;
    if (now - row.last_used_at >= sessionTouchIntervalMs(idleMs)) {
      // Never backwards: another process may have recorded a later use meanwhile.
      await this.query('UPDATE sessions SET last_used_at = $2 WHERE token_hash = $1 AND last_used_at < $2', [
        tokenHash,
        now,
      ]);
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

  async delete(tokenHash: string): Promise<SessionTimes | null> {
    const [row] = await this.query<SessionRow>(
      'DELETE FROM sessions WHERE token_hash = $1 RETURNING created_at, last_used_at',
      [tokenHash],
    );
    return row ? { createdAt: row.created_at, lastUsedAt: row.last_used_at } : null;
  }
}
