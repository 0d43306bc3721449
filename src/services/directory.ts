/**
 * The directory: networks, mailboxes, ECGrid IDs and users with their keys.
 * Who may do what is decided here (see scope.ts for the rules' vocabulary).
 */
import { accessDenied, invalidParameter, notFound } from '../errors.js';
import {
  OBJECT_STATUSES,
  ROLES,
  type EcGridIdRecord,
  type Mailbox,
  type Network,
  type ObjectStatus,
  type Page,
  type Principal,
  type Role,
  type User,
} from '../domain/types.js';
import { generateApiKey } from './api-keys.js';
import type { ServiceDeps } from './deps.js';
import { hashPassword } from './passwords.js';
import {
  ADMIN_ROLES,
  ROOT_NETWORK_ID,
  canSee,
  isMailboxRole,
  requireRole,
  resolveNetworkId,
  resolveScopeFilter,
  rolesBelow,
} from './scope.js';
import { integerIn, objectId, oneOf, optionalOneOf, page, scopeId, text } from './validate.js';
import { MAX_AUTO_SUSPEND_AFTER_SECONDS, MIN_AUTO_SUSPEND_AFTER_SECONDS } from '../domain/endpoint-health.js';

export const MAX_NAME_LENGTH = 255;
export const MAX_DESCRIPTION_LENGTH = 255;
/** ISA05/07 qualifiers are 2 characters, EDIFACT UNB partner qualifiers up to 4. */
export const QUALIFIER_PATTERN = /^[A-Za-z0-9]{1,4}$/;
/** ISA06/08 IDs are up to 15 characters, EDIFACT UNB IDs up to 35; padding is not part of the ID. */
export const ID_PATTERN = /^[\x21-\x7E](?:[\x20-\x7E]{0,33}[\x21-\x7E])?$/;
export const LOGIN_PATTERN = /^[A-Za-z0-9._@-]{3,64}$/;
export const PASSWORD_LENGTH = { min: 8, max: 256 } as const;

interface Paging {
  pageNo?: number | undefined;
  recordsPerPage?: number | undefined;
}

export interface MailboxQuery extends Paging {
  networkId?: number | undefined;
}

export interface EcGridIdInput {
  /** 0 or absent: a mailbox-scoped caller's own mailbox. */
  mailboxId?: number | undefined;
  qualifier: string;
  id: string;
  description?: string | undefined;
}

export interface EcGridIdQuery extends Paging {
  networkId?: number | undefined;
  mailboxId?: number | undefined;
  status?: string | undefined;
}

export interface EcGridIdSearch {
  qualifier: string;
  id: string;
  /** Absent: every network in scope; 0: the caller's own. */
  networkId?: number | undefined;
}

export interface EcGridIdChanges {
  ecGridId: number;
  status?: string | undefined;
  description?: string | undefined;
}

export interface UserInput {
  loginName: string;
  password: string;
  role: string;
  networkId?: number | undefined;
  mailboxId?: number | undefined;
}

export interface UserQuery extends Paging {
  networkId?: number | undefined;
  mailboxId?: number | undefined;
}

/** A new API key, shown this once: only its hash is kept. */
export interface IssuedApiKey {
  userId: number;
  apiKey: string;
  keyPrefix: string;
}

export class DirectoryService {
  constructor(private readonly deps: ServiceDeps) {}

  // --- networks ---

  async createNetwork(principal: Principal, input: { name: string; autoSuspendAfterSeconds?: unknown }): Promise<Network> {
    requireRole(principal, ['Root'], 'create networks');
    const name = text('name', input.name, 1, MAX_NAME_LENGTH);
    const autoSuspendAfterSeconds = autoSuspendAfter(input.autoSuspendAfterSeconds);
    return this.deps.store.createNetwork(name, { autoSuspendAfterSeconds });
  }

  /** A network's own settings: Root, or the network's NetworkAdmin. */
  async updateNetwork(principal: Principal, networkId: number, input: { autoSuspendAfterSeconds?: unknown }): Promise<Network> {
    const network = await this.getNetwork(principal, networkId);
    requireRole(principal, ['Root', 'NetworkAdmin'], 'change network settings');
    const updated = await this.deps.store.updateNetwork(network.networkId, {
      autoSuspendAfterSeconds: autoSuspendAfter(input.autoSuspendAfterSeconds),
    });
    if (!updated) throw notFound('Network', network.networkId);
    return updated;
  }

  async getNetwork(principal: Principal, networkId: number): Promise<Network> {
    const id = objectId('networkId', networkId);
    const network = canSee(principal, { networkId: id }) ? await this.deps.store.getNetwork(id) : null;
    if (!network) throw notFound('Network', id);
    return network;
  }

  async listNetworks(principal: Principal, paging: Paging = {}): Promise<Page<Network>> {
    requireRole(principal, ['Root'], 'list networks');
    return this.deps.store.listNetworks(page(paging));
  }

  // --- mailboxes ---

  async createMailbox(principal: Principal, input: { networkId?: number | undefined; name: string }): Promise<Mailbox> {
    requireRole(principal, ['Root', 'NetworkAdmin'], 'create mailboxes');
    const name = text('name', input.name, 1, MAX_NAME_LENGTH);
    const networkId = await resolveNetworkId(this.deps.store, principal, input.networkId);
    return this.deps.store.createMailbox(networkId, name);
  }

  async getMailbox(principal: Principal, mailboxId: number): Promise<Mailbox> {
    const id = objectId('mailboxId', mailboxId);
    const mailbox = await this.deps.store.getMailbox(id);
    if (!mailbox || !canSee(principal, mailbox)) throw notFound('Mailbox', id);
    return mailbox;
  }

  async listMailboxes(principal: Principal, query: MailboxQuery = {}): Promise<Page<Mailbox>> {
    const paging = page(query);
    const filter = await resolveScopeFilter(this.deps.store, principal, { networkId: query.networkId });
    return this.deps.store.listMailboxes(filter, paging);
  }

  // --- ECGrid IDs ---

  async createEcGridId(principal: Principal, input: EcGridIdInput): Promise<EcGridIdRecord> {
    requireRole(principal, ADMIN_ROLES, 'create ECGrid IDs');
    const qualifier = this.qualifier(input.qualifier);
    const id = this.partnerId(input.id);
    const description =
      input.description === undefined ? '' : text('description', input.description, 0, MAX_DESCRIPTION_LENGTH);
    let mailboxId = scopeId('mailboxId', input.mailboxId);
    if (mailboxId === 0) {
      if (!isMailboxRole(principal.role)) throw invalidParameter('mailboxId', 'is required: the mailbox that owns the ID');
      mailboxId = principal.mailboxId;
    }
    const mailbox = await this.getMailbox(principal, mailboxId);
    return this.deps.store.createEcGridId({ mailboxId: mailbox.mailboxId, qualifier, id, description });
  }

  async getEcGridId(principal: Principal, ecGridId: number): Promise<EcGridIdRecord> {
    const id = objectId('ecGridId', ecGridId);
    const record = await this.deps.store.getEcGridId(id);
    if (!record || !canSee(principal, record)) throw notFound('ECGrid ID', id);
    return record;
  }

  async listEcGridIds(principal: Principal, query: EcGridIdQuery = {}): Promise<Page<EcGridIdRecord>> {
    const status = optionalOneOf<ObjectStatus>('status', query.status, OBJECT_STATUSES);
    const paging = page(query);
    const { ecGridId: _ignored, ...filter } = await resolveScopeFilter(this.deps.store, principal, {
      networkId: query.networkId,
      mailboxId: query.mailboxId,
    });
    return this.deps.store.listEcGridIds({ ...filter, ...(status && { status }) }, paging);
  }

  /** The IDs in scope with this qualifier and value (at most one per network). */
  async findEcGridId(principal: Principal, search: EcGridIdSearch): Promise<EcGridIdRecord[]> {
    const qualifier = this.qualifier(search.qualifier);
    const id = this.partnerId(search.id);
    let networkId: number | null = null;
    if (search.networkId !== undefined) {
      networkId = await resolveNetworkId(this.deps.store, principal, search.networkId);
    } else if (principal.role !== 'Root') {
      networkId = principal.networkId;
    }
    const found = await this.deps.store.findEcGridId(networkId, qualifier, id);
    return found.filter((record) => canSee(principal, record));
  }

  async updateEcGridId(principal: Principal, changes: EcGridIdChanges): Promise<EcGridIdRecord> {
    requireRole(principal, ADMIN_ROLES, 'change ECGrid IDs');
    const current = await this.getEcGridId(principal, changes.ecGridId);
    const patch: { status?: ObjectStatus; description?: string } = {};
    if (changes.status !== undefined) patch.status = oneOf<ObjectStatus>('status', changes.status, OBJECT_STATUSES);
    if (changes.description !== undefined) {
      patch.description = text('description', changes.description, 0, MAX_DESCRIPTION_LENGTH);
    }
    if (Object.keys(patch).length === 0) {
      throw invalidParameter('status', 'nothing to change: send status and/or description');
    }
    const updated = await this.deps.store.updateEcGridId(current.ecGridId, patch);
    if (!updated) throw notFound('ECGrid ID', current.ecGridId);
    return updated;
  }

  // --- users and keys ---

  /**
   * Admins create users below themselves: Root any role anywhere, a
   * NetworkAdmin network users and mailbox roles in its network, a
   * MailboxAdmin MailboxUsers of its mailbox.
   */
  async createUser(principal: Principal, input: UserInput): Promise<User> {
    requireRole(principal, ADMIN_ROLES, 'create users');
    const { store } = this.deps;
    const loginName = input.loginName;
    if (typeof loginName !== 'string' || !LOGIN_PATTERN.test(loginName)) {
      throw invalidParameter('loginName', 'must be 3 to 64 letters, digits or . _ @ -');
    }
    const password = text('password', input.password, PASSWORD_LENGTH.min, PASSWORD_LENGTH.max);
    const role = oneOf<Role>('role', input.role, ROLES);
    const allowed = rolesBelow(principal.role);
    if (!allowed.includes(role)) {
      throw accessDenied(`Your role (${principal.role}) may create users with role ${allowed.join(', ')} only, not ${role}.`);
    }

    let networkId: number;
    let mailboxId = scopeId('mailboxId', input.mailboxId);
    if (role === 'Root') {
      const requested = scopeId('networkId', input.networkId);
      if (requested !== 0 && requested !== ROOT_NETWORK_ID) {
        throw invalidParameter(
          'networkId',
          `must be 0 or ${ROOT_NETWORK_ID} for a Root user, whose network is ${ROOT_NETWORK_ID}`,
        );
      }
      networkId = ROOT_NETWORK_ID;
    } else {
      networkId = await resolveNetworkId(store, principal, input.networkId);
    }
    if (isMailboxRole(role)) {
      if (mailboxId === 0) {
        if (!isMailboxRole(principal.role)) throw invalidParameter('mailboxId', `is required for role ${role}`);
        mailboxId = principal.mailboxId;
      }
      const mailbox = await this.getMailbox(principal, mailboxId);
      if (mailbox.networkId !== networkId) throw notFound('Mailbox', mailboxId);
    } else if (mailboxId !== 0) {
      throw invalidParameter('mailboxId', `must be 0 for role ${role}, which is not tied to one mailbox`);
    }

    const passwordHash = await hashPassword(password);
    const user = await store.createUser({ loginName, passwordHash, role, networkId, mailboxId });
    this.deps.logger.info({ userId: user.userId, role, networkId, createdBy: principal.userId }, 'user created');
    return user;
  }

  async listUsers(principal: Principal, query: UserQuery = {}): Promise<Page<User>> {
    requireRole(principal, ADMIN_ROLES, 'list users');
    const paging = page(query);
    const { ecGridId: _ignored, ...filter } = await resolveScopeFilter(this.deps.store, principal, {
      networkId: query.networkId,
      mailboxId: query.mailboxId,
    });
    return this.deps.store.listUsers(filter, paging);
  }

  /**
   * A new API key for a user, replacing (revoking) the key it had. Anyone may
   * renew their own; admins renew keys of users below them in scope. The key
   * is answered this once.
   */
  async generateKey(principal: Principal, userId: number): Promise<IssuedApiKey> {
    const id = objectId('userId', userId);
    const user = await this.deps.store.getUser(id);
    if (!user) throw notFound('User', id);
    if (user.userId !== principal.userId) {
      const visible = canSee(principal, { networkId: user.networkId, mailboxId: user.mailboxId });
      if (!visible) throw notFound('User', id);
      if (!rolesBelow(principal.role).includes(user.role)) {
        throw accessDenied(`Your role (${principal.role}) may not issue keys for ${user.role} users.`);
      }
    }
    const key = generateApiKey();
    await this.deps.store.setApiKey(user.userId, key.hash, key.prefix);
    this.deps.logger.info({ userId: user.userId, keyPrefix: key.prefix, by: principal.userId }, 'API key issued');
    return { userId: user.userId, apiKey: key.key, keyPrefix: key.prefix };
  }

  async me(principal: Principal): Promise<User> {
    const user = await this.deps.store.getUser(principal.userId);
    if (!user) throw notFound('User', principal.userId);
    return user;
  }

  private qualifier(value: unknown): string {
    if (typeof value !== 'string' || !QUALIFIER_PATTERN.test(value)) {
      throw invalidParameter('qualifier', 'must be 1 to 4 letters or digits, e.g. ZZ');
    }
    return value;
  }

  private partnerId(value: unknown): string {
    if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
      throw invalidParameter('id', 'must be 1 to 35 printable ASCII characters without leading or trailing spaces');
    }
    return value;
  }
}

/** A network's auto-suspend period in seconds; absent or null: the server's default. */
function autoSuspendAfter(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  return integerIn('autoSuspendAfterSeconds', value, MIN_AUTO_SUSPEND_AFTER_SECONDS, MAX_AUTO_SUSPEND_AFTER_SECONDS);
}
