/**
 * `gridhook listen`: a local receiver for trying callbacks out. It verifies
 * each delivery (when given the secret), prints it, and answers the status
 * asked for, so that retries and failures can be watched too.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { WebhookError } from '../receiver/errors.js';
import { verifyWebhook } from '../receiver/verify.js';
import { EXIT } from './api-client.js';

export const LISTEN_USAGE = `  gridhook listen [--port 9000] [--host 127.0.0.1] [--secret whsec_…] [--status 200]
                       a local receiver: verifies (with --secret or WEBHOOK_SECRET) and prints each
                       delivery, answering --status (try 500 to watch retries)`;

const MAX_BODY_BYTES = 1024 * 1024;

function describe(request: http.IncomingMessage, body: string, secret: string | undefined): { verdict: string; refused: boolean } {
  if (!secret) return { verdict: 'not verified (no --secret)', refused: false };
  try {
    verifyWebhook(body, request.headers, secret.split(/\s+/).filter(Boolean));
    return { verdict: 'signature verified', refused: false };
  } catch (error) {
    if (error instanceof WebhookError) return { verdict: `REFUSED ${error.code}: ${error.message}`, refused: true };
    throw error;
  }
}

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

export const LISTEN_FLAGS = {
  port: { type: 'string', default: '9000' },
  host: { type: 'string', default: '127.0.0.1' },
  secret: { type: 'string' },
  status: { type: 'string', default: '200' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Starts listening; resolves once it serves (the process then runs until stopped). */
export async function runListen(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: LISTEN_FLAGS,
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\nUsage:\n${LISTEN_USAGE}\n`);
    return EXIT.usage;
  }
  if (values.help) {
    process.stdout.write(`Usage:\n${LISTEN_USAGE}\n`);
    return EXIT.ok;
  }
  const port = Number(values.port);
  const status = Number(values.status);
  if (!/^\d+$/.test(values.port) || port > 65535) {
    process.stderr.write(`--port must be 0 to 65535, got "${values.port}".\n`);
    return EXIT.usage;
  }
  if (!/^\d{3}$/.test(values.status) || status < 200 || status > 599) {
    process.stderr.write(`--status must be an HTTP status from 200 to 599, got "${values.status}".\n`);
    return EXIT.usage;
  }
  const secret = values.secret ?? env.WEBHOOK_SECRET;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const { verdict, refused } = describe(request, body, secret);
      const answered = refused ? 401 : status;
      process.stdout.write(
        `${new Date().toISOString()} ${request.method} ${request.url} webhook-id=${request.headers['webhook-id'] ?? '-'} ` +
          `(${verdict}) → ${answered}\n${pretty(body)}\n\n`,
      );
      response.writeHead(answered, { 'content-type': 'application/json' }).end(JSON.stringify({ received: !refused }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, values.host, resolve);
  });
  const address = server.address() as AddressInfo;
  process.stdout.write(
    `Listening on http://${values.host}:${address.port}/ (any path); ${secret ? 'verifying signatures' : 'not verifying: pass --secret whsec_…'}; answering ${status}. Ctrl-C stops.\n`,
  );
  const stop = (): void => {
    server.close();
    server.closeAllConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return EXIT.ok;
}
