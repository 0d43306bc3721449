/**
 * The ECGridOS SOAP endpoint: GET serves the WSDLs, POST takes SOAP 1.1 (text/xml) and SOAP 1.2
 * (application/soap+xml) envelopes, finds the operation by the namespace and name of the Body's
 * element, and answers with its result or a fault in the version it was asked in. The HTTP GET and
 * POST bindings of the v4.1 contract live under it (http-bindings.ts). Registered without
 * fastify-plugin on purpose: its body parsers and error handlers stay inside this plugin and never
 * touch the REST routes.
 */
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { GridhookError } from '../../errors.js';
import { CONTRACTS, contractById, contractForNamespace, GUIDE_CONTRACT, type SoapContract } from './contracts.js';
import {
  checkSoapAction,
  DEFAULT_ENVELOPE_LIMITS,
  parseSoapEnvelope,
  soapActionOf,
  type SoapVersion,
} from './envelope.js';
import { FAULT_HTTP_STATUS, faultCodeOf, renderFault, SoapRequestError, toFaultError } from './fault.js';
import { registerHttpBindings } from './http-bindings.js';
import { buildRegistry, invokeOperation, type OperationGate, type SoapOperations } from './operations.js';
import { SOAP_PATH } from './path.js';
import { renderResponse } from './response.js';
import { escapeXml } from './xml.js';

export { SOAP_PATH };

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
  /** Awaited before each operation runs, by name (list pacing); may refuse it by throwing. */
  beforeOperation?: OperationGate;
}

const XML_TYPE = 'text/xml; charset=utf-8';
/** The media type of each SOAP version's HTTP binding (SOAP 1.1 §6.1.1, SOAP 1.2 part 2 §7.1.4). */
const MEDIA_TYPES: Record<SoapVersion, string> = { '1.1': 'text/xml', '1.2': 'application/soap+xml' };
const XML_MEDIA_TYPES = Object.values(MEDIA_TYPES);

function unsupportedMediaType(): SoapRequestError {
  return new SoapRequestError(
    'Send a SOAP 1.1 envelope with Content-Type: text/xml; charset=utf-8, or a SOAP 1.2 envelope with ' +
      'Content-Type: application/soap+xml; charset=utf-8; action="…".',
    { code: 'UnsupportedMediaType', field: 'Content-Type' },
  );
}

function mediaTypeOf(request: FastifyRequest): string | undefined {
  return request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
}

/** The SOAP version the Content-Type announces; undefined when it names neither. */
function announcedVersion(request: FastifyRequest): SoapVersion | undefined {
  const type = mediaTypeOf(request);
  return type === MEDIA_TYPES['1.2'] ? '1.2' : type === MEDIA_TYPES['1.1'] ? '1.1' : undefined;
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

function sendFault(
  request: FastifyRequest,
  reply: FastifyReply,
  error: unknown,
  contract: SoapContract,
  version: SoapVersion,
): FastifyReply {
  const fault = toFaultError(error);
  if (faultCodeOf(fault) === 'Server') request.log.error({ err: error }, 'SOAP request failed');
  else request.log.info({ code: fault.code, field: fault.field }, `SOAP fault: ${fault.message}`);
  if (fault.retryAfterSeconds !== undefined) reply.header('retry-after', String(fault.retryAfterSeconds));
  return reply
    .code(FAULT_HTTP_STATUS)
    .type(`${MEDIA_TYPES[version]}; charset=utf-8`)
    .send(renderFault(fault, contract.namespace, version));
}

function infoPage(): string {
  const sections = CONTRACTS.map((c) => {
    const link = c === GUIDE_CONTRACT ? '?WSDL' : `?WSDL&amp;contract=${c.id}`;
    const items = [...c.schema.operations.keys()].map((op) => `<li>${op}</li>`).join('');
    return `<h2>${escapeXml(c.namespace)} — <a href="${link}">WSDL</a></h2><ul>${items}</ul>`;
  });
  return (
    '<!doctype html><html><head><meta charset="utf-8"><title>gridhook ECGridOS SOAP endpoint</title></head><body>' +
    '<h1>ECGridOS SOAP endpoint</h1><p>POST SOAP 1.1 envelopes (Content-Type: text/xml) or SOAP 1.2 envelopes ' +
    '(Content-Type: application/soap+xml) to this address. The v4.1 operations also answer HTTP GET and POST ' +
    'at this address followed by /<i>Operation</i>.</p>' +
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
        const type = mediaTypeOf(request);
        if (type !== undefined && type !== '' && !XML_MEDIA_TYPES.includes(type)) throw unsupportedMediaType();
      },
      errorHandler: (error: FastifyError | GridhookError, request, reply) =>
        sendFault(request, reply, fromFastifyError(error), GUIDE_CONTRACT, announcedVersion(request) ?? '1.1'),
    },
    async (request, reply) => {
      let contract = GUIDE_CONTRACT;
      // Until the envelope is read, a fault is written in the version the Content-Type announces.
      let version = announcedVersion(request) ?? '1.1';
      try {
        const message = parseSoapEnvelope(typeof request.body === 'string' ? request.body : '', limits);
        version = message.version;
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
        await options.beforeOperation?.(operation.name, reply);
        const result = await invokeOperation(registry, contract, operation, message.params, request);
        return reply
          .type(`${MEDIA_TYPES[version]}; charset=utf-8`)
          .send(renderResponse(contract.schema, operation, result, version));
      } catch (error) {
        return sendFault(request, reply, error, contract, version);
      }
    },
  );

  registerHttpBindings(app, {
    registry,
    bodyLimit: limits.maxBytes,
    ...(options.beforeOperation && { beforeOperation: options.beforeOperation }),
  });
};
