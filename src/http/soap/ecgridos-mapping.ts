/**
 * gridhook's callbacks, events and attempts in the words of the ECGridOS v4.1 WSDL, and back.
 * docs/soap.md has the same mapping as a table.
 *
 * - A gridhook callback is a WSDL CallBackEvent (CallBackEventIDInfo, id CallBackEventID), and a
 *   gridhook event a WSDL CallBackQueue entry (CallBackQueueIDInfo, id CallBackQueueID); attempts
 *   are its CallBackLog.
 * - The WSDL has no field for the guide's event names. ECGridOS describes what a callback fires
 *   on as SystemObject + ObjectStatus + Direction, so the five events are SystemObject Parcel
 *   with the ObjectStatus codes and Directions of EVENT_CODES; answers also spell the event in
 *   StatusCode. gridhook's own CallBackSuspended is SystemObject System, ObjectStatus 6.
 */
import {
  EVENT_TYPES,
  type Attempt,
  type Callback,
  type CallbackStatus,
  type EventRecord,
  type EventStatus,
  type EventType,
} from '../../domain/types.js';
import { invalidParameter } from '../../errors.js';
import type {
  CallBackEventIDInfo,
  CallBackLogInfo,
  CallBackQueueIDInfo,
  Direction,
  Objects,
  Status,
  StatusCallBack,
} from './ecgridos-types.js';
import { SHORT_MAX } from './params.js';
import { NO_DATE_TIME } from './response.js';

/** How each event is told apart in SystemObject Parcel: its ObjectStatus code and its Direction. */
export const EVENT_CODES: Readonly<Record<EventType, { objectStatus: number; direction: Direction }>> = {
  InBox: { objectStatus: 1, direction: 'InBox' },
  OutBox: { objectStatus: 2, direction: 'OutBox' },
  InBoxError: { objectStatus: 3, direction: 'InBox' },
  OutBoxError: { objectStatus: 4, direction: 'OutBox' },
  ConfirmDelivery: { objectStatus: 5, direction: 'OutBox' },
  CallBackSuspended: { objectStatus: 6, direction: 'NoDir' },
};

const SUSPENDED_CODE = EVENT_CODES.CallBackSuspended.objectStatus;

const CODE_LIST = EVENT_TYPES.map((t) => `${EVENT_CODES[t].objectStatus} ${t}`).join(', ');

/**
 * The event a CallBackAddEx asks for. ObjectStatus 0 (what a generated client sends when left
 * unset) means the plain event of the Direction: InBox or OutBox.
 */
export function eventTypeOf(systemObject: Objects, objectStatus: number, direction: Direction): EventType {
  if (systemObject === 'System' && objectStatus === SUSPENDED_CODE) return 'CallBackSuspended';
  if (systemObject !== 'Parcel') {
    throw invalidParameter(
      'SystemObject',
      `gridhook callbacks fire on parcel events (send Parcel) or, with System and ObjectStatus ${SUSPENDED_CODE}, ` +
        `on CallBackSuspended; not ${systemObject}.`,
    );
  }
  if (objectStatus === 0) {
    if (direction === 'NoDir') {
      throw invalidParameter(
        'Direction',
        `with ObjectStatus 0 the Direction (InBox or OutBox) names the event; or name it in ObjectStatus: ${CODE_LIST}.`,
      );
    }
    return direction;
  }
  const eventType = EVENT_TYPES.find((t) => EVENT_CODES[t].objectStatus === objectStatus);
  if (eventType === undefined) {
    throw invalidParameter('ObjectStatus', `must be one of ${CODE_LIST} (or 0 with a Direction), got ${objectStatus}.`);
  }
  const expected = EVENT_CODES[eventType].direction;
  if (direction !== 'NoDir' && direction !== expected) {
    throw invalidParameter('Direction', `${eventType} (ObjectStatus ${objectStatus}) is an ${expected} event; send Direction ${expected} or NoDir.`);
  }
  return eventType;
}

const QUEUE_STATUS: Readonly<Record<EventStatus, StatusCallBack>> = {
  Pending: 'Pending',
  Delivered: 'Completed',
  Failed: 'Error',
  Canceled: 'Canceled',
};

/** What a WSDL Status asks of a callback: a status, or (Terminated) its deletion. */
export function callbackStatusOf(status: Status, parameter = 'Status'): CallbackStatus | 'Terminated' {
  if (status === 'Active' || status === 'Suspended' || status === 'Terminated') return status;
  throw invalidParameter(
    parameter,
    `gridhook callbacks are Active or Suspended (Terminated deletes one); ${status} is not used.`,
  );
}

/** The WSDL's short fields cannot hold every value gridhook allows (frequency up to 86,400 s). */
function short(value: number): number {
  return Math.min(value, SHORT_MAX);
}

export function callBackEventIDInfo(callback: Callback, queue?: CallBackQueueIDInfo[]): CallBackEventIDInfo {
  const code = EVENT_CODES[callback.eventType];
  return {
    CallBackEventID: callback.callbackId,
    NetworkID: callback.networkId,
    MailboxID: callback.mailboxId,
    UserID: 0,
    Created: callback.createdAt,
    Modified: callback.updatedAt,
    SystemObject: callback.eventType === 'CallBackSuspended' ? 'System' : 'Parcel',
    ObjectStatus: code.objectStatus,
    StatusCode: callback.eventType,
    Direction: code.direction,
    Frequency: short(callback.frequency),
    MaxCalls: short(callback.retries + 1),
    Status: callback.status,
    URL: callback.url,
    // Whether credentials are sent, never what they are.
    HTTPAuthentication: { Type: callback.hasBasicAuth ? 'Basic' : 'None' },
    ...(queue !== undefined && { CallBackQueue: queue }),
  };
}

export function callBackLogInfo(attempt: Attempt, index: number): CallBackLogInfo {
  return {
    CallBackLogID: attempt.attemptId,
    Date: attempt.startedAt,
    CallNumber: short(index + 1),
    ReturnCode: attempt.httpStatus ?? 0,
    Message:
      attempt.error === null ? `Delivered in ${attempt.durationMs} ms` : `${attempt.error} (${attempt.durationMs} ms)`,
  };
}

export interface QueueEntryExtras {
  /** The event's callback, when the caller may see it. */
  callback?: CallBackEventIDInfo | undefined;
  /** Oldest first. */
  attempts?: Attempt[];
}

export function callBackQueueIDInfo(event: EventRecord, extras: QueueEntryExtras = {}): CallBackQueueIDInfo {
  return {
    CallBackQueueID: event.eventId,
    Date: event.createdAt,
    ...(extras.callback !== undefined && { CallBackEvent: extras.callback }),
    CallsRemaining: short(event.callsRemaining),
    NextCall: event.nextAttemptAt ?? NO_DATE_TIME,
    Status: QUEUE_STATUS[event.status],
    ObjectID: event.parcelId,
    UserID: 0,
    Test: event.isTest,
    ...(extras.attempts !== undefined && { CallBackLog: extras.attempts.map(callBackLogInfo) }),
  };
}
