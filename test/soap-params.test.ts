import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../src/domain/types.js';
import { GridhookError } from '../src/errors.js';
import { GUIDE_CONTRACT } from '../src/http/soap/contracts.js';
import type { SoapStruct } from '../src/http/soap/envelope.js';
import {
  checkDeclaredParams,
  readBoolean,
  readDateTime,
  readEnum,
  readInt,
  readString,
  SHORT_MAX,
} from '../src/http/soap/params.js';

const params = (values: Record<string, SoapStruct[string]>): SoapStruct =>
  Object.assign(Object.create(null) as SoapStruct, values);

function refusal(read: () => unknown): GridhookError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(GridhookError);
    const e = error as GridhookError;
    expect(e.code).toBe('InvalidParameter');
    expect(e.soapFault).toBe('Client');
    return e;
  }
  throw new Error('expected the parameter to be refused');
}

describe('readInt', () => {
  it('reads xs:int text, whitespace and sign included', () => {
    expect(readInt(params({ N: ' 42\n' }), 'N')).toBe(42);
    expect(readInt(params({ N: '-7' }), 'N')).toBe(-7);
    expect(readInt(params({ N: '+0' }), 'N')).toBe(0);
  });

  it('refuses what is not a whole number in range, naming the parameter and the range', () => {
    for (const raw of ['abc', '1.5', '1e3', '0x10', '2147483648']) {
      const error = refusal(() => readInt(params({ NetworkID: raw }), 'NetworkID', { min: 0 }));
      expect(error.field).toBe('NetworkID');
      expect(error.message).toMatch(/^NetworkID: must be a whole number from 0 to 2147483647/);
    }
    expect(refusal(() => readInt(params({ Retries: '40000' }), 'Retries', { min: 0, max: SHORT_MAX })).message).toMatch(
      /from 0 to 32767, got "40000"/,
    );
  });

  it('says a missing, empty or nil required parameter is required; uses the default or undefined otherwise', () => {
    for (const p of [params({}), params({ N: '' }), params({ N: null })]) {
      expect(refusal(() => readInt(p, 'N')).message).toMatch(/^N: this parameter is required/);
      expect(readInt(p, 'N', { default: 3 })).toBe(3);
      expect(readInt(p, 'N', { optional: true })).toBeUndefined();
    }
  });

  it('refuses a repeated parameter and a structure', () => {
    expect(refusal(() => readInt(params({ N: ['1', '2'] }), 'N')).message).toMatch(/more than once/);
    expect(refusal(() => readInt(params({ N: params({ A: '1' }) }), 'N')).message).toMatch(/simple value/);
  });
});

describe('readString', () => {
  it('takes the text as sent, up to the maximum length', () => {
    expect(readString(params({ S: ' a b ' }), 'S', { maxLength: 5 })).toBe(' a b ');
    expect(refusal(() => readString(params({ S: 'abcdef' }), 'S', { maxLength: 5 })).message).toMatch(
      /at most 5 characters are accepted, got 6/,
    );
  });

  it('has the same missing, default and optional rules', () => {
    expect(refusal(() => readString(params({}), 'SessionID', { maxLength: 100 })).field).toBe('SessionID');
    expect(readString(params({}), 'S', { maxLength: 5, default: '' })).toBe('');
    expect(readString(params({ S: '' }), 'S', { maxLength: 5, optional: true })).toBeUndefined();
  });
});

describe('readEnum', () => {
  it('accepts the exact spelling', () => {
    expect(readEnum(params({ CallBackEvent: ' InBoxError ' }), 'CallBackEvent', EVENT_TYPES)).toBe('InBoxError');
  });

  it('refuses another spelling, listing the values and suggesting the near one', () => {
    const error = refusal(() => readEnum(params({ CallBackEvent: 'inbox' }), 'CallBackEvent', EVENT_TYPES));
    expect(error.message).toBe(
      'CallBackEvent: must be one of InBox, OutBox, InBoxError, OutBoxError, ConfirmDelivery, got "inbox" (did you mean InBox?).',
    );
    expect(refusal(() => readEnum(params({ CallBackEvent: 'Parcel' }), 'CallBackEvent', EVENT_TYPES)).message).not.toMatch(
      /did you mean/,
    );
  });
});

describe('readBoolean', () => {
  it('reads the four xs:boolean spellings and refuses others', () => {
    expect(readBoolean(params({ B: 'true' }), 'B')).toBe(true);
    expect(readBoolean(params({ B: '1' }), 'B')).toBe(true);
    expect(readBoolean(params({ B: ' false ' }), 'B')).toBe(false);
    expect(readBoolean(params({ B: '0' }), 'B')).toBe(false);
    expect(readBoolean(params({}), 'B', { default: false })).toBe(false);
    expect(refusal(() => readBoolean(params({ B: 'yes' }), 'B')).message).toMatch(/must be true or false, got "yes"/);
  });
});

describe('readDateTime', () => {
  it('reads xs:dateTime with Z, an offset, fractions, or no zone (taken as UTC)', () => {
    const at = Date.UTC(2026, 4, 7, 14, 32, 0);
    expect(readDateTime(params({ D: '2026-05-07T14:32:00Z' }), 'D')).toBe(at);
    expect(readDateTime(params({ D: '2026-05-07T16:32:00+02:00' }), 'D')).toBe(at);
    expect(readDateTime(params({ D: '2026-05-07T14:32:00' }), 'D')).toBe(at);
    expect(readDateTime(params({ D: '2026-05-07T14:32:00.25Z' }), 'D')).toBe(at + 250);
  });

  it('refuses impossible dates and other formats', () => {
    for (const raw of ['2026-02-30T00:00:00Z', '2026-05-07 14:32:00', '2026-05-07', 'yesterday', '2026-05-07T24:00:00Z']) {
      expect(refusal(() => readDateTime(params({ D: raw }), 'D')).message).toMatch(/must be an xs:dateTime/);
    }
  });
});

describe('checkDeclaredParams', () => {
  const callBackAdd = GUIDE_CONTRACT.schema.operations.get('CallBackAdd');
  if (callBackAdd === undefined) throw new Error('CallBackAdd missing from the guide WSDL');

  it('accepts the declared parameters, in any order or subset', () => {
    expect(() =>
      checkDeclaredParams('CallBackAdd', params({ Retries: '3', SessionID: 's', CallBackURL: 'u' }), callBackAdd.input),
    ).not.toThrow();
  });

  it('names a misspelt parameter and the one meant', () => {
    const error = refusal(() => checkDeclaredParams('CallBackAdd', params({ CallBackUrl: 'u' }), callBackAdd.input));
    expect(error.field).toBe('CallBackUrl');
    expect(error.message).toMatch(/did you mean CallBackURL\?/);
  });

  it('lists what the operation takes for an unknown parameter', () => {
    expect(refusal(() => checkDeclaredParams('CallBackAdd', params({ Status: 'Active' }), callBackAdd.input)).message).toMatch(
      /it takes SessionID, NetworkID, MailboxID, ECGridID, CallBackURL, CallBackEvent, Frequency, Retries/,
    );
  });

  it('refuses a parameter declared once but sent twice', () => {
    expect(refusal(() => checkDeclaredParams('CallBackAdd', params({ SessionID: ['a', 'b'] }), callBackAdd.input)).message).toMatch(
      /more than once/,
    );
  });
});
