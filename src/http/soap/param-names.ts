/**
 * The services name fields as the REST API does (callBackUrl, frequency…). A
 * SOAP caller sent other names (CallBackURL, Frequency), so a fault's
 * ErrorItem and message are put in the words of the operation it called.
 */
import { GridhookError } from '../../errors.js';

/** Service field name → the operation's parameter name. */
export type ParamNames = Readonly<Record<string, string>>;

function renamed(error: GridhookError, names: ParamNames): GridhookError {
  const field = error.field;
  const name = field === undefined ? undefined : names[field];
  if (field === undefined || name === undefined) return error;
  const message = error.message.startsWith(`${field}:`) ? name + error.message.slice(field.length) : error.message;
  return new GridhookError(error.code, message, {
    field: name,
    cause: error,
    ...(error.retryAfterSeconds !== undefined && { retryAfterSeconds: error.retryAfterSeconds }),
  });
}

/** Runs `call`, renaming the field of a GridhookError it throws. */
export async function inParamNames<T>(names: ParamNames, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw error instanceof GridhookError ? renamed(error, names) : error;
  }
}
