/**
 * How parcels find their recipient: the matching rule on its own (case,
 * qualifier equivalences, ambiguity), then real interchanges in the ISA and
 * UNB variants partners send, uploaded and routed end to end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EcGridIdRecord } from '../src/domain/types.js';
import { matchParty, sameQualifier } from '../src/services/routing.js';
import { buildEdifactOrders, buildX12FunctionalAck, buildX12Invoice, buildX12PurchaseOrder } from './helpers/edi-builders.js';
import { tradingNetwork, upload, type TradingNetwork } from './helpers/parcels.js';
import { ok, startTestServer, type TestServer } from './helpers/server.js';

function record(ecGridId: number, qualifier: string, id: string): EcGridIdRecord {
  return { ecGridId, networkId: 1, mailboxId: 1, qualifier, id, description: '', status: 'Active', createdAt: 0 };
}

describe('matchParty', () => {
  it('matches IDs ignoring case and qualifiers ignoring case', () => {
    expect(matchParty({ qualifier: 'zz', id: 'acme' }, [record(1, 'ZZ', 'ACME')])).toMatchObject({ kind: 'found', record: { ecGridId: 1 } });
    expect(matchParty({ qualifier: '01', id: 'ACME' }, [record(1, 'ZZ', 'ACME')])).toEqual({ kind: 'none' });
  });

  it('treats ZZ and ZZZ, and 01 and 1, as one qualifier, and nothing else', () => {
    expect(sameQualifier('ZZ', 'ZZZ')).toBe(true);
    expect(sameQualifier('zzz', 'ZZ')).toBe(true);
    expect(sameQualifier('01', '1')).toBe(true);
    expect(sameQualifier('14', '14')).toBe(true);
    expect(sameQualifier('01', '14')).toBe(false);
    expect(sameQualifier('ZZ', '1')).toBe(false);
    expect(sameQualifier('08', '8')).toBe(false);
  });

  it('matches an EDIFACT party without a qualifier on its ID alone', () => {
    expect(matchParty({ qualifier: '', id: 'ACME' }, [record(4, '14', 'ACME')])).toMatchObject({ kind: 'found', record: { ecGridId: 4 } });
  });

  it('prefers the one written exactly as the file writes it, and otherwise calls it ambiguous', () => {
    const both = [record(1, 'ZZ', 'ACME'), record(2, 'ZZZ', 'ACME')];
    expect(matchParty({ qualifier: 'ZZZ', id: 'ACME' }, both)).toMatchObject({ kind: 'found', record: { ecGridId: 2 } });
    expect(matchParty({ qualifier: 'ZZ', id: 'ACME' }, both)).toMatchObject({ kind: 'found', record: { ecGridId: 1 } });
    expect(matchParty({ qualifier: '', id: 'ACME' }, both)).toMatchObject({ kind: 'ambiguous' });
    const cased = [record(1, 'ZZ', 'Acme'), record(2, 'ZZ', 'ACME')];
    expect(matchParty({ qualifier: 'ZZ', id: 'ACME' }, cased)).toMatchObject({ kind: 'found', record: { ecGridId: 2 } });
    expect(matchParty({ qualifier: 'ZZ', id: 'acme' }, cased)).toMatchObject({ kind: 'ambiguous', records: cased });
  });
});

describe('routing real interchanges', () => {
  let server: TestServer;
  let net: TradingNetwork;

  beforeAll(async () => {
    server = await startTestServer();
    net = await tradingNetwork(server);
  });

  afterAll(async () => {
    await server?.close();
  });

  async function routedTo(file: string): Promise<{ status: string; ecGridIdTo: number; statusMessage: string | null }> {
    const answer = await upload(server, net.buyer, file);
    expect(answer.status).toBe(200);
    return answer.body.data;
  }

  const parties = () => ({ sender: { qualifier: 'ZZ', id: net.buyer.id }, receiver: { qualifier: 'ZZ', id: net.supplier.id } });

  it.each([
    ['fixed-width 00401', {}],
    ['unpadded ISA', { isaLayout: 'unpadded' as const }],
    ['00501 with a repetition separator', { version: '00501' as const }],
    ['other separators, a line break ending each segment', { separators: { element: '|', component: ':', segment: '\n' as const } }],
    ['one segment per line', { separators: { lineEnding: '\r\n' as const } }],
    ['a test interchange', { usage: 'T' as const }],
  ])('X12 850, %s', async (_name, options) => {
    expect(await routedTo(buildX12PurchaseOrder({ ...parties(), ...options }))).toMatchObject({
      status: 'InBoxReady',
      ecGridIdTo: net.supplier.ecGridId,
    });
  });

  it('X12 810 and 997 with leading blank lines and a byte-order mark', async () => {
    expect(await routedTo(`\r\n\n${buildX12Invoice(parties())}`)).toMatchObject({ status: 'InBoxReady' });
    expect(await routedTo(`\u00ef\u00bb\u00bf${buildX12FunctionalAck(parties())}`)).toMatchObject({ status: 'InBoxReady' });
  });

  it('an ISA naming the IDs in lower case still routes', async () => {
    const file = buildX12PurchaseOrder({
      sender: { qualifier: 'zz', id: net.buyer.id.toLowerCase() },
      receiver: { qualifier: 'zz', id: net.supplier.id.toLowerCase() },
    });
    expect(await routedTo(file)).toMatchObject({ status: 'InBoxReady', ecGridIdTo: net.supplier.ecGridId });
  });

  it.each([
    ['with UNA and ZZZ qualifiers', { una: true, sender: { id: '', qualifier: 'ZZZ' }, receiver: { id: '', qualifier: 'ZZZ' } }],
    ['without UNA', { una: false, sender: { id: '', qualifier: 'ZZ' }, receiver: { id: '', qualifier: 'ZZ' } }],
    ['without qualifiers', { sender: { id: '' }, receiver: { id: '' } }],
    ['with routing addresses and syntax 4', { syntax: { version: '4' as const }, sender: { id: '', qualifier: 'ZZZ', routing: 'R1' }, receiver: { id: '', qualifier: 'ZZZ', routing: 'R2' } }],
    ['with non-default separators', { separators: { element: '*', component: '^', segment: '~', release: ' ' } }],
  ])('EDIFACT ORDERS %s', async (_name, options: any) => {
    const file = buildEdifactOrders({
      ...options,
      sender: { ...(options.sender ?? { qualifier: 'ZZZ' }), id: net.buyer.id },
      receiver: { ...(options.receiver ?? { qualifier: 'ZZZ' }), id: net.supplier.id },
    });
    expect(await routedTo(file)).toMatchObject({ status: 'InBoxReady', ecGridIdTo: net.supplier.ecGridId });
  });

  it('a header naming an ID of two partners ambiguously is not delivered, and says why', async () => {
    const third = await ok(server, 'POST', '/v2/mailboxes/create', { networkId: net.networkId, name: 'third' });
    await ok(server, 'POST', '/v2/ids/create', { mailboxId: third.mailboxId, qualifier: 'ZZ', id: 'TWIN' });
    await ok(server, 'POST', '/v2/ids/create', { mailboxId: net.supplier.mailboxId, qualifier: 'ZZZ', id: 'TWIN' });
    const file = buildEdifactOrders({ sender: { id: net.buyer.id, qualifier: 'ZZZ' }, receiver: { id: 'twin' } });
    const parcel = await routedTo(file);
    expect(parcel.status).toBe('OutBoxError');
    expect(parcel.statusMessage).toMatch(/^the interchange's recipient twin matches several ECGrid IDs \(ZZ:TWIN .*, ZZZ:TWIN .*\)/);
    // Written exactly as registered, it goes through.
    const exact = buildEdifactOrders({ sender: { id: net.buyer.id, qualifier: 'ZZZ' }, receiver: { id: 'TWIN', qualifier: 'ZZZ' } });
    expect(await routedTo(exact)).toMatchObject({ status: 'InBoxReady', ecGridIdTo: expect.any(Number) });
  });

  it('a mailbox with several IDs sends as the one the header names; without a header it must say which', async () => {
    const second = await ok(server, 'POST', '/v2/ids/create', { mailboxId: net.buyer.mailboxId, qualifier: '01', id: '123456789' });
    const file = buildX12PurchaseOrder({ sender: { qualifier: '01', id: '123456789' }, receiver: parties().receiver });
    const sent = (await upload(server, net.buyer, file)).body.data;
    expect(sent).toMatchObject({ status: 'InBoxReady', ecGridIdFrom: second.ecGridId });

    const headless = await upload(server, net.buyer, 'not EDI at all', { ecGridIdTo: net.supplier.ecGridId });
    expect(headless.body.data).toMatchObject({ status: 'OutBoxError', ecGridIdFrom: 0 });
    expect(headless.body.data.statusMessage).toMatch(/does not have exactly one Active ECGrid ID; name the sender with ecGridIdFrom$/);
    const named = await upload(server, net.buyer, 'not EDI at all', {
      ecGridIdTo: net.supplier.ecGridId,
      ecGridIdFrom: second.ecGridId,
    });
    expect(named.body.data).toMatchObject({ status: 'InBoxReady', ecGridIdFrom: second.ecGridId, standard: null });
  });

  it('an ecGridIdTo of another network, or unknown, is an unknown recipient', async () => {
    const elsewhere = await tradingNetwork(server);
    for (const ecGridIdTo of [elsewhere.supplier.ecGridId, 99_999_999]) {
      const answer = await upload(server, net.buyer, buildX12PurchaseOrder(parties()), { ecGridIdTo });
      expect(answer.body.data).toMatchObject({
        status: 'OutBoxError',
        statusMessage: `the recipient ECGrid ID is not registered in network ${net.networkId}`,
      });
    }
  });
});
