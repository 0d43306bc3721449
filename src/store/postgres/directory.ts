/**
 * The directory on PostgreSQL: networks, mailboxes, ECGrid IDs, users, their
 * API keys and the root user; PostgresStore's directory methods delegate here.
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
import { KEYS_CHANNEL, type PrincipalCache } from './principal-cache.js';
import { ScopeOwnerCache } from './scope-owner-cache.js';
import { conditions, isDuplicate, type NamedStatement, type PostgresDatabase, type Queryable } from './database.js';

/** Run whenever a request names a scope not known yet: sent by name, planned once per connection. */
const SCOPE_OWNERS: NamedStatement = {
  name: 'gridhook.scope_owners',
  text: `SELECT EXISTS (SELECT 1 FROM networks WHERE id = $1) AS network,
                m.network_id AS mailbox_network_id,
                e.network_id AS ecgrid_network_id, e.mailbox_id AS ecgrid_mailbox_id
           FROM (SELECT 1) one
           LEFT JOIN mailboxes m ON m.id = $2
           LEFT JOIN ecgrid_ids e ON e.id = $3`,
};

/** Run on every API call: sent by name, planned once per connection. */
const PRINCIPAL_BY_KEY: NamedStatement = {
  name: 'gridhook.principal_by_key',
  text: `SELECT u.*, k.id AS key_id FROM api_keys k JOIN users u ON u.id = k.user_id
          WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND u.status = 'Active'`,
};

interface ScopeOwnersRow {
  network: boolean;
  mailbox_network_id: number | null;
  ecgrid_network_id: number | null;
  ecgrid_mailbox_id: number | null;
}

/** What the directory needs of the store it belongs to. */
export interface PostgresDirectoryContext {
  db: PostgresDatabase;
  principals: PrincipalCache;
  /** Whether this process hears KEYS_CHANNEL now (the subscription is started if it is not). */
  hearsKeyChanges: () => boolean;
}

export class PostgresDirectory {
  readonly #owners = new ScopeOwnerCache();

  constructor(private readonly context: PostgresDirectoryContext) {}

  get #db(): PostgresDatabase {
    return this.context.db;
  }

  // --- networks and mailboxes ---

  async createNetwork(name: string, settings: NetworkSettings = {}): Promise<Network> {
    const row = await this.#db.one<NetworkRow>(
      `INSERT INTO networks (name, status, created_at, auto_suspend_after_seconds) VALUES ($1, 'Active', $2, $3)
       RETURNING *`,
      [name, Date.now(), settings.autoSuspendAfterSeconds ?? null],
    );
    return toNetwork(row as NetworkRow);
  }

  async updateNetwork(networkId: number, settings: NetworkSettings): Promise<Network | null> {
    const row = await this.#db.one<NetworkRow>(
      `UPDATE networks SET auto_suspend_after_seconds = CASE WHEN $2::boolean THEN $3::INTEGER
         ELSE auto_suspend_after_seconds END
       WHERE id = $1 RETURNING *`,
      [networkId, settings.autoSuspendAfterSeconds !== undefined, settings.autoSuspendAfterSeconds ?? null],
    );
    return row ? toNetwork(row) : null;
  }

  async getNetwork(networkId: number): Promise<Network | null> {
    const row = await this.#db.one<NetworkRow>('SELECT * FROM networks WHERE id = $1', [networkId]);
    return row ? toNetwork(row) : null;
  }

  listNetworks(page: PageRequest): Promise<Page<Network>> {
    return this.#db.page('networks', [], [], 'id', page, toNetwork);
  }

  async createMailbox(networkId: number, name: string): Promise<Mailbox> {
    const row = await this.#db.one<MailboxRow>(
      `INSERT INTO mailboxes (network_id, name, status, created_at)
       SELECT id, $2, 'Active', $3 FROM networks WHERE id = $1
       RETURNING *`,
      [networkId, name, Date.now()],
    );
    if (!row) throw notFound('Network', networkId);
    return toMailbox(row);
  }

  async getMailbox(mailboxId: number): Promise<Mailbox | null> {
    const row = await this.#db.one<MailboxRow>('SELECT * FROM mailboxes WHERE id = $1', [mailboxId]);
    return row ? toMailbox(row) : null;
  }

  async findScopeOwners(ids: ScopeIds): Promise<ScopeOwners> {
    const known = this.#owners.find(ids);
    if (known) return known;
    const { networkId, mailboxId, ecGridId } = ids;
    const [row] = await this.#db.named<ScopeOwnersRow>(SCOPE_OWNERS, [networkId, mailboxId, ecGridId]);
    const owners: ScopeOwners = {
      network: networkId !== 0 && row?.network === true,
      mailbox:
        mailboxId !== 0 && row?.mailbox_network_id != null ? { networkId: row.mailbox_network_id, mailboxId } : null,
      ecGrid:
        ecGridId !== 0 && row?.ecgrid_network_id != null
          ? { networkId: row.ecgrid_network_id, mailboxId: row.ecgrid_mailbox_id ?? 0 }
          : null,
    };
    this.#owners.remember(ids, owners);
    return owners;
  }

  listMailboxes(filter: ScopeFilter, page: PageRequest): Promise<Page<Mailbox>> {
    const { where, values } = conditions({ network_id: filter.networkId, id: filter.mailboxId });
    return this.#db.page('mailboxes', where, values, 'id', page, toMailbox);
  }

  // --- ECGrid IDs ---

  async createEcGridId(input: NewEcGridId): Promise<EcGridIdRecord> {
    let row: EcGridIdRow | undefined;
    try {
      row = await this.#db.one<EcGridIdRow>(
        `INSERT INTO ecgrid_ids (network_id, mailbox_id, qualifier, value, description, status, created_at)
         SELECT network_id, id, $2, $3, $4, 'Active', $5 FROM mailboxes WHERE id = $1
         RETURNING *`,
        [input.mailboxId, input.qualifier, input.id, input.description, Date.now()],
      );
    } catch (error) {
      if (!isDuplicate(error)) throw error;
      const mailbox = await this.getMailbox(input.mailboxId);
      throw duplicate(
        `ECGrid ID ${input.qualifier}:${input.id} already exists in network ${mailbox?.networkId ?? '?'}.`,
        'id',
      );
    }
    if (!row) throw notFound('Mailbox', input.mailboxId);
    return toEcGridId(row);
  }

  async getEcGridId(ecGridId: number): Promise<EcGridIdRecord | null> {
    const row = await this.#db.one<EcGridIdRow>('SELECT * FROM ecgrid_ids WHERE id = $1', [ecGridId]);
    return row ? toEcGridId(row) : null;
  }

  async findEcGridId(networkId: number | null, qualifier: string, id: string): Promise<EcGridIdRecord[]> {
    const rows = await this.#db.query<EcGridIdRow>(
      `SELECT * FROM ecgrid_ids WHERE qualifier = $1 AND value = $2 AND ($3::BIGINT IS NULL OR network_id = $3)
       ORDER BY id`,
      [qualifier, id, networkId],
    );
    return rows.map(toEcGridId);
  }

  listEcGridIds(filter: ScopeFilter & { status?: ObjectStatus }, page: PageRequest): Promise<Page<EcGridIdRecord>> {
    const { where, values } = conditions({
      network_id: filter.networkId,
      mailbox_id: filter.mailboxId,
      status: filter.status,
    });
    return this.#db.page('ecgrid_ids', where, values, 'id', page, toEcGridId);
  }

  async updateEcGridId(
    ecGridId: number,
    patch: { status?: ObjectStatus; description?: string },
  ): Promise<EcGridIdRecord | null> {
    const row = await this.#db.one<EcGridIdRow>(
      `UPDATE ecgrid_ids SET status = COALESCE($2, status), description = COALESCE($3, description)
       WHERE id = $1 RETURNING *`,
      [ecGridId, patch.status ?? null, patch.description ?? null],
    );
    return row ? toEcGridId(row) : null;
  }

  // --- users and keys ---

  async createUser(input: NewUser): Promise<User> {
    return toUser(await this.#insertUser(input, Date.now(), this.#db.pool));
  }

  async #insertUser(input: NewUser, now: number, on: Queryable): Promise<UserRow> {
    let row: UserRow | undefined;
    try {
      row = await this.#db.one<UserRow>(
        `INSERT INTO users (login_name, password_hash, role, network_id, mailbox_id, status, created_at)
         SELECT $1, $2, $3, $4, $5, 'Active', $6
         WHERE EXISTS (SELECT 1 FROM networks WHERE id = $4)
           AND ($5::BIGINT = 0 OR EXISTS (SELECT 1 FROM mailboxes WHERE id = $5))
         RETURNING *`,
        [input.loginName, input.passwordHash, input.role, input.networkId, input.mailboxId, now],
        on,
      );
    } catch (error) {
      if (isDuplicate(error)) throw duplicate(`Login name ${input.loginName} is already taken.`, 'loginName');
      throw error;
    }
    if (row) return row;
    if (!(await this.#db.one('SELECT 1 FROM networks WHERE id = $1', [input.networkId], on))) {
      throw notFound('Network', input.networkId);
    }
    throw notFound('Mailbox', input.mailboxId);
  }

  async getUser(userId: number): Promise<User | null> {
    const row = await this.#db.one<UserRow>('SELECT * FROM users WHERE id = $1', [userId]);
    return row ? toUser(row) : null;
  }

  async getUserByLogin(loginName: string): Promise<{ user: User; passwordHash: string } | null> {
    const row = await this.#db.one<UserRow>('SELECT * FROM users WHERE login_name = $1', [loginName]);
    return row ? { user: toUser(row), passwordHash: row.password_hash } : null;
  }

  listUsers(filter: ScopeFilter, page: PageRequest): Promise<Page<User>> {
    const { where, values } = conditions({ network_id: filter.networkId, mailbox_id: filter.mailboxId });
    return this.#db.page('users', where, values, 'id', page, toUser);
  }

  async updateUserStatus(userId: number, status: ObjectStatus): Promise<User | null> {
    const row = await this.#changingKeys((tx) =>
      this.#db.one<UserRow>('UPDATE users SET status = $2 WHERE id = $1 RETURNING *', [userId, status], tx),
    );
    return row ? toUser(row) : null;
  }

  /**
   * A transaction that changes which keys work: every process forgets the
   * principals it kept when it commits (the NOTIFY is delivered at commit),
   * this one at once.
   */
  async #changingKeys<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    try {
      return await this.#db.transaction(async (tx) => {
        const result = await fn(tx);
        await this.#db.query("SELECT pg_notify($1, '')", [KEYS_CHANNEL], tx);
        return result;
      });
    } finally {
      this.context.principals.clear();
    }
  }

  setApiKey(userId: number, keyHash: string, keyPrefix: string): Promise<{ apiKeyId: number }> {
    const now = Date.now();
    return this.#changingKeys(async (tx) => {
      if (!(await this.#db.one('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [userId], tx))) {
        throw notFound('User', userId);
      }
      return { apiKeyId: await this.#replaceKey(userId, keyHash, keyPrefix, now, tx) };
    });
  }

  /**
   * The caller holds the user's row lock, so two key changes of one user run
   * one after the other and the second revokes the first's key. Setting a
   * key the user already had (a restart with the same admin key) revives that
   * row instead of inserting a second copy of a unique hash.
   */
  async #replaceKey(userId: number, keyHash: string, keyPrefix: string, now: number, tx: Queryable): Promise<number> {
    const existing = await this.#db.one<{ id: number; user_id: number }>(
      'SELECT id, user_id FROM api_keys WHERE key_hash = $1',
      [keyHash],
      tx,
    );
    if (existing && existing.user_id !== userId) throw duplicate('This API key belongs to another user.');
    await this.#db.query(
      'UPDATE api_keys SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL AND key_hash <> $3',
      [userId, now, keyHash],
      tx,
    );
    if (existing) {
      await this.#db.query('UPDATE api_keys SET revoked_at = NULL, key_prefix = $2 WHERE id = $1', [existing.id, keyPrefix], tx);
      return existing.id;
    }
    try {
      const row = await this.#db.one<{ id: number }>(
        'INSERT INTO api_keys (user_id, key_hash, key_prefix, created_at) VALUES ($1, $2, $3, $4) RETURNING id',
        [userId, keyHash, keyPrefix, now],
        tx,
      );
      return (row as { id: number }).id;
    } catch (error) {
      if (isDuplicate(error)) throw duplicate('This API key belongs to another user.');
      throw error;
    }
  }

  async findPrincipalByKeyHash(keyHash: string): Promise<Principal | null> {
    const { principals } = this.context;
    const cached = this.context.hearsKeyChanges();
    if (cached) {
      const known = principals.get(keyHash, Date.now());
      if (known) return known;
    }
    const generation = principals.generation;
    const principal = await this.#readPrincipal(keyHash);
    if (principal && cached) principals.set(keyHash, principal, Date.now(), generation);
    return principal;
  }

  async #readPrincipal(keyHash: string): Promise<Principal | null> {
    const [row] = await this.#db.named<UserRow & { key_id: number }>(PRINCIPAL_BY_KEY, [keyHash]);
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

  ensureRootUser(
    loginName: string,
    keyHash: string,
    keyPrefix: string,
    options: { keepActiveKey?: boolean } = {},
  ): Promise<User> {
    const now = Date.now();
    return this.#changingKeys(async (tx) => {
      // Processes starting together all get here: ON CONFLICT lets one create
      // the user, and the row lock lines them up for the key.
      await this.#db.query(
        `INSERT INTO users (login_name, password_hash, role, network_id, mailbox_id, status, created_at)
         VALUES ($1, '!', 'Root', 1, 0, 'Active', $2)
         ON CONFLICT (login_name) DO NOTHING`,
        [loginName, now],
        tx,
      );
      const row = (await this.#db.one<UserRow>('SELECT * FROM users WHERE login_name = $1 FOR UPDATE', [loginName], tx)) as UserRow;
      if (row.role !== 'Root') {
        throw new GridhookError('InvalidState', `User ${loginName} exists and is not a Root user; choose another login.`);
      }
      const active =
        options.keepActiveKey === true &&
        (await this.#db.count('SELECT 1 FROM api_keys WHERE user_id = $1 AND revoked_at IS NULL LIMIT 1', [row.id], tx)) > 0;
      if (!active) await this.#replaceKey(row.id, keyHash, keyPrefix, now, tx);
      return toUser(row);
    });
  }
}
