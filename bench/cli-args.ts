/** The checks the standalone bench scripts make of their flags, each error naming the flag. */
import type { StoreKind } from './databases.js';

export function wholeArg(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number of 1 or more, got "${raw}"`);
  return value;
}

export function storeArg(raw: string): StoreKind {
  if (raw !== 'sqlite' && raw !== 'postgres') throw new Error(`--store must be sqlite or postgres, got "${raw}"`);
  return raw;
}
