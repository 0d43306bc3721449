import { useState } from 'preact/hooks';
import { api, unwrap, type PostData } from '../api';
import { Loading, StatusBadge } from '../components';
import { DataTable, type Column } from '../data-table';
import { ms, orDash, percent } from '../format';
import { Link, navigate } from '../router';
import { useApi } from '../use-api';
import { NewCallbackForm } from './callback-form';

const PER_PAGE = 25;

/** "network 1 / mailbox 2 / ECGrid ID 3", leaving out what is 0 (all). */
export function scopeText(c: { networkId: number; mailboxId: number; ecGridId: number }): string {
  const parts = [`network ${c.networkId}`];
  if (c.mailboxId) parts.push(`mailbox ${c.mailboxId}`);
  if (c.ecGridId) parts.push(`ECGrid ID ${c.ecGridId}`);
  return parts.join(' / ');
}

/** At most this many suspended callbacks are named in the banner; the rest are counted. */
const BANNER_NAMES = 5;

/**
 * Callbacks gridhook suspended on its own (410 Gone, or failing too long),
 * whichever page of the list is shown: their events wait until someone
 * activates them again.
 */
function SuspendedBanner() {
  const suspended = useApi(async () => {
    const page = await unwrap(
      api.POST('/v2/callbacks/list', { body: { status: 'Suspended', pageNo: 1, recordsPerPage: 500 } }),
    );
    return page.callBacks.filter((c) => c.health === 'suspended-by-gridhook');
  }, []);
  const list = suspended.data ?? [];
  if (list.length === 0) return null;
  return (
    <div class="banner" role="alert" data-testid="suspended-banner">
      <p>
        <strong>
          {list.length === 1 ? '1 callback was' : `${list.length} callbacks were`} suspended by gridhook.
        </strong>{' '}
        Their pending events are kept; activate a callback to send them.
      </p>
      <ul>
        {list.slice(0, BANNER_NAMES).map((c) => (
          <li key={c.callBackQueueId}>
            <Link href={`/callbacks/${c.callBackQueueId}`}>{c.callBackQueueId}</Link> {c.callBackUrl}: {orDash(c.suspendReason)}
          </li>
        ))}
        {list.length > BANNER_NAMES && <li>and {list.length - BANNER_NAMES} more</li>}
      </ul>
    </div>
  );
}

type Listed = PostData<'/v2/callbacks/list'>['callBacks'][number];
type Health = PostData<'/v2/callbacks/health'>['callbacks'][number];

function callbackColumns(health: Map<number, Health>): Column<Listed>[] {
  const of = (c: Listed) => health.get(c.callBackQueueId);
  return [
    { header: 'ID', cell: (c) => <Link href={`/callbacks/${c.callBackQueueId}`}>{c.callBackQueueId}</Link> },
    { header: 'URL', class: 'url', cell: (c) => <Link href={`/callbacks/${c.callBackQueueId}`}>{c.callBackUrl}</Link> },
    { header: 'Event type', cell: (c) => c.callBackEvent },
    { header: 'Scope', cell: scopeText },
    { header: 'Status', cell: (c) => <StatusBadge status={c.status} /> },
    { header: 'Success (24 h)', cell: (c) => percent(of(c)?.successRate24h) },
    { header: 'Last HTTP status', cell: (c) => orDash(of(c)?.lastHttpStatus) },
    { header: 'p95 latency', cell: (c) => ms(of(c)?.p95LatencyMs) },
    { header: 'Pending', cell: (c) => of(c)?.pending ?? 0 },
    { header: 'Failed', cell: (c) => of(c)?.failed ?? 0 },
  ];
}

export function CallbacksPage() {
  const [pageNo, setPageNo] = useState(1);
  const [creating, setCreating] = useState(false);
  const list = useApi(async () => {
    const page = await unwrap(api.POST('/v2/callbacks/list', { body: { pageNo, recordsPerPage: PER_PAGE } }));
    const ids = page.callBacks.map((c) => c.callBackQueueId);
    const health =
      ids.length === 0 ? [] : (await unwrap(api.POST('/v2/callbacks/health', { body: { callBackQueueIds: ids } }))).callbacks;
    return { page, health: new Map(health.map((h) => [h.callBackQueueId, h])) };
  }, [pageNo]);

  return (
    <section>
      <div class="title-row">
        <h1>Callbacks</h1>
        {!creating && (
          <button type="button" onClick={() => setCreating(true)}>
            New callback
          </button>
        )}
      </div>
      <SuspendedBanner />
      {creating && (
        <NewCallbackForm
          onCancel={() => setCreating(false)}
          onCreated={(callback) => navigate(`/callbacks/${callback.callBackQueueId}`)}
        />
      )}
      <Loading {...list}>
        {({ page, health }) => (
          <DataTable
            caption="Callbacks with their health over the last 24 hours"
            columns={callbackColumns(health)}
            rows={page.callBacks}
            rowKey={(c) => c.callBackQueueId}
            empty={<p>No callbacks yet. Register one with New callback.</p>}
            paging={{ ...page, onPage: setPageNo }}
          />
        )}
      </Loading>
    </section>
  );
}
