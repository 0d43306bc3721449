/** A server-paged table of events with a status filter; used by the Events page and a callback's page. */
import { useState } from 'preact/hooks';
import { api, unwrap } from '../api';
import { Loading, Pager, StatusBadge } from '../components';
import { isoFromLocal, orDash, when } from '../format';
import { Link } from '../router';
import { useApi } from '../use-api';
import { EVENT_TYPES } from './callback-form';

const PER_PAGE = 25;
export const EVENT_STATUSES = ['Pending', 'Delivered', 'Failed', 'Canceled'] as const;
type EventStatus = (typeof EVENT_STATUSES)[number];
type EventType = (typeof EVENT_TYPES)[number];

export function EventTable(props: { callbackId?: number }) {
  const [pageNo, setPageNo] = useState(1);
  const [status, setStatus] = useState<EventStatus | ''>('');
  const [eventType, setEventType] = useState<EventType | ''>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const beginDate = isoFromLocal(from);
  const endDate = isoFromLocal(to);
  const events = useApi(
    () =>
      unwrap(
        api.POST('/v2/callbacks/queue-list', {
          body: {
            pageNo,
            recordsPerPage: PER_PAGE,
            ...(props.callbackId !== undefined && { callBackQueueId: props.callbackId }),
            ...(status !== '' && { status }),
            ...(eventType !== '' && { callBackEvent: eventType }),
            ...(beginDate !== undefined && { beginDate }),
            ...(endDate !== undefined && { endDate }),
          },
        }),
      ),
    [pageNo, status, eventType, beginDate, endDate, props.callbackId],
    (change) => props.callbackId === undefined || change.callbackId === props.callbackId,
  );
  const change = <T,>(set: (value: T) => void) => (event: Event) => {
    set((event.currentTarget as HTMLInputElement | HTMLSelectElement).value as T);
    setPageNo(1);
  };
  return (
    <>
      <div class="filters">
        <label>
          Status
          <select value={status} onChange={change(setStatus)}>
            <option value="">Any</option>
            {EVENT_STATUSES.map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Event type
          <select value={eventType} onChange={change(setEventType)}>
            <option value="">Any</option>
            {EVENT_TYPES.map((t) => (
              <option value={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Created from
          <input type="datetime-local" value={from} onChange={change(setFrom)} />
        </label>
        <label>
          Created before
          <input type="datetime-local" value={to} onChange={change(setTo)} />
        </label>
      </div>
      <Loading {...events}>
        {(page) =>
          page.totalRecords === 0 ? (
            <p>No events{status ? ` with status ${status}` : ''}.</p>
          ) : (
            <>
              <table>
                <caption class="visually-hidden">Events, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Event</th>
                    <th scope="col">Callback</th>
                    <th scope="col">Type</th>
                    <th scope="col">Status</th>
                    <th scope="col">Attempts</th>
                    <th scope="col">Last HTTP status</th>
                    <th scope="col">Created</th>
                    <th scope="col">Next call</th>
                    <th scope="col">Parcel</th>
                  </tr>
                </thead>
                <tbody>
                  {page.events.map((e) => (
                    <tr key={e.eventId}>
                      <td>
                        <Link href={`/events/${e.eventId}`}>Event {e.eventId}</Link>
                        {e.isTest && <span class="badge">test</span>}
                      </td>
                      <td>
                        <Link href={`/callbacks/${e.callBackQueueId}`}>{e.callBackQueueId}</Link>
                      </td>
                      <td>{e.callBackEvent}</td>
                      <td>
                        <StatusBadge status={e.status} />
                      </td>
                      <td>{e.attempts}</td>
                      <td>{orDash(e.lastHttpStatus)}</td>
                      <td>{when(e.eventDateTime)}</td>
                      <td>{when(e.nextCall)}</td>
                      <td>{e.parcelId ? <Link href={`/parcels/${e.parcelId}`}>{e.parcelId}</Link> : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager {...page} onPage={setPageNo} />
            </>
          )
        }
      </Loading>
    </>
  );
}
