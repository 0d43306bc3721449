/**
 * Encryption at rest of what gridhook must be able to read back: a callback's
 * signing secrets, HTTP Basic credentials and custom headers. AES-256-GCM
 * with a random 96-bit nonce per value, so a database dump or backup alone
 * reveals none of them, and a changed ciphertext fails to open rather than
 * decrypting to garbage. The additional data names the callback and the
 * field a value belongs to, so a value copied into another callback's row, or
 * from one field into another, fails to open too.
 *
 * The key is GRIDHOOK_ENCRYPTION_KEY, or one generated on the first start and
 * kept (owner-only) in the data dir beside the root key. Every process that
 * delivers must hold the same key; a sealed value names the key it was sealed
 * with (a short fingerprint, not the key) so a mismatch is reported as such.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = 'v2';
/**
 * Credentials sealed before values were bound to their callback: one fixed
 * additional data for all. Read only to seal them again (reseal-callbacks.ts).
 */
const LEGACY_FORMAT = 'v1';
const LEGACY_ASSOCIATED_DATA = Buffer.from('gridhook/callback-credentials/v1');
export const ENCRYPTION_KEY_FILE = 'encryption-key';

export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
}

/** Which of a callback's values a sealed string holds. */
export type SealedField = 'signing-secret' | 'basic-auth' | 'custom-headers';

/** What a sealed value is bound to: it opens only for the same callback and field. */
export interface SealBinding {
  callbackId: number;
  field: SealedField;
}

function associatedData(binding: SealBinding): Buffer {
  return Buffer.from(`gridhook/callback/${binding.callbackId}/${binding.field}/v2`);
}

export interface SecretBox {
  /** A fingerprint of the key (first 8 hex digits of its SHA-256), safe to log. */
  readonly keyId: string;
  seal(plaintext: string, binding: SealBinding): string;
  /** Throws SecretBoxError when the value was sealed with another key or for another binding, or was changed. */
  open(sealed: string, binding: SealBinding): string;
  /** True for a value this box seals today; false for plain text or an older format, which reseal-callbacks.ts upgrades. */
  isSealed(value: string): boolean;
  /** A value in the unbound v1 format, for sealing again. */
  openLegacy(sealed: string): string;
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== KEY_BYTES) throw new SecretBoxError(`the encryption key must be ${KEY_BYTES} bytes, got ${key.length}`);
  const keyId = createHash('sha256').update(key).digest('hex').slice(0, 8);

  const openWith = (sealed: string, format: string, aad: Buffer): string => {
    const [givenFormat, sealedWith, data, extra] = sealed.split('.');
    if (givenFormat !== format || sealedWith === undefined || data === undefined || extra !== undefined) {
      throw new SecretBoxError('the stored value is not in a format this gridhook can read');
    }
    if (sealedWith !== keyId) {
      throw new SecretBoxError(
        `the stored value was encrypted with key ${sealedWith}, but this process has key ${keyId}; ` +
          'give every gridhook process the same GRIDHOOK_ENCRYPTION_KEY',
      );
    }
    const raw = Buffer.from(data, 'base64url');
    if (raw.length < NONCE_BYTES + TAG_BYTES) throw new SecretBoxError('the stored value is truncated');
    try {
      const decipher = createDecipheriv(ALGORITHM, key, raw.subarray(0, NONCE_BYTES)).setAAD(aad);
      decipher.setAuthTag(raw.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError(
        'the stored value does not authenticate: it was changed, is damaged, or belongs to another callback or field',
      );
    }
  };

  return {
    keyId,
    seal(plaintext, binding) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv(ALGORITHM, key, nonce).setAAD(associatedData(binding));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const sealed = Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64url');
      return `${FORMAT}.${keyId}.${sealed}`;
    },
    open(sealed, binding) {
      return openWith(sealed, FORMAT, associatedData(binding));
    },
    isSealed(value) {
      return value.startsWith(`${FORMAT}.`);
    },
    openLegacy(sealed) {
      return openWith(sealed, LEGACY_FORMAT, LEGACY_ASSOCIATED_DATA);
    },
  };
}

/** 32 bytes as 64 hex digits or as base64 (with or without padding, standard or URL alphabet). */
export function parseEncryptionKey(text: string, name = 'GRIDHOOK_ENCRYPTION_KEY'): Buffer {
  const value = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(value)
    ? Buffer.from(value, 'hex')
    : /^[A-Za-z0-9+/_-]{43}=?$/.test(value)
      ? Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
      : null;
  if (key === null || key.length !== KEY_BYTES) {
    throw new SecretBoxError(
      `${name} must be ${KEY_BYTES} random bytes written as 64 hex digits or as base64; ` +
        'make one with: openssl rand -base64 32',
    );
  }
  return key;
}

export interface LoadedEncryptionKey {
  box: SecretBox;
  /** Where the key came from, for the start-up log. */
  source: 'setting' | 'file' | 'generated';
  keyFile: string;
}

/**
 * The configured key, else the one kept in the data dir, else a new one
 * written there. Processes starting together race to create the file; the
 * losers read the winner's key, so all end up with the same one.
 */
export function loadEncryptionKey(configured: string, dataDir: string): LoadedEncryptionKey {
  const keyFile = path.join(dataDir, ENCRYPTION_KEY_FILE);
  if (configured.trim() !== '') return { box: createSecretBox(parseEncryptionKey(configured)), source: 'setting', keyFile };
  const read = (): LoadedEncryptionKey => ({
    box: createSecretBox(parseEncryptionKey(fs.readFileSync(keyFile, 'utf8'), keyFile)),
    source: 'file',
    keyFile,
  });
  if (fs.existsSync(keyFile)) return read();
  fs.mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(KEY_BYTES);
  // Written whole under a private name, then linked into place: link fails if
  // the file exists, and a reader never sees a half-written key.
  const draft = `${keyFile}.${process.pid}.${randomBytes(4).toString('hex')}`;
  fs.writeFileSync(draft, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(draft, keyFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return read();
    throw error;
  } finally {
    fs.rmSync(draft, { force: true });
  }
  return { box: createSecretBox(key), source: 'generated', keyFile };
}
