import { EventTable } from './event-table';

export function EventsPage() {
  return (
    <section>
      <h1>Events</h1>
      <EventTable />
    </section>
  );
}
