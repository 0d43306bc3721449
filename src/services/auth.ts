import { GridhookError } from '../errors.js';
import type { Principal } from '../domain/types.js';
import type { Store } from '../store/store.js';
import { hashApiKey } from './api-keys.js';
import { verifyPassword } from './passwords.js';

/** Bounds the work an absurd header or login can cause before it is refused. */
const MAX_KEY_LENGTH = 512;
const MAX_LOGIN_LENGTH = 256;

export class AuthService {
  constructor(private readonly store: Store) {}

  /** The principal behind an API key; InvalidAPIKey for a missing, unknown or revoked key. */
  async authenticate(apiKey: string | undefined): Promise<Principal> {
    const key = apiKey?.trim();
    if (!key) throw new GridhookError('InvalidAPIKey', 'An API key is required.');
    const principal = key.length <= MAX_KEY_LENGTH ? await this.store.findPrincipalByKeyHash(hashApiKey(key)) : null;
    if (!principal) {
      throw new GridhookError('InvalidAPIKey', 'The API key is not valid: it is unknown, revoked, or its user is not active.');
    }
    return principal;
  }

  /**
   * The principal of a login name and password (SOAP Login). Both failures
   * answer alike so that login names cannot be probed.
   */
  async login(loginName: string, password: string): Promise<Principal> {
    const refused = new GridhookError('InvalidAPIKey', 'The login name or password is wrong, or the user is not active.');
    if (!loginName || loginName.length > MAX_LOGIN_LENGTH || password.length > MAX_LOGIN_LENGTH) throw refused;
    const found = await this.store.getUserByLogin(loginName);
    if (!found) {
      // Same cost as a real check, so timing does not tell which logins exist.
      await verifyPassword(password, DUMMY_HASH);
      throw refused;
    }
    const ok = await verifyPassword(password, found.passwordHash);
    if (!ok || found.user.status !== 'Active') throw refused;
    const { user } = found;
    return {
      userId: user.userId,
      loginName: user.loginName,
      role: user.role,
      networkId: user.networkId,
      mailboxId: user.mailboxId,
      apiKeyId: 0,
    };
  }
}

const DUMMY_HASH = ['scrypt', 16_384, 8, 1, 'A'.repeat(22), 'A'.repeat(43)].join('$');
