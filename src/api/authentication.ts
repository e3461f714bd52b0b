/**
 * Authentication and authorization of every route (the contract of route-access.ts), as one
 * `onRequest` hook registered before the routes:
 *
 * 1. `config: { public: true }` routes pass (health, readiness, docs, metrics unless configured).
 * 2. `Authorization: Bearer <token>` is checked (through the short-lived token cache); no token, or an
 *    unknown, malformed, expired or revoked one is 401 LL_ERR_UNAUTHENTICATED with
 *    `WWW-Authenticate: Bearer`. `request.principal` is set.
 * 3. The route's `config.action` is authorized with the role matrix; `events:post` becomes
 *    `events:post:<system>` from the `:system` parameter, `agents:connect` becomes
 *    `agents:connect:<agent>` from the `:agent` parameter (only the token of that agent passes). Not allowed, or a route without an access
 *    rule (deny by default), is 403 LL_ERR_FORBIDDEN.
 *
 * 4. Without an `Authorization` header, the web console's session cookie (`ll_session`) authenticates
 *    instead: the session's token and its current roles become the principal, and every call other
 *    than GET, HEAD and OPTIONS must carry the session's CSRF token in `x-csrf-token` (403
 *    LL_ERR_CSRF otherwise). `config: { signedIn: true }` routes take any authenticated principal.
 *
 * Both refusals are written to the audit log through DenialAudit (aggregated per client and minute).
 * One exception to 2: a system whose webhook signature replaces the token (`replacesToken: true`) may
 * post events without a token; the ingest route then requires the signature and sets the principal.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LedgerlinkError, type ErrorCode } from '../canonical/errors.js';
import { agentConnectAction, authorize, eventPostAction } from '../security/access-roles.js';
import type { AuthFailure } from '../security/api-tokens.js';
import type { TokenAuthenticator } from '../security/cached-token-authenticator.js';
import { csrfMatches, type ConsoleSessionStore } from '../security/console-sessions.js';
import { CSRF_HEADER, sessionIdOf } from './session-cookies.js';
import type { ApiServer } from './api-context.js';
import type { AuthDenial, DenialAudit } from './denial-audit.js';
import './route-access.js';

export interface AuthenticationOptions {
  readonly tokens: TokenAuthenticator;
  readonly denials: DenialAudit;
  /** Configured systems: posting to any other is left to the route, which answers 404. */
  readonly systems: ReadonlySet<string>;
  /** Systems whose valid webhook signature authenticates a delivery that carries no token. */
  readonly signatureAuthenticated?: ReadonlySet<string>;
  /** The console's sessions; without them the session cookie is ignored. */
  readonly sessions?: ConsoleSessionStore;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const BEARER = /^Bearer +(\S+) *$/i;
export const WWW_AUTHENTICATE = 'Bearer realm="ledgerlink"';

/** The token of a `Bearer` authorization header; `''` for another scheme, undefined when absent. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  return BEARER.exec(header)?.[1] ?? '';
}

/** `METHOD /pattern` of the matched route, as audit rows name it. */
export function routeOf(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0] ?? ''}`;
}

const systemParam = (request: FastifyRequest): string | undefined =>
  (request.params as { system?: unknown } | undefined)?.system as string | undefined;
const agentParam = (request: FastifyRequest): string =>
  String((request.params as { agent?: unknown } | undefined)?.agent ?? '');

export function useAuthentication(app: ApiServer, options: AuthenticationOptions): void {
  const { tokens, denials, systems } = options;
  const signatureAuthenticated = options.signatureAuthenticated ?? new Set<string>();
  app.decorateRequest('principal', undefined);

  const deny = async (
    request: FastifyRequest,
    reply: FastifyReply,
    code: ErrorCode,
    reason: string,
    action: string | null,
  ): Promise<never> => {
    const principal = request.principal;
    const denial: AuthDenial = {
      reason,
      code,
      route: routeOf(request),
      action,
      tokenId: principal?.tokenId ?? null,
      tokenName: principal?.name ?? null,
      ip: request.ip,
    };
    await denials.record(denial);
    if (code === 'LL_ERR_UNAUTHENTICATED' && reason.startsWith('session_')) {
      const why = reason.slice('session_'.length);
      throw new LedgerlinkError(code, `The console session is no longer valid (${why}); log in again`, {
        details: [{ path: 'cookies/ll_session', message: `session ${why}`, reason }],
      });
    }
    if (code === 'LL_ERR_UNAUTHENTICATED') {
      reply.header('www-authenticate', WWW_AUTHENTICATE);
      throw new LedgerlinkError(
        code,
        `A valid API token is required (token ${reason}); send Authorization: Bearer <token>`,
        {
          details: [{ path: 'headers/authorization', message: `token ${reason}`, reason }],
        },
      );
    }
    if (code === 'LL_ERR_CSRF') {
      throw new LedgerlinkError(code, `A call made with the console session needs its CSRF token in ${CSRF_HEADER}`, {
        details: [{ path: `headers/${CSRF_HEADER}`, message: 'missing or wrong', reason }],
      });
    }
    const message =
      action === null
        ? 'This route has no access rule and is refused to everyone'
        : `The token's roles do not allow ${action}`;
    const roles = [...(principal?.roles ?? [])];
    throw new LedgerlinkError(code, message, {
      details: [{ path: 'roles', message, roles, ...(action === null ? {} : { action }) }],
    });
  };

  app.addHook('onRequest', async (request, reply) => {
    if (request.is404) return; // unknown routes answer 404 from the not-found handler
    const config = request.routeOptions.config;
    if (config.public === true) return;
    const system = config.action === 'events:post' ? systemParam(request) : undefined;
    const action =
      config.action === undefined
        ? null
        : system !== undefined
          ? eventPostAction(system)
          : config.action === 'agents:connect'
            ? agentConnectAction(agentParam(request))
            : config.action;

    const header = request.headers.authorization;
    if (header === undefined && system !== undefined && signatureAuthenticated.has(system)) return; // the ingest route verifies the signature

    const sessionId = header === undefined && options.sessions !== undefined ? sessionIdOf(request) : undefined;
    let token;
    if (sessionId !== undefined && options.sessions !== undefined) {
      const session = await options.sessions.authenticate(sessionId);
      if (!session.ok) return deny(request, reply, 'LL_ERR_UNAUTHENTICATED', `session_${session.reason}`, action);
      token = session.token;
      request.principal = { tokenId: token.id, name: token.name, roles: token.roles };
      const csrf = request.headers[CSRF_HEADER];
      if (
        !SAFE_METHODS.has(request.method) &&
        !csrfMatches(typeof csrf === 'string' ? csrf : undefined, session.csrfHash)
      )
        return deny(request, reply, 'LL_ERR_CSRF', 'csrf', action);
    } else {
      const presented = bearerToken(header);
      const result =
        presented === ''
          ? { ok: false as const, reason: 'malformed' as AuthFailure }
          : await tokens.authenticate(presented);
      if (!result.ok) return deny(request, reply, 'LL_ERR_UNAUTHENTICATED', result.reason, action);
      token = result.token;
      request.principal = { tokenId: token.id, name: token.name, roles: token.roles };
    }

    if (config.signedIn === true) return;
    if (action === null) return deny(request, reply, 'LL_ERR_FORBIDDEN', 'no_access_rule', null);
    if (system !== undefined && !systems.has(system)) return; // the route answers 404 LL_ERR_UNKNOWN_SYSTEM
    if (!authorize(token.roles, action)) return deny(request, reply, 'LL_ERR_FORBIDDEN', 'forbidden', action);
  });
}
