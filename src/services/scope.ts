/**
 * The scope model, in one place: what a principal may see, and how the IDs a
 * request names (0 meaning "own" or "all") become a concrete scope.
 *
 * - Root sees everything; its own network is 1.
 * - NetworkAdmin / NetworkUser see their network.
 * - MailboxAdmin / MailboxUser see their mailbox only.
 *
 * Anything outside a principal's scope answers exactly like something missing
 * (ObjectNotFound), so a key never learns what exists beyond it. A verb a role
 * may not use at all answers AccessDenied.
 */
import { accessDenied, notFound } from '../errors.js';
import type { Principal, Role, Scope } from '../domain/types.js';
import type { ScopeFilter, Store } from '../store/store.js';
import { scopeId } from './validate.js';

export const ROOT_NETWORK_ID = 1;

export function isMailboxRole(role: Role): boolean {
  return role === 'MailboxAdmin' || role === 'MailboxUser';
}

/** The list filter that keeps a principal inside its scope. */
export function scopeFilter(principal: Principal): ScopeFilter {
  if (principal.role === 'Root') return {};
  if (isMailboxRole(principal.role)) return { networkId: principal.networkId, mailboxId: principal.mailboxId };
  return { networkId: principal.networkId };
}

/**
 * Whether something in this network (and mailbox, when it belongs to one) is in
 * the principal's scope. `mailboxId` 0 means network-wide, which a mailbox role
 * does not see; leave it out for things that belong to no mailbox (a network).
 */
export function canSee(principal: Principal, where: { networkId: number; mailboxId?: number }): boolean {
  if (principal.role === 'Root') return true;
  if (where.networkId !== principal.networkId) return false;
  if (isMailboxRole(principal.role) && where.mailboxId !== undefined) return where.mailboxId === principal.mailboxId;
  return true;
}

export function ownNetworkId(principal: Principal): number {
  return principal.role === 'Root' ? ROOT_NETWORK_ID : principal.networkId;
}

export interface RequestedScope {
  networkId?: number | undefined;
  mailboxId?: number | undefined;
  ecGridId?: number | undefined;
}

/**
 * Turns the IDs a request names into the scope they mean for this principal,
 * checking each exists and is visible. Field names in errors are the API's.
 */
export async function resolveScope(
  store: Store,
  principal: Principal,
  requested: RequestedScope,
  fieldPrefix = '',
): Promise<Scope> {
  const requestedNetworkId = scopeId(`${fieldPrefix}networkId`, requested.networkId);
  let mailboxId = scopeId(`${fieldPrefix}mailboxId`, requested.mailboxId);
  const ecGridId = scopeId(`${fieldPrefix}ecGridId`, requested.ecGridId);
  const owners = await store.findScopeOwners({
    networkId: networkToLookUp(principal, requestedNetworkId),
    mailboxId,
    ecGridId,
  });

  // Checked in this order so that the first missing ID is the one named.
  const networkId = foundNetworkId(principal, requestedNetworkId, owners.network);
  if (mailboxId === 0) {
    if (isMailboxRole(principal.role)) mailboxId = principal.mailboxId;
  } else {
    const mailbox = owners.mailbox;
    if (!mailbox || mailbox.networkId !== networkId || !canSee(principal, mailbox)) {
      throw notFound('Mailbox', mailboxId);
    }
  }
  if (ecGridId !== 0) {
    const record = owners.ecGrid;
    if (
      !record ||
      record.networkId !== networkId ||
      (mailboxId !== 0 && record.mailboxId !== mailboxId) ||
      !canSee(principal, record)
    ) {
      throw notFound('ECGrid ID', ecGridId);
    }
  }
  return { networkId, mailboxId, ecGridId };
}

/** `networkId` 0 (or absent) is the principal's own network; another must exist and be in scope. */
export async function resolveNetworkId(
  store: Store,
  principal: Principal,
  requested: number | undefined,
  fieldPrefix = '',
): Promise<number> {
  const networkId = scopeId(`${fieldPrefix}networkId`, requested);
  const owners = await store.findScopeOwners({ networkId: networkToLookUp(principal, networkId), mailboxId: 0, ecGridId: 0 });
  return foundNetworkId(principal, networkId, owners.network);
}

/** The network ID to look up: none for 0 (the principal's own), nor for one out of scope, whose existence is not revealed. */
function networkToLookUp(principal: Principal, networkId: number): number {
  return networkId !== 0 && canSee(principal, { networkId }) ? networkId : 0;
}

/** The network a request means once looked up: its own for 0; another only if it was found. */
function foundNetworkId(principal: Principal, networkId: number, found: boolean): number {
  if (networkId === 0) return ownNetworkId(principal);
  if (!found) throw notFound('Network', networkId);
  return networkId;
}

/**
 * The list filter for a request's optional scope fields: absent narrows
 * nothing beyond the principal's own scope; given IDs are resolved as above.
 */
export async function resolveScopeFilter(
  store: Store,
  principal: Principal,
  requested: RequestedScope,
): Promise<ScopeFilter & { ecGridId?: number }> {
  const base = scopeFilter(principal);
  if (requested.networkId === undefined && !requested.mailboxId && !requested.ecGridId) return base;
  let networkId = requested.networkId;
  if (networkId === undefined) {
    // A mailbox or ECGrid ID named without a network stands for its own
    // network (only Root has several to choose from). One out of scope
    // resolves below as missing, so its network is not revealed.
    const mailboxId = scopeId('mailboxId', requested.mailboxId);
    const ecGridId = scopeId('ecGridId', requested.ecGridId);
    const owner = mailboxId ? await store.getMailbox(mailboxId) : ecGridId ? await store.getEcGridId(ecGridId) : null;
    networkId = owner && canSee(principal, owner) ? owner.networkId : 0;
  }
  const scope = await resolveScope(store, principal, { ...requested, networkId });
  const filter: ScopeFilter & { ecGridId?: number } = { networkId: scope.networkId };
  if (scope.mailboxId !== 0) filter.mailboxId = scope.mailboxId;
  if (scope.ecGridId !== 0) filter.ecGridId = scope.ecGridId;
  return filter;
}

// --- what each role may do at all ---

export const ADMIN_ROLES: readonly Role[] = ['Root', 'NetworkAdmin', 'MailboxAdmin'];
export const PUBLISHER_ROLES: readonly Role[] = ['Root', 'NetworkAdmin'];

export function requireRole(principal: Principal, allowed: readonly Role[], action: string): void {
  if (!allowed.includes(principal.role)) {
    throw accessDenied(`Your role (${principal.role}) may not ${action}; that needs ${allowed.join(' or ')}.`);
  }
}

/** The roles a principal may create users with and issue keys for (besides its own key). */
export function rolesBelow(role: Role): readonly Role[] {
  switch (role) {
    case 'Root':
      return ['Root', 'NetworkAdmin', 'NetworkUser', 'MailboxAdmin', 'MailboxUser'];
    case 'NetworkAdmin':
      return ['NetworkUser', 'MailboxAdmin', 'MailboxUser'];
    case 'MailboxAdmin':
      return ['MailboxUser'];
    default:
      return [];
  }
}
