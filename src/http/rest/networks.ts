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
  UpdateNetworkBody,
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
        const network = await services.directory.createNetwork(principalOf(request), {
          name: request.body.name,
          autoSuspendAfterSeconds: request.body.autoSuspendAfterSeconds,
        });
        return { success: true as const, data: networkView(network) };
      },
    );

    app.post(
      '/v2/networks/update',
      {
        schema: {
          tags,
          summary: "Change a network's settings (Root, or its NetworkAdmin)",
          description:
            'autoSuspendAfterSeconds: how long a callback of this network may fail without one success before ' +
            "gridhook suspends it; null goes back to the server's GRIDHOOK_AUTO_SUSPEND_AFTER.",
          body: UpdateNetworkBody,
          response: { 200: Ok(NetworkView), ...ErrorResponses },
        },
      },
      async (request) => {
        const network = await services.directory.updateNetwork(principalOf(request), request.body.networkId, {
          autoSuspendAfterSeconds: request.body.autoSuspendAfterSeconds,
        });
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
