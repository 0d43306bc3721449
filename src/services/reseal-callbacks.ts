/**
 * Brings every callback's stored values to the sealed format of today
 * (secrets-crypto.ts): signing secrets kept in plain text by older versions
 * are sealed, and credentials sealed before values were bound to their
 * callback are sealed again with that binding. Runs at every start; once a
 * database is done, it reads the callbacks' sealed columns and writes nothing.
 *
 * Several processes may start together on one database: each row is replaced
 * only if it still holds what was read, so a concurrent rotation or another
 * process's reseal is never overwritten.
 */
import type { Logger } from '../logger.js';
import type { Store, StoredCallbackValues } from '../store/store.js';
import { SecretBoxError, type SealedField, type SecretBox } from './secrets-crypto.js';

const BATCH = 500;
/** What older versions stored in plain text: the signing secrets. */
const PLAIN_SECRET = /^whsec_/;

export interface ResealReport {
  resealed: number;
  /** Callbacks left as they were because a value could not be read (another key, or damaged). */
  unreadable: number[];
}

export async function resealCallbacks(store: Store, box: SecretBox, logger: Logger): Promise<ResealReport> {
  const report: ResealReport = { resealed: 0, unreadable: [] };
  let afterId = 0;
  for (;;) {
    const rows = await store.listCallbackSealedValues(afterId, BATCH);
    if (rows.length === 0) break;
    for (const row of rows) {
      afterId = row.callbackId;
      if (isCurrent(row, box)) continue;
      let next: StoredCallbackValues;
      try {
        next = resealed(row, box);
      } catch (error) {
        if (!(error instanceof SecretBoxError)) throw error;
        report.unreadable.push(row.callbackId);
        logger.error(
          { callbackId: row.callbackId, err: error },
          'a callback value cannot be sealed again, so its deliveries will fail until it is rotated or re-entered',
        );
        continue;
      }
      if (await store.replaceCallbackSealedValues(row, next)) report.resealed += 1;
    }
  }
  if (report.resealed > 0) {
    logger.info({ resealed: report.resealed }, 'sealed the signing secrets and credentials of callbacks stored by an older version');
  }
  return report;
}

function isCurrent(row: StoredCallbackValues, box: SecretBox): boolean {
  return [row.secret, row.previousSecret, row.basicAuth, row.customHeaders].every((value) => value === null || box.isSealed(value));
}

function resealed(row: StoredCallbackValues, box: SecretBox): StoredCallbackValues {
  const { callbackId } = row;
  const again = (value: string | null, field: SealedField): string | null => {
    if (value === null || box.isSealed(value)) return value;
    const plain = field === 'signing-secret' && PLAIN_SECRET.test(value) ? value : box.openLegacy(value);
    return box.seal(plain, { callbackId, field });
  };
  return {
    callbackId,
    secret: again(row.secret, 'signing-secret') as string,
    previousSecret: again(row.previousSecret, 'signing-secret'),
    basicAuth: again(row.basicAuth, 'basic-auth'),
    customHeaders: again(row.customHeaders, 'custom-headers'),
  };
}
