/**
 * The typed API client: `import { createClient } from 'gridhook/client'`.
 * Every route and schema comes from the service's own OpenAPI document: the
 * types are the console's generated file (src/console/src/api-types.ts, which
 * test/console-api-types.test.ts keeps in step with /openapi.json and
 * `npm run console:api-types` rewrites), and openapi-fetch makes the calls.
 *
 *   const gridhook = createClient({ baseUrl: 'https://gridhook.example.com', apiKey });
 *   const { data, error } = await gridhook.POST('/v2/callbacks/create', { body: { callBackUrl, callBackEvent: 'InBox' } });
 *   // data: the success envelope ({ success: true, data: Callback }); error: the ErrorEnvelope
 */
import createFetchClient, { type Client } from 'openapi-fetch';
import type { components, paths } from '../console/src/api-types.js';

export type { components, paths };

/** Every error answer of the API: `{ success: false, errorCode, message, data: null }`. */
export type ErrorEnvelope = components['schemas']['ErrorEnvelope'];

export interface ClientOptions {
  /** The gridhook's address, e.g. https://gridhook.example.com (no trailing /v2). */
  baseUrl: string;
  /** Sent as X-API-Key on every call. */
  apiKey: string;
  /** Another fetch (a test's, or one with a proxy agent). */
  fetch?: typeof globalThis.fetch;
}

export type GridhookClient = Client<paths>;

export function createClient(options: ClientOptions): GridhookClient {
  return createFetchClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: { 'X-API-Key': options.apiKey },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
