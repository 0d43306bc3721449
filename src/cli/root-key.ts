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
}

/**
 * Makes sure the Root user exists and holds the configured root key:
 * GRIDHOOK_ADMIN_KEY when set; otherwise the key generated on the first start,
 * kept (readable by the owner only) in the data dir so restarts keep it.
 */
export async function ensureRootKey(store: Store, adminKey: string, dataDir: string): Promise<RootKeyResult> {
  const keyFile = path.join(dataDir, KEY_FILE);
  let key = adminKey;
  let generated: string | null = null;
  if (!key) {
    if (fs.existsSync(keyFile)) {
      key = fs.readFileSync(keyFile, 'utf8').trim();
    } else {
      key = generateApiKey().key;
      fs.mkdirSync(dataDir, { recursive: true });
      fs.writeFileSync(keyFile, `${key}\n`, { mode: 0o600, flag: 'wx' });
      generated = key;
    }
  } else if (key.length < 16) {
    throw new Error('GRIDHOOK_ADMIN_KEY must be at least 16 characters long');
  }
  await store.ensureRootUser(ROOT_LOGIN, hashApiKey(key), key.slice(0, 8));
  return { generated, keyFile };
}
