import { pino, type Logger } from 'pino';

/**
 * Secrets never reach a log line: these paths are redacted wherever they
 * appear in a logged object (request headers, bodies, errors).
 */
const REDACT = [
  'req.headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers["x-api-key"]',
  'headers.authorization',
  '*.password',
  '*.secret',
  '*.apiKey',
  '*.keyHash',
  '*.sessionId',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' } }, destination ?? process.stdout);
}

export type { Logger };
