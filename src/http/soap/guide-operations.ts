/**
 * The guide's contract (http://www.ecgridos.net/) on gridhook's services: Login, Logout,
 * CallBackAdd and CallBackTest, answered in the guide's words. The rules (scope, limits, URL
 * policy) are the services'; this file only translates.
 */
import { EVENT_TYPES, type Callback } from '../../domain/types.js';
import type { Services } from '../../services/index.js';
import { MAX_URL_LENGTH } from '../../services/callbacks.js';
import type { CallBackInfo } from './guide-wsdl.js';
import type { SoapOperations } from './operations.js';
import { inParamNames } from './param-names.js';
import { readEnum, readInt, readString } from './params.js';
import { login, principalOf, readSessionId } from './session-id.js';

const CALLBACK_ADD_NAMES = {
  networkId: 'NetworkID',
  mailboxId: 'MailboxID',
  ecGridId: 'ECGridID',
  callBackUrl: 'CallBackURL',
  callBackEvent: 'CallBackEvent',
  frequency: 'Frequency',
  retries: 'Retries',
};

function callBackInfo(callback: Callback): CallBackInfo {
  return {
    CallBackQueueID: callback.callbackId,
    CallBackURL: callback.url,
    CallBackEvent: callback.eventType,
    Status: callback.status,
    NetworkID: callback.networkId,
    MailboxID: callback.mailboxId,
    ECGridID: callback.ecGridId,
    Frequency: callback.frequency,
    Retries: callback.retries,
  };
}

export function guideOperations(services: Services): NonNullable<SoapOperations['guide']> {
  return {
    Login: (params) => login(services, params),

    // As ECGridOS documents it: false, not a fault, for a session already ended or expired.
    Logout: async (params) => (await services.sessions.logout(readSessionId(params))) !== null,

    CallBackAdd: async (params) => {
      const principal = await principalOf(services, params);
      // Absent numbers take the REST API's defaults: generated clients always send them, and
      // hand-written envelopes need not.
      const input = {
        networkId: readInt(params, 'NetworkID', { optional: true }),
        mailboxId: readInt(params, 'MailboxID', { optional: true }),
        ecGridId: readInt(params, 'ECGridID', { optional: true }),
        url: readString(params, 'CallBackURL', { maxLength: MAX_URL_LENGTH }),
        eventType: readEnum(params, 'CallBackEvent', EVENT_TYPES),
        frequency: readInt(params, 'Frequency', { optional: true }),
        retries: readInt(params, 'Retries', { optional: true }),
      };
      const { callback, secret } = await inParamNames(CALLBACK_ADD_NAMES, () =>
        services.callbacks.create(principal, input),
      );
      return { ...callBackInfo(callback), Secret: secret };
    },

    CallBackTest: async (params) => {
      const principal = await principalOf(services, params);
      const callbackId = readInt(params, 'CallBackQueueID', { min: 1 });
      const outcome = await inParamNames({ callBackQueueId: 'CallBackQueueID' }, () =>
        services.callbacks.test(principal, callbackId),
      );
      return {
        EventID: outcome.eventId,
        Delivered: outcome.delivered,
        HTTPStatus: outcome.httpStatus ?? 0,
        ...(outcome.error !== null && { Error: outcome.error }),
        DurationMS: outcome.durationMs,
      };
    },
  };
}
