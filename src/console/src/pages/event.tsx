import { useState } from 'preact/hooks';
import { api, ApiError, unwrap, type GetData } from '../api';
import { Loading, StatusBadge } from '../components';
import { DataTable, type Column } from '../data-table';
import { ms, orDash, when } from '../format';
import { Link } from '../router';
import { useApi } from '../use-api';

type Detail = GetData<'/v2/callbacks/events/{eventId}'>;

const HEADER_COLUMNS: Column<Detail['requestHeaders'][number]>[] = [
  { header: 'Header', cell: (h) => <code>{h.name}</code> },
  { header: 'Value', cell: (h) => <code>{h.value}</code> },
];

const ATTEMPT_COLUMNS: Column<Detail['attemptLog'][number]>[] = [
  { header: 'Time', cell: (a) => when(a.attemptDateTime) },
  { header: 'Duration', cell: (a) => ms(a.durationMs) },
  { header: 'HTTP status', cell: (a) => orDash(a.httpStatus) },
  { header: 'Error', cell: (a) => orDash(a.error) },
  {
    header: 'Answer',
    cell: (a, i) =>
      a.responseHeaders === null && a.responseBody === null ? (
        '—'
      ) : (
        <details>
          <summary>Answer of attempt {i + 1}</summary>
          <pre class="answer" aria-label={`Headers answered to attempt ${i + 1}`}>
            {a.responseHeaders}
          </pre>
          <pre class="answer" aria-label={`Body answered to attempt ${i + 1}`}>
            {a.responseBody === '' ? '(empty body)' : a.responseBody}
          </pre>
        </details>
      ),
  },
];

export function EventPage({ eventId }: { eventId: number }) {
  const event = useApi(
    () => unwrap(api.GET('/v2/callbacks/events/{eventId}', { params: { path: { eventId: String(eventId) } } })),
    [eventId],
    (change) => change.eventId === eventId,
  );
  const [message, setMessage] = useState<string | null>(null);

  const retry = async () => {
    try {
      await unwrap(api.POST('/v2/callbacks/events/retry', { body: { eventId } }));
      setMessage('Retry scheduled: the event is Pending again.');
      event.reload();
    } catch (err) {
      setMessage(err instanceof ApiError ? err.message : String(err));
    }
  };

  return (
    <Loading {...event}>
      {(e) => (
        <section>
          <h1>Event {e.eventId}</h1>
          <dl class="facts">
            <dt>Status</dt>
            <dd>
              <StatusBadge status={e.status} />
            </dd>
            <dt>Callback</dt>
            <dd>
              <Link href={`/callbacks/${e.callBackQueueId}`}>Callback {e.callBackQueueId}</Link>
            </dd>
            <dt>Event type</dt>
            <dd>{e.callBackEvent}</dd>
            <dt>Created</dt>
            <dd>{when(e.eventDateTime)}</dd>
            <dt>Attempts</dt>
            <dd>
              {e.attempts} ({e.callsRemaining} calls remaining)
            </dd>
            <dt>Next call</dt>
            <dd>{when(e.nextCall)}</dd>
            <dt>Parcel</dt>
            <dd>
              {e.parcelId ? <Link href={`/parcels/${e.parcelId}`}>Parcel {e.parcelId}</Link> : '—'} {e.fileName}
            </dd>
            <dt>Scope</dt>
            <dd>
              network {e.networkId}, mailbox {e.mailboxId}, ECGrid ID {e.ecGridId}
            </dd>
          </dl>
          {(e.status === 'Failed' || e.status === 'Canceled') && (
            <button type="button" onClick={retry}>
              Retry
            </button>
          )}
          {message && (
            <p class="notice" role="status">
              {message}
            </p>
          )}
          <h2>Headers sent</h2>
          <DataTable
            class="headers"
            caption="Headers sent with each attempt (secrets masked)"
            columns={HEADER_COLUMNS}
            rows={e.requestHeaders}
            rowKey={(h) => h.name}
          />
          <h2>Payload</h2>
          <pre class="payload" tabIndex={0} aria-label="Payload posted to the receiver">
            {e.payload}
          </pre>
          <h2>Attempts</h2>
          <DataTable
            caption="Every attempt of this event"
            columns={ATTEMPT_COLUMNS}
            rows={e.attemptLog}
            rowKey={(_, i) => i}
            empty={<p>No attempt yet.</p>}
          />
        </section>
      )}
    </Loading>
  );
}
