/**
 * The New callback form: the guide's fields, sent to POST /v2/callbacks/create
 * as typed. The API is the one validator; its error is shown next to the
 * field it names (or above the buttons when it names none).
 */
import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { api, ApiError, unwrap, type Callback, type PostBody } from '../api';

export const EVENT_TYPES = ['InBox', 'OutBox', 'InBoxError', 'OutBoxError', 'ConfirmDelivery'] as const;

type CreateBody = PostBody<'/v2/callbacks/create'>;

const NUMBER_FIELDS = ['networkId', 'mailboxId', 'ecGridId', 'frequency', 'retries'] as const;

function Field(props: { name: string; label: string; error: ApiError | null; hint?: string; children: ComponentChildren }) {
  const invalid = props.error?.field === props.name;
  return (
    <div class={invalid ? 'field invalid' : 'field'}>
      <label for={`cb-${props.name}`}>{props.label}</label>
      {props.children}
      {props.hint && (
        <small id={`cb-${props.name}-hint`} class="hint">
          {props.hint}
        </small>
      )}
      {invalid && (
        <p id={`cb-${props.name}-error`} class="field-error" role="alert">
          {props.error?.message}
        </p>
      )}
    </div>
  );
}

export function NewCallbackForm(props: { onCreated: (callback: Callback) => void; onCancel: () => void }) {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const inputProps = (name: string) => ({
    id: `cb-${name}`,
    name,
    'aria-invalid': error?.field === name ? ('true' as const) : undefined,
    'aria-describedby': error?.field === name ? `cb-${name}-error` : undefined,
  });

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const body: Record<string, unknown> = {
      callBackUrl: String(form.get('callBackUrl') ?? ''),
      callBackEvent: String(form.get('callBackEvent') ?? ''),
      status: String(form.get('status') ?? 'Active'),
    };
    for (const name of NUMBER_FIELDS) {
      const text = String(form.get(name) ?? '').trim();
      // A number field left empty takes the API's default; anything else goes as typed, for the API to judge.
      if (text !== '') body[name] = /^-?\d+$/.test(text) ? Number(text) : text;
    }
    setBusy(true);
    setError(null);
    try {
      props.onCreated(await unwrap(api.POST('/v2/callbacks/create', { body: body as CreateBody })));
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'InternalError', String(err)));
    } finally {
      setBusy(false);
    }
  };

  const general = error && error.field !== null && ![...NUMBER_FIELDS, 'callBackUrl', 'callBackEvent', 'status'].includes(error.field as never);
  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="new-callback-title">
      <h2 id="new-callback-title">New callback</h2>
      <Field name="callBackUrl" label="Callback URL" error={error}>
        <input {...inputProps('callBackUrl')} type="url" placeholder="https://partner.example/hooks/gridhook" />
      </Field>
      <Field name="callBackEvent" label="Event type" error={error}>
        <select {...inputProps('callBackEvent')}>
          {EVENT_TYPES.map((type) => (
            <option value={type}>{type}</option>
          ))}
        </select>
      </Field>
      <Field name="networkId" label="Network ID" error={error} hint="Empty or 0: your own network">
        <input {...inputProps('networkId')} inputMode="numeric" />
      </Field>
      <Field name="mailboxId" label="Mailbox ID" error={error} hint="Empty or 0: every mailbox (yours, for a mailbox user)">
        <input {...inputProps('mailboxId')} inputMode="numeric" />
      </Field>
      <Field name="ecGridId" label="ECGrid ID" error={error} hint="Empty or 0: every ECGrid ID">
        <input {...inputProps('ecGridId')} inputMode="numeric" />
      </Field>
      <Field name="frequency" label="Frequency (seconds)" error={error} hint="Empty: 1">
        <input {...inputProps('frequency')} inputMode="numeric" />
      </Field>
      <Field name="retries" label="Retries" error={error} hint="Empty: 3">
        <input {...inputProps('retries')} inputMode="numeric" />
      </Field>
      <Field name="status" label="Status" error={error}>
        <select {...inputProps('status')}>
          <option value="Active">Active</option>
          <option value="Suspended">Suspended</option>
        </select>
      </Field>
      {(general || (error && error.field === null)) && (
        <p class="error" role="alert">
          {error?.message}
        </p>
      )}
      <div class="actions">
        <button type="submit" disabled={busy}>
          Create callback
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
