import fs from 'node:fs';
import path from 'node:path';
import { generateApiKey, hashApiKey } from '../services/api-keys.js';
import type { Store } from '../store/store.js';

export const ROOT_LOGIN = 'root';
const KEY_FILE = 'root-api-key';

export interface RootKeyResult {
  /** The key, when this start generated it (to be printed once). */
  generated: string | null;
  /** Where a generated key is kept, for the operator's note. */
  keyFile: string;
  /** Root's key was made by another process on this database; this one has none to show. */
  heldElsewhere: boolean;
}

/**
 * Makes sure the Root user exists and holds the configured root key:
 * GRIDHOOK_ADMIN_KEY when set; otherwise the key generated on the first start,
 * kept (readable by the owner only) in the data dir so restarts keep it.
 */
export async function ensureRootKey(store: Store, adminKey: string, dataDir: string): Promise<RootKeyResult> {
  const keyFile = path.join(dataDir, KEY_FILE);
  let key = adminKey;
  if (!key) {
    if (!fs.existsSync(keyFile)) return generateRootKey(store, keyFile);
    key = fs.readFileSync(keyFile, 'utf8').trim();
  } else if (key.length < 16) {
    throw new Error('GRIDHOOK_ADMIN_KEY must be at least 16 characters long');
  }
  await store.ensureRootUser(ROOT_LOGIN, hashApiKey(key), key.slice(0, 8));
  return { generated: null, keyFile, heldElsewhere: false };
}

/**
 * A first start without a key: the generated one becomes Root's only if Root
 * has none yet. Another process on the same database (another machine's
 * `gridhook api`) may have made one first; revoking it would lock that
 * process's operator out, so its key is kept and this process keeps no file.
 */
async function generateRootKey(store: Store, keyFile: string): Promise<RootKeyResult> {
  const key = generateApiKey();
  await store.ensureRootUser(ROOT_LOGIN, key.hash, key.prefix, { keepActiveKey: true });
  if ((await store.findPrincipalByKeyHash(key.hash)) === null) return { generated: null, keyFile, heldElsewhere: true };
  fs.mkdirSync(path.dirname(keyFile), { recursive: true });
  fs.writeFileSync(keyFile, `${key.key}\n`, { mode: 0o600, flag: 'wx' });
  return { generated: key.key, keyFile, heldElsewhere: false };
}
