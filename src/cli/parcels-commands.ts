/** `gridhook parcels …`: a mailbox's parcels over the REST API. */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError, callApi } from './api-client.js';
import { defined, requiredNumber, text, wholeNumber, type CommandGroup } from './remote.js';
import { formatRecord, formatTable } from './table.js';

interface ParcelView {
  parcelId: number;
  fileName: string;
  bytes: number;
  status: string;
  ecGridIdFrom: number;
  ecGridIdTo: number;
  parcelDate: string;
}

/**
 * The upload body, streamed: the file goes out as base64 while it is read, so
 * a large file is never held in memory whole.
 */
async function* uploadBody(file: string, fields: Record<string, unknown>): AsyncGenerator<Uint8Array> {
  const head = JSON.stringify({ ...fields, content: '' }).slice(0, -2);
  yield Buffer.from(head);
  let carry = Buffer.alloc(0);
  // Base64 of 3-byte groups joins up; the remainder waits for the next chunk.
  for await (const chunk of fs.createReadStream(file)) {
    const bytes = Buffer.concat([carry, chunk as Buffer]);
    const whole = bytes.length - (bytes.length % 3);
    carry = bytes.subarray(whole);
    yield Buffer.from(bytes.subarray(0, whole).toString('base64'));
  }
  yield Buffer.from(`${carry.toString('base64')}"}`);
}

export const PARCELS: CommandGroup = {
  name: 'parcels',
  summary: "a mailbox's parcels",
  commands: {
    list: {
      usage: 'list [--outbox] [--mailbox ID] [--status S]      the inbox, or the outbox',
      flags: { outbox: { type: 'boolean' }, mailbox: { type: 'string' }, status: { type: 'string' } },
      async run(target, flags) {
        const box = flags.outbox ? 'outbox' : 'inbox';
        const data = await callApi<{ parcels: ParcelView[] }>(target, 'POST', `/v2/parcels/${box}-list`, {
          ...defined({ mailboxId: wholeNumber(flags.mailbox, '--mailbox'), status: text(flags.status) }),
          recordsPerPage: 100,
        });
        const human = formatTable(data.parcels, [
          ['ID', (p) => p.parcelId],
          ['STATUS', (p) => p.status],
          ['BYTES', (p) => p.bytes],
          ['FROM', (p) => p.ecGridIdFrom],
          ['TO', (p) => p.ecGridIdTo],
          ['DATE', (p) => p.parcelDate],
          ['FILE', (p) => p.fileName],
        ]);
        return { data, human };
      },
    },
    upload: {
      usage: 'upload FILE [--name NAME] [--mailbox ID] [--from ECGRID-ID] [--to ECGRID-ID]',
      flags: { name: { type: 'string' }, mailbox: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
      async run(target, flags, [file]) {
        if (!file) throw new UsageError('FILE is required: the X12 or EDIFACT file to send.');
        if (!fs.existsSync(file)) throw new UsageError(`${file}: no such file.`);
        const fields = defined({
          fileName: text(flags.name) ?? path.basename(file),
          mailboxId: wholeNumber(flags.mailbox, '--mailbox'),
          ecGridIdFrom: wholeNumber(flags.from, '--from'),
          ecGridIdTo: wholeNumber(flags.to, '--to'),
        });
        const data = await callApi<Record<string, unknown>>(target, 'POST', '/v2/parcels/upload', undefined, {
          stream: uploadBody(file, fields),
        });
        return { data, human: formatRecord(data) };
      },
    },
    confirm: {
      usage: "confirm ID      confirm the parcel's download (InBoxTransferred): fires the sender's ConfirmDelivery",
      async run(target, _flags, [id]) {
        const data = await callApi<Record<string, unknown>>(target, 'POST', '/v2/parcels/confirm', {
          parcelId: requiredNumber(id, 'ID'),
        });
        return { data, human: formatRecord(data) };
      },
    },
    download: {
      usage: 'download ID [--out FILE]      writes the file (default: its own name, here)',
      flags: { out: { type: 'string' } },
      async run(target, flags, [id]) {
        const parcelId = requiredNumber(id, 'ID');
        const data = await callApi<{ parcelId: number; fileName: string; bytes: number; content: string }>(
          target,
          'POST',
          '/v2/parcels/download',
          { parcelId },
        );
        // The server's file name, never a path it might carry.
        const out = text(flags.out) ?? path.basename(data.fileName);
        fs.writeFileSync(out, Buffer.from(data.content, 'base64'));
        const { content: _content, ...info } = data;
        return { data: { ...info, savedTo: out }, human: `Saved parcel ${parcelId} (${data.bytes} bytes) to ${out}.\n` };
      },
    },
  },
};
