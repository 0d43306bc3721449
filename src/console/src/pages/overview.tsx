import { api, unwrap, type GetData } from '../api';
import { Loading, MinuteChart } from '../components';
import { DataTable, type Column } from '../data-table';
import { ago, when } from '../format';
import { Link } from '../router';
import { useApi } from '../use-api';

interface Period {
  period: string;
  id: string;
  counts: GetData<'/v2/stats/overview'>['lastHour'];
}

const COUNT_COLUMNS: Column<Period>[] = [
  { header: 'Period', rowHeader: true, cell: (r) => r.period },
  { header: 'Delivered', testId: (r) => `delivered-${r.id}`, cell: (r) => r.counts.delivered },
  { header: 'Failed', testId: (r) => `failed-${r.id}`, cell: (r) => r.counts.failed },
  { header: 'Pending', cell: (r) => r.counts.pending },
];

export function OverviewPage() {
  const overview = useApi(() => unwrap(api.GET('/v2/stats/overview')), []);
  return (
    <section>
      <h1>Overview</h1>
      <Loading {...overview}>
        {(o) => (
          <>
            <DataTable
              class="counts"
              caption="Events"
              captionVisible
              columns={COUNT_COLUMNS}
              rows={[
                { period: 'Last hour', id: '1h', counts: o.lastHour },
                { period: 'Last 24 hours', id: '24h', counts: o.lastDay },
              ]}
              rowKey={(r) => r.id}
            />
            <p class="queue">
              Queue: <strong data-testid="queue-depth">{o.queueDepth}</strong> pending
              {o.oldestPending && (
                <>
                  , the oldest since {when(o.oldestPending)} ({ago(o.oldestPending, Date.parse(o.countedAt))})
                </>
              )}
              .
            </p>
            <MinuteChart minutes={o.perMinute} />
            <h2>Callbacks failing most (24 hours)</h2>
            {o.failingCallbacks.length === 0 ? (
              <p>No callback has failed events in the last 24 hours.</p>
            ) : (
              <ul>
                {o.failingCallbacks.map((f) => (
                  <li key={f.callBackQueueId}>
                    <Link href={`/callbacks/${f.callBackQueueId}`}>Callback {f.callBackQueueId}</Link>: {f.failed} failed
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </Loading>
    </section>
  );
}
