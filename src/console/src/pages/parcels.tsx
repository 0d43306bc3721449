import { useState } from 'preact/hooks';
import { api, unwrap } from '../api';
import { Loading, Pager, StatusBadge } from '../components';
import { when } from '../format';
import { Link } from '../router';
import { useApi } from '../use-api';

const PER_PAGE = 25;
type Box = 'inbox' | 'outbox';

export function ParcelsPage() {
  const [box, setBox] = useState<Box>('inbox');
  const [pageNo, setPageNo] = useState(1);
  const parcels = useApi(
    () =>
      unwrap(
        box === 'inbox'
          ? api.POST('/v2/parcels/inbox-list', { body: { pageNo, recordsPerPage: PER_PAGE } })
          : api.POST('/v2/parcels/outbox-list', { body: { pageNo, recordsPerPage: PER_PAGE } }),
      ),
    [box, pageNo],
    // A parcel's arrival, delivery or confirmation fires events; only those are heard of live.
    (change) => change.parcelId !== 0,
  );
  const choose = (next: Box) => {
    setBox(next);
    setPageNo(1);
  };
  return (
    <section>
      <h1>Parcels</h1>
      <div role="group" aria-label="Mailbox side" class="tabs">
        <button type="button" aria-pressed={box === 'inbox'} onClick={() => choose('inbox')}>
          Inbox
        </button>
        <button type="button" aria-pressed={box === 'outbox'} onClick={() => choose('outbox')}>
          Outbox
        </button>
      </div>
      <Loading {...parcels}>
        {(page) =>
          page.totalRecords === 0 ? (
            <p>No parcels in the {box}.</p>
          ) : (
            <>
              <table>
                <caption class="visually-hidden">{box === 'inbox' ? 'Inbox' : 'Outbox'} parcels</caption>
                <thead>
                  <tr>
                    <th scope="col">Parcel</th>
                    <th scope="col">File</th>
                    <th scope="col">Status</th>
                    <th scope="col">From (mailbox / ECGrid ID)</th>
                    <th scope="col">To (mailbox / ECGrid ID)</th>
                    <th scope="col">Bytes</th>
                    <th scope="col">Received</th>
                    <th scope="col">Status date</th>
                  </tr>
                </thead>
                <tbody>
                  {page.parcels.map((p) => (
                    <tr key={p.parcelId}>
                      <td>
                        <Link href={`/parcels/${p.parcelId}`}>Parcel {p.parcelId}</Link>
                      </td>
                      <td>{p.fileName}</td>
                      <td>
                        <StatusBadge status={p.status} />
                      </td>
                      <td>
                        {p.mailboxIdFrom} / {p.ecGridIdFrom}
                      </td>
                      <td>
                        {p.mailboxIdTo} / {p.ecGridIdTo}
                      </td>
                      <td>{p.bytes}</td>
                      <td>{when(p.parcelDate)}</td>
                      <td>{when(p.statusDate)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager {...page} onPage={setPageNo} />
            </>
          )
        }
      </Loading>
    </section>
  );
}
