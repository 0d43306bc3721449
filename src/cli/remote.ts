/**
 * Runs a remote command group (`gridhook callbacks …`, `events …`, `parcels …`):
 * parses its flags, calls the REST API, prints a table or --json, and maps
 * failures to the documented exit codes.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ApiError, EXIT, UnreachableError, UsageError, apiTarget, type ApiTarget } from './api-client.js';

export type Flags = Record<string, string | boolean | undefined>;
type FlagSpec = NonNullable<ParseArgsConfig['options']>;

export interface Answer {
  /** What --json prints. */
  data: unknown;
  /** What a person reads. */
  human: string;
}

export interface RemoteCommand {
  /** One usage line, after "gridhook <group> ". */
  usage: string;
  flags?: FlagSpec;
  /** Answers what to print; null when the command printed as it went (a tail). */
  run(target: ApiTarget, flags: Flags, args: string[]): Promise<Answer | null>;
}

export interface CommandGroup {
  name: string;
  summary: string;
  commands: Record<string, RemoteCommand>;
}

export const COMMON_FLAGS: FlagSpec = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export const REMOTE_OPTIONS_USAGE = `Options of the remote commands:
  --url URL        the gridhook to talk to (or GRIDHOOK_URL)
  --api-key KEY    its API key (or GRIDHOOK_API_KEY)
  --json           print the API's answer as JSON instead of a table
Exit codes: 0 done, 1 usage mistake, 2 the API refused (its error code is printed), 3 gridhook unreachable.`;

export function groupUsage(group: CommandGroup): string {
  return Object.values(group.commands)
    .map((command) => `  gridhook ${group.name} ${command.usage}`)
    .join('\n');
}

/** A whole number flag or argument, named in the error when it is not one. */
export function wholeNumber(value: string | boolean | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) throw new UsageError(`${name} must be a whole number, got "${String(value)}".`);
  return Number(value);
}

export function requiredNumber(value: string | boolean | undefined, name: string): number {
  const number = wholeNumber(value, name);
  if (number === undefined) throw new UsageError(`${name} is required.`);
  return number;
}

export function text(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Drops the undefined members, so that the API sees only what was given. */
export function defined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

export async function runGroup(group: CommandGroup, argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [name, ...rest] = argv;
  const usage = `Usage:\n${groupUsage(group)}\n\n${REMOTE_OPTIONS_USAGE}\n`;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(usage);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = group.commands[name];
  if (!command) {
    process.stderr.write(`Unknown command "gridhook ${group.name} ${name}".\n\n${usage}`);
    return EXIT.usage;
  }
  try {
    const parsed = parseArgs({ args: rest, options: { ...COMMON_FLAGS, ...command.flags }, allowPositionals: true, strict: true });
    if (parsed.values.help) {
      process.stdout.write(`Usage: gridhook ${group.name} ${command.usage}\n\n${REMOTE_OPTIONS_USAGE}\n`);
      return EXIT.ok;
    }
    const target = apiTarget(parsed.values as { url?: string; 'api-key'?: string }, env);
    const answer = await command.run(target, parsed.values as Flags, parsed.positionals);
    if (answer === null) return EXIT.ok;
    process.stdout.write(parsed.values.json ? `${JSON.stringify(answer.data, null, 2)}\n` : answer.human);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(error as Error).message}\nUsage: gridhook ${group.name} ${command.usage}\n`);
      return EXIT.usage;
    }
    if (error instanceof ApiError) {
      process.stderr.write(`${error.code} (HTTP ${error.status}): ${error.message}\n`);
      return EXIT.api;
    }
    if (error instanceof UnreachableError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT.unreachable;
    }
    throw error;
  }
}
