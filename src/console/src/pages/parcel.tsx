import { api, unwrap } from '../api';
import { Loading, StatusBadge } from '../components';
import { orDash, when } from '../format';
import { Link } from '../router';
import { useApi } from '../use-api';

export function ParcelPage({ parcelId }: { parcelId: number }) {
  const parcel = useApi(async () => {
    const [info, events] = await Promise.all([
      unwrap(api.GET('/v2/parcels/{parcelId}', { params: { path: { parcelId: String(parcelId) } } })),
      unwrap(api.POST('/v2/callbacks/queue-list', { body: { parcelId, recordsPerPage: 100 } })),
    ]);
    return { info, events };
  }, [parcelId], (change) => change.parcelId === parcelId);
  return (
    <Loading {...parcel}>
      {({ info: p, events }) => (
        <section>
          <h1>
            Parcel {p.parcelId} <StatusBadge status={p.status} />
          </h1>
          <dl class="facts">
            <dt>File</dt>
            <dd>
              {p.fileName} ({p.bytes} bytes)
            </dd>
            <dt>From</dt>
            <dd>
              mailbox {p.mailboxIdFrom}, ECGrid ID {p.ecGridIdFrom}
            </dd>
            <dt>To</dt>
            <dd>
              mailbox {p.mailboxIdTo}, ECGrid ID {p.ecGridIdTo}
            </dd>
            <dt>Envelope</dt>
            <dd>
              {orDash(p.standard)} {p.controlNumber ?? ''}
            </dd>
            <dt>Received</dt>
            <dd>{when(p.parcelDate)}</dd>
            <dt>Status date</dt>
            <dd>{when(p.statusDate)}</dd>
            {p.statusMessage && (
              <>
                <dt>Why</dt>
                <dd>{p.statusMessage}</dd>
              </>
            )}
          </dl>
          <h2>Events it fired</h2>
          {events.totalRecords === 0 ? (
            <p>No events you can see.</p>
          ) : (
            <ul>
              {events.events.map((e) => (
                <li key={e.eventId}>
                  <Link href={`/events/${e.eventId}`}>Event {e.eventId}</Link>: {e.callBackEvent} to callback{' '}
                  <Link href={`/callbacks/${e.callBackQueueId}`}>{e.callBackQueueId}</Link>, <StatusBadge status={e.status} />
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </Loading>
  );
}
