import { parseArgs } from 'node:util';
import { ConfigError, SETTINGS, describeSettings, loadConfig } from '../config.js';
import { createLogger, type LogFormat } from '../logger.js';
import { describeDatabaseUrl, openStore } from '../store/open-store.js';
import { BACKUP_USAGE, BackupError, backup, restore } from './backup-commands.js';
import { ADMIN_COMMANDS, ADMIN_FLAGS, ADMIN_USAGE, adminCommandName, runAdminCommand } from './admin.js';
import { CALLBACKS } from './callbacks-commands.js';
import { COMPLETION_USAGE, bashCompletion, zshCompletion, type CompletionTable } from './completion.js';
import { EVENTS } from './events-commands.js';
import { LISTEN_FLAGS, LISTEN_USAGE, runListen } from './listen.js';
import { PARCELS } from './parcels-commands.js';
import { COMMON_FLAGS, REMOTE_OPTIONS_USAGE, groupUsage, runGroup, type CommandGroup } from './remote.js';
import { runService } from './run-service.js';
import { createRuntime } from './runtime.js';

const USAGE = `gridhook — callbacks (webhooks) for EDI networks, speaking the ECGrid REST v2 and ECGridOS SOAP APIs

Usage: gridhook <command> [options]

Commands:
  serve      serve the API and deliver events in one process (what npm start runs)
  api        serve the REST and SOAP API only
  worker     deliver events only
  migrate    create or upgrade the database schema, then exit

${ADMIN_USAGE}

${BACKUP_USAGE}

Remote commands (over the REST API of a running gridhook, local or not):
${[CALLBACKS, EVENTS, PARCELS].map(groupUsage).join('\n')}
${LISTEN_USAGE}

${REMOTE_OPTIONS_USAGE}

${COMPLETION_USAGE}

Settings (flag, environment variable, meaning):
${describeSettings()}

Run 'gridhook help' or 'gridhook --help' for this text.
`;

const settingFlags = Object.fromEntries(
  Object.values(SETTINGS).map((s) => [
    s.flag,
    { type: typeof s.default === 'boolean' ? ('boolean' as const) : ('string' as const) },
  ]),
);

/** The command groups that talk to a gridhook over HTTP, each parsing its own flags. */
const REMOTE_GROUPS: Record<string, CommandGroup> = { callbacks: CALLBACKS, events: EVENTS, parcels: PARCELS };

const SERVICE_COMMANDS = ['serve', 'api', 'worker', 'migrate', 'backup', 'restore'];

function longFlags(spec: object): string[] {
  return Object.keys(spec).map((name) => `--${name}`);
}

/** Every command and flag, from the tables the commands themselves are parsed with. */
function completionTable(): CompletionTable {
  const table: CompletionTable = { commands: [...SERVICE_COMMANDS, 'listen', 'completion', 'help'], subcommands: { completion: ['bash', 'zsh'] }, flags: {} };
  for (const service of SERVICE_COMMANDS) table.flags[service] = longFlags(settingFlags);
  table.flags.listen = longFlags(LISTEN_FLAGS);
  for (const name of Object.keys(ADMIN_COMMANDS)) {
    const [object, verb] = name.split(' ') as [string, string];
    if (!table.commands.includes(object)) table.commands.push(object);
    (table.subcommands[object] ??= []).push(verb);
    table.flags[name] = longFlags({ ...ADMIN_FLAGS, ...settingFlags });
  }
  for (const group of Object.values(REMOTE_GROUPS)) {
    table.commands.push(group.name);
    table.subcommands[group.name] = Object.keys(group.commands);
    for (const [name, command] of Object.entries(group.commands)) {
      table.flags[`${group.name} ${name}`] = longFlags({ ...COMMON_FLAGS, ...command.flags });
    }
  }
  return table;
}

/** Runs the CLI; answers the exit code. Long-running commands resolve once started. */
export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  const group = first === undefined ? undefined : REMOTE_GROUPS[first];
  if (group) return runGroup(group, rest, process.env);
  if (first === 'listen') return runListen(rest, process.env);
  if (first === 'completion') {
    const shell = rest[0];
    if (rest.length !== 1 || (shell !== 'bash' && shell !== 'zsh')) {
      process.stderr.write(`Which shell? gridhook completion bash, or gridhook completion zsh${shell === undefined ? '' : ` (got "${rest.join(' ')}")`}.\n`);
      return 2;
    }
    process.stdout.write(shell === 'bash' ? bashCompletion(completionTable()) : zshCompletion(completionTable()));
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...settingFlags, ...ADMIN_FLAGS, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\nRun 'gridhook --help' to see the commands and settings.\n`);
    return 2;
  }
  const [command = 'help'] = parsed.positionals;
  if (parsed.values.help || command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }

  let config;
  try {
    config = loadConfig(parsed.values as Record<string, string | boolean | undefined>, process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Invalid setting: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (command === 'backup' || command === 'restore') {
    try {
      const file = parsed.positionals[1];
      process.stdout.write(command === 'backup' ? await backup(config.databaseUrl, file) : await restore(config.databaseUrl, file));
      return 0;
    } catch (err) {
      if (!(err instanceof BackupError)) throw err;
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
  }
  const adminCommand = adminCommandName(parsed.positionals);
  if (adminCommand) {
    // stdout carries the command's JSON answer; diagnostics go to stderr.
    const runtime = await createRuntime(config, createLogger('warn', process.stderr), 'admin');
    try {
      return await runAdminCommand(adminCommand, parsed.values as Record<string, string | undefined>, runtime.services, runtime.store);
    } finally {
      await runtime.close(0);
    }
  }

  const logger = createLogger(config.logLevel, undefined, config.logFormat as LogFormat);
  switch (command) {
    case 'serve':
      await runService(config, { api: true, worker: true }, logger);
      return 0;
    case 'api':
      await runService(config, { api: true, worker: false }, logger);
      return 0;
    case 'worker':
      await runService(config, { api: false, worker: true }, logger);
      return 0;
    case 'migrate': {
      const store = await openStore(config.databaseUrl);
      try {
        await store.migrate();
        process.stdout.write(`Database ${describeDatabaseUrl(config.databaseUrl)} is up to date.\n`);
      } finally {
        await store.close();
      }
      return 0;
    }
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}
