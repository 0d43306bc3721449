/**
 * Every failure becomes the REST error envelope
 * `{"success": false, "errorCode", "message", "data": null}` with the status
 * the error registry gives its code. Bad input of any kind is a 4xx naming
 * the field and the fix; only a bug or an outage is a 500, and its details go
 * to the log, never to the caller.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GridhookError, type ErrorCode } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { ErrorEnvelope } from './schemas.js';

/** The parts of an ajv error (with `verbose: true`) that a message is made from. */
interface ValidationIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  parentSchema?: Record<string, unknown>;
  message?: string;
}

export function envelope(error: GridhookError): ErrorEnvelope {
  return { success: false, errorCode: error.code, message: error.message, data: null };
}

export function sendError(reply: FastifyReply, error: GridhookError): FastifyReply {
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  return reply.code(error.httpStatus).type('application/json; charset=utf-8').send(envelope(error));
}

export function installErrorHandler(app: FastifyInstance, logger: Logger, bodyLimitBytes: number): void {
  app.setErrorHandler((raw: FastifyError | GridhookError | Error, request: FastifyRequest, reply: FastifyReply) => {
    const error = toGridhookError(raw, request, bodyLimitBytes);
    if (error.code === 'InternalError') {
      logger.error({ err: raw, reqId: request.id, method: request.method, url: request.url }, 'request failed');
    }
    return sendError(reply, error);
  });
}

function toGridhookError(error: unknown, request: FastifyRequest, bodyLimitBytes: number): GridhookError {
  if (error instanceof GridhookError) return error;
  const fastifyError = error as Partial<FastifyError> & { validation?: ValidationIssue[] };
  if (Array.isArray(fastifyError.validation) && fastifyError.validation.length > 0) {
    return fromValidation(fastifyError.validation[0] as ValidationIssue, fastifyError.validationContext);
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GridhookError(
        'UnsupportedMediaType',
        `Content-Type: "${request.headers['content-type'] ?? ''}" is not accepted; ` +
          'send the body as JSON with Content-Type: application/json.',
        { field: 'Content-Type' },
      );
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GridhookError(
        'PayloadTooLarge',
        `body: is larger than the limit of ${request.routeOptions.bodyLimit ?? bodyLimitBytes} bytes; send less per request.`,
        { field: 'body' },
      );
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new GridhookError('InvalidParameter', 'Content-Length: does not match the length of the body.', {
        field: 'Content-Length',
      });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new GridhookError('InvalidParameter', 'body: is not valid JSON; send a JSON object.', { field: 'body' });
    default:
      break;
  }
  // Anything else Fastify refuses itself (bad URL encoding, aborted uploads …)
  // is still the caller's doing when it carries a 4xx status.
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const byStatus: Partial<Record<number, ErrorCode>> = {
      404: 'ObjectNotFound',
      413: 'PayloadTooLarge',
      415: 'UnsupportedMediaType',
    };
    const code = byStatus[status] ?? 'InvalidParameter';
    return new GridhookError(code, `request: ${fastifyError.message ?? 'was refused'}.`);
  }
  return new GridhookError(
    'InternalError',
    `gridhook could not complete the request (request id ${request.id}); it has been logged. Try again later.`,
    { cause: error },
  );
}

/** One schema failure as `<field>: <what it must be>`. */
function fromValidation(issue: ValidationIssue, context: string | undefined): GridhookError {
  let path = fieldPath(issue.instancePath);
  let schema = issue.parentSchema;
  let message: string;
  if (issue.keyword === 'required') {
    const missing = String(issue.params.missingProperty ?? '');
    path = path ? `${path}.${missing}` : missing;
    const properties = schema?.properties as Record<string, Record<string, unknown>> | undefined;
    schema = properties?.[missing];
    message = `is required${schema ? ` and ${expectation(schema, issue)}` : ''}`;
  } else {
    message = schema ? expectation(schema, issue) : (issue.message ?? 'is not valid');
  }
  const field = path || (context === 'body' || context === undefined ? 'body' : context);
  return new GridhookError('InvalidParameter', `${field}: ${message}`, { field });
}

/** `/events/3/mailboxId` → `events[3].mailboxId` */
function fieldPath(instancePath: string): string {
  if (!instancePath) return '';
  return instancePath
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((out, part) => (/^\d+$/.test(part) ? `${out}[${part}]` : out ? `${out}.${part}` : part), '');
}

/** What a schema accepts, in words. */
function expectation(schema: Record<string, unknown>, issue: ValidationIssue): string {
  if (typeof schema['x-expect'] === 'string') return schema['x-expect'];
  if (Array.isArray(schema.enum)) return `must be one of ${schema.enum.join(', ')}`;
  if (schema.const !== undefined) return `must be ${JSON.stringify(schema.const)}`;
  const min = schema.minimum as number | undefined;
  const max = schema.maximum as number | undefined;
  switch (schema.type) {
    case 'integer':
    case 'number': {
      const kind = schema.type === 'integer' ? 'an integer' : 'a number';
      if (min !== undefined && max !== undefined) return `must be ${kind} from ${min} to ${max}`;
      if (min !== undefined) return `must be ${kind} of at least ${min}`;
      if (max !== undefined) return `must be ${kind} of at most ${max}`;
      return `must be ${kind}`;
    }
    case 'string': {
      const minLength = schema.minLength as number | undefined;
      const maxLength = schema.maxLength as number | undefined;
      if (minLength !== undefined && maxLength !== undefined) {
        return minLength === 0
          ? `must be a string of at most ${maxLength} characters`
          : `must be a string of ${minLength} to ${maxLength} characters`;
      }
      if (maxLength !== undefined) return `must be a string of at most ${maxLength} characters`;
      if (minLength !== undefined) return `must be a string of at least ${minLength} characters`;
      return 'must be a string';
    }
    case 'boolean':
      return 'must be true or false';
    case 'array': {
      const minItems = schema.minItems as number | undefined;
      const maxItems = schema.maxItems as number | undefined;
      if (minItems !== undefined && maxItems !== undefined) return `must be a list of ${minItems} to ${maxItems} items`;
      if (maxItems !== undefined) return `must be a list of at most ${maxItems} items`;
      return 'must be a list';
    }
    case 'object':
      return 'must be a JSON object';
    default:
      return issue.message ?? 'is not valid';
  }
}
