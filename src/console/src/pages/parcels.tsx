import { useState } from 'preact/hooks';
import { api, unwrap, type PostData } from '../api';
import { Loading, StatusBadge } from '../components';
import { DataTable, type Column } from '../data-table';
import { when } from '../format';
import { Link } from '../router';
import { useApi } from '../use-api';

const PER_PAGE = 25;
type Box = 'inbox' | 'outbox';

type Listed = PostData<'/v2/parcels/inbox-list'>['parcels'][number];

const PARCEL_COLUMNS: Column<Listed>[] = [
  { header: 'Parcel', cell: (p) => <Link href={`/parcels/${p.parcelId}`}>Parcel {p.parcelId}</Link> },
  { header: 'File', cell: (p) => p.fileName },
  { header: 'Status', cell: (p) => <StatusBadge status={p.status} /> },
  { header: 'From (mailbox / ECGrid ID)', cell: (p) => `${p.mailboxIdFrom} / ${p.ecGridIdFrom}` },
  { header: 'To (mailbox / ECGrid ID)', cell: (p) => `${p.mailboxIdTo} / ${p.ecGridIdTo}` },
  { header: 'Bytes', cell: (p) => p.bytes },
  { header: 'Received', cell: (p) => when(p.parcelDate) },
  { header: 'Status date', cell: (p) => when(p.statusDate) },
];

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
        {(page) => (
          <DataTable
            caption={`${box === 'inbox' ? 'Inbox' : 'Outbox'} parcels`}
            columns={PARCEL_COLUMNS}
            rows={page.parcels}
            rowKey={(p) => p.parcelId}
            empty={<p>No parcels in the {box}.</p>}
            paging={{ ...page, onPage: setPageNo }}
          />
        )}
      </Loading>
    </section>
  );
}
