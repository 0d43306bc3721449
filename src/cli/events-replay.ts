/**
 * `gridhook events replay`: sends a span of a callback's events again
 * (POST /v2/callbacks/events/replay), or shows a replay job's progress
 * (GET /v2/callbacks/events/replay/{id}); with --wait it follows the job
 * until it is Completed, with a progress line when stderr is a terminal.
 */
import { UsageError, callApi, type ApiTarget } from './api-client.js';
import { requiredNumber, wholeNumber, type Answer, type Flags } from './remote.js';
import { formatRecord } from './table.js';

export interface ReplayJob {
  replayId: number;
  callBackQueueId: number;
  since: string;
  until: string;
  statuses: string[];
  status: 'Running' | 'Completed';
  replayed: number;
  scanned: number;
  lastEventId: number;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

const STATUSES = ['Failed', 'Delivered', 'Canceled'];
/** The API's own rule for since and until: a date, a time and a zone. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const POLL_MS = 500;

export const REPLAY_USAGE =
  'replay --callback ID --since ISO [--until ISO] [--status Failed,Delivered,Canceled] [--wait] | replay JOB [--wait]      send a span of events again (default: the Failed ones; until: now) / a replay\'s progress';

function dateTime(value: string | boolean | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    throw new UsageError(`${flag} must be an ISO 8601 date and time with a zone, e.g. 2026-12-01T14:00:00Z, got "${String(value)}".`);
  }
  return value;
}

function statuses(value: string | boolean | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const names = String(value)
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const known = names.map((name) => STATUSES.find((status) => status.toLowerCase() === name.toLowerCase()));
  const unknown = names.filter((_, i) => known[i] === undefined);
  if (names.length === 0 || unknown.length > 0) {
    throw new UsageError(`--status takes a comma-separated list of ${STATUSES.join(', ')}, got "${String(value)}".`);
  }
  return [...new Set(known as string[])];
}

function progressText(job: ReplayJob): string {
  const made = `${job.replayed.toLocaleString('en-US')} made Pending again`;
  return `Replay ${job.replayId} of callback ${job.callBackQueueId}: ${job.status}, ${job.scanned.toLocaleString('en-US')} events looked at, ${made}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls the job until it is Completed; the progress line is rewritten in place on a terminal only. */
async function follow(target: ApiTarget, job: ReplayJob): Promise<ReplayJob> {
  const terminal = process.stderr.isTTY === true;
  if (terminal) process.stderr.write('Following the replay (Ctrl-C stops following; the replay goes on).\n');
  for (;;) {
    if (terminal) process.stderr.write(`\r\x1b[K${progressText(job)}`);
    if (job.status === 'Completed') break;
    await sleep(POLL_MS);
    job = await callApi<ReplayJob>(target, 'GET', `/v2/callbacks/events/replay/${job.replayId}`);
  }
  if (terminal) process.stderr.write('\n');
  return job;
}

function human(job: ReplayJob, waited: boolean): string {
  const record = formatRecord(job as unknown as Record<string, unknown>);
  if (job.status === 'Completed') {
    return `${record}Replay ${job.replayId} is done: ${job.replayed} event${job.replayed === 1 ? '' : 's'} of ${job.scanned} looked at made Pending again.\n`;
  }
  return waited ? record : `${record}Follow it with: gridhook events replay ${job.replayId} --wait\n`;
}

export async function runReplay(target: ApiTarget, flags: Flags, [id]: string[]): Promise<Answer> {
  const jobId = wholeNumber(id, 'JOB');
  const wait = flags.wait === true;
  let job: ReplayJob;
  if (jobId !== undefined) {
    if (flags.callback !== undefined || flags.since !== undefined || flags.until !== undefined || flags.status !== undefined) {
      throw new UsageError('Either start a replay (--callback ID --since ISO …) or show one (replay JOB), not both.');
    }
    job = await callApi<ReplayJob>(target, 'GET', `/v2/callbacks/events/replay/${jobId}`);
  } else {
    const callBackQueueId = requiredNumber(flags.callback, '--callback');
    const since = dateTime(flags.since, '--since');
    if (since === undefined) throw new UsageError('--since is required: the first creation time of the span, e.g. --since 2026-12-01T14:00:00Z.');
    const until = dateTime(flags.until, '--until');
    if (until !== undefined && Date.parse(until) <= Date.parse(since)) throw new UsageError(`--until (${until}) must be after --since (${since}).`);
    const body: Record<string, unknown> = { callBackQueueId, since };
    if (until !== undefined) body.until = until;
    const wanted = statuses(flags.status);
    if (wanted !== undefined) body.statuses = wanted;
    job = await callApi<ReplayJob>(target, 'POST', '/v2/callbacks/events/replay', body);
  }
  if (wait) job = await follow(target, job);
  return { data: job, human: human(job, wait) };
}
