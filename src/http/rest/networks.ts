import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../services/index.js';
import { principalOf } from './auth.js';
import {
  CreateNetworkBody,
  ErrorResponses,
  NetworkIdParams,
  NetworkPage,
  NetworkView,
  Ok,
  PagingBody,
  pathId,
} from './schemas.js';
import { networkView, pageView } from './views.js';

const tags = ['networks'];

export function networkRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v2/networks/create',
      {
        schema: {
          tags,
          summary: 'Create a network (Root only)',
          body: CreateNetworkBody,
          response: { 200: Ok(NetworkView), ...ErrorResponses },
        },
      },
      async (request) => {
        const network = await services.directory.createNetwork(principalOf(request), { name: request.body.name });
        return { success: true as const, data: networkView(network) };
      },
    );

    app.get(
      '/v2/networks/:networkId',
      {
        schema: {
          tags,
          summary: 'One network',
          params: NetworkIdParams,
          response: { 200: Ok(NetworkView), ...ErrorResponses },
        },
      },
      async (request) => {
        const network = await services.directory.getNetwork(principalOf(request), pathId(request.params.networkId, 'Network'));
        return { success: true as const, data: networkView(network) };
      },
    );

    app.post(
      '/v2/networks/list',
      {
        schema: {
          tags,
          summary: 'Every network (Root only)',
          body: PagingBody,
          response: { 200: Ok(NetworkPage), ...ErrorResponses },
        },
      },
      async (request) => {
        const page = await services.directory.listNetworks(principalOf(request), request.body);
        return { success: true as const, data: pageView(page, 'networks', networkView) };
      },
    );
  };
}
