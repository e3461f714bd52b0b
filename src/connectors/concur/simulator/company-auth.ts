/**
 * Concur's OAuth2 token service as the simulator plays it (`TOKEN` of the contract facts, from
 * apidoc.markdown): `POST /oauth2/v0/token` (form) with the `password` grant and `credtype=authtoken`
 * (the company request token) or the `refresh_token` grant. The answer's fields are all strings
 * (`expires_in` "3600") and carry `refresh_token`, `id_token` and `geolocation`. Access tokens last an
 * hour; refresh tokens rotate on use, so a refresh token works once. 4xx answers are
 * `{code, error, error_description, geolocation}` with the published `/token` codes; a refresh sent
 * anywhere but the token's geolocation is refused with code 16 ("user lives elsewhere").
 * Access tokens issued before the sim-kit's `expireTokens` cut-off are refused with 401.
 */
import { randomBytes } from 'node:crypto';
import { json, type SimRequest, type SimResponse } from '../../sim-kit/sim-server.js';
import { LIST_ITEMS, TOKEN, type TokenErrorCode } from '../concur-contract-facts.js';

export interface ConcurClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The company request token a company admin generates (the `password` of the authtoken grant). */
  readonly companyToken: string;
  /** The company (username of the authtoken grant). */
  readonly companyUuid: string;
  readonly scopes: readonly string[];
}

export const DEMO_CLIENT: ConcurClient = {
  clientId: 'ledgerlink-demo',
  clientSecret: 'demo-client-secret',
  companyToken: 'demo-company-request-token',
  companyUuid: '070fde04-3e0c-4716-89fd-6026ae292ed0',
  scopes: ['FISVC', ...Object.values(LIST_ITEMS.scopes)],
};

const ACCESS_SECONDS = Number(TOKEN.accessTokenSeconds);
const REFRESH_SECONDS = 180 * 24 * 3_600;

interface Issued {
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly issuedAt: number;
  readonly expiresAt: number;
}

export class CompanyAuth {
  private readonly access = new Map<string, Issued>();
  private readonly refresh = new Map<string, Issued>();

  constructor(
    private readonly clients: () => readonly ConcurClient[],
    private readonly geolocation: () => string,
    private readonly tokensIssuedBefore: () => number,
    /** When true, API calls and refreshes must be sent to the geolocation's host. */
    private readonly enforceGeolocation = false,
  ) {}

  clear(): void {
    this.access.clear();
    this.refresh.clear();
  }

  token(req: SimRequest): SimResponse {
    const form = new URLSearchParams(req.body);
    const error = (code: TokenErrorCode, status = 400): SimResponse => tokenError(status, code, this.geolocation());
    if (!form.has('client_id')) return error(62);
    if (!form.has('client_secret')) return error(63);
    const known = this.clients().find((c) => c.clientId === form.get('client_id'));
    if (known === undefined) return error(61, 401);
    if (known.clientSecret !== form.get('client_secret')) return error(64, 401);
    const grant = form.get('grant_type');
    if (grant === null) return error(65);
    if (grant === 'password') {
      const credtype = form.get('credtype') ?? 'password';
      if (!(TOKEN.credtypes as readonly string[]).includes(credtype)) return error(120);
      if (credtype !== 'authtoken') return error(5);
      if (form.get('username') !== known.companyUuid || form.get('password') !== known.companyToken) return error(5);
      return this.issue(known);
    }
    if (grant === 'refresh_token') {
      const presented = form.get('refresh_token');
      if (presented === null || presented === '') return error(106);
      if (!this.atGeolocation(req)) return error(16);
      const held = this.refresh.get(presented);
      if (held === undefined || held.clientId !== known.clientId || held.expiresAt <= Date.now()) return error(108);
      this.refresh.delete(presented);
      return this.issue(known);
    }
    return json(400, {
      code: 60,
      error: 'invalid_grant',
      error_description: 'these are not the grants you are looking for',
      geolocation: this.geolocation(),
    });
  }

  /** Whether the request came to the token's geolocation (only checked when one was configured). */
  atGeolocation(req: SimRequest): boolean {
    if (!this.enforceGeolocation) return true;
    return req.headers.host === new URL(this.geolocation()).host;
  }

  /** The 401/403 answer for a request without a valid access token with `scope`, or undefined. */
  refuse(req: SimRequest, scope: string): SimResponse | undefined {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer (\S+)$/i.exec(header);
    const held = match === null ? undefined : this.access.get(match[1] ?? '');
    if (held === undefined) return invalidToken('access token missing or unknown');
    if (!this.atGeolocation(req)) return invalidToken('the token belongs to another geolocation');
    if (held.expiresAt <= Date.now() || held.issuedAt < this.tokensIssuedBefore())
      return invalidToken('access token expired');
    if (!held.scopes.includes(scope)) {
      return json(
        403,
        { error: 'insufficient_scope', error_description: `scope ${scope} required` },
        {
          'www-authenticate': `Bearer error="insufficient_scope", scope="${scope}"`,
        },
      );
    }
    return undefined;
  }

  private issue(client: ConcurClient): SimResponse {
    const now = Date.now();
    const accessToken = randomBytes(24).toString('base64url');
    const refreshToken = randomBytes(24).toString('base64url');
    this.access.set(accessToken, {
      clientId: client.clientId,
      scopes: client.scopes,
      issuedAt: now,
      expiresAt: now + ACCESS_SECONDS * 1_000,
    });
    this.refresh.set(refreshToken, {
      clientId: client.clientId,
      scopes: client.scopes,
      issuedAt: now,
      expiresAt: now + REFRESH_SECONDS * 1_000,
    });
    return json(
      200,
      {
        expires_in: String(ACCESS_SECONDS),
        scope: client.scopes.join(' '),
        token_type: 'Bearer',
        access_token: accessToken,
        refresh_token: refreshToken,
        // apidoc.markdown: "refresh_expires_in: This is Epoch time format"; its JSON type is not published.
        refresh_expires_in: String(Math.floor((now + REFRESH_SECONDS * 1_000) / 1_000)),
        id_token: idToken(client.companyUuid, now),
        geolocation: this.geolocation(),
      },
      { 'cache-control': 'no-store' },
    );
  }
}

function tokenError(status: number, code: TokenErrorCode, geolocation: string): SimResponse {
  const { error, description } = TOKEN.errors[code];
  return json(status, { code, error, error_description: description, geolocation });
}

/** An unsigned JWT naming the company as `sub` (the simulator publishes no keys to verify it). */
function idToken(companyUuid: string, now: number): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const iat = Math.floor(now / 1_000);
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: companyUuid, iat, exp: iat + ACCESS_SECONDS })}.`;
}

function invalidToken(description: string): SimResponse {
  return json(
    401,
    { error: 'invalid_token', error_description: description },
    { 'www-authenticate': `Bearer error="invalid_token"` },
  );
}
