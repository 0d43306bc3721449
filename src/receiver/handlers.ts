/**
 * Ready-made receivers: verify, hand the event to your code, answer. Your
 * handler should be quick (queue slow work): gridhook waits for the answer
 * and retries on a timeout.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { WebhookError } from './errors.js';
import { verifyWebhook, type GridhookEvent } from './verify.js';

export interface HandlerOptions {
  /** The callback's whsec_ secret, or the old and new ones while you rotate yours. */
  secret: string | readonly string[];
  /** Called once per verified delivery; throwing answers 500, so gridhook retries. */
  onEvent(event: GridhookEvent, webhookId: string): void | Promise<void>;
  /** Called with every refused delivery (log it); the answer is 401 or 400 either way. */
  onRefused?(error: WebhookError): void;
  /** The largest body read, in bytes; deliveries are a few hundred. Default 64 KiB. */
  maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

type RequestWithBody = IncomingMessage & { body?: unknown };

async function readBody(request: RequestWithBody, limit: number): Promise<Buffer> {
  // Express with express.raw() (or text()) has read it already.
  if (Buffer.isBuffer(request.body)) return request.body;
  if (typeof request.body === 'string') return Buffer.from(request.body);
  if (request.body !== undefined && request.readableEnded) {
    throw new TypeError(
      'the body was parsed before the webhook handler saw it; mount the handler with express.raw({ type: "application/json" }) so it gets the exact bytes that were signed',
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new WebhookBodyTooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

class WebhookBodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the body is over ${limit} bytes`);
  }
}

function answer(response: ServerResponse, status: number, body: Record<string, unknown>): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * A `(req, res)` handler for node:http, Express, Connect or anything of that shape:
 *
 *   http.createServer(nodeWebhookHandler({ secret, onEvent })).listen(9000);
 *   app.post('/webhooks/ecgrid', express.raw({ type: 'application/json' }), nodeWebhookHandler({ secret, onEvent }));
 */
export function nodeWebhookHandler(options: HandlerOptions): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  return async (request, response) => {
    let body: Buffer;
    try {
      body = await readBody(request, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    } catch (error) {
      if (error instanceof WebhookBodyTooLarge) return answer(response, 413, { error: 'BodyTooLarge', message: error.message });
      throw error;
    }
    let event: GridhookEvent;
    try {
      event = verifyWebhook(body, request.headers, options.secret);
    } catch (error) {
      if (!(error instanceof WebhookError)) throw error;
      options.onRefused?.(error);
      return answer(response, error.status, { error: error.code, message: error.message });
    }
    try {
      await options.onEvent(event, request.headers['webhook-id'] as string);
    } catch {
      return answer(response, 500, { error: 'HandlerFailed', message: 'the event could not be handled; gridhook will retry' });
    }
    answer(response, 200, { received: true });
  };
}

export interface FastifyWebhookOptions extends HandlerOptions {
  /** Where deliveries are posted. Default /webhooks/ecgrid, the guide's path. */
  path?: string;
}

/**
 * A Fastify plugin adding the receiving route. It reads JSON bodies as text
 * inside its own encapsulated context, so the rest of your app keeps its parser:
 *
 *   await app.register(fastifyWebhookReceiver, { secret, onEvent });
 */
export async function fastifyWebhookReceiver(app: FastifyInstance, options: FastifyWebhookOptions): Promise<void> {
  // Registered without fastify-plugin, this function is its own encapsulated context.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.post(
    options.path ?? '/webhooks/ecgrid',
    { bodyLimit: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES },
    async (request: FastifyRequest, reply: FastifyReply) => {
      let event: GridhookEvent;
      try {
        event = verifyWebhook(Buffer.isBuffer(request.body) ? request.body : '', request.headers, options.secret);
      } catch (error) {
        if (!(error instanceof WebhookError)) throw error;
        options.onRefused?.(error);
        return reply.code(error.status).send({ error: error.code, message: error.message });
      }
      try {
        await options.onEvent(event, request.headers['webhook-id'] as string);
      } catch {
        return reply.code(500).send({ error: 'HandlerFailed', message: 'the event could not be handled; gridhook will retry' });
      }
      return reply.code(200).send({ received: true });
    },
  );
}
