/** `gridhook callbacks …`: callbacks over the REST API. */
import { callApi } from './api-client.js';
import { defined, requiredNumber, text, wholeNumber, type CommandGroup, type Flags } from './remote.js';
import { formatRecord, formatTable } from './table.js';

interface CallbackView {
  callBackQueueId: number;
  callBackUrl: string;
  callBackEvent: string;
  status: string;
  networkId: number;
  mailboxId: number;
  ecGridId: number;
  frequency: number;
  retries: number;
  createdAt: string;
}

const SETTINGS_FLAGS = {
  'callback-url': { type: 'string' },
  event: { type: 'string' },
  frequency: { type: 'string' },
  retries: { type: 'string' },
  status: { type: 'string' },
} as const;

function settings(flags: Flags): Record<string, unknown> {
  return defined({
    callBackUrl: text(flags['callback-url']),
    callBackEvent: text(flags.event),
    frequency: wholeNumber(flags.frequency, '--frequency'),
    retries: wholeNumber(flags.retries, '--retries'),
    status: text(flags.status),
  });
}

const one = (data: unknown) => ({ data, human: formatRecord(data as Record<string, unknown>) });

export const CALLBACKS: CommandGroup = {
  name: 'callbacks',
  summary: 'callbacks (webhook registrations)',
  commands: {
    list: {
      usage: 'list [--event E] [--status Active|Suspended]',
      flags: { event: { type: 'string' }, status: { type: 'string' } },
      async run(target, flags) {
        const data = await callApi<{ callBacks: CallbackView[] }>(target, 'POST', '/v2/callbacks/list', {
          ...defined({ callBackEvent: text(flags.event), status: text(flags.status) }),
          recordsPerPage: 100,
        });
        const human = formatTable(data.callBacks, [
          ['ID', (c) => c.callBackQueueId],
          ['EVENT', (c) => c.callBackEvent],
          ['STATUS', (c) => c.status],
          ['NETWORK', (c) => c.networkId],
          ['MAILBOX', (c) => c.mailboxId],
          ['ECGRID ID', (c) => c.ecGridId],
          ['CREATED', (c) => c.createdAt],
          ['URL', (c) => c.callBackUrl],
        ]);
        return { data, human };
      },
    },
    get: {
      usage: 'get ID',
      run: async (target, _flags, [id]) => one(await callApi(target, 'GET', `/v2/callbacks/${requiredNumber(id, 'ID')}`)),
    },
    create: {
      usage: 'create --callback-url URL --event E [--frequency S] [--retries N] [--status S] [--network ID] [--mailbox ID] [--ecgrid-id ID]',
      flags: { ...SETTINGS_FLAGS, network: { type: 'string' }, mailbox: { type: 'string' }, 'ecgrid-id': { type: 'string' } },
      async run(target, flags) {
        const created = await callApi<Record<string, unknown>>(target, 'POST', '/v2/callbacks/create', {
          ...settings(flags),
          ...defined({
            networkId: wholeNumber(flags.network, '--network'),
            mailboxId: wholeNumber(flags.mailbox, '--mailbox'),
            ecGridId: wholeNumber(flags['ecgrid-id'], '--ecgrid-id'),
          }),
        });
        return { data: created, human: `${formatRecord(created)}\nKeep the secret: receivers verify deliveries with it.\n` };
      },
    },
    update: {
      usage: 'update ID [--callback-url URL] [--event E] [--frequency S] [--retries N] [--status Active|Suspended]',
      flags: SETTINGS_FLAGS,
      run: async (target, flags, [id]) =>
        one(await callApi(target, 'POST', '/v2/callbacks/update', { callBackQueueId: requiredNumber(id, 'ID'), ...settings(flags) })),
    },
    delete: {
      usage: 'delete ID',
      async run(target, _flags, [id]) {
        const data = await callApi(target, 'DELETE', `/v2/callbacks/${requiredNumber(id, 'ID')}`);
        return { data, human: `Deleted callback ${id}; its pending events are canceled.\n` };
      },
    },
    test: {
      usage: 'test ID      send a test event now and show the receiver\'s answer',
      run: async (target, _flags, [id]) =>
        one(await callApi(target, 'POST', '/v2/callbacks/test', { callBackQueueId: requiredNumber(id, 'ID') })),
    },
    'rotate-secret': {
      usage: 'rotate-secret ID      a new signing secret; the old one also signs during the grace period',
      run: async (target, _flags, [id]) =>
        one(await callApi(target, 'POST', '/v2/callbacks/rotate-secret', { callBackQueueId: requiredNumber(id, 'ID') })),
    },
  },
};
