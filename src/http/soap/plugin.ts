/**
 * The ECGridOS SOAP endpoint: GET serves the WSDLs, POST takes SOAP 1.1 envelopes, finds the
 * operation by the namespace and name of the Body's element, and answers with its result or a
 * fault. Registered without fastify-plugin on purpose: its XML body parsers and fault-rendering
 * error handler stay inside this plugin and never touch the REST routes.
 */
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { GridhookError } from '../../errors.js';
import { CONTRACTS, contractById, contractForNamespace, GUIDE_CONTRACT, type SoapContract } from './contracts.js';
import { checkSoapAction, DEFAULT_ENVELOPE_LIMITS, parseSoapEnvelope, soapActionOf } from './envelope.js';
import { FAULT_HTTP_STATUS, faultCodeOf, renderFault, SoapRequestError, toFaultError } from './fault.js';
import { buildRegistry, operationKey, type SoapOperations } from './operations.js';
import { checkDeclaredParams } from './params.js';
import { renderResponse } from './response.js';
import { escapeXml } from './xml.js';

export const SOAP_PATH = '/v4.1/prod/ECGridOS.asmx';

export interface SoapPluginOptions {
  operations: SoapOperations;
  /** Largest request body, in bytes. Default 64 KiB. */
  bodyLimit?: number;
  /** Deepest element nesting accepted. Default 32. */
  maxDepth?: number;
  /**
   * Where clients reach gridhook (`https://edi.example.com`), written into the WSDLs as the
   * endpoint address. Default: the scheme and Host of each WSDL request, which is right unless a
   * proxy in front rewrites them and Fastify's trustProxy is off.
   */
  publicUrl?: string;
}

const XML_TYPE = 'text/xml; charset=utf-8';
const XML_MEDIA_TYPES = ['text/xml', 'application/soap+xml'];

function unsupportedMediaType(): SoapRequestError {
  return new SoapRequestError('Send the SOAP 1.1 envelope with Content-Type: text/xml; charset=utf-8.', {
    code: 'UnsupportedMediaType',
    field: 'Content-Type',
  });
}

/** A Host header fit to be written into a document: a name or IP literal and an optional port. */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9._-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

function endpointAddress(request: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl !== undefined) return `${publicUrl.replace(/\/+$/, '')}${SOAP_PATH}`;
  const host = HOST.test(request.host) ? request.host : 'localhost';
  return `${request.protocol}://${host}${SOAP_PATH}`;
}

/** Fastify's own refusals (body too large, unknown Content-Type…) in the registry's words. */
function fromFastifyError(error: FastifyError | GridhookError): GridhookError {
  if (error instanceof GridhookError) return error;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new SoapRequestError('The request body is larger than this endpoint accepts.', {
        code: 'PayloadTooLarge',
        field: 'Envelope',
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return unsupportedMediaType();
    default:
      return (error.statusCode ?? 500) < 500
        ? new SoapRequestError(`The request could not be read: ${error.message}`, { field: 'Envelope' })
        : toFaultError(error);
  }
}

function sendFault(request: FastifyRequest, reply: FastifyReply, error: unknown, contract: SoapContract): FastifyReply {
  const fault = toFaultError(error);
  if (faultCodeOf(fault) === 'Server') request.log.error({ err: error }, 'SOAP request failed');
  else request.log.info({ code: fault.code, field: fault.field }, `SOAP fault: ${fault.message}`);
  if (fault.retryAfterSeconds !== undefined) reply.header('retry-after', String(fault.retryAfterSeconds));
  return reply.code(FAULT_HTTP_STATUS).type(XML_TYPE).send(renderFault(fault, contract.namespace));
}

function infoPage(): string {
  const sections = CONTRACTS.map((c) => {
    const link = c === GUIDE_CONTRACT ? '?WSDL' : `?WSDL&amp;contract=${c.id}`;
    const items = [...c.schema.operations.keys()].map((op) => `<li>${op}</li>`).join('');
    return `<h2>${escapeXml(c.namespace)} — <a href="${link}">WSDL</a></h2><ul>${items}</ul>`;
  });
  return (
    '<!doctype html><html><head><meta charset="utf-8"><title>gridhook ECGridOS SOAP endpoint</title></head><body>' +
    '<h1>ECGridOS SOAP endpoint</h1><p>POST SOAP 1.1 envelopes (Content-Type: text/xml) to this address.</p>' +
    `${sections.join('')}</body></html>`
  );
}

export const soapPlugin: FastifyPluginAsync<SoapPluginOptions> = async (app, options) => {
  const registry = buildRegistry(options.operations);
  const limits = {
    maxBytes: options.bodyLimit ?? DEFAULT_ENVELOPE_LIMITS.maxBytes,
    maxDepth: options.maxDepth ?? DEFAULT_ENVELOPE_LIMITS.maxDepth,
  };

  for (const type of XML_MEDIA_TYPES) if (app.hasContentTypeParser(type)) app.removeContentTypeParser(type);
  app.addContentTypeParser(XML_MEDIA_TYPES, { parseAs: 'string' }, (_request, body, done) => done(null, body));

  // The WSDLs describe these routes; an OpenAPI document of the app leaves them out.
  const hidden = { schema: { hide: true } };

  app.get(SOAP_PATH, hidden, async (request, reply) => {
    const query = request.query as Record<string, string | string[] | undefined>;
    const keys = Object.keys(query);
    if (!keys.some((k) => k.toLowerCase() === 'wsdl')) return reply.type('text/html; charset=utf-8').send(infoPage());
    const key = keys.find((k) => k.toLowerCase() === 'contract');
    const id = key === undefined ? GUIDE_CONTRACT.id : String(query[key]);
    const contract = contractById(id);
    if (contract === undefined) {
      const known = CONTRACTS.map((c) => c.id).join(', ');
      return reply
        .code(404)
        .type('text/plain; charset=utf-8')
        .send(`No WSDL contract "${id}"; contract is one of ${known}.`);
    }
    return reply.type(XML_TYPE).send(contract.wsdl(endpointAddress(request, options.publicUrl)));
  });

  app.post(
    SOAP_PATH,
    {
      ...hidden,
      bodyLimit: limits.maxBytes,
      // Before any body parser runs: a JSON or text/plain body would otherwise be parsed by the
      // app's own parsers and fail in their words, or reach the envelope reader as something else.
      onRequest: async (request) => {
        const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
        if (type !== undefined && type !== '' && !XML_MEDIA_TYPES.includes(type)) throw unsupportedMediaType();
      },
      errorHandler: (error: FastifyError | GridhookError, request, reply) =>
        sendFault(request, reply, fromFastifyError(error), GUIDE_CONTRACT),
    },
    async (request, reply) => {
      let contract = GUIDE_CONTRACT;
      try {
        const message = parseSoapEnvelope(typeof request.body === 'string' ? request.body : '', limits);
        const known = contractForNamespace(message.namespace);
        if (known === undefined) {
          const served = CONTRACTS.map((c) => `"${c.namespace}"`).join(' and ');
          throw new SoapRequestError(
            `No operations are served in namespace "${message.namespace}"; ` +
              `this endpoint serves ${served} (note the trailing slash).`,
            { field: message.operation },
          );
        }
        contract = known;
        const operation = contract.schema.operations.get(message.operation);
        if (operation === undefined) {
          const wsdl = `${SOAP_PATH}?WSDL${contract === GUIDE_CONTRACT ? '' : `&contract=${contract.id}`}`;
          throw new SoapRequestError(`${message.operation} is not an operation of ${contract.namespace}; see ${wsdl}.`, {
            field: message.operation,
          });
        }
        checkSoapAction(soapActionOf(request.headers), operation.soapAction);
        checkDeclaredParams(operation.name, message.params, operation.input);
        const registered = registry.get(operationKey(contract.namespace, operation.name));
        if (registered === undefined) {
          throw new GridhookError('ServiceUnavailable', `${operation.name} is not available on this server.`);
        }
        const result = await registered.handler(message.params, { request, log: request.log, contract, operation });
        return reply.type(XML_TYPE).send(renderResponse(contract.schema, operation, result));
      } catch (error) {
        return sendFault(request, reply, error, contract);
      }
    },
  );
};
