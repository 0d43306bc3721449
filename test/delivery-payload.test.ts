import { describe, expect, it } from 'vitest';
import { buildPayload, serializePayload } from '../src/delivery/payload.js';
import { makeJob } from './helpers/delivery-job.js';

describe('delivery payload', () => {
  it("has the guide's fields in the guide's order, then networkId", () => {
    const text = serializePayload(makeJob());
    expect(Object.keys(JSON.parse(text))).toEqual([
      'eventId',
      'callBackQueueId',
      'callBackEvent',
      'ecGridId',
      'mailboxId',
      'parcelId',
      'fileName',
      'eventDateTime',
      'isTest',
      'networkId',
    ]);
  });

  it('carries the values of the job, the date in the guide format', () => {
    expect(serializePayload(makeJob())).toBe(
      '{"eventId":900123,"callBackQueueId":7001,"callBackEvent":"InBox","ecGridId":111111,"mailboxId":54321,' +
        '"parcelId":98765,"fileName":"850_order.edi","eventDateTime":"2026-05-07T14:32:00Z","isTest":false,"networkId":1}',
    );
  });

  it('marks test events and escapes file names safely', () => {
    const payload = buildPayload(makeJob({ isTest: true, eventType: 'ConfirmDelivery', fileName: 'a "quoted"\nname.edi' }));
    expect(payload.isTest).toBe(true);
    expect(payload.callBackEvent).toBe('ConfirmDelivery');
    expect(JSON.parse(serializePayload(makeJob({ fileName: 'a "quoted"\nname.edi' }))).fileName).toBe('a "quoted"\nname.edi');
  });
});
