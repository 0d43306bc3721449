import { pino, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';

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

export type LogFormat = 'auto' | 'json' | 'pretty';

/**
 * JSON lines for log collectors; for a person at a terminal (`auto` with a
 * TTY, or `pretty`) the same records as coloured one-liners with their fields
 * beneath. Redaction happens before either, so both are free of secrets.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream, format: LogFormat = 'auto'): Logger {
  const out = destination ?? process.stdout;
  const pretty = format === 'pretty' || (format === 'auto' && (out as { isTTY?: boolean }).isTTY === true);
  const options = { level, redact: { paths: REDACT, censor: '[redacted]' } };
  if (!pretty) return pino(options, out);
  // In this thread, not a transport worker: a line is written before a crash
  // that follows it, and the CLI's process.exit loses nothing.
  const stream = PinoPretty({
    destination: out,
    sync: true,
    colorize: (out as { isTTY?: boolean }).isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
  });
  return pino(options, stream);
}

export type { Logger };
