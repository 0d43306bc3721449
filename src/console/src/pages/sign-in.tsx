import { useState } from 'preact/hooks';
import { api, ApiError, unwrap, type User } from '../api';

type Way = 'password' | 'apiKey';

export function SignInPage({ onSignedIn }: { onSignedIn: (user: User) => void }) {
  const [way, setWay] = useState<Way>('password');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const body =
      way === 'password'
        ? { loginName: String(form.get('loginName')), password: String(form.get('password')) }
        : { apiKey: String(form.get('apiKey')) };
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await unwrap(api.POST('/v2/sessions/sign-in', { body })));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <h1>Sign in to gridhook</h1>
      <div role="group" aria-label="Sign in with" class="tabs">
        <button type="button" aria-pressed={way === 'password'} onClick={() => setWay('password')}>
          Login name and password
        </button>
        <button type="button" aria-pressed={way === 'apiKey'} onClick={() => setWay('apiKey')}>
          API key
        </button>
      </div>
      <form onSubmit={submit}>
        {way === 'password' ? (
          <>
            <label>
              Login name
              <input name="loginName" autocomplete="username" required />
            </label>
            <label>
              Password
              <input name="password" type="password" autocomplete="current-password" required />
            </label>
          </>
        ) : (
          <label>
            API key
            <input name="apiKey" type="password" autocomplete="off" required />
          </label>
        )}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
