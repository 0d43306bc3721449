/**
 * The console's only way to the server: the public REST API through a client
 * typed from its OpenAPI document (api-types.ts). The session cookie goes
 * along by itself; the X-Gridhook-Console header is what lets the server
 * accept it (a page on another site cannot send that header).
 */
import createClient from 'openapi-fetch';
import type { paths } from './api-types';

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;
type Data<R> = Json<R> extends { data: infer D } ? D : never;

/** What a GET route answers in `data`. */
export type GetData<P extends keyof paths> = paths[P] extends { get: { responses: { 200: infer R } } } ? Data<R> : never;

/** What a POST route answers in `data`. */
export type PostData<P extends keyof paths> = paths[P] extends { post: { responses: { 200: infer R } } } ? Data<R> : never;

export type User = PostData<'/v2/sessions/sign-in'>;
export type Callback = GetData<'/v2/callbacks/{callBackQueueId}'>;

/** The JSON body a POST route takes. */
export type PostBody<P extends keyof paths> = paths[P] extends {
  post: { requestBody?: { content: { 'application/json': infer B } } };
}
  ? B
  : never;

export const api = createClient<paths>({
  baseUrl: '',
  credentials: 'same-origin',
  headers: { 'X-Gridhook-Console': '1' },
});

/** An error answer of the API: its code, its message, and the field the message names (if any). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }

  /** The API starts a message about one field with "field: …". */
  get field(): string | null {
    return /^([A-Za-z][\w.]*): /.exec(this.message)?.[1] ?? null;
  }
}

interface Answer<T> {
  data?: { success: true; data: T } | undefined;
  error?: { errorCode: string; message: string } | unknown;
  response: Response;
}

let unauthorized: () => void = () => {};

/** Called when an answer says the session is gone (idle expiry, signed out elsewhere). */
export function onUnauthorized(handler: () => void): void {
  unauthorized = handler;
}

/** The `data` of a success answer, or an ApiError. */
export async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (data !== undefined) return data.data;
  if (response.status === 401) unauthorized();
  const envelope = error as { errorCode?: string; message?: string } | undefined;
  throw new ApiError(
    response.status,
    envelope?.errorCode ?? 'InternalError',
    envelope?.message ?? `The server answered ${response.status}.`,
  );
}
