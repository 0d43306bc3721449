/** The parcel routes' request and response schemas (see schemas.ts for the conventions). */
import Type, { type Static } from 'typebox';
import { INBOX_STATUSES, PARCEL_STATUSES } from '../../domain/parcels.js';
import { MAX_FILE_NAME_LENGTH } from '../../services/events.js';
import { ISO_DATE_TIME } from '../../services/parcels.js';
import { Body, DateTime, ObjectId, PageOf, Paging, PathId, ScopeId, StringEnum } from './schemas.js';

const ParcelStatusSchema = StringEnum([...PARCEL_STATUSES], {
  description:
    'InBoxReady: waiting for download; InBoxTransferred: downloaded and confirmed; InBoxError: the recipient refused ' +
    'it (suspended); OutBoxError: not delivered (see statusMessage)',
});

const FileName = Type.String({
  minLength: 1,
  maxLength: MAX_FILE_NAME_LENGTH,
  'x-expect': `must be a string of 1 to ${MAX_FILE_NAME_LENGTH} characters`,
});

/**
 * Documents the upload body; the route reads it as a stream (upload-body.ts)
 * and the service checks each field with the same rules.
 */
export const UploadParcelBody = Body({
  fileName: FileName,
  content: Type.String({ contentEncoding: 'base64', description: 'The file, base64-encoded (standard alphabet)' }),
  mailboxId: Type.Optional(ScopeId('The sending mailbox (0 or absent: a mailbox key’s own)')),
  ecGridIdFrom: Type.Optional(
    ScopeId("The sender's ECGrid ID, owned by the sending mailbox; absent: the interchange header's sender"),
  ),
  ecGridIdTo: Type.Optional(ScopeId("The recipient's ECGrid ID; absent: the interchange header's recipient")),
});

const Dates = {
  beginDate: Type.Optional(
    Type.String({
      pattern: ISO_DATE_TIME.source,
      description: 'Only parcels that arrived at or after this time (ISO 8601 with a zone)',
      'x-expect': 'must be an ISO 8601 date and time with a zone, e.g. 2026-05-07T14:32:00Z',
    }),
  ),
  endDate: Type.Optional(
    Type.String({
      pattern: ISO_DATE_TIME.source,
      description: 'Only parcels that arrived before this time (ISO 8601 with a zone)',
      'x-expect': 'must be an ISO 8601 date and time with a zone, e.g. 2026-05-07T14:32:00Z',
    }),
  ),
};

const boxScope = {
  networkId: Type.Optional(ScopeId('Only this network (0: your own); absent: every network in scope')),
  mailboxId: Type.Optional(ScopeId('Only this mailbox; absent: every mailbox in scope (a mailbox key: its own)')),
};

export const InboxListBody = Body({
  ...boxScope,
  status: Type.Optional(StringEnum([...INBOX_STATUSES])),
  ...Dates,
  ...Paging,
});

export const OutboxListBody = Body({
  ...boxScope,
  status: Type.Optional(ParcelStatusSchema),
  ...Dates,
  ...Paging,
});

export const ParcelIdBody = Body({ parcelId: ObjectId('The parcel') });
export const ParcelIdParams = Type.Object({ parcelId: PathId('The parcel') });

export const ParcelView = Type.Object({
  parcelId: Type.Integer(),
  fileName: Type.String(),
  bytes: Type.Integer(),
  status: ParcelStatusSchema,
  statusMessage: Type.Union([Type.String(), Type.Null()], { description: 'Why it was not delivered; null when it was' }),
  networkId: Type.Integer(),
  mailboxIdFrom: Type.Integer(),
  ecGridIdFrom: Type.Integer({ description: '0 when no sender ID could be decided' }),
  mailboxIdTo: Type.Integer({ description: '0 when no recipient was found' }),
  ecGridIdTo: Type.Integer({ description: '0 when no recipient was found' }),
  standard: Type.Union([StringEnum(['X12', 'EDIFACT']), Type.Null()], { description: 'null when no envelope was read' }),
  controlNumber: Type.Union([Type.String(), Type.Null()], { description: 'ISA13 or UNB05' }),
  parcelDate: DateTime,
  statusDate: DateTime,
});
export type ParcelView = Static<typeof ParcelView>;

export const ParcelPage = PageOf('parcels', ParcelView);

export const DownloadView = Type.Object({
  parcelId: Type.Integer(),
  fileName: Type.String(),
  bytes: Type.Integer({ description: 'The size of the file (decoded)' }),
  content: Type.String({ contentEncoding: 'base64', description: 'The file, base64-encoded, byte for byte as uploaded' }),
});
