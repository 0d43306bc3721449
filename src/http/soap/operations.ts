/**
 * The handler registry: one function per (contract, operation), typed by what the WSDL says the
 * operation answers. Handlers read their parameters with params.ts, call the services and return
 * the `<Operation>Result` value; errors they throw become faults.
 */
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import { GridhookError } from '../../errors.js';
import { CONTRACTS, type SoapContract } from './contracts.js';
import type { EcgridosOperation, EcgridosResults } from './ecgridos-types.js';
import type { SoapStruct } from './envelope.js';
import type { GuideOperation, GuideResults } from './guide-wsdl.js';
import { checkDeclaredParams } from './params.js';
import type { OperationInfo } from './schema.js';

export interface SoapContext {
  request: FastifyRequest;
  log: FastifyBaseLogger;
  contract: SoapContract;
  operation: OperationInfo;
}

export type SoapHandler<Result> = (params: SoapStruct, context: SoapContext) => Promise<Result>;

/** Handlers by contract and operation name; an operation without one answers ServiceUnavailable. */
export interface SoapOperations {
  guide?: { [Op in GuideOperation]?: SoapHandler<GuideResults[Op]> };
  ecgridos?: { [Op in EcgridosOperation]?: SoapHandler<EcgridosResults[Op]> };
}

export interface RegisteredOperation {
  contract: SoapContract;
  operation: OperationInfo;
  handler: SoapHandler<unknown>;
}

/** Clark notation, `{namespace}local`: the operation's identity on the wire. */
export function operationKey(namespace: string, operation: string): string {
  return `{${namespace}}${operation}`;
}

/**
 * Flattens `operations` into a lookup by operation key. A handler for an operation its contract's
 * WSDL does not declare is refused here, at startup, rather than being unreachable.
 */
export function buildRegistry(operations: SoapOperations): Map<string, RegisteredOperation> {
  const registry = new Map<string, RegisteredOperation>();
  for (const contract of CONTRACTS) {
    const handlers = (operations[contract.id] ?? {}) as Record<string, SoapHandler<unknown> | undefined>;
    for (const [name, handler] of Object.entries(handlers)) {
      if (handler === undefined) continue;
      const operation = contract.schema.operations.get(name);
      if (operation === undefined) {
        throw new Error(`SOAP handler ${name} has no operation in the ${contract.id} WSDL (${contract.namespace})`);
      }
      registry.set(operationKey(contract.namespace, name), { contract, operation, handler });
    }
  }
  return registry;
}

/** Awaited before an operation runs, whichever binding carried it; throwing refuses the call. */
export type OperationGate = (operation: string, reply: FastifyReply) => Promise<void>;

/**
 * Runs one operation on parameters already read from the wire, whichever binding carried them
 * (a SOAP 1.1 or 1.2 envelope, a query string, a form): undeclared parameters are refused, then
 * the handler answers its `<Operation>Result` value.
 */
export async function invokeOperation(
  registry: ReadonlyMap<string, RegisteredOperation>,
  contract: SoapContract,
  operation: OperationInfo,
  params: SoapStruct,
  request: FastifyRequest,
): Promise<unknown> {
  checkDeclaredParams(operation.name, params, operation.input);
  const registered = registry.get(operationKey(contract.namespace, operation.name));
  if (registered === undefined) {
    throw new GridhookError('ServiceUnavailable', `${operation.name} is not available on this server.`);
  }
  return registered.handler(params, { request, log: request.log, contract, operation });
}
