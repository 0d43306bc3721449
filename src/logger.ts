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
  // Callback credentials, the signing secret and settings that hold keys,
  // wherever a log call might carry them.
  'password',
  'secret',
  'apiKey',
  'basicAuth',
  'customHeaders',
  '*.basicAuth',
  '*.customHeaders',
  '*.previousSecret',
  '*.adminKey',
  '*.encryptionKey',
  'req.headers["proxy-authorization"]',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' } }, destination ?? process.stdout);
}

export type { Logger };
