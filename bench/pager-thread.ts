/**
 * The paging client of bench/list-cost.ts, on a thread of its own: in the
 * bench's main thread its fetches and JSON parsing would take turns with the
 * receiver's, and slow the deliveries it is meant to measure gridhook against.
 * Pages through every event by cursor, 100 a page, at the given rate, until
 * told to stop. Says 'paging' after its first page (so that a drain starts
 * beside a client already under way), and the pages it read when stopped.
 */
import { parentPort, workerData } from 'node:worker_threads';

const { base, key, perSecond } = workerData as { base: string; key: string; perSecond: number };
let paging = true;
parentPort!.once('message', () => {
  paging = false;
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let pages = 0;
let next: string | null = null;
let due = performance.now();
while (paging) {
  due += 1000 / perSecond;
  await sleep(Math.max(0, due - performance.now()));
  const response = await fetch(`${base}/v2/callbacks/queue-list`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'content-type': 'application/json' },
    body: JSON.stringify({ recordsPerPage: 100, ...(next && { cursor: next }) }),
  });
  const answer = (await response.json()) as { success: boolean; data: { nextCursor: string | null } };
  if (!answer.success) throw new Error(`queue-list: ${JSON.stringify(answer)}`);
  next = answer.data.nextCursor;
  pages += 1;
  if (pages === 1) parentPort!.postMessage('paging');
}
parentPort!.postMessage(pages);
