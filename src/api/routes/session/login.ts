/**
 * POST /v1/session — the web console's login: `{ token }` (an API token) opens a session kept by
 * an httpOnly, SameSite=Strict cookie (Secure over TLS) and a readable CSRF cookie. A refused token
 * is 401 LL_ERR_UNAUTHENTICATED and audited like any refused request.
 */
import { Type } from 'typebox';
import { LedgerlinkError } from '../../../canonical/errors.js';
import type { TokenStore } from '../../../security/api-tokens.js';
import type { ConsoleSessionStore } from '../../../security/console-sessions.js';
import type { ApiServer } from '../../api-context.js';
import { routeOf } from '../../authentication.js';
import type { DenialAudit } from '../../denial-audit.js';
import { setSessionCookies } from '../../session-cookies.js';
import { SessionSchema, sessionView } from './session-view.js';

const LoginBody = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 200, description: 'an API token (llt_…)' }) },
  { additionalProperties: false },
);

export interface SessionRouteDeps {
  readonly sessions: ConsoleSessionStore;
  readonly tokens: TokenStore;
  readonly denials: DenialAudit;
}

export function registerLoginRoute(app: ApiServer, deps: SessionRouteDeps): void {
  app.post(
    '/v1/session',
    {
      config: { public: true },
      schema: {
        summary: 'Log in to the web console with an API token (sets the session cookie)',
        body: LoginBody,
        response: { 200: SessionSchema },
        security: [],
      },
    },
    async (request, reply) => {
      const result = await deps.tokens.authenticate(request.body.token.trim());
      if (!result.ok) {
        await deps.denials.record({
          reason: result.reason,
          code: 'LL_ERR_UNAUTHENTICATED',
          route: routeOf(request),
          action: null,
          tokenId: null,
          tokenName: null,
          ip: request.ip,
        });
        throw new LedgerlinkError('LL_ERR_UNAUTHENTICATED', `The token cannot log in (${result.reason})`, {
          details: [{ path: 'body/token', message: `token ${result.reason}`, reason: result.reason }],
        });
      }
      const session = await deps.sessions.open(result.token);
      setSessionCookies(request, reply, session, Date.now());
      return sessionView(session.token, session.expiresAt);
    },
  );
}
