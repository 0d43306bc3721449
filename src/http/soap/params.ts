/**
 * Typed readers for operation parameters. Each refuses a bad value with InvalidParameter (a
 * soap:Client fault) whose ErrorItem is the parameter's WSDL name, and says what it accepts.
 *
 * Lexical forms follow XML Schema: surrounding whitespace is ignored for numbers, booleans, enums
 * and dates; strings are taken as sent. An empty or nil element counts as not sent, which is what
 * generated clients send for a null string.
 */
import { invalidParameter, type GridhookError } from '../../errors.js';
import type { SoapStruct } from './envelope.js';
import type { FieldInfo } from './schema.js';

export const INT_MIN = -2_147_483_648;
export const INT_MAX = 2_147_483_647;
export const SHORT_MAX = 32_767;
/** xs:long beyond 2^53 cannot be a JavaScript number; no ID gets that large. */
export const LONG_MAX = Number.MAX_SAFE_INTEGER;

interface Optional {
  optional: true;
}
interface WithDefault<T> {
  default?: T;
}

function shown(raw: string): string {
  return JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}…` : raw);
}

function missing(name: string): GridhookError {
  return invalidParameter(name, 'this parameter is required and was not sent (or was empty).');
}

/** The parameter's text, or undefined when absent, nil or empty. */
function text(params: SoapStruct, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) throw invalidParameter(name, 'sent more than once; send it once.');
  if (typeof value !== 'string') throw invalidParameter(name, 'must be a simple value, not a structure of elements.');
  return value;
}

function read<T>(
  params: SoapStruct,
  name: string,
  options: Partial<Optional> & WithDefault<T>,
  convert: (raw: string) => T,
): T | undefined {
  const raw = text(params, name);
  if (raw !== undefined) return convert(raw);
  if (options.default !== undefined) return options.default;
  if (options.optional === true) return undefined;
  throw missing(name);
}

export interface StringOptions {
  /** Longest accepted value, in characters. */
  maxLength: number;
}

export function readString(params: SoapStruct, name: string, options: StringOptions & Optional): string | undefined;
export function readString(params: SoapStruct, name: string, options: StringOptions & WithDefault<string>): string;
export function readString(
  params: SoapStruct,
  name: string,
  options: StringOptions & Partial<Optional> & WithDefault<string>,
): string | undefined {
  return read(params, name, options, (raw) => {
    if (raw.length > options.maxLength) {
      throw invalidParameter(name, `at most ${options.maxLength} characters are accepted, got ${raw.length}.`);
    }
    return raw;
  });
}

export interface IntOptions {
  /** Smallest accepted value; default xs:int's. */
  min?: number;
  /** Largest accepted value; default xs:int's. */
  max?: number;
}

export function readInt(params: SoapStruct, name: string, options: IntOptions & Optional): number | undefined;
export function readInt(params: SoapStruct, name: string, options?: IntOptions & WithDefault<number>): number;
export function readInt(
  params: SoapStruct,
  name: string,
  options: IntOptions & Partial<Optional> & WithDefault<number> = {},
): number | undefined {
  const min = options.min ?? INT_MIN;
  const max = options.max ?? INT_MAX;
  return read(params, name, options, (raw) => {
    const trimmed = raw.trim();
    const value = /^[+-]?\d{1,20}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw invalidParameter(name, `must be a whole number from ${min} to ${max}, got ${shown(raw)}.`);
    }
    return value;
  });
}

export function readBoolean(params: SoapStruct, name: string, options: Optional): boolean | undefined;
export function readBoolean(params: SoapStruct, name: string, options?: WithDefault<boolean>): boolean;
export function readBoolean(
  params: SoapStruct,
  name: string,
  options: Partial<Optional> & WithDefault<boolean> = {},
): boolean | undefined {
  return read(params, name, options, (raw) => {
    const trimmed = raw.trim();
    if (trimmed === 'true' || trimmed === '1') return true;
    if (trimmed === 'false' || trimmed === '0') return false;
    throw invalidParameter(name, `must be true or false, got ${shown(raw)}.`);
  });
}

/** Enumerations are case-sensitive in XML Schema, so "inbox" is refused with the accepted spelling. */
export function readEnum<T extends string>(
  params: SoapStruct,
  name: string,
  values: readonly T[],
  options: Optional,
): T | undefined;
export function readEnum<T extends string>(
  params: SoapStruct,
  name: string,
  values: readonly T[],
  options?: WithDefault<T>,
): T;
export function readEnum<T extends string>(
  params: SoapStruct,
  name: string,
  values: readonly T[],
  options: Partial<Optional> & WithDefault<T> = {},
): T | undefined {
  return read(params, name, options, (raw) => {
    const trimmed = raw.trim();
    const exact = values.find((v) => v === trimmed);
    if (exact !== undefined) return exact;
    const near = values.find((v) => v.toLowerCase() === trimmed.toLowerCase());
    const hint = near === undefined ? '' : ` (did you mean ${near}?)`;
    throw invalidParameter(name, `must be one of ${values.join(', ')}, got ${shown(raw)}${hint}.`);
  });
}

const DATE_TIME = /^(-?\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** An xs:dateTime as epoch milliseconds; one without a time zone is taken as UTC. */
export function readDateTime(params: SoapStruct, name: string, options: Optional): number | undefined;
export function readDateTime(params: SoapStruct, name: string, options?: WithDefault<number>): number;
export function readDateTime(
  params: SoapStruct,
  name: string,
  options: Partial<Optional> & WithDefault<number> = {},
): number | undefined {
  return read(params, name, options, (raw) => {
    const trimmed = raw.trim();
    const m = DATE_TIME.exec(trimmed);
    const [, y, mo, d, h, mi, s, fraction, zone] = m ?? [];
    const local = m ? Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) : Number.NaN;
    const check = new Date(local);
    // Date.UTC rolls 2024-02-30 over into March; a real date reads back the same fields.
    const real =
      m !== null &&
      check.getUTCFullYear() === Number(y) &&
      check.getUTCMonth() === Number(mo) - 1 &&
      check.getUTCDate() === Number(d) &&
      check.getUTCHours() === Number(h) &&
      check.getUTCMinutes() === Number(mi);
    if (!real || Number(y) < 1) {
      throw invalidParameter(name, `must be an xs:dateTime such as 2026-05-07T14:32:00Z, got ${shown(raw)}.`);
    }
    const millis = fraction === undefined ? 0 : Math.floor(Number(`0${fraction}`) * 1000);
    const offsetMinutes =
      zone === undefined || zone === 'Z'
        ? 0
        : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
    return local + millis - offsetMinutes * 60_000;
  });
}

/**
 * Refuses parameters the operation does not declare, and repeats of one it declares once, so a
 * misspelt name (CallBackUrl for CallBackURL) is reported instead of silently ignored.
 */
export function checkDeclaredParams(operation: string, params: SoapStruct, declared: readonly FieldInfo[]): void {
  for (const [name, value] of Object.entries(params)) {
    const field = declared.find((f) => f.name === name);
    if (field === undefined) {
      const near = declared.find((f) => f.name.toLowerCase() === name.toLowerCase());
      const expected = declared.length === 0 ? 'it takes none' : `it takes ${declared.map((f) => f.name).join(', ')}`;
      throw invalidParameter(
        name,
        near === undefined
          ? `${operation} has no parameter ${name}; ${expected}.`
          : `${operation} has no parameter ${name}; did you mean ${near.name}? (names are case-sensitive)`,
      );
    }
    if (Array.isArray(value) && !field.unbounded) throw invalidParameter(name, 'sent more than once; send it once.');
  }
}
