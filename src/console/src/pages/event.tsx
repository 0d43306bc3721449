import { useState } from 'preact/hooks';
import { api, ApiError, unwrap } from '../api';
import { Loading, StatusBadge } from '../components';
import { ms, orDash, when } from '../format';
import { Link } from '../router';
import { useApi } from '../use-api';

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
          <table class="headers">
            <caption class="visually-hidden">Headers sent with each attempt (secrets masked)</caption>
            <thead>
              <tr>
                <th scope="col">Header</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {e.requestHeaders.map((h) => (
                <tr key={h.name}>
                  <td>
                    <code>{h.name}</code>
                  </td>
                  <td>
                    <code>{h.value}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Payload</h2>
          <pre class="payload" tabIndex={0} aria-label="Payload posted to the receiver">
            {e.payload}
          </pre>
          <h2>Attempts</h2>
          {e.attemptLog.length === 0 ? (
            <p>No attempt yet.</p>
          ) : (
            <table>
              <caption class="visually-hidden">Every attempt of this event</caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Duration</th>
                  <th scope="col">HTTP status</th>
                  <th scope="col">Error</th>
                  <th scope="col">Answer</th>
                </tr>
              </thead>
              <tbody>
                {e.attemptLog.map((a, i) => (
                  <tr key={i}>
                    <td>{when(a.attemptDateTime)}</td>
                    <td>{ms(a.durationMs)}</td>
                    <td>{orDash(a.httpStatus)}</td>
                    <td>{orDash(a.error)}</td>
                    <td>
                      {a.responseHeaders === null && a.responseBody === null ? (
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
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </Loading>
  );
}
