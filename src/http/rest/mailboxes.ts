import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../services/index.js';
import { principalOf } from './auth.js';
import {
  CreateMailboxBody,
  ErrorResponses,
  ListMailboxesBody,
  MailboxIdParams,
  MailboxPage,
  MailboxView,
  Ok,
  pathId,
} from './schemas.js';
import { mailboxView, pageView } from './views.js';

const tags = ['mailboxes'];

export function mailboxRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v2/mailboxes/create',
      {
        schema: {
          tags,
          summary: 'Create a mailbox (Root, NetworkAdmin)',
          body: CreateMailboxBody,
          response: { 200: Ok(MailboxView), ...ErrorResponses },
        },
      },
      async (request) => {
        const mailbox = await services.directory.createMailbox(principalOf(request), request.body);
        return { success: true as const, data: mailboxView(mailbox) };
      },
    );

    app.get(
      '/v2/mailboxes/:mailboxId',
      {
        schema: {
          tags,
          summary: 'One mailbox',
          params: MailboxIdParams,
          response: { 200: Ok(MailboxView), ...ErrorResponses },
        },
      },
      async (request) => {
        const mailbox = await services.directory.getMailbox(principalOf(request), pathId(request.params.mailboxId, 'Mailbox'));
        return { success: true as const, data: mailboxView(mailbox) };
      },
    );

    app.post(
      '/v2/mailboxes/list',
      {
        schema: {
          tags,
          summary: 'Mailboxes in scope',
          body: ListMailboxesBody,
          response: { 200: Ok(MailboxPage), ...ErrorResponses },
        },
      },
      async (request) => {
        const page = await services.directory.listMailboxes(principalOf(request), request.body);
        return { success: true as const, data: pageView(page, 'mailboxes', mailboxView) };
      },
    );
  };
}
