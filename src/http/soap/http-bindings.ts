/**
 * The HTTP GET and HTTP POST bindings of the ECGridOS v4.1 contract, as ASMX serves them:
 * `GET …/ECGridOS.asmx/Operation?Param=…` and `POST …/ECGridOS.asmx/Operation` with a form body,
 * parameters named as the WSDL's HttpGet/HttpPost messages name them (the same names as the SOAP
 * elements). The answer is the bare XML document XmlSerializer writes for the result; an error is
 * a 500 with a plain-text reason, as ASMX answers. These are thin transports: the operations, their
 * parameter checks and their errors are the SOAP ones.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GridhookError } from '../../errors.js';
import { ECGRIDOS_CONTRACT } from './contracts.js';
import type { SoapStruct } from './envelope.js';
import { toFaultError } from './fault.js';
import { invokeOperation, type OperationGate, type RegisteredOperation } from './operations.js';
import { SOAP_PATH } from './path.js';
import { renderHttpResult } from './response.js';
import { hasNonXmlChar } from './xml.js';

const FORM_TYPE = 'application/x-www-form-urlencoded';

/** ASMX answers every error of these bindings with 500 and text; the reason says whose it is. */
const ERROR_STATUS = 500;

function badRequest(
  message: string,
  field: string,
  code: 'InvalidParameter' | 'UnsupportedMediaType' = 'InvalidParameter',
): GridhookError {
  return new GridhookError(code, message, { field });
}

/**
 * Name/value pairs as the handlers read SOAP parameters: text by name, a repeated name as its
 * values (refused later as "sent more than once"). Values XML cannot carry are refused here, so
 * whatever a handler stores can be written back in any binding.
 */
function paramsOf(encoded: string): SoapStruct {
  const params = Object.create(null) as SoapStruct;
  for (const [name, value] of new URLSearchParams(encoded)) {
    if (hasNonXmlChar(name) || hasNonXmlChar(value)) {
      throw badRequest(`${name}: contains characters that XML does not allow.`, name);
    }
    const existing = params[name];
    if (existing === undefined) params[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else params[name] = [existing, value];
  }
  return params;
}

function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const known = toFaultError(error);
  if (known.soapFault === 'Server') request.log.error({ err: error }, 'HTTP binding request failed');
  else request.log.info({ code: known.code, field: known.field }, `HTTP binding error: ${known.message}`);
  if (known.retryAfterSeconds !== undefined) reply.header('retry-after', String(known.retryAfterSeconds));
  return reply.code(ERROR_STATUS).type('text/plain; charset=utf-8').send(`${known.code}: ${known.message}`);
}

/** Fastify's own refusals (body too large, unreadable…) in the registry's words. */
function fromFastifyError(error: FastifyError | GridhookError): GridhookError {
  if (error instanceof GridhookError) return error;
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new GridhookError('PayloadTooLarge', 'The request body is larger than this endpoint accepts.');
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return badRequest(`Send the parameters as ${FORM_TYPE}.`, 'Content-Type', 'UnsupportedMediaType');
  }
  return (error.statusCode ?? 500) < 500
    ? badRequest(`The request could not be read: ${error.message}`, 'Body')
    : toFaultError(error);
}

export interface HttpBindingOptions {
  registry: ReadonlyMap<string, RegisteredOperation>;
  bodyLimit: number;
  beforeOperation?: OperationGate;
}

export function registerHttpBindings(app: FastifyInstance, options: HttpBindingOptions): void {
  const contract = ECGRIDOS_CONTRACT;
  const served = [...contract.schema.operations.values()].filter((op) => op.httpResult !== undefined);

  app.addContentTypeParser(FORM_TYPE, { parseAs: 'string' }, (_request, body, done) => done(null, body));

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      const { operation: name } = request.params as { operation: string };
      const operation = served.find((op) => op.name === name);
      if (operation === undefined) {
        const near = served.find((op) => op.name.toLowerCase() === name.toLowerCase());
        const hint = near === undefined ? '' : ` Did you mean ${near.name}? (names are case-sensitive)`;
        const what =
          name === ''
            ? `Name the operation after the endpoint (${SOAP_PATH}/Operation)`
            : `${name} is not an operation of ${contract.namespace} served over HTTP GET and POST`;
        throw badRequest(`${what}; they are ${served.map((op) => op.name).join(', ')}.${hint}`, name || 'Operation');
      }
      let encoded: string;
      if (request.method === 'POST') {
        const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
        if (type !== FORM_TYPE && !(type === undefined && request.body === undefined)) {
          throw badRequest(
            `Send the parameters of ${name} as ${FORM_TYPE}, or as a query string with GET.`,
            'Content-Type',
            'UnsupportedMediaType',
          );
        }
        encoded = typeof request.body === 'string' ? request.body : '';
      } else {
        const query = request.url.indexOf('?');
        encoded = query === -1 ? '' : request.url.slice(query + 1);
      }
      await options.beforeOperation?.(operation.name, reply);
      const result = await invokeOperation(options.registry, contract, operation, paramsOf(encoded), request);
      return reply.type('text/xml; charset=utf-8').send(renderHttpResult(contract.schema, operation, result));
    } catch (error) {
      return sendError(request, reply, error);
    }
  };

  const route = {
    schema: { hide: true },
    bodyLimit: options.bodyLimit,
    errorHandler: (error: FastifyError | GridhookError, request: FastifyRequest, reply: FastifyReply) =>
      sendError(request, reply, fromFastifyError(error)),
  };
  app.get(`${SOAP_PATH}/:operation`, route, handle);
  app.post(`${SOAP_PATH}/:operation`, route, handle);
}
