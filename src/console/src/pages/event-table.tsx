/** A server-paged table of events with a status filter; used by the Events page and a callback's page. */
import { useState } from 'preact/hooks';
import { api, unwrap, type PostData } from '../api';
import { Loading, StatusBadge } from '../components';
import { DataTable, type Column } from '../data-table';
import { isoFromLocal, orDash, when } from '../format';
import { Link } from '../router';
import { useApi } from '../use-api';
import { EVENT_TYPES } from './callback-form';

const PER_PAGE = 25;
export const EVENT_STATUSES = ['Pending', 'Delivered', 'Failed', 'Canceled'] as const;
type EventStatus = (typeof EVENT_STATUSES)[number];
type EventType = (typeof EVENT_TYPES)[number];

type Listed = PostData<'/v2/callbacks/queue-list'>['events'][number];

const EVENT_COLUMNS: Column<Listed>[] = [
  {
    header: 'Event',
    cell: (e) => (
      <>
        <Link href={`/events/${e.eventId}`}>Event {e.eventId}</Link>
        {e.isTest && <span class="badge">test</span>}
      </>
    ),
  },
  { header: 'Callback', cell: (e) => <Link href={`/callbacks/${e.callBackQueueId}`}>{e.callBackQueueId}</Link> },
  { header: 'Type', cell: (e) => e.callBackEvent },
  { header: 'Status', cell: (e) => <StatusBadge status={e.status} /> },
  { header: 'Attempts', cell: (e) => e.attempts },
  { header: 'Last HTTP status', cell: (e) => orDash(e.lastHttpStatus) },
  { header: 'Created', cell: (e) => when(e.eventDateTime) },
  { header: 'Next call', cell: (e) => when(e.nextCall) },
  { header: 'Parcel', cell: (e) => (e.parcelId ? <Link href={`/parcels/${e.parcelId}`}>{e.parcelId}</Link> : '—') },
];

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
        {(page) => (
          <DataTable
            caption="Events, newest first"
            columns={EVENT_COLUMNS}
            rows={page.events}
            rowKey={(e) => e.eventId}
            empty={<p>No events{status ? ` with status ${status}` : ''}.</p>}
            paging={{ ...page, onPage: setPageNo }}
          />
        )}
      </Loading>
    </>
  );
}
