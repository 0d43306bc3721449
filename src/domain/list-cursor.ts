/**
 * The opaque `cursor` of newest-first event lists: where the previous page
 * ended. Paging by cursor costs the same on the first page and the
 * millionth, where `pageNo` makes the database skip every row before it.
 */
import { invalidParameter } from '../errors.js';
import type { ListPosition } from './types.js';

const PREFIX = 'c1.';

export function encodeCursor(position: ListPosition): string {
  return Buffer.from(`${PREFIX}${position.createdAt}.${position.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(field: string, cursor: string): ListPosition {
  const refuse = () =>
    invalidParameter(field, "is not a cursor this API gave; send the previous answer's nextCursor, or leave it out to start from the newest");
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) throw refuse();
  const match = /^c1\.(\d{1,16})\.(\d{1,16})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw refuse();
  const createdAt = Number(match[1]);
  const id = Number(match[2]);
  if (!Number.isSafeInteger(createdAt) || !Number.isSafeInteger(id) || id < 1) throw refuse();
  return { createdAt, id };
}
