/**
 * Answers reach clients that are still sending. When gridhook answers before
 * it has read the whole request (a body over the limit, a refused key), Node
 * closes the connection with the rest unread, and a client that writes its
 * whole body before reading (Node's fetch, many HTTP libraries) gets EPIPE
 * instead of the answer. So the rest is read and dropped first, up to a bound
 * in bytes and time; a client sending more than that has its connection
 * closed, as before.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Read and dropped at most: four times the route's body limit, and never less than this. */
const MIN_DRAIN_BYTES = 32 * 1024 * 1024;
const DRAIN_MS = 5_000;

export function installUnreadBodyDrain(app: FastifyInstance, defaultLimitBytes: number): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const raw = request.raw;
    if (raw.complete || raw.readableEnded || raw.destroyed) return payload;
    const limit = request.routeOptions.bodyLimit ?? defaultLimitBytes;
    const drained = await drain(request, Math.max(4 * limit, MIN_DRAIN_BYTES), DRAIN_MS);
    if (!drained) reply.header('connection', 'close');
    return payload;
  });
}

/** Reads and drops the rest of the body; false when it is longer than maxBytes or slower than maxMs. */
function drain(request: FastifyRequest, maxBytes: number, maxMs: number): Promise<boolean> {
  const raw = request.raw;
  return new Promise((resolve) => {
    let seen = 0;
    const finish = (whole: boolean): void => {
      clearTimeout(timer);
      raw.off('data', onData);
      raw.off('end', onEnd);
      raw.off('error', onError);
      if (!whole) raw.pause();
      resolve(whole);
    };
    const onData = (chunk: Buffer): void => {
      seen += chunk.length;
      if (seen > maxBytes) finish(false);
    };
    const onEnd = (): void => finish(true);
    const onError = (): void => finish(false);
    const timer = setTimeout(() => finish(false), maxMs);
    raw.on('data', onData);
    raw.on('end', onEnd);
    raw.on('error', onError);
    raw.resume();
  });
}
