import { Link } from '../router';

/** Also what an object outside the principal's scope shows: the API answers it as missing. */
export function NotFound() {
  return (
    <section>
      <h1>Not found</h1>
      <p>There is nothing here, or it is outside what you may see.</p>
      <Link href="/">Back to the overview</Link>
    </section>
  );
}
