import { api, unwrap } from '../api';
import { Loading, MinuteChart } from '../components';
import { ago, when } from '../format';
import { Link } from '../router';
import { useApi } from '../use-api';

export function OverviewPage() {
  const overview = useApi(() => unwrap(api.GET('/v2/stats/overview')), []);
  return (
    <section>
      <h1>Overview</h1>
      <Loading {...overview}>
        {(o) => (
          <>
            <table class="counts">
              <caption>Events</caption>
              <thead>
                <tr>
                  <th scope="col">Period</th>
                  <th scope="col">Delivered</th>
                  <th scope="col">Failed</th>
                  <th scope="col">Pending</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <th scope="row">Last hour</th>
                  <td data-testid="delivered-1h">{o.lastHour.delivered}</td>
                  <td data-testid="failed-1h">{o.lastHour.failed}</td>
                  <td>{o.lastHour.pending}</td>
                </tr>
                <tr>
                  <th scope="row">Last 24 hours</th>
                  <td>{o.lastDay.delivered}</td>
                  <td>{o.lastDay.failed}</td>
                  <td>{o.lastDay.pending}</td>
                </tr>
              </tbody>
            </table>
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
