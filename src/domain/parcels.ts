/**
 * Parcels: one file moved from a sender's mailbox to a recipient's, and the
 * rule that decides whether it may be delivered. Status names are
 * ECGridOS's where it has one (InBoxReady, InBoxTransferred); a parcel that
 * was not delivered says on whose side it failed, like the events it causes.
 *
 * - InBoxReady       — in the recipient's inbox, waiting for download.
 * - InBoxTransferred — the recipient confirmed its download.
 * - InBoxError       — the recipient's mailbox or ECGrid ID is suspended: it
 *                      refused the parcel, which stays undelivered.
 * - OutBoxError      — no recipient could take it: unknown, terminated,
 *                      no readable envelope, empty file, sender inactive
 *                      (ECGridOS: outboxDeliveryError).
 */
import { GridhookError } from '../errors.js';
import type { EventInput, ObjectStatus } from './types.js';

export const PARCEL_STATUSES = ['InBoxReady', 'InBoxTransferred', 'InBoxError', 'OutBoxError'] as const;
export type ParcelStatus = (typeof PARCEL_STATUSES)[number];

/** The statuses of a parcel that reached a recipient's mailbox and is listed in its inbox. */
export const INBOX_STATUSES = ['InBoxReady', 'InBoxTransferred', 'InBoxError'] as const satisfies readonly ParcelStatus[];
export type InboxStatus = (typeof INBOX_STATUSES)[number];

export type EdiStandard = 'X12' | 'EDIFACT';

export interface Parcel {
  parcelId: number;
  /** Sender and recipient are always in this one network. */
  networkId: number;
  fileName: string;
  bytes: number;
  status: ParcelStatus;
  /** Why the parcel was not delivered; null when it was. */
  statusMessage: string | null;
  senderMailboxId: number;
  /** 0 when no sender ID could be decided (the parcel is then OutBoxError). */
  senderEcGridId: number;
  /** 0 when no recipient was found. */
  recipientMailboxId: number;
  recipientEcGridId: number;
  /** The interchange's standard and control number (ISA13, UNB05), when its envelope was read. */
  standard: EdiStandard | null;
  controlNumber: string | null;
  createdAt: number;
  /** When the status last changed. */
  statusAt: number;
}

/** What the rule below needs to know of one side, read inside the delivering transaction. */
export interface PartyState {
  networkId: number;
  mailboxId: number;
  mailboxStatus: ObjectStatus;
  /** The side's ECGrid ID, or null when the sender has none. */
  ecGridId: { ecGridId: number; qualifier: string; id: string; status: ObjectStatus; mailboxId: number } | null;
}

export type DeliveryOutcome =
  | { status: 'InBoxReady'; statusMessage: null }
  | { status: 'InBoxError' | 'OutBoxError'; statusMessage: string };

/**
 * Whether a routed parcel may go into the recipient's inbox. Terminated is
 * gone for good, like an unknown recipient, so only the sender hears of it;
 * suspended may come back, so the recipient hears of the refusal too.
 */
export function deliveryOutcome(networkId: number, sender: PartyState, recipient: PartyState | null): DeliveryOutcome {
  const outBoxError = (statusMessage: string) => ({ status: 'OutBoxError' as const, statusMessage });
  if (sender.mailboxStatus !== 'Active') {
    return outBoxError(`the sending mailbox ${sender.mailboxId} is ${sender.mailboxStatus}; only an Active mailbox sends`);
  }
  const from = sender.ecGridId;
  if (from !== null && (from.status !== 'Active' || from.mailboxId !== sender.mailboxId)) {
    return outBoxError(
      from.mailboxId !== sender.mailboxId
        ? `the sender ID ${describeId(from)} is not an ECGrid ID of mailbox ${sender.mailboxId}`
        : `the sender ID ${describeId(from)} is ${from.status}; activate it or send from another ID`,
    );
  }
  const to = recipient?.ecGridId ?? null;
  if (recipient === null || to === null || recipient.networkId !== networkId) {
    return outBoxError(`the recipient ECGrid ID is not registered in network ${networkId}`);
  }
  if (to.status === 'Terminated' || recipient.mailboxStatus === 'Terminated') {
    return outBoxError(
      to.status === 'Terminated'
        ? `the recipient ID ${describeId(to)} is Terminated`
        : `the recipient ID ${describeId(to)} belongs to mailbox ${recipient.mailboxId}, which is Terminated`,
    );
  }
  if (to.status === 'Suspended' || recipient.mailboxStatus === 'Suspended') {
    return {
      status: 'InBoxError',
      statusMessage:
        to.status === 'Suspended'
          ? `the recipient ID ${describeId(to)} is Suspended`
          : `the recipient ID ${describeId(to)} belongs to mailbox ${recipient.mailboxId}, which is Suspended`,
    };
  }
  return { status: 'InBoxReady', statusMessage: null };
}

/** `ZZ:ACME (ECGrid ID 12)`, how messages name an ID. */
export function describeId(id: { ecGridId: number; qualifier: string; id: string }): string {
  return `${id.qualifier}:${id.id} (ECGrid ID ${id.ecGridId})`;
}

/** The events a routed parcel causes: each side hears of it with its own mailbox and ECGrid ID. */
export function routedParcelEvents(parcel: Parcel): EventInput[] {
  const sender = side(parcel, 'sender');
  const recipient = side(parcel, 'recipient');
  switch (parcel.status) {
    case 'InBoxReady':
      return [{ ...recipient, eventType: 'InBox' }, { ...sender, eventType: 'OutBox' }];
    case 'InBoxError':
      return [{ ...recipient, eventType: 'InBoxError' }, { ...sender, eventType: 'OutBoxError' }];
    case 'OutBoxError':
      return [{ ...sender, eventType: 'OutBoxError' }];
    default:
      return [];
  }
}

/** The recipient confirmed its download: the sender hears of it. */
export function confirmedParcelEvents(parcel: Parcel): EventInput[] {
  return [{ ...side(parcel, 'sender'), eventType: 'ConfirmDelivery' }];
}

function side(parcel: Parcel, which: 'sender' | 'recipient'): Omit<EventInput, 'eventType'> {
  return {
    networkId: parcel.networkId,
    mailboxId: which === 'sender' ? parcel.senderMailboxId : parcel.recipientMailboxId,
    ecGridId: which === 'sender' ? parcel.senderEcGridId : parcel.recipientEcGridId,
    parcelId: parcel.parcelId,
    fileName: parcel.fileName,
    senderEcGridId: parcel.senderEcGridId,
    recipientEcGridId: parcel.recipientEcGridId,
  };
}

/** A parcel asked to change status from one it is not in (confirmed twice, reset while ready …). */
export function parcelStatusConflict(parcel: Parcel, from: ParcelStatus, to: ParcelStatus): GridhookError {
  return new GridhookError(
    'InvalidState',
    `Parcel ${parcel.parcelId} is ${parcel.status}; only an ${from} parcel can become ${to}.`,
  );
}

/** Content or routing for a parcel that is no longer being received. */
export function parcelNotReceiving(parcelId: number): GridhookError {
  return new GridhookError('InvalidState', `Parcel ${parcelId} is not being received: it was finished or discarded.`);
}
