/**
 * Where networks, mailboxes and ECGrid IDs belong, remembered by one
 * process. Nothing is ever deleted from these tables and no row changes its
 * network or mailbox, so an owner once read stays true: only IDs found are
 * kept (a missing one may be created a moment later). Every publish names a
 * scope, and on PostgreSQL reading it was a round trip per call.
 */
import type { ScopeIds, ScopeOwners } from '../store.js';

/** Past this many entries the cache starts again empty: a bound on memory, not an eviction policy worth tuning. */
const MAX_ENTRIES = 10_000;

type Owner = { networkId: number; mailboxId: number };

export class ScopeOwnerCache {
  readonly #networks = new Set<number>();
  readonly #mailboxes = new Map<number, Owner>();
  readonly #ecGridIds = new Map<number, Owner>();

  /** The owners of every named ID, or undefined when one of them is not known yet. */
  find({ networkId, mailboxId, ecGridId }: ScopeIds): ScopeOwners | undefined {
    if (networkId !== 0 && !this.#networks.has(networkId)) return undefined;
    const mailbox = mailboxId === 0 ? null : this.#mailboxes.get(mailboxId);
    const ecGrid = ecGridId === 0 ? null : this.#ecGridIds.get(ecGridId);
    if (mailbox === undefined || ecGrid === undefined) return undefined;
    return { network: networkId !== 0, mailbox, ecGrid };
  }

  remember(ids: ScopeIds, owners: ScopeOwners): void {
    if (this.#networks.size + this.#mailboxes.size + this.#ecGridIds.size >= MAX_ENTRIES) {
      this.#networks.clear();
      this.#mailboxes.clear();
      this.#ecGridIds.clear();
    }
    if (owners.network) this.#networks.add(ids.networkId);
    if (owners.mailbox) this.#mailboxes.set(ids.mailboxId, owners.mailbox);
    if (owners.ecGrid) this.#ecGridIds.set(ids.ecGridId, owners.ecGrid);
  }
}
