/**
 * A small trading network for parcel tests: two mailboxes of one network,
 * each with its own ECGrid ID, a mailbox user key and a callback for every
 * event type pointing at a receiver path per mailbox and event
 * (`/<mailbox name>/<event>`), plus helpers to upload and read parcels.
 */
import { EVENT_TYPES, type EventType } from '../../src/domain/types.js';
import type { Receiver } from './receiver.js';
import { addUser, call, ok, type ApiResponse, type TestServer, type TestUser } from './server.js';

export interface Side {
  name: string;
  mailboxId: number;
  ecGridId: number;
  qualifier: string;
  id: string;
  user: TestUser;
}

export interface TradingNetwork {
  networkId: number;
  /** Where this network's callbacks point on the receiver. */
  hookPrefix: string;
  buyer: Side;
  supplier: Side;
}

let networks = 0;

/** A new network with a buyer and a supplier mailbox; callbacks only when a receiver is given. */
export async function tradingNetwork(server: TestServer, receiver?: Receiver): Promise<TradingNetwork> {
  networks += 1;
  const hookPrefix = `/net${networks}`;
  const network = await ok(server, 'POST', '/v2/networks/create', { name: `Trading ${networks}` });
  const side = async (name: string, id: string): Promise<Side> => {
    const mailbox = await ok(server, 'POST', '/v2/mailboxes/create', { networkId: network.networkId, name });
    const record = await ok(server, 'POST', '/v2/ids/create', { mailboxId: mailbox.mailboxId, qualifier: 'ZZ', id });
    const user = await addUser(server, 'MailboxAdmin', network.networkId, mailbox.mailboxId);
    if (receiver) {
      for (const event of EVENT_TYPES) {
        await ok(
          server,
          'POST',
          '/v2/callbacks/create',
          { callBackUrl: receiver.urlFor(`${hookPrefix}/${name}/${event}`), callBackEvent: event, retries: 0 },
          { key: user.key },
        );
      }
    }
    return { name, mailboxId: mailbox.mailboxId, ecGridId: record.ecGridId, qualifier: 'ZZ', id, user };
  };
  const buyer = await side('buyer', `BUYER${networks}`);
  const supplier = await side('supplier', `SUPPLIER${networks}`);
  return { networkId: network.networkId, hookPrefix, buyer, supplier };
}

/** The receiver path of a side's callback for one event type (see tradingNetwork). */
export function hookPath(net: TradingNetwork, side: Side, event: EventType): string {
  return `${net.hookPrefix}/${side.name}/${event}`;
}

export interface UploadRequest {
  fileName?: unknown;
  content?: unknown;
  mailboxId?: unknown;
  ecGridIdFrom?: unknown;
  ecGridIdTo?: unknown;
}

/** Uploads text or bytes (base64-encoded here) as `from`. */
export function upload(
  server: TestServer,
  from: Side,
  file: string | Buffer,
  extra: UploadRequest = {},
): Promise<ApiResponse> {
  const content = (typeof file === 'string' ? Buffer.from(file, 'latin1') : file).toString('base64');
  return call(server, 'POST', '/v2/parcels/upload', { fileName: 'order.edi', content, ...extra }, { key: from.user.key });
}

/** Downloads a parcel as `to` and answers its bytes. */
export async function download(server: TestServer, to: Side, parcelId: number): Promise<Buffer> {
  const data = await ok(server, 'POST', '/v2/parcels/download', { parcelId }, { key: to.user.key });
  return Buffer.from(data.content, 'base64');
}
