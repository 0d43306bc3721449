/**
 * The ECGridOS v4.1 callback operations (https://os.ecgrid.io/) on gridhook's services. Scope,
 * limits and validation are the services'; this file reads the WSDL's parameters and answers
 * in its types (ecgridos-mapping.ts).
 */
import type { Clock } from '../../domain/clock.js';
import type { EventRecord, EventStatus, Principal } from '../../domain/types.js';
import { GridhookError, invalidParameter } from '../../errors.js';
import type { Services } from '../../services/index.js';
import { MAX_URL_LENGTH } from '../../services/callbacks.js';
import { MAX_RECORDS_PER_PAGE } from '../../services/validate.js';
import {
  callBackEventIDInfo,
  callbackStatusOf,
  callBackQueueIDInfo,
  eventTypeOf,
} from './ecgridos-mapping.js';
import {
  Direction,
  HTTPAuthType,
  Objects,
  Status,
  type CallBackEventIDInfo,
  type CallBackQueueIDInfo,
  type SessionInfo,
} from './ecgridos-types.js';
import type { SoapStruct } from './envelope.js';
import type { SoapOperations } from './operations.js';
import { inParamNames } from './param-names.js';
import { INT_MAX, LONG_MAX, readBoolean, readEnum, readInt, readString, SHORT_MAX } from './params.js';
import { NO_DATE_TIME } from './response.js';
import { login, principalOf, readSessionId } from './session-id.js';

export const ECGRIDOS_VERSION = '4.1';

/**
 * The most entries a list operation answers, newest first. The WSDL's lists have no paging; the
 * REST API's (queue-list, list) page through everything.
 */
export const MAX_LIST_ENTRIES = 1_000;

const DAY_MS = 24 * 60 * 60 * 1000;
/** The services allow less; this only bounds what is read. */
const MAX_HTTP_CREDENTIAL_LENGTH = 1_024;

const SCOPE_NAMES = { networkId: 'NetworkID', mailboxId: 'MailboxID' };

/**
 * CallBackAddEx's HTTPAuthentication, HTTPUser and HTTPPassword as the services' Basic
 * credentials (undefined for None). The services check and encrypt them; no answer or fault
 * ever carries the password.
 */
function readBasicAuth(params: SoapStruct): { user: string; password: string } | undefined {
  const type = readEnum(params, 'HTTPAuthentication', HTTPAuthType, { default: 'None' });
  const user = readString(params, 'HTTPUser', { maxLength: MAX_HTTP_CREDENTIAL_LENGTH, optional: true });
  const password = readString(params, 'HTTPPassword', { maxLength: MAX_HTTP_CREDENTIAL_LENGTH, optional: true });
  if (type === 'Digest' || type === 'Certificate') {
    throw invalidParameter(
      'HTTPAuthentication',
      `gridhook sends HTTP Basic credentials only, not ${type}: send Basic with HTTPUser and HTTPPassword, or None. ` +
        'Every attempt is also signed (webhook-signature header) for the receiver to verify.',
    );
  }
  if (type === 'Basic') return { user: user ?? '', password: password ?? '' };
  if (user !== undefined || password !== undefined) {
    throw invalidParameter(
      user !== undefined ? 'HTTPUser' : 'HTTPPassword',
      'is used only with HTTPAuthentication Basic; send Basic, or leave HTTPUser and HTTPPassword out.',
    );
  }
  return undefined;
}

export interface EcgridosOperationDeps {
  services: Services;
  clock: Clock;
}

export function ecgridosOperations({ services, clock }: EcgridosOperationDeps): NonNullable<SoapOperations['ecgridos']> {
  /** Pages through a service list until MAX_LIST_ENTRIES, or until `stop` says the rest are not wanted. */
  async function collect<T>(
    list: (pageNo: number, recordsPerPage: number) => Promise<{ items: T[] }>,
    stop: (item: T) => boolean = () => false,
  ): Promise<T[]> {
    const out: T[] = [];
    for (let pageNo = 1; out.length < MAX_LIST_ENTRIES; pageNo++) {
      const { items } = await list(pageNo, MAX_RECORDS_PER_PAGE);
      for (const item of items) {
        if (stop(item) || out.length === MAX_LIST_ENTRIES) return out;
        out.push(item);
      }
      if (items.length < MAX_RECORDS_PER_PAGE) break;
    }
    return out;
  }

  /**
   * Queue entries with their callbacks. A callback the caller may not see (a network-wide one,
   * for a mailbox user) or one deleted since is left out, as the WSDL allows.
   */
  async function queueEntries(principal: Principal, events: EventRecord[]): Promise<CallBackQueueIDInfo[]> {
    const callbacks = new Map<number, Promise<CallBackEventIDInfo | undefined>>();
    const callbackOf = (callbackId: number) => {
      let found = callbacks.get(callbackId);
      if (found === undefined) {
        found = visibleCallback(principal, callbackId);
        callbacks.set(callbackId, found);
      }
      return found;
    };
    return Promise.all(events.map(async (e) => callBackQueueIDInfo(e, { callback: await callbackOf(e.callbackId) })));
  }

  async function visibleCallback(principal: Principal, callbackId: number): Promise<CallBackEventIDInfo | undefined> {
    try {
      return callBackEventIDInfo(await services.callbacks.get(principal, callbackId));
    } catch (error) {
      if (error instanceof GridhookError && error.code === 'ObjectNotFound') return undefined;
      throw error;
    }
  }

  /** One event with its callback and attempt log, as CallBackQueueInfo and CallBackTest answer it. */
  async function queueEntry(principal: Principal, eventId: number): Promise<CallBackQueueIDInfo> {
    const { event, attempts } = await inParamNames({ eventId: 'CallBackQueueID' }, () =>
      services.events.get(principal, eventId),
    );
    return callBackQueueIDInfo(event, { callback: await visibleCallback(principal, event.callbackId), attempts });
  }

  /**
   * Events of one status in scope, newest first. MaxDays (when given and not 0) keeps those
   * created in the last MaxDays days.
   */
  async function eventList(params: SoapStruct, status: EventStatus, scoped: boolean, withMaxDays: boolean) {
    const principal = await principalOf(services, params);
    const scope = scoped
      ? { networkId: readInt(params, 'NetworkID', { default: 0 }), mailboxId: readInt(params, 'MailboxID', { default: 0 }) }
      : {};
    const maxDays = withMaxDays ? readInt(params, 'MaxDays', { min: 0, max: SHORT_MAX, default: 0 }) : 0;
    const since = maxDays === 0 ? -Infinity : clock.now() - maxDays * DAY_MS;
    const events = await inParamNames(SCOPE_NAMES, () =>
      collect(
        (pageNo, recordsPerPage) => services.events.list(principal, { ...scope, status, pageNo, recordsPerPage }),
        (event) => event.createdAt < since,
      ),
    );
    return queueEntries(principal, events);
  }

  return {
    NowUTC: async () => clock.now(),

    Version: async () => `ECGridOS ${ECGRIDOS_VERSION} (gridhook)`,

    Login: (params) => login(services, params),

    // ECGridOS answers the session's length in milliseconds; 0 when no session was ended.
    Logout: async (params) => {
      const ended = await services.sessions.logout(readSessionId(params));
      return ended === null ? 0 : Math.min(ended.durationMs, INT_MAX);
    },

    WhoAmI: async (params) => {
      const principal = await principalOf(services, params);
      const session = principal.apiKeyId === 0;
      const info: SessionInfo = {
        ECGridOSVersion: ECGRIDOS_VERSION,
        // The caller's own session ID, as ECGridOS echoes it; an API key is never echoed.
        ...(session && { SessionID: readSessionId(params).trim() }),
        SessionEventID: 0,
        UserID: principal.userId,
        LoginName: principal.loginName,
        TimeZoneOffset: 0,
        AuthLevel: principal.role,
        LastLogin: NO_DATE_TIME,
        OpenSessions: session ? 1 : 0,
        TimeOut: Math.min(Math.round(services.sessions.idleMs / 60_000), SHORT_MAX),
        NetworkID: principal.networkId,
        MailboxID: principal.mailboxId,
      };
      return info;
    },

    CallBackAddEx: async (params) => {
      const principal = await principalOf(services, params);
      // Callbacks belong to a scope, not to a user; read so that a malformed value is reported.
      readInt(params, 'UserID', { default: 0 });
      const eventType = eventTypeOf(
        readEnum(params, 'SystemObject', Objects),
        readInt(params, 'ObjectStatus', { min: -32_768, max: SHORT_MAX, default: 0 }),
        readEnum(params, 'Direction', Direction, { default: 'NoDir' }),
      );
      const basicAuth = readBasicAuth(params);
      const status = callbackStatusOf(readEnum(params, 'Status', Status, { default: 'Active' }));
      if (status === 'Terminated') throw invalidParameter('Status', 'a new callback is Active or Suspended.');
      const input = {
        networkId: readInt(params, 'NetworkID', { default: 0 }),
        mailboxId: readInt(params, 'MailboxID', { default: 0 }),
        url: readString(params, 'URL', { maxLength: MAX_URL_LENGTH }),
        eventType,
        frequency: readInt(params, 'Frequency', { optional: true }),
        retries: readInt(params, 'MaxRetries', { optional: true }),
        status,
        ...(basicAuth !== undefined && { basicAuth }),
      };
      const { callback } = await inParamNames(
        {
          ...SCOPE_NAMES,
          callBackUrl: 'URL',
          frequency: 'Frequency',
          retries: 'MaxRetries',
          status: 'Status',
          basicAuth: 'HTTPAuthentication',
          'basicAuth.user': 'HTTPUser',
          'basicAuth.password': 'HTTPPassword',
        },
        () => services.callbacks.create(principal, input),
      );
      return callBackEventIDInfo(callback);
    },

    CallBackEventInfo: async (params) => {
      const principal = await principalOf(services, params);
      const callbackId = readInt(params, 'CallBackEventID', { min: 1 });
      const queueCount = readInt(params, 'QueueCount', { min: 0, max: MAX_RECORDS_PER_PAGE, default: 0 });
      return inParamNames({ callBackQueueId: 'CallBackEventID' }, async () => {
        const callback = await services.callbacks.get(principal, callbackId);
        if (queueCount === 0) return callBackEventIDInfo(callback);
        const { items } = await services.events.list(principal, { callbackId, pageNo: 1, recordsPerPage: queueCount });
        return callBackEventIDInfo(
          callback,
          items.map((e) => callBackQueueIDInfo(e)),
        );
      });
    },

    CallBackEventListEx: async (params) => {
      const principal = await principalOf(services, params);
      const networkId = readInt(params, 'NetworkID', { default: 0 });
      const mailboxId = readInt(params, 'MailboxID', { default: 0 });
      const showInactive = readBoolean(params, 'ShowInactive', { default: false });
      const callbacks = await inParamNames(SCOPE_NAMES, () =>
        collect((pageNo, recordsPerPage) =>
          services.callbacks.list(principal, {
            networkId,
            mailboxId,
            ...(!showInactive && { status: 'Active' }),
            pageNo,
            recordsPerPage,
          }),
        ),
      );
      return callbacks.map((c) => callBackEventIDInfo(c));
    },

    CallBackEventSetStatus: async (params) => {
      const principal = await principalOf(services, params);
      const callbackId = readInt(params, 'CallBackEventID', { min: 1 });
      const status = callbackStatusOf(readEnum(params, 'Status', Status));
      await inParamNames({ callBackQueueId: 'CallBackEventID' }, async () => {
        if (status === 'Terminated') await services.callbacks.delete(principal, callbackId);
        else await services.callbacks.update(principal, { callbackId, status });
      });
      return true;
    },

    CallBackQueueInfo: async (params) => {
      const principal = await principalOf(services, params);
      return queueEntry(principal, readInt(params, 'CallBackQueueID', { min: 1, max: LONG_MAX }));
    },

    CallBackTest: async (params) => {
      const principal = await principalOf(services, params);
      const callbackId = readInt(params, 'CallBackEventID', { min: 1 });
      // A test event is about no parcel or interchange and is made by nobody in particular;
      // these are read only so that a malformed value is still reported.
      readInt(params, 'ParcelID', { min: 0, max: LONG_MAX, default: 0 });
      readInt(params, 'InterchangeID', { default: 0 });
      readInt(params, 'UserID', { default: 0 });
      const outcome = await inParamNames({ callBackQueueId: 'CallBackEventID' }, () =>
        services.callbacks.test(principal, callbackId),
      );
      return queueEntry(principal, outcome.eventId);
    },

    CallBackPendingList: (params) => eventList(params, 'Pending', false, false),
    CallBackPendingListEx: (params) => eventList(params, 'Pending', true, false),
    CallBackFailedList: (params) => eventList(params, 'Failed', false, true),
    CallBackFailedListEx: (params) => eventList(params, 'Failed', true, true),
  };
}
