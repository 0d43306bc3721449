import { useState } from 'preact/hooks';
import { api, unwrap } from '../api';
import { Loading, Pager, StatusBadge } from '../components';
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
        {({ page, health }) =>
          page.totalRecords === 0 ? (
            <p>No callbacks yet. Register one with New callback.</p>
          ) : (
            <>
              <table>
                <caption class="visually-hidden">Callbacks with their health over the last 24 hours</caption>
                <thead>
                  <tr>
                    <th scope="col">ID</th>
                    <th scope="col">URL</th>
                    <th scope="col">Event type</th>
                    <th scope="col">Scope</th>
                    <th scope="col">Status</th>
                    <th scope="col">Success (24 h)</th>
                    <th scope="col">Last HTTP status</th>
                    <th scope="col">p95 latency</th>
                    <th scope="col">Pending</th>
                    <th scope="col">Failed</th>
                  </tr>
                </thead>
                <tbody>
                  {page.callBacks.map((c) => {
                    const h = health.get(c.callBackQueueId);
                    return (
                      <tr key={c.callBackQueueId}>
                        <td>
                          <Link href={`/callbacks/${c.callBackQueueId}`}>{c.callBackQueueId}</Link>
                        </td>
                        <td class="url">
                          <Link href={`/callbacks/${c.callBackQueueId}`}>{c.callBackUrl}</Link>
                        </td>
                        <td>{c.callBackEvent}</td>
                        <td>{scopeText(c)}</td>
                        <td>
                          <StatusBadge status={c.status} />
                        </td>
                        <td>{percent(h?.successRate24h)}</td>
                        <td>{orDash(h?.lastHttpStatus)}</td>
                        <td>{ms(h?.p95LatencyMs)}</td>
                        <td>{h?.pending ?? 0}</td>
                        <td>{h?.failed ?? 0}</td>
                      </tr>
                    );
                  })}
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
