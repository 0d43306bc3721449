/**
 * Checks on what callers send, shared by every door. REST validates the same
 * rules with its schemas first; SOAP and other callers rely on these. Messages
 * name the field as the REST API spells it and say what would be accepted.
 */
import { invalidParameter } from '../errors.js';
import type { PageRequest } from '../domain/types.js';

/** IDs are ECGridOS `int`s. */
export const MAX_ID = 2_147_483_647;

export const PAGE_DEFAULTS: PageRequest = { pageNo: 1, recordsPerPage: 25 };
export const MAX_RECORDS_PER_PAGE = 500;

export function integerIn(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidParameter(field, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

export function optionalIntegerIn(field: string, value: unknown, min: number, max: number, fallback: number): number {
  return value === undefined || value === null ? fallback : integerIn(field, value, min, max);
}

/** An ID that may be 0 ("all", or "the caller's own" for networks). */
export function scopeId(field: string, value: unknown): number {
  return optionalIntegerIn(field, value, 0, MAX_ID, 0);
}

/** An ID that names one object. */
export function objectId(field: string, value: unknown): number {
  return integerIn(field, value, 1, MAX_ID);
}

export function oneOf<T extends string>(field: string, value: unknown, values: readonly T[]): T {
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    throw invalidParameter(field, `must be one of ${values.join(', ')}`);
  }
  return value as T;
}

export function optionalOneOf<T extends string>(field: string, value: unknown, values: readonly T[]): T | undefined {
  return value === undefined || value === null ? undefined : oneOf(field, value, values);
}

export function text(field: string, value: unknown, minLength: number, maxLength: number): string {
  if (typeof value !== 'string' || value.length < minLength || value.length > maxLength) {
    throw invalidParameter(
      field,
      minLength > 0
        ? `must be a string of ${minLength} to ${maxLength} characters`
        : `must be a string of at most ${maxLength} characters`,
    );
  }
  return value;
}

export function page(input: { pageNo?: number | undefined; recordsPerPage?: number | undefined } = {}): PageRequest {
  return {
    pageNo: optionalIntegerIn('pageNo', input.pageNo, 1, MAX_ID, PAGE_DEFAULTS.pageNo),
    recordsPerPage: optionalIntegerIn(
      'recordsPerPage',
      input.recordsPerPage,
      1,
      MAX_RECORDS_PER_PAGE,
      PAGE_DEFAULTS.recordsPerPage,
    ),
  };
}
