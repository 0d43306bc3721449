import { formatDateTime } from '../domain/time-format.js';
import type { Principal } from '../domain/types.js';
import { GridhookError } from '../errors.js';
import type { Services } from '../services/index.js';
import type { Store } from '../store/store.js';
import { ROOT_LOGIN } from './root-key.js';

export const ADMIN_USAGE = `Directory commands (run as Root on the configured database; answer JSON):
  gridhook network create --name NAME
  gridhook network list
  gridhook mailbox create --network ID --name NAME
  gridhook mailbox list [--network ID]
  gridhook user create --login NAME --password PASS --role ROLE --network ID [--mailbox ID]
                       ROLE: Root, NetworkAdmin, NetworkUser, MailboxAdmin, MailboxUser
  gridhook user list [--network ID] [--mailbox ID]
  gridhook key generate --user ID      a new API key for the user (shown once; replaces the old)
  gridhook id create --mailbox ID --qualifier Q --id X [--description D]
                                       an ECGrid ID (trading-partner address, e.g. ZZ / ACME) owned by the mailbox
  gridhook id list [--network ID] [--mailbox ID] [--status S]
  gridhook id find --qualifier Q --id X [--network ID]
  gridhook id update --ecgrid-id N [--status S] [--description D]
                       S: Active, Suspended, Terminated`;

type Options = Record<string, string | undefined>;
type Command = (services: Services, root: Principal, options: Options) => Promise<unknown>;

const number = (options: Options, name: string, required = true): number | undefined => {
  const raw = options[name];
  if (raw === undefined) {
    if (required) throw new GridhookError('InvalidParameter', `--${name} is required`, { field: name });
    return undefined;
  }
  if (!/^\d+$/.test(raw)) throw new GridhookError('InvalidParameter', `--${name} must be a whole number, got "${raw}"`, { field: name });
  return Number(raw);
};

const text = (options: Options, name: string): string => {
  const raw = options[name];
  if (raw === undefined) throw new GridhookError('InvalidParameter', `--${name} is required`, { field: name });
  return raw;
};

export const ADMIN_COMMANDS: Record<string, Command> = {
  'network create': (s, root, o) => s.directory.createNetwork(root, { name: text(o, 'name') }),
  'network list': (s, root) => s.directory.listNetworks(root, { recordsPerPage: 500 }),
  'mailbox create': (s, root, o) =>
    s.directory.createMailbox(root, { networkId: number(o, 'network'), name: text(o, 'name') }),
  'mailbox list': (s, root, o) =>
    s.directory.listMailboxes(root, { networkId: number(o, 'network', false), recordsPerPage: 500 }),
  'user create': (s, root, o) =>
    s.directory.createUser(root, {
      loginName: text(o, 'login'),
      password: text(o, 'password'),
      role: text(o, 'role'),
      networkId: number(o, 'network', false),
      mailboxId: number(o, 'mailbox', false),
    }),
  'user list': (s, root, o) =>
    s.directory.listUsers(root, {
      networkId: number(o, 'network', false),
      mailboxId: number(o, 'mailbox', false),
      recordsPerPage: 500,
    }),
  'key generate': (s, root, o) => s.directory.generateKey(root, number(o, 'user') as number),
  'id create': (s, root, o) =>
    s.directory.createEcGridId(root, {
      mailboxId: number(o, 'mailbox'),
      qualifier: text(o, 'qualifier'),
      id: text(o, 'id'),
      description: o.description,
    }),
  'id list': (s, root, o) =>
    s.directory.listEcGridIds(root, {
      networkId: number(o, 'network', false),
      mailboxId: number(o, 'mailbox', false),
      status: o.status,
      recordsPerPage: 500,
    }),
  'id find': (s, root, o) =>
    s.directory.findEcGridId(root, {
      qualifier: text(o, 'qualifier'),
      id: text(o, 'id'),
      networkId: number(o, 'network', false),
    }),
  'id update': (s, root, o) =>
    s.directory.updateEcGridId(root, {
      ecGridId: number(o, 'ecgrid-id') as number,
      status: o.status,
      description: o.description,
    }),
};

/** The flags the directory commands take, parsed beside the settings. */
export const ADMIN_FLAGS = Object.fromEntries(
  ['name', 'network', 'mailbox', 'login', 'password', 'role', 'user', 'qualifier', 'id', 'description', 'status', 'ecgrid-id'].map(
    (o) => [o, { type: 'string' as const }],
  ),
);

export function adminCommandName(positionals: string[]): string | null {
  const name = `${positionals[0]} ${positionals[1]}`;
  return name in ADMIN_COMMANDS ? name : null;
}

/** The Root user acting from the command line. */
async function rootPrincipal(store: Store): Promise<Principal> {
  const found = await store.getUserByLogin(ROOT_LOGIN);
  if (!found || found.user.role !== 'Root') {
    throw new Error("No Root user yet: start the service once ('gridhook serve') or set GRIDHOOK_ADMIN_KEY.");
  }
  const { user } = found;
  return { userId: user.userId, loginName: user.loginName, role: 'Root', networkId: 1, mailboxId: 0, apiKeyId: 0 };
}

/** Dates as the API writes them (ISO 8601, UTC), not the store's epoch milliseconds. */
function isoDates(key: string, value: unknown): unknown {
  return /At$/.test(key) && typeof value === 'number' ? formatDateTime(value) : value;
}

/** Runs one directory command; prints its JSON answer or the error, and answers the exit code. */
export async function runAdminCommand(name: string, options: Options, services: Services, store: Store): Promise<number> {
  const command = ADMIN_COMMANDS[name] as Command;
  try {
    const result = await command(services, await rootPrincipal(store), options);
    process.stdout.write(`${JSON.stringify(result, isoDates, 2)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof GridhookError) {
      process.stderr.write(`${err.code}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
