/**
 * Who is signed in: the session (name, roles, allowed actions) read from GET /v1/session, login with
 * an API token (POST /v1/session), logout (DELETE /v1/session). A 401 on any call ends it here too.
 * `useCan(action)` is what pages ask before showing an action button; the API decides regardless.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, whenUnauthenticated } from '../api/client';
import type { SessionInfo } from '../api/types';

interface SessionState {
  readonly session: SessionInfo | undefined;
  readonly checking: boolean;
  login(token: string): Promise<void>;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionInfo | undefined>(undefined);
  const [checking, setChecking] = useState(true);

  useEffect(() => {
    whenUnauthenticated(() => setSession(undefined));
    api<SessionInfo>('/v1/session')
      .then(setSession, () => setSession(undefined))
      .finally(() => setChecking(false));
    return () => whenUnauthenticated(undefined);
  }, []);

  const login = useCallback(async (token: string) => {
    setSession(await api<SessionInfo>('/v1/session', { method: 'POST', body: { token } }));
  }, []);

  const logout = useCallback(async () => {
    try {
      await api('/v1/session', { method: 'DELETE' });
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) throw e;
    } finally {
      setSession(undefined);
    }
  }, []);

  const value = useMemo(() => ({ session, checking, login, logout }), [session, checking, login, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (state === undefined) throw new Error('useSession outside SessionProvider');
  return state;
}

/** True when the signed-in roles allow the action (e.g. `exceptions:act`). */
export function useCan(action: string): boolean {
  return useSession().session?.actions.includes(action) ?? false;
}
