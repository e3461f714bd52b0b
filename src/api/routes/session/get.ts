/** GET /v1/session — the signed-in principal of the console: name, roles, allowed actions, expiry. */
import type { ApiServer } from '../../api-context.js';
import { sessionIdOf } from '../../session-cookies.js';
import type { SessionRouteDeps } from './login.js';
import { SessionSchema, sessionView } from './session-view.js';

export function registerGetSessionRoute(app: ApiServer, deps: SessionRouteDeps): void {
  app.get(
    '/v1/session',
    {
      config: { signedIn: true },
      schema: {
        summary: 'Who the console is signed in as, and what the roles allow',
        response: { 200: SessionSchema },
      },
    },
    async (request) => {
      const principal = request.principal!;
      const sessionId = sessionIdOf(request);
      const session =
        request.headers.authorization === undefined && sessionId !== undefined
          ? await deps.sessions.authenticate(sessionId)
          : undefined;
      const expiresAt = session?.ok === true ? session.expiresAt : Date.now() + deps.sessions.policy.idleMs;
      return sessionView(principal, expiresAt);
    },
  );
}
