import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../services/index.js';
import { principalOf } from './auth.js';
import {
  ApiKeyView,
  CreateUserBody,
  ErrorResponses,
  ListUsersBody,
  Ok,
  UserIdParams,
  UserPage,
  UserView,
  pathId,
} from './schemas.js';
import { pageView, userView } from './views.js';

const tags = ['users'];

export function userRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v2/users/create',
      {
        schema: {
          tags,
          summary: 'Create a user below you (admins)',
          description:
            'Root creates any role; a NetworkAdmin NetworkUser, MailboxAdmin and MailboxUser users of its network; ' +
            'a MailboxAdmin MailboxUser users of its mailbox. Give the user a key with key-generate.',
          body: CreateUserBody,
          response: { 200: Ok(UserView), ...ErrorResponses },
        },
      },
      async (request) => {
        const user = await services.directory.createUser(principalOf(request), request.body);
        return { success: true as const, data: userView(user) };
      },
    );

    app.post(
      '/v2/users/key-generate/:userId',
      {
        schema: {
          tags,
          summary: 'New API key for a user',
          description:
            'For yourself, or for a user below you in scope. The key is shown only in this answer and replaces ' +
            'the key the user had. No body is needed.',
          params: UserIdParams,
          response: { 200: Ok(ApiKeyView), ...ErrorResponses },
        },
      },
      async (request) => {
        const issued = await services.directory.generateKey(principalOf(request), pathId(request.params.userId, 'User'));
        return { success: true as const, data: issued };
      },
    );

    app.get(
      '/v2/users/me',
      {
        schema: {
          tags,
          summary: 'Who am I',
          response: { 200: Ok(UserView), ...ErrorResponses },
        },
      },
      async (request) => {
        const user = await services.directory.me(principalOf(request));
        return { success: true as const, data: userView(user) };
      },
    );

    app.post(
      '/v2/users/list',
      {
        schema: {
          tags,
          summary: 'Users in scope (admins)',
          body: ListUsersBody,
          response: { 200: Ok(UserPage), ...ErrorResponses },
        },
      },
      async (request) => {
        const page = await services.directory.listUsers(principalOf(request), request.body);
        return { success: true as const, data: pageView(page, 'users', userView) };
      },
    );
  };
}
