/**
 * The directory on SQLite: networks, mailboxes, ECGrid IDs, users, their API
 * keys and the root user; SqliteStore's directory methods delegate here.
 */
import type {
  EcGridIdRecord,
  Mailbox,
  Network,
  ObjectStatus,
  Page,
  PageRequest,
  Principal,
  User,
} from '../../domain/types.js';
import { duplicate, GridhookError, notFound } from '../../errors.js';
import type { NetworkSettings, NewEcGridId, NewUser, ScopeFilter, ScopeIds, ScopeOwners } from '../store.js';
import {
  toEcGridId,
  toMailbox,
  toNetwork,
  toUser,
  type EcGridIdRow,
  type MailboxRow,
  type NetworkRow,
  type UserRow,
} from '../rows.js';
import { isUniqueViolation, type SqliteDatabase } from './database.js';

/** What the directory needs of the store it belongs to. */
export interface SqliteDirectoryContext {
  db: SqliteDatabase;
}

export class SqliteDirectory {
  constructor(private readonly context: SqliteDirectoryContext) {}

  get #db(): SqliteDatabase {
    return this.context.db;
  }

  // --- networks and mailboxes ---

  async createNetwork(name: string, settings: NetworkSettings = {}): Promise<Network> {
    const now = Date.now();
    const autoSuspendAfterSeconds = settings.autoSuspendAfterSeconds ?? null;
    const { lastInsertRowid } = this.#db.run(
      `INSERT INTO networks (name, status, created_at, auto_suspend_after_seconds)
       VALUES (@name, 'Active', @now, @autoSuspendAfterSeconds)`,
      { name, now, autoSuspendAfterSeconds },
    );
    return { networkId: Number(lastInsertRowid), name, status: 'Active', autoSuspendAfterSeconds, createdAt: now };
  }

  async updateNetwork(networkId: number, settings: NetworkSettings): Promise<Network | null> {
    const row = this.#db.write(() => {
      if (settings.autoSuspendAfterSeconds !== undefined) {
        this.#db.run('UPDATE networks SET auto_suspend_after_seconds = ? WHERE id = ?', [
          settings.autoSuspendAfterSeconds,
          networkId,
        ]);
      }
      return this.#db.get<NetworkRow>('SELECT * FROM networks WHERE id = ?', [networkId]);
    });
    return row ? toNetwork(row) : null;
  }

  async getNetwork(networkId: number): Promise<Network | null> {
    const row = this.#db.get<NetworkRow>('SELECT * FROM networks WHERE id = ?', [networkId]);
    return row ? toNetwork(row) : null;
  }

  async listNetworks(page: PageRequest): Promise<Page<Network>> {
    return this.#db.page('networks', [], {}, 'id', page, toNetwork);
  }

  async createMailbox(networkId: number, name: string): Promise<Mailbox> {
    const now = Date.now();
    return this.#db.write(() => {
      if (!this.#db.get('SELECT 1 FROM networks WHERE id = ?', [networkId])) throw notFound('Network', networkId);
      const { lastInsertRowid } = this.#db.run(
        "INSERT INTO mailboxes (network_id, name, status, created_at) VALUES (@networkId, @name, 'Active', @now)",
        { networkId, name, now },
      );
      return { mailboxId: Number(lastInsertRowid), networkId, name, status: 'Active' as const, createdAt: now };
    });
  }

  async getMailbox(mailboxId: number): Promise<Mailbox | null> {
    const row = this.#db.get<MailboxRow>('SELECT * FROM mailboxes WHERE id = ?', [mailboxId]);
    return row ? toMailbox(row) : null;
  }

  async findScopeOwners({ networkId, mailboxId, ecGridId }: ScopeIds): Promise<ScopeOwners> {
    const mailbox =
      mailboxId === 0
        ? undefined
        : this.#db.get<{ network_id: number }>('SELECT network_id FROM mailboxes WHERE id = ?', [mailboxId]);
    const ecGrid =
      ecGridId === 0
        ? undefined
        : this.#db.get<{ network_id: number; mailbox_id: number }>(
            'SELECT network_id, mailbox_id FROM ecgrid_ids WHERE id = ?',
            [ecGridId],
          );
    return {
      network: networkId !== 0 && this.#db.get('SELECT 1 FROM networks WHERE id = ?', [networkId]) !== undefined,
      mailbox: mailbox ? { networkId: mailbox.network_id, mailboxId } : null,
      ecGrid: ecGrid ? { networkId: ecGrid.network_id, mailboxId: ecGrid.mailbox_id } : null,
    };
  }

  async listMailboxes(filter: ScopeFilter, page: PageRequest): Promise<Page<Mailbox>> {
    const where: string[] = [];
    if (filter.networkId !== undefined) where.push('network_id = @networkId');
    if (filter.mailboxId !== undefined) where.push('id = @mailboxId');
    return this.#db.page('mailboxes', where, { ...filter }, 'id', page, toMailbox);
  }

  // --- ECGrid IDs ---

  async createEcGridId(input: NewEcGridId): Promise<EcGridIdRecord> {
    const now = Date.now();
    return this.#db.write(() => {
      const mailbox = this.#db.get<MailboxRow>('SELECT * FROM mailboxes WHERE id = ?', [input.mailboxId]);
      if (!mailbox) throw notFound('Mailbox', input.mailboxId);
      try {
        const { lastInsertRowid } = this.#db.run(
          `INSERT INTO ecgrid_ids (network_id, mailbox_id, qualifier, value, description, status, created_at)
           VALUES (@networkId, @mailboxId, @qualifier, @id, @description, 'Active', @now)`,
          { ...input, networkId: mailbox.network_id, now },
        );
        return {
          ecGridId: Number(lastInsertRowid),
          networkId: mailbox.network_id,
          mailboxId: input.mailboxId,
          qualifier: input.qualifier,
          id: input.id,
          description: input.description,
          status: 'Active' as const,
          createdAt: now,
        };
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw duplicate(
            `ECGrid ID ${input.qualifier}:${input.id} already exists in network ${mailbox.network_id}.`,
            'id',
          );
        }
        throw error;
      }
    });
  }

  async getEcGridId(ecGridId: number): Promise<EcGridIdRecord | null> {
    const row = this.#db.get<EcGridIdRow>('SELECT * FROM ecgrid_ids WHERE id = ?', [ecGridId]);
    return row ? toEcGridId(row) : null;
  }

  async findEcGridId(networkId: number | null, qualifier: string, id: string): Promise<EcGridIdRecord[]> {
    const rows =
      networkId === null
        ? this.#db.all<EcGridIdRow>('SELECT * FROM ecgrid_ids WHERE qualifier = ? AND value = ? ORDER BY id', [
            qualifier,
            id,
          ])
        : this.#db.all<EcGridIdRow>(
            'SELECT * FROM ecgrid_ids WHERE network_id = ? AND qualifier = ? AND value = ? ORDER BY id',
            [networkId, qualifier, id],
          );
    return rows.map(toEcGridId);
  }

  async listEcGridIds(
    filter: ScopeFilter & { status?: ObjectStatus },
    page: PageRequest,
  ): Promise<Page<EcGridIdRecord>> {
    const where: string[] = [];
    if (filter.networkId !== undefined) where.push('network_id = @networkId');
    if (filter.mailboxId !== undefined) where.push('mailbox_id = @mailboxId');
    if (filter.status !== undefined) where.push('status = @status');
    return this.#db.page('ecgrid_ids', where, { ...filter }, 'id', page, toEcGridId);
  }

  async updateEcGridId(
    ecGridId: number,
    patch: { status?: ObjectStatus; description?: string },
  ): Promise<EcGridIdRecord | null> {
    return this.#db.write(() => {
      this.#db.run(
        `UPDATE ecgrid_ids SET status = COALESCE(@status, status), description = COALESCE(@description, description)
         WHERE id = @ecGridId`,
        { ecGridId, status: patch.status ?? null, description: patch.description ?? null },
      );
      const row = this.#db.get<EcGridIdRow>('SELECT * FROM ecgrid_ids WHERE id = ?', [ecGridId]);
      return row ? toEcGridId(row) : null;
    });
  }

  // --- users and keys ---

  async createUser(input: NewUser): Promise<User> {
    const now = Date.now();
    return this.#db.write(() => this.#insertUser(input, now));
  }

  #insertUser(input: NewUser, now: number): User {
    if (!this.#db.get('SELECT 1 FROM networks WHERE id = ?', [input.networkId])) throw notFound('Network', input.networkId);
    if (input.mailboxId !== 0 && !this.#db.get('SELECT 1 FROM mailboxes WHERE id = ?', [input.mailboxId])) {
      throw notFound('Mailbox', input.mailboxId);
    }
    try {
      const { lastInsertRowid } = this.#db.run(
        `INSERT INTO users (login_name, password_hash, role, network_id, mailbox_id, status, created_at)
         VALUES (@loginName, @passwordHash, @role, @networkId, @mailboxId, 'Active', @now)`,
        { ...input, now },
      );
      return {
        userId: Number(lastInsertRowid),
        loginName: input.loginName,
        role: input.role,
        networkId: input.networkId,
        mailboxId: input.mailboxId,
        status: 'Active',
        createdAt: now,
      };
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicate(`Login name ${input.loginName} is already taken.`, 'loginName');
      throw error;
    }
  }

  async getUser(userId: number): Promise<User | null> {
    const row = this.#db.get<UserRow>('SELECT * FROM users WHERE id = ?', [userId]);
    return row ? toUser(row) : null;
  }

  async getUserByLogin(loginName: string): Promise<{ user: User; passwordHash: string } | null> {
    const row = this.#db.get<UserRow>('SELECT * FROM users WHERE login_name = ?', [loginName]);
    return row ? { user: toUser(row), passwordHash: row.password_hash } : null;
  }

  async listUsers(filter: ScopeFilter, page: PageRequest): Promise<Page<User>> {
    const where: string[] = [];
    if (filter.networkId !== undefined) where.push('network_id = @networkId');
    if (filter.mailboxId !== undefined) where.push('mailbox_id = @mailboxId');
    return this.#db.page('users', where, { ...filter }, 'id', page, toUser);
  }

  async updateUserStatus(userId: number, status: ObjectStatus): Promise<User | null> {
    return this.#db.write(() => {
      this.#db.run('UPDATE users SET status = ? WHERE id = ?', [status, userId]);
      const row = this.#db.get<UserRow>('SELECT * FROM users WHERE id = ?', [userId]);
      return row ? toUser(row) : null;
    });
  }

  async setApiKey(userId: number, keyHash: string, keyPrefix: string): Promise<{ apiKeyId: number }> {
    const now = Date.now();
    return this.#db.write(() => {
      if (!this.#db.get('SELECT 1 FROM users WHERE id = ?', [userId])) throw notFound('User', userId);
      return { apiKeyId: this.#replaceKey(userId, keyHash, keyPrefix, now) };
    });
  }

  /**
   * Setting a key the user already had (a restart with the same admin key)
   * revives that row instead of inserting a second copy of a unique hash.
   */
  #replaceKey(userId: number, keyHash: string, keyPrefix: string, now: number): number {
    const existing = this.#db.get<{ id: number; user_id: number }>('SELECT id, user_id FROM api_keys WHERE key_hash = ?', [
      keyHash,
    ]);
    if (existing && existing.user_id !== userId) throw duplicate('This API key belongs to another user.');
    this.#db.run(
      `UPDATE api_keys SET revoked_at = @now
       WHERE user_id = @userId AND revoked_at IS NULL AND key_hash <> @keyHash`,
      { now, userId, keyHash },
    );
    if (existing) {
      this.#db.run('UPDATE api_keys SET revoked_at = NULL, key_prefix = ? WHERE id = ?', [keyPrefix, existing.id]);
      return existing.id;
    }
    const { lastInsertRowid } = this.#db.run(
      'INSERT INTO api_keys (user_id, key_hash, key_prefix, created_at) VALUES (?, ?, ?, ?)',
      [userId, keyHash, keyPrefix, now],
    );
    return Number(lastInsertRowid);
  }

  async findPrincipalByKeyHash(keyHash: string): Promise<Principal | null> {
    const row = this.#db.get<UserRow & { key_id: number }>(
      `SELECT u.*, k.id AS key_id FROM api_keys k JOIN users u ON u.id = k.user_id
       WHERE k.key_hash = ? AND k.revoked_at IS NULL AND u.status = 'Active'`,
      [keyHash],
    );
    if (!row) return null;
    return {
      userId: row.id,
      loginName: row.login_name,
      role: row.role,
      networkId: row.network_id,
      mailboxId: row.mailbox_id,
      apiKeyId: row.key_id,
    };
  }

  async ensureRootUser(
    loginName: string,
    keyHash: string,
    keyPrefix: string,
    options: { keepActiveKey?: boolean } = {},
  ): Promise<User> {
    const now = Date.now();
    return this.#db.write(() => {
      const row = this.#db.get<UserRow>('SELECT * FROM users WHERE login_name = ?', [loginName]);
      if (row && row.role !== 'Root') {
        throw new GridhookError('InvalidState', `User ${loginName} exists and is not a Root user; choose another login.`);
      }
      // '!' never equals a password hash, so the root user can only sign in with its key.
      const user = row
        ? toUser(row)
        : this.#insertUser({ loginName, passwordHash: '!', role: 'Root', networkId: 1, mailboxId: 0 }, now);
      const active =
        options.keepActiveKey === true &&
        this.#db.get('SELECT 1 FROM api_keys WHERE user_id = ? AND revoked_at IS NULL LIMIT 1', [user.userId]) !== undefined;
      if (!active) this.#replaceKey(user.userId, keyHash, keyPrefix, now);
      return user;
    });
  }
}
