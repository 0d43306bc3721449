/**
 * Large parcels go through byte for byte, streamed both ways: a
 * multi-megabyte X12 850 and arbitrary binary content round-trip exactly,
 * a body dribbled in odd-sized pieces parses the same, and the API keeps
 * answering other requests while a large upload is under way.
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARCEL_CHUNK_BYTES } from '../src/services/parcels.js';
import { buildLargeX12PurchaseOrder } from './helpers/edi-builders.js';
import { download, tradingNetwork, upload, type TradingNetwork } from './helpers/parcels.js';
import { call, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let net: TradingNetwork;

beforeAll(async () => {
  server = await startTestServer();
  net = await tradingNetwork(server);
});

afterAll(async () => {
  await server?.close();
});

/** Sends a body in pieces of the given sizes (cycled), waiting a tick between them. */
function sendInPieces(path: string, key: string, body: Buffer, sizes: number[]): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const request = http.request(new URL(server.url + path), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key, 'transfer-encoding': 'chunked' },
    });
    request.on('response', (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, json: JSON.parse(Buffer.concat(parts).toString()) }));
    });
    request.on('error', reject);
    let at = 0;
    let turn = 0;
    const next = (): void => {
      if (at >= body.length) {
        request.end();
        return;
      }
      const size = sizes[turn++ % sizes.length] as number;
      request.write(body.subarray(at, at + size));
      at += size;
      setImmediate(next);
    };
    next();
  });
}

describe('large parcels', () => {
  it('an 8 MB X12 850 goes up, is routed and comes down byte for byte', async () => {
    const file = buildLargeX12PurchaseOrder({
      minBytes: 8 * 1024 * 1024,
      sender: { qualifier: 'ZZ', id: net.buyer.id },
      receiver: { qualifier: 'ZZ', id: net.supplier.id },
      separators: { lineEnding: '\r\n' },
    });
    expect(file.length).toBeGreaterThan(8 * PARCEL_CHUNK_BYTES);
    const answer = await upload(server, net.buyer, file, { fileName: 'big-850.x12' });
    expect(answer.body.data).toMatchObject({ status: 'InBoxReady', bytes: file.length, mailboxIdTo: net.supplier.mailboxId });
    const back = await download(server, net.supplier, answer.body.data.parcelId);
    expect(back.length).toBe(file.length);
    expect(back.equals(Buffer.from(file, 'latin1'))).toBe(true);
  });

  it('arbitrary bytes of every value, of sizes around the chunk size, round-trip exactly', async () => {
    for (const size of [1, 2, 3, PARCEL_CHUNK_BYTES - 1, PARCEL_CHUNK_BYTES, PARCEL_CHUNK_BYTES + 1, 3 * PARCEL_CHUNK_BYTES + 2]) {
      const bytes = randomBytes(size);
      // A file of blank space only counts as empty, whatever the IDs say.
      bytes[0] = 0x00;
      const answer = await upload(server, net.buyer, bytes, { ecGridIdTo: net.supplier.ecGridId });
      expect(answer.body.data, `size ${size}`).toMatchObject({ status: 'InBoxReady', bytes: size, standard: null });
      expect((await download(server, net.supplier, answer.body.data.parcelId)).equals(bytes), `size ${size}`).toBe(true);
    }
  });

  it('a body sent in odd-sized pieces, with escapes and line breaks in the base64, reads the same', async () => {
    const bytes = randomBytes(200_000);
    // MIME-style lines and "\/" escapes, as some encoders write them.
    const base64 = bytes
      .toString('base64')
      .replace(/.{76}/g, '$&\n')
      .replace(/\//g, '\\/')
      .replace(/\n/g, '\\n');
    const body = Buffer.from(
      `{ "note": {"nested": ["a", {"b": "}\\""}]}, "content": "${base64}", "fileName": "pieces.bin",` +
        `"ecGridIdTo": ${net.supplier.ecGridId} }`,
    );
    const answer = await sendInPieces('/v2/parcels/upload', net.buyer.user.key, body, [1, 7, 3, 4096, 13, 65_536, 2]);
    expect(answer.status).toBe(200);
    expect(answer.json.data).toMatchObject({ fileName: 'pieces.bin', bytes: bytes.length, status: 'InBoxReady' });
    expect((await download(server, net.supplier, answer.json.data.parcelId)).equals(bytes)).toBe(true);
  });

  it('keeps answering other requests while a 24 MB upload streams in', async () => {
    const bytes = randomBytes(24 * 1024 * 1024);
    // Built before the clock starts: this process is the client as well as the server.
    const rawBody = JSON.stringify({ fileName: 'busy.bin', content: bytes.toString('base64'), ecGridIdTo: net.supplier.ecGridId });
    const started = performance.now();
    const uploading = call(server, 'POST', '/v2/parcels/upload', undefined, { key: net.buyer.user.key, rawBody });
    const latencies: number[] = [];
    let done = false;
    void uploading.finally(() => {
      done = true;
    });
    while (!done) {
      const asked = performance.now();
      const health = await call(server, 'GET', '/healthz', undefined, { key: null });
      expect(health.status).toBe(200);
      latencies.push(performance.now() - asked);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const uploadMs = performance.now() - started;
    const answer = await uploading;
    expect(answer.body.data).toMatchObject({ status: 'InBoxReady', bytes: bytes.length });
    // Were the upload handled in one blocking piece, one probe would wait about as long as the
    // upload; streamed, probes keep being answered throughout, each waiting at most for one chunk.
    const sorted = [...latencies].sort((a, b) => a - b);
    expect(latencies.length).toBeGreaterThanOrEqual(5);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(uploadMs / 4);
  });
});
