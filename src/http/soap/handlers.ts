/** Every SOAP operation of both contracts, on gridhook's services. */
import { systemClock, type Clock } from '../../domain/clock.js';
import type { Services } from '../../services/index.js';
import { ecgridosOperations } from './ecgridos-operations.js';
import { guideOperations } from './guide-operations.js';
import type { SoapOperations } from './operations.js';

export function soapOperations(services: Services, clock: Clock = systemClock): SoapOperations {
  return {
    guide: guideOperations(services),
    ecgridos: ecgridosOperations({ services, clock }),
  };
}
