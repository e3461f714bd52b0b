/**
 * Login with an API token. A link of the form `/#login=<token>` (the demo prints one) logs in at
 * once; the token is then removed from the address bar so it stays out of the history.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { useSession } from './session-context';

export function tokenFromLink(hash: string): string | undefined {
  const match = /^#login=([A-Za-z0-9_-]+)$/.exec(hash);
  return match?.[1];
}

export function LoginPage() {
  const { login } = useSession();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const tried = useRef(false);

  const submit = async (value: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await login(value);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The hub cannot be reached');
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    const fromLink = tokenFromLink(window.location.hash);
    if (fromLink === undefined || tried.current) return;
    tried.current = true;
    window.history.replaceState(null, '', `${window.location.pathname}#/`);
    void submit(fromLink);
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit(token.trim());
  };

  return (
    <main className="login">
      <form className="login-card" onSubmit={onSubmit} aria-labelledby="login-title">
        <h1 id="login-title">Ledgerlink</h1>
        <p>Sign in with an API token (ask your administrator, or see the demo's welcome text).</p>
        <label htmlFor="login-token">API token</label>
        <input
          id="login-token"
          name="token"
          type="password"
          autoComplete="off"
          autoFocus
          value={token}
          onChange={(e) => setToken(e.target.value)}
          placeholder="llt_…"
        />
        {error === undefined ? null : (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || token.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
