import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import type { Parcel } from '../../domain/parcels.js';
import { findUnstorableText } from '../../domain/text-safety.js';
import { GridhookError, invalidParameter } from '../../errors.js';
import type { Services } from '../../services/index.js';
import { MAX_FILE_NAME_LENGTH } from '../../services/events.js';
import { principalOf } from './auth.js';
import {
  DownloadView,
  InboxListBody,
  OutboxListBody,
  ParcelIdBody,
  ParcelIdParams,
  ParcelPage,
  ParcelView,
  UploadParcelBody,
} from './parcel-schemas.js';
import { ErrorResponses, Ok, pathId } from './schemas.js';
import { Base64Decoder, MAX_MEMBER_BYTES, UploadBodyScanner } from './upload-body.js';
import { pageView, parcelView } from './views.js';

const tags = ['parcels'];

/**
 * The largest upload body: the base64 of the largest parcel, an eighth more
 * for the line breaks and "\/" escapes some encoders write, and room for the
 * other members. The decoded size is what the parcel limit is checked on.
 */
export function uploadBodyLimit(maxParcelBytes: number): number {
  return Math.ceil(((maxParcelBytes * 4) / 3) * 1.125) + 4 * MAX_MEMBER_BYTES;
}

export function parcelRoutes(services: Services, config: Config): FastifyPluginAsyncTypebox {
  return async (app) => {
    await app.register(uploadRoute(services, config));

    app.post(
      '/v2/parcels/inbox-list',
      {
        schema: {
          tags,
          summary: 'Parcels that reached mailboxes in scope, in arrival order',
          body: InboxListBody,
          response: { 200: Ok(ParcelPage), ...ErrorResponses },
        },
      },
      async (request) => {
        const page = await services.parcels.list(principalOf(request), 'inbox', request.body);
        return { success: true as const, data: pageView(page, 'parcels', parcelView) };
      },
    );

    app.post(
      '/v2/parcels/outbox-list',
      {
        schema: {
          tags,
          summary: 'Parcels sent from mailboxes in scope, with their delivery status, in upload order',
          body: OutboxListBody,
          response: { 200: Ok(ParcelPage), ...ErrorResponses },
        },
      },
      async (request) => {
        const page = await services.parcels.list(principalOf(request), 'outbox', request.body);
        return { success: true as const, data: pageView(page, 'parcels', parcelView) };
      },
    );

    app.get(
      '/v2/parcels/:parcelId',
      {
        schema: {
          tags,
          summary: 'One parcel and its status (to its sender and its recipient)',
          params: ParcelIdParams,
          response: { 200: Ok(ParcelView), ...ErrorResponses },
        },
      },
      async (request) => {
        const parcel = await services.parcels.get(principalOf(request), pathId(request.params.parcelId, 'Parcel'));
        return { success: true as const, data: parcelView(parcel) };
      },
    );

    app.post(
      '/v2/parcels/download',
      {
        schema: {
          tags,
          summary: 'The content of a parcel in your inbox (InBoxReady), base64-encoded',
          description: 'The answer is streamed: a large file is never held in memory whole.',
          body: ParcelIdBody,
          response: { 200: Ok(DownloadView), ...ErrorResponses },
        },
      },
      async (request, reply) => {
        const { parcel, content } = await services.parcels.download(principalOf(request), request.body.parcelId);
        return reply.type('application/json; charset=utf-8').send(Readable.from(downloadAnswer(parcel, content)));
      },
    );

    app.post(
      '/v2/parcels/confirm',
      {
        schema: {
          tags,
          summary: "Confirm a parcel's download (InBoxTransferred); the sender's ConfirmDelivery callbacks fire",
          body: ParcelIdBody,
          response: { 200: Ok(ParcelView), ...ErrorResponses },
        },
      },
      async (request) => {
        const parcel = await services.parcels.confirm(principalOf(request), request.body.parcelId);
        return { success: true as const, data: parcelView(parcel) };
      },
    );

    app.post(
      '/v2/parcels/reset-to-inbox/:parcelId',
      {
        schema: {
          tags,
          summary: 'Put a confirmed parcel back in the inbox (InBoxReady) to download it again',
          params: ParcelIdParams,
          response: { 200: Ok(ParcelView), ...ErrorResponses },
        },
      },
      async (request) => {
        const parcel = await services.parcels.reset(principalOf(request), pathId(request.params.parcelId, 'Parcel'));
        return { success: true as const, data: parcelView(parcel) };
      },
    );
  };
}

/**
 * The upload route, in a context of its own: its JSON body is not parsed
 * whole by the app's parser but streamed through UploadBodyScanner, the file
 * going to the store chunk by chunk as it arrives.
 */
function uploadRoute(services: Services, config: Config) {
  const limit = uploadBodyLimit(config.maxParcelBytes);
  return async (app: FastifyInstance) => {
    app.removeContentTypeParser('application/json');
    // The body is left unread here; the handler reads it as a stream.
    app.addContentTypeParser('application/json', (_request, payload, done) => done(null, new UploadStream(payload)));

    app.post(
      '/v2/parcels/upload',
      {
        schema: {
          tags,
          summary: 'Upload a parcel; it is routed by its X12 ISA or EDIFACT UNB header unless the IDs are given',
          description:
            'Answers the parcel: InBoxReady when it was delivered to the recipient (whose InBox callbacks fire, and ' +
            "the sender's OutBox ones), InBoxError or OutBoxError with statusMessage when it was not (the OutBoxError " +
            'callbacks of the sender fire, and for a suspended recipient its InBoxError ones). Routing: docs/parcels.md. ' +
            `The file may be up to ${config.maxParcelBytes} bytes (GRIDHOOK_MAX_PARCEL_BYTES).`,
          body: UploadParcelBody,
          response: { 200: Ok(ParcelView), ...ErrorResponses },
        },
        bodyLimit: limit,
        // The schema documents the body; the stream reader and the service check it.
        validatorCompiler: () => () => true,
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const declared = Number(request.headers['content-length']);
        if (declared > limit) {
          reply.header('connection', 'close');
          throw bodyTooLarge(limit);
        }
        const source = (request.body as unknown as UploadStream).payload;
        const upload = await services.parcels.startUpload(principal);
        let complete = false;
        try {
          const decoder = new Base64Decoder('content');
          const decoded: Buffer[] = [];
          const scanner = new UploadBodyScanner('content', (text) => {
            const bytes = decoder.push(text);
            if (bytes.byteLength > 0) decoded.push(bytes);
          });
          let received = 0;
          for await (const chunk of source) {
            received += (chunk as Buffer).byteLength;
            if (received > limit) throw bodyTooLarge(limit);
            scanner.feed(chunk as Buffer);
            for (const bytes of decoded.splice(0)) await upload.write(bytes);
          }
          complete = true;
          scanner.end();
          const members = scanner.members;
          if (!members.has('fileName')) {
            throw invalidParameter('fileName', `is required and must be a string of 1 to ${MAX_FILE_NAME_LENGTH} characters`);
          }
          if (!scanner.contentSeen) throw invalidParameter('content', 'is required and must be the file, base64-encoded');
          const unstorable = findUnstorableText(Object.fromEntries(members));
          if (unstorable) throw invalidParameter(unstorable.field, unstorable.reason);
          const tail = decoder.end();
          if (tail.byteLength > 0) await upload.write(tail);
          const parcel = await upload.finish({
            fileName: members.get('fileName'),
            mailboxId: members.get('mailboxId'),
            ecGridIdFrom: members.get('ecGridIdFrom'),
            ecGridIdTo: members.get('ecGridIdTo'),
          });
          return { success: true as const, data: parcelView(parcel) };
        } catch (err) {
          await upload.discard();
          // Refused before the body ended: the rest of it is not worth reading.
          if (!complete) reply.header('connection', 'close');
          throw isAbort(err)
            ? new GridhookError('InvalidParameter', 'body: the upload ended before the whole body arrived; send it again.', {
                field: 'body',
                cause: err,
              })
            : err;
        }
      },
    );
  };
}

/** The request body, not yet read. */
class UploadStream {
  constructor(readonly payload: AsyncIterable<unknown>) {}
}

function bodyTooLarge(limit: number): GridhookError {
  return new GridhookError(
    'PayloadTooLarge',
    `body: is larger than the upload limit of ${limit} bytes (the base64 of a file of GRIDHOOK_MAX_PARCEL_BYTES); send a smaller file.`,
    { field: 'body' },
  );
}

function isAbort(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (err as Error | null)?.message === 'aborted';
}

/**
 * `{"success":true,"data":{…,"content":"<base64>"}}` written as the chunks
 * are read. Base64 encodes three bytes at a time, so up to two bytes of each
 * chunk wait for the next one.
 */
async function* downloadAnswer(parcel: Parcel, content: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const head = JSON.stringify({ parcelId: parcel.parcelId, fileName: parcel.fileName, bytes: parcel.bytes });
  yield `{"success":true,"data":${head.slice(0, -1)},"content":"`;
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of content) {
    const data =
      carry.byteLength === 0 ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.concat([carry, chunk]);
    const whole = data.byteLength - (data.byteLength % 3);
    yield data.subarray(0, whole).toString('base64');
    carry = data.subarray(whole);
  }
  yield `${carry.toString('base64')}"}}`;
}
