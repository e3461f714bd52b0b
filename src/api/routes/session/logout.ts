/** DELETE /v1/session — logs the console out: the session ends in the store and both cookies are cleared. */
import type { ApiServer } from '../../api-context.js';
import { clearSessionCookies, sessionIdOf } from '../../session-cookies.js';
import type { SessionRouteDeps } from './login.js';

export function registerLogoutRoute(app: ApiServer, deps: SessionRouteDeps): void {
  app.delete(
    '/v1/session',
    { config: { signedIn: true }, schema: { summary: 'Log out of the web console (ends the session)' } },
    async (request, reply) => {
      const sessionId = sessionIdOf(request);
      const ended = sessionId === undefined ? false : await deps.sessions.end(sessionId);
      clearSessionCookies(request, reply);
      return { ended };
    },
  );
}
