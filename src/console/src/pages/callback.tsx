import { useState } from 'preact/hooks';
import { api, ApiError, unwrap, type PostData } from '../api';
import { Loading, MinuteChart, StatusBadge } from '../components';
import { LatencyPanel } from '../latency-chart';
import { isoFromLocal, ms, orDash, percent, when } from '../format';
import { useApi } from '../use-api';
import { scopeText } from './callbacks';
import { EventTable } from './event-table';

type TestOutcome = PostData<'/v2/callbacks/test'>;

/** Errors about these show beside their field in the settings form; any other above it. */
const SETTINGS_FIELDS = ['callBackUrl', 'frequency', 'retries'];

export function CallbackPage({ callbackId }: { callbackId: number }) {
  const callback = useApi(async () => {
    const [settings, health, overview] = await Promise.all([
      unwrap(api.GET('/v2/callbacks/{callBackQueueId}', { params: { path: { callBackQueueId: String(callbackId) } } })),
      unwrap(api.POST('/v2/callbacks/health', { body: { callBackQueueIds: [callbackId] } })),
      unwrap(api.GET('/v2/stats/overview', { params: { query: { callBackQueueId: String(callbackId) } } })),
    ]);
    return { settings, health: health.callbacks[0], overview };
  }, [callbackId], (change) => change.callbackId === callbackId);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [test, setTest] = useState<TestOutcome | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [retryFrom, setRetryFrom] = useState('');
  const [retryTo, setRetryTo] = useState('');

  const act = async (what: () => Promise<string | null>) => {
    setError(null);
    setNotice(null);
    try {
      setNotice(await what());
      callback.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'InternalError', String(err)));
    }
  };

  const save = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const number = (name: string) => {
      const text = String(form.get(name) ?? '').trim();
      return /^-?\d+$/.test(text) ? Number(text) : text;
    };
    const body = {
      callBackQueueId: callbackId,
      callBackUrl: String(form.get('callBackUrl') ?? ''),
      frequency: number('frequency'),
      retries: number('retries'),
    };
    void act(async () => {
      await unwrap(api.POST('/v2/callbacks/update', { body: body as never }));
      return 'Settings saved.';
    });
  };

  const setStatus = (status: 'Active' | 'Suspended') =>
    act(async () => {
      await unwrap(api.POST('/v2/callbacks/update', { body: { callBackQueueId: callbackId, status } }));
      return status === 'Active' ? 'Callback activated.' : 'Callback suspended: its pending events were canceled.';
    });

  const sendTest = () =>
    act(async () => {
      setTest(await unwrap(api.POST('/v2/callbacks/test', { body: { callBackQueueId: callbackId } })));
      return null;
    });

  const reveal = () =>
    act(async () => {
      const shown = await unwrap(
        api.GET('/v2/callbacks/{callBackQueueId}/secret', { params: { path: { callBackQueueId: String(callbackId) } } }),
      );
      setSecret(shown.secret);
      return null;
    });

  const rotate = () =>
    act(async () => {
      await unwrap(api.POST('/v2/callbacks/rotate-secret', { body: { callBackQueueId: callbackId } }));
      setSecret(null);
      return 'Secret rotated: the previous one still signs for its grace period.';
    });

  const retryFailed = () =>
    act(async () => {
      const beginDate = isoFromLocal(retryFrom);
      const endDate = isoFromLocal(retryTo);
      const { retried } = await unwrap(
        api.POST('/v2/callbacks/events/retry', {
          body: {
            callBackQueueId: callbackId,
            status: 'Failed',
            ...(beginDate !== undefined && { beginDate }),
            ...(endDate !== undefined && { endDate }),
          },
        }),
      );
      return `${retried} failed event${retried === 1 ? '' : 's'} sent again.`;
    });

  const fieldError = (name: string) =>
    error?.field === name ? (
      <p id={`edit-${name}-error`} class="field-error" role="alert">
        {error.message}
      </p>
    ) : null;
  const describedBy = (name: string) => (error?.field === name ? `edit-${name}-error` : undefined);

  return (
    <Loading {...callback}>
      {({ settings: c, health: h, overview }) => (
        <section>
          <h1>
            Callback {c.callBackQueueId} <StatusBadge status={c.status} />
          </h1>
          <p class="url">{c.callBackUrl}</p>
          <dl class="facts">
            <dt>Event type</dt>
            <dd>{c.callBackEvent}</dd>
            <dt>Scope</dt>
            <dd>{scopeText(c)}</dd>
            <dt>Success (24 h)</dt>
            <dd>
              {percent(h?.successRate24h)} of {h?.attempts24h ?? 0} attempts
            </dd>
            <dt>p95 latency</dt>
            <dd>{ms(h?.p95LatencyMs)}</dd>
            <dt>Last HTTP status</dt>
            <dd>
              {orDash(h?.lastHttpStatus)} ({when(h?.lastAttempt)})
            </dd>
            <dt>Pending / failed</dt>
            <dd>
              {h?.pending ?? 0} / {h?.failed ?? 0}
            </dd>
          </dl>

          <MinuteChart minutes={overview.perMinute} />
          <LatencyPanel callbackId={callbackId} />

          <div class="actions">
            {c.status === 'Active' ? (
              <button type="button" onClick={() => setStatus('Suspended')}>
                Suspend
              </button>
            ) : (
              <button type="button" onClick={() => setStatus('Active')}>
                Activate
              </button>
            )}
            <button type="button" onClick={sendTest}>
              Send test event
            </button>
          </div>
          <div class="actions" role="group" aria-label="Retry failed events">
            <label>
              Failed events created from
              <input type="datetime-local" value={retryFrom} onChange={(e) => setRetryFrom((e.currentTarget as HTMLInputElement).value)} />
            </label>
            <label>
              before
              <input type="datetime-local" value={retryTo} onChange={(e) => setRetryTo((e.currentTarget as HTMLInputElement).value)} />
            </label>
            <button type="button" onClick={retryFailed}>
              Retry failed
            </button>
          </div>
          {notice && (
            <p class="notice" role="status">
              {notice}
            </p>
          )}
          {error && !SETTINGS_FIELDS.includes(error.field ?? '') && (
            <p class="error" role="alert">
              {error.message}
            </p>
          )}
          {test && (
            <p class={test.delivered ? 'notice' : 'error'} role="status" data-testid="test-outcome">
              Test event {test.eventId}: {test.delivered ? 'delivered' : 'not delivered'}, HTTP {orDash(test.httpStatus)},{' '}
              {ms(test.durationMs)}
              {test.error ? `, ${test.error}` : ''}
            </p>
          )}

          <form key={c.updatedAt} class="card" onSubmit={save} noValidate aria-labelledby="settings-title">
            <h2 id="settings-title">Settings</h2>
            <div class="field">
              <label for="edit-callBackUrl">Callback URL</label>
              <input
                id="edit-callBackUrl"
                name="callBackUrl"
                type="url"
                defaultValue={c.callBackUrl}
                aria-invalid={error?.field === 'callBackUrl' ? 'true' : undefined}
                aria-describedby={describedBy('callBackUrl')}
              />
              {fieldError('callBackUrl')}
            </div>
            <div class="field">
              <label for="edit-frequency">Frequency (seconds)</label>
              <input id="edit-frequency" name="frequency" inputMode="numeric" defaultValue={String(c.frequency)} aria-describedby={describedBy('frequency')} />
              {fieldError('frequency')}
            </div>
            <div class="field">
              <label for="edit-retries">Retries</label>
              <input id="edit-retries" name="retries" inputMode="numeric" defaultValue={String(c.retries)} aria-describedby={describedBy('retries')} />
              {fieldError('retries')}
            </div>
            <button type="submit">Save settings</button>
          </form>

          <div class="card">
            <h2>Signing secret</h2>
            {secret ? (
              <p>
                <code data-testid="secret">{secret}</code>
              </p>
            ) : (
              <p>Hidden.</p>
            )}
            <div class="actions">
              <button type="button" onClick={reveal}>
                Reveal secret
              </button>
              <button type="button" onClick={rotate}>
                Rotate secret
              </button>
            </div>
          </div>

          <h2>Events</h2>
          <EventTable callbackId={callbackId} />
        </section>
      )}
    </Loading>
  );
}
