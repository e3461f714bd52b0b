/**
 * Concur's OAuth2 token service as the simulator plays it: `POST /oauth2/v0/token` (form) with the
 * `password` grant and `credtype=authtoken` (the company request token) or the `refresh_token`
 * grant. Access tokens last an hour; refresh tokens rotate on use, so a refresh token works once.
 * Access tokens issued before the sim-kit's `expireTokens` cut-off are refused with 401.
 */
import { randomBytes } from 'node:crypto';
import { json, type SimRequest, type SimResponse } from '../../sim-kit/sim-server.js';

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
  scopes: ['FISVC', 'LIST'],
};

const ACCESS_SECONDS = 3_600;
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
  ) {}

  clear(): void {
    this.access.clear();
    this.refresh.clear();
  }

  token(req: SimRequest): SimResponse {
    const form = new URLSearchParams(req.body);
    const client = this.clients().find(
      (c) => c.clientId === form.get('client_id') && c.clientSecret === form.get('client_secret'),
    );
    if (client === undefined) return oauthError(401, 'invalid_client', 'client authentication failed');
    const grant = form.get('grant_type');
    if (grant === 'password') {
      if (form.get('credtype') !== 'authtoken')
        return oauthError(400, 'unsupported_grant_type', 'only credtype=authtoken is enabled');
      if (form.get('username') !== client.companyUuid || form.get('password') !== client.companyToken) {
        return oauthError(400, 'invalid_grant', 'incorrect credentials');
      }
      return this.issue(client);
    }
    if (grant === 'refresh_token') {
      const presented = form.get('refresh_token') ?? '';
      const held = this.refresh.get(presented);
      if (held === undefined || held.clientId !== client.clientId || held.expiresAt <= Date.now()) {
        return oauthError(400, 'invalid_grant', 'refresh token is invalid, expired or already used');
      }
      this.refresh.delete(presented);
      return this.issue(client);
    }
    return oauthError(400, 'unsupported_grant_type', `grant_type ${grant ?? '(none)'} is not supported`);
  }

  /** The 401/403 answer for a request without a valid access token with `scope`, or undefined. */
  refuse(req: SimRequest, scope: string): SimResponse | undefined {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer (\S+)$/i.exec(header);
    const held = match === null ? undefined : this.access.get(match[1] ?? '');
    if (held === undefined) return invalidToken('access token missing or unknown');
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
        expires_in: ACCESS_SECONDS,
        scope: client.scopes.join(' '),
        token_type: 'Bearer',
        access_token: accessToken,
        refresh_token: refreshToken,
        refresh_expires_in: Math.floor((now + REFRESH_SECONDS * 1_000) / 1_000),
        geolocation: this.geolocation(),
      },
      { 'cache-control': 'no-store' },
    );
  }
}

function oauthError(status: number, error: string, description: string): SimResponse {
  return json(status, { error, error_description: description });
}

function invalidToken(description: string): SimResponse {
  return json(
    401,
    { error: 'invalid_token', error_description: description },
    { 'www-authenticate': `Bearer error="invalid_token"` },
  );
}
