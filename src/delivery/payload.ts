import type { EventType } from '../domain/types.js';
import { formatDateTime } from '../domain/time-format.js';
import type { DeliveryJob } from '../store/store.js';

/**
 * The JSON body a receiver gets. The first nine fields are the guide's, in the
 * guide's order and with its names (receivers written against ECGrid parse
 * them); fields added later go after them and none is ever renamed.
 */
export interface DeliveryPayload {
  eventId: number;
  callBackQueueId: number;
  callBackEvent: EventType;
  ecGridId: number;
  mailboxId: number;
  parcelId: number;
  fileName: string;
  eventDateTime: string;
  isTest: boolean;
  networkId: number;
  /** Only in a CallBackSuspended event (a gridhook extension): the callback gridhook suspended. */
  suspendedCallBackQueueId?: number;
}

/** What the payload is made of: a claimed job, or an event as stored (the console shows what was sent). */
export type PayloadSource = Pick<
  DeliveryJob,
  'eventId' | 'callbackId' | 'eventType' | 'ecGridId' | 'mailboxId' | 'parcelId' | 'fileName' | 'createdAt' | 'isTest' | 'networkId'
> &
  Partial<Pick<DeliveryJob, 'subjectCallbackId'>>;

export function buildPayload(job: PayloadSource): DeliveryPayload {
  // Property order here is the key order of the JSON text.
  return {
    eventId: job.eventId,
    callBackQueueId: job.callbackId,
    callBackEvent: job.eventType,
    ecGridId: job.ecGridId,
    mailboxId: job.mailboxId,
    parcelId: job.parcelId,
    fileName: job.fileName,
    eventDateTime: formatDateTime(job.createdAt),
    isTest: job.isTest,
    networkId: job.networkId,
    ...(job.subjectCallbackId != null && { suspendedCallBackQueueId: job.subjectCallbackId }),
  };
}

/** The exact bytes that are signed and posted. */
export function serializePayload(job: PayloadSource): string {
  return JSON.stringify(buildPayload(job));
}
