/**
 * Login and the SessionID parameter, alike in both contracts: every operation but Login, Version
 * and NowUTC names its caller with a session ID from Login, or an API key.
 */
import { GridhookError } from '../../errors.js';
import type { Principal } from '../../domain/types.js';
import type { Services } from '../../services/index.js';
import type { SoapStruct } from './envelope.js';
import { readString } from './params.js';

/** Far longer than any session ID or key; the services refuse what is not one. */
const MAX_SESSION_ID_LENGTH = 4_096;
/** Login names and passwords are checked by the services; this only bounds what is read. */
const MAX_CREDENTIAL_LENGTH = 1_024;

/** Opens a session for LoginName and Password; answers its ID. */
export async function login(services: Services, params: SoapStruct): Promise<string> {
  const loginName = readString(params, 'LoginName', { maxLength: MAX_CREDENTIAL_LENGTH });
  const password = readString(params, 'Password', { maxLength: MAX_CREDENTIAL_LENGTH });
  return (await services.sessions.login(loginName, password)).sessionId;
}

export function readSessionId(params: SoapStruct): string {
  return readString(params, 'SessionID', { maxLength: MAX_SESSION_ID_LENGTH, default: '' });
}

/** Who is calling; InvalidAPIKey (ErrorItem SessionID) when the SessionID is neither a live session nor a key. */
export async function principalOf(services: Services, params: SoapStruct): Promise<Principal> {
  try {
    return await services.sessions.authenticate(readSessionId(params));
  } catch (error) {
    if (error instanceof GridhookError && error.code === 'InvalidAPIKey') {
      throw new GridhookError('InvalidAPIKey', error.message, { field: 'SessionID' });
    }
    throw error;
  }
}
