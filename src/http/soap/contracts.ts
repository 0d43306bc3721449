/**
 * The two SOAP contracts served on one endpoint, told apart by the namespace of the request's
 * operation element: the guide's (http://www.ecgridos.net/) and the real ECGridOS v4.1 subset
 * (https://os.ecgrid.io/).
 */
import { ECGRIDOS_NAMESPACE } from './ecgridos-types.js';
import { ecgridosWsdl } from './ecgridos-wsdl.js';
import { GUIDE_NAMESPACE, guideWsdl } from './guide-wsdl.js';
import { compileWsdl, type ContractSchema } from './schema.js';

export type ContractId = 'guide' | 'ecgridos';

export interface SoapContract {
  id: ContractId;
  namespace: string;
  /** The WSDL document with `address` as the endpoint. */
  wsdl(address: string): string;
  /** The operations and types the WSDL declares. */
  readonly schema: ContractSchema;
}

function contract(id: ContractId, namespace: string, wsdl: (address: string) => string): SoapContract {
  let schema: ContractSchema | undefined;
  return {
    id,
    namespace,
    wsdl,
    get schema() {
      schema ??= compileWsdl(wsdl('http://localhost/'));
      return schema;
    },
  };
}

export const GUIDE_CONTRACT = contract('guide', GUIDE_NAMESPACE, guideWsdl);
export const ECGRIDOS_CONTRACT = contract('ecgridos', ECGRIDOS_NAMESPACE, ecgridosWsdl);
export const CONTRACTS: readonly SoapContract[] = [GUIDE_CONTRACT, ECGRIDOS_CONTRACT];

export function contractForNamespace(namespace: string): SoapContract | undefined {
  return CONTRACTS.find((c) => c.namespace === namespace);
}

export function contractById(id: string): SoapContract | undefined {
  return CONTRACTS.find((c) => c.id === id);
}
