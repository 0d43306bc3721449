import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../services/index.js';
import { principalOf } from './auth.js';
import {
  CreateEcGridIdBody,
  EcGridIdMatches,
  EcGridIdPage,
  EcGridIdParams,
  EcGridIdView,
  ErrorResponses,
  FindEcGridIdBody,
  ListEcGridIdsBody,
  Ok,
  UpdateEcGridIdBody,
  pathId,
} from './schemas.js';
import { ecGridIdView, pageView } from './views.js';

const tags = ['ids'];

export function ecGridIdRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v2/ids/create',
      {
        schema: {
          tags,
          summary: 'Create an ECGrid ID in a mailbox (admins)',
          body: CreateEcGridIdBody,
          response: { 200: Ok(EcGridIdView), ...ErrorResponses },
        },
      },
      async (request) => {
        const record = await services.directory.createEcGridId(principalOf(request), request.body);
        return { success: true as const, data: ecGridIdView(record) };
      },
    );

    app.get(
      '/v2/ids/:ecGridId',
      {
        schema: {
          tags,
          summary: 'One ECGrid ID',
          params: EcGridIdParams,
          response: { 200: Ok(EcGridIdView), ...ErrorResponses },
        },
      },
      async (request) => {
        const record = await services.directory.getEcGridId(principalOf(request), pathId(request.params.ecGridId, 'ECGrid ID'));
        return { success: true as const, data: ecGridIdView(record) };
      },
    );

    app.post(
      '/v2/ids/list',
      {
        schema: {
          tags,
          summary: 'ECGrid IDs in scope',
          body: ListEcGridIdsBody,
          response: { 200: Ok(EcGridIdPage), ...ErrorResponses },
        },
      },
      async (request) => {
        const page = await services.directory.listEcGridIds(principalOf(request), request.body);
        return { success: true as const, data: pageView(page, 'ids', ecGridIdView) };
      },
    );

    app.post(
      '/v2/ids/find',
      {
        schema: {
          tags,
          summary: 'Find ECGrid IDs by qualifier and ID',
          description: 'Answers every match in scope (at most one per network); an empty list when there is none.',
          body: FindEcGridIdBody,
          response: { 200: Ok(EcGridIdMatches), ...ErrorResponses },
        },
      },
      async (request) => {
        const found = await services.directory.findEcGridId(principalOf(request), request.body);
        return { success: true as const, data: { ids: found.map(ecGridIdView) } };
      },
    );

    app.post(
      '/v2/ids/update',
      {
        schema: {
          tags,
          summary: "Change an ECGrid ID's status or description (admins)",
          body: UpdateEcGridIdBody,
          response: { 200: Ok(EcGridIdView), ...ErrorResponses },
        },
      },
      async (request) => {
        const record = await services.directory.updateEcGridId(principalOf(request), request.body);
        return { success: true as const, data: ecGridIdView(record) };
      },
    );
  };
}
