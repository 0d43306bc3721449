import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { formatDateTime, formatNullableDateTime } from '../../domain/time-format.js';
import type { Services } from '../../services/index.js';
import { principalOf } from './auth.js';
import {
  CallbackIdBody,
  CallbackIdParams,
  CallbackPage,
  CallbackView,
  CallbackWithSecretView,
  CreateCallbackBody,
  DeletedCallbackView,
  ErrorResponses,
  ListCallbacksBody,
  Ok,
  RotatedSecretView,
  SecretView,
  TestOutcomeView,
  UpdateCallbackBody,
  pathId,
} from './schemas.js';
import { callbackView, pageView } from './views.js';

const tags = ['callbacks'];

export function callbackRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v2/callbacks/create',
      {
        schema: {
          tags,
          summary: 'Register a callback',
          description:
            'The answer carries the signing secret (GET /v2/callbacks/{callBackQueueId}/secret shows it again). ' +
            'basicAuth and customHeaders are stored encrypted and never answered.',
          body: CreateCallbackBody,
          response: { 200: Ok(CallbackWithSecretView), ...ErrorResponses },
        },
      },
      async (request) => {
        const body = request.body;
        const { callback, secret } = await services.callbacks.create(principalOf(request), {
          networkId: body.networkId,
          mailboxId: body.mailboxId,
          ecGridId: body.ecGridId,
          url: body.callBackUrl,
          eventType: body.callBackEvent,
          frequency: body.frequency,
          retries: body.retries,
          retrySchedule: body.retrySchedule,
          ordering: body.ordering,
          orderingKey: body.orderingKey,
          onFailure: body.onFailure,
          maxPerSecond: body.maxPerSecond,
          status: body.status,
          basicAuth: body.basicAuth,
          customHeaders: body.customHeaders,
        });
        return { success: true as const, data: { ...callbackView(callback), secret } };
      },
    );

    app.post(
      '/v2/callbacks/test',
      {
        schema: {
          tags,
          summary: 'Send a test event now',
          description:
            "Posts a synthetic event (isTest: true) to the callback's URL at once and answers with the outcome " +
            'of that first attempt. A failed test event is retried like any other. The callback must be Active.',
          body: CallbackIdBody,
          response: { 200: Ok(TestOutcomeView), ...ErrorResponses },
        },
      },
      async (request) => {
        const callbackId = request.body.callBackQueueId;
        const outcome = await services.callbacks.test(principalOf(request), callbackId);
        return { success: true as const, data: { ...outcome, callBackQueueId: callbackId } };
      },
    );

    app.get(
      '/v2/callbacks/:callBackQueueId',
      {
        schema: {
          tags,
          summary: 'One callback',
          description:
            'With its endpoint health. For a callback gridhook suspended, keptEvents counts the Pending events that ' +
            'go out when it is activated again.',
          params: CallbackIdParams,
          response: { 200: Ok(CallbackView), ...ErrorResponses },
        },
      },
      async (request) => {
        const { callback, keptEvents } = await services.callbacks.detail(
          principalOf(request),
          pathId(request.params.callBackQueueId, 'Callback'),
        );
        return { success: true as const, data: { ...callbackView(callback), ...(keptEvents !== undefined && { keptEvents }) } };
      },
    );

    app.post(
      '/v2/callbacks/list',
      {
        schema: {
          tags,
          summary: 'Callbacks in scope',
          body: ListCallbacksBody,
          response: { 200: Ok(CallbackPage), ...ErrorResponses },
        },
      },
      async (request) => {
        const body = request.body;
        const page = await services.callbacks.list(principalOf(request), {
          eventType: body.callBackEvent,
          status: body.status,
          networkId: body.networkId,
          mailboxId: body.mailboxId,
          ecGridId: body.ecGridId,
          pageNo: body.pageNo,
          recordsPerPage: body.recordsPerPage,
        });
        return { success: true as const, data: pageView(page, 'callBacks', callbackView) };
      },
    );

    app.post(
      '/v2/callbacks/update',
      {
        schema: {
          tags,
          summary: 'Change a callback',
          description:
            'Changes only the fields sent. Suspending cancels its pending events; the scope fields not sent stay as they ' +
            'are. Activating a callback gridhook suspended (health suspended-by-gridhook) sends the Pending events it ' +
            'kept, or cancels them with keptEvents "cancel". A retrySchedule sets retries to its length; null goes back ' +
            'to frequency and retries.',
          body: UpdateCallbackBody,
          response: { 200: Ok(CallbackView), ...ErrorResponses },
        },
      },
      async (request) => {
        const body = request.body;
        const callback = await services.callbacks.update(principalOf(request), {
          callbackId: body.callBackQueueId,
          networkId: body.networkId,
          mailboxId: body.mailboxId,
          ecGridId: body.ecGridId,
          url: body.callBackUrl,
          eventType: body.callBackEvent,
          frequency: body.frequency,
          retries: body.retries,
          retrySchedule: body.retrySchedule,
          ordering: body.ordering,
          orderingKey: body.orderingKey,
          onFailure: body.onFailure,
          maxPerSecond: body.maxPerSecond,
          status: body.status,
          keptEvents: body.keptEvents,
          basicAuth: body.basicAuth,
          customHeaders: body.customHeaders,
        });
        return { success: true as const, data: callbackView(callback) };
      },
    );

    app.delete(
      '/v2/callbacks/:callBackQueueId',
      {
        schema: {
          tags,
          summary: 'Delete a callback',
          description: 'Its pending events become Canceled.',
          params: CallbackIdParams,
          response: { 200: Ok(DeletedCallbackView), ...ErrorResponses },
        },
      },
      async (request) => {
        const callbackId = pathId(request.params.callBackQueueId, 'Callback');
        await services.callbacks.delete(principalOf(request), callbackId);
        return { success: true as const, data: { callBackQueueId: callbackId, deleted: true as const } };
      },
    );

    app.post(
      '/v2/callbacks/rotate-secret',
      {
        schema: {
          tags,
          summary: 'New signing secret',
          description: 'Until previousSecretExpiresAt each event is signed with the old secret as well.',
          body: CallbackIdBody,
          response: { 200: Ok(RotatedSecretView), ...ErrorResponses },
        },
      },
      async (request) => {
        const rotated = await services.callbacks.rotateSecret(principalOf(request), request.body.callBackQueueId);
        return {
          success: true as const,
          data: {
            ...callbackView(rotated.callback),
            secret: rotated.secret,
            previousSecretExpiresAt: formatDateTime(rotated.previousSecretExpiresAt),
          },
        };
      },
    );

    app.get(
      '/v2/callbacks/:callBackQueueId/secret',
      {
        schema: {
          tags,
          summary: "The callback's signing secret",
          description:
            'The whsec_ secret to verify webhook-signature with, and during a rotation grace period the previous ' +
            'one, which still signs as well.',
          params: CallbackIdParams,
          response: { 200: Ok(SecretView), ...ErrorResponses },
        },
      },
      async (request) => {
        const callbackId = pathId(request.params.callBackQueueId, 'Callback');
        const secrets = await services.callbacks.getSecret(principalOf(request), callbackId);
        return {
          success: true as const,
          data: {
            callBackQueueId: callbackId,
            secret: secrets.secret,
            previousSecret: secrets.previousSecret,
            previousSecretExpiresAt: formatNullableDateTime(secrets.previousSecretExpiresAt),
          },
        };
      },
    );
  };
}
