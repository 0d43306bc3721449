import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, onUnauthorized, unwrap, type User } from './api';
import { followLive } from './live';
import { Link, navigate, useLocation } from './router';
import { CallbackPage } from './pages/callback';
import { CallbacksPage } from './pages/callbacks';
import { EventPage } from './pages/event';
import { EventsPage } from './pages/events';
import { NotFound } from './pages/not-found';
import { OverviewPage } from './pages/overview';
import { ParcelPage } from './pages/parcel';
import { ParcelsPage } from './pages/parcels';
import { SignInPage } from './pages/sign-in';

type SignedIn = User | null;

const NAV = [
  { href: '/', label: 'Overview' },
  { href: '/callbacks', label: 'Callbacks' },
  { href: '/events', label: 'Events' },
  { href: '/parcels', label: 'Parcels' },
];

function Page({ path }: { path: string }) {
  const [, section, id, extra] = path.split('/');
  const numeric = id !== undefined && /^\d+$/.test(id) ? Number(id) : null;
  if (extra !== undefined) return <NotFound />;
  if (path === '/') return <OverviewPage />;
  if (section === 'callbacks' && id === undefined) return <CallbacksPage />;
  if (section === 'callbacks' && numeric !== null) return <CallbackPage callbackId={numeric} />;
  if (section === 'events' && id === undefined) return <EventsPage />;
  if (section === 'events' && numeric !== null) return <EventPage eventId={numeric} />;
  if (section === 'parcels' && id === undefined) return <ParcelsPage />;
  if (section === 'parcels' && numeric !== null) return <ParcelPage parcelId={numeric} />;
  return <NotFound />;
}

function App() {
  const [user, setUser] = useState<SignedIn | undefined>(undefined);
  const { path } = useLocation();

  useEffect(() => {
    unwrap(api.GET('/v2/users/me')).then(setUser, () => setUser(null));
  }, []);

  // A call that finds the session ended (idle expiry, sign-out elsewhere) sends the browser back to sign-in.
  useEffect(() => onUnauthorized(() => setUser(null)), []);

  // One live stream while signed in; the pages pick the changes they show from it.
  const signedIn = user !== undefined && user !== null;
  useEffect(() => {
    if (!signedIn) return undefined;
    const stop = new AbortController();
    void followLive(stop.signal, () => setUser(null));
    return () => stop.abort();
  }, [signedIn]);

  if (user === undefined) return <p class="loading">Loading…</p>;
  if (user === null) return <SignInPage onSignedIn={setUser} />;

  const signOut = async () => {
    await unwrap(api.POST('/v2/sessions/sign-out'));
    setUser(null);
    navigate('/');
  };
  const section = `/${path.split('/')[1] ?? ''}`;
  return (
    <>
      <header class="top">
        <span class="brand">gridhook</span>
        <nav aria-label="Main">
          {NAV.map((item) => (
            <Link href={item.href} aria-current={section === item.href ? 'page' : undefined}>
              {item.label}
            </Link>
          ))}
        </nav>
        <span class="who">
          {user.loginName} ({user.role}
          {user.mailboxId ? `, mailbox ${user.mailboxId}` : user.role === 'Root' ? '' : `, network ${user.networkId}`})
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main>
        <Page path={path} />
      </main>
    </>
  );
}

render(<App />, document.getElementById('app') as HTMLElement);
