/**
 * OAuth2 tokens for a connector (RFC 6749): client credentials (Coupa, SAP, Business Central), and
 * the refresh-token grant with rotation (Concur: each refresh answers a new refresh token, which the
 * caller must store). The access token is cached and refreshed `refreshSkewMs` before it expires;
 * concurrent callers share one token request. As a request layer it sends `Authorization: Bearer`,
 * and on a 401 from the API drops the token it sent and retries once with a new one.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import { basicAuthorization } from './basic-auth.js';
import { HttpClient } from './http-client.js';
import type { HttpResponse, HttpTransport, OutgoingRequest, RequestAuth } from './http-types.js';
import { isSecretField, redactText } from './redact.js';

export interface OAuth2Options {
  readonly system: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** How the client authenticates at the token endpoint: HTTP Basic (default) or form fields. */
  readonly clientAuth?: 'basic' | 'body';
  readonly scopes?: readonly string[];
  /**
   * The grant for a new token: client_credentials (default), password (Concur company token with
   * `extraParams: { credtype: 'authtoken' }`), or refresh_token from a stored refresh token. Once the
   * endpoint has handed out a refresh token, later tokens use the refresh-token grant.
   */
  readonly grant?:
    | { readonly type: 'client_credentials' }
    | { readonly type: 'password'; readonly username: string; readonly password: string }
    | { readonly type: 'refresh_token'; readonly refreshToken: string };
  /**
   * Called with each new refresh token the endpoint hands out (and the answer's non-secret fields,
   * e.g. Concur's `geolocation`, to store with it); the old one stops working.
   */
  readonly onRefreshTokenRotated?: (
    newRefreshToken: string,
    fields: Readonly<Record<string, string | number | boolean>>,
  ) => void | Promise<void>;
  /**
   * Where the next token request goes, read from the last token answer's fields (Concur refreshes
   * at the token's `geolocation`); undefined keeps the current token URL.
   */
  readonly nextTokenUrl?: (fields: Readonly<Record<string, string | number | boolean>>) => string | undefined;
  /** Extra form fields for the token request. */
  readonly extraParams?: Readonly<Record<string, string>>;
  /** Refresh this long before expiry (at most half the lifetime). Default 60 s. */
  readonly refreshSkewMs?: number;
  readonly timeoutMs?: number;
  readonly allowInsecureHttp?: boolean;
  /** Carries each exchange (an agent's transport for `via: agent:<name>`); global fetch when absent. */
  readonly transport?: HttpTransport;
  readonly now?: () => number;
}

export interface OAuth2Token {
  readonly accessToken: string;
  readonly tokenType: string;
  /** Epoch ms; undefined when the endpoint gave no lifetime (kept until a 401). */
  readonly expiresAt: number | undefined;
  /** Non-secret fields of the token answer (`scope`, Concur's `geolocation`, …). */
  readonly fields: Readonly<Record<string, string | number | boolean>>;
}

const AUTH_ERRORS: ReadonlySet<string> = new Set([
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'invalid_scope',
]);

export class OAuth2Session implements RequestAuth {
  private readonly options: OAuth2Options;
  private endpoint: HttpClient;
  private tokenUrl: string;
  private readonly now: () => number;
  private readonly skewMs: number;
  private current: OAuth2Token | undefined;
  private refreshAt = 0;
  private pending: Promise<OAuth2Token> | undefined;
  private refreshToken: string | undefined;
  private tokenRequests = 0;

  constructor(options: OAuth2Options) {
    this.options = options;
    this.now = options.now ?? (() => Date.now());
    this.skewMs = options.refreshSkewMs ?? 60_000;
    this.refreshToken = options.grant?.type === 'refresh_token' ? options.grant.refreshToken : undefined;
    this.tokenUrl = options.tokenUrl;
    this.endpoint = this.endpointAt(options.tokenUrl);
  }

  private endpointAt(tokenUrl: string): HttpClient {
    const { options } = this;
    return new HttpClient({
      system: `${options.system} token endpoint`,
      baseUrl: tokenUrl,
      headers: { accept: 'application/json' },
      timeoutMs: options.timeoutMs ?? 30_000,
      ...(options.allowInsecureHttp === undefined ? {} : { allowInsecureHttp: options.allowInsecureHttp }),
      ...(options.transport === undefined ? {} : { transport: options.transport }),
      classify: (response, body) => classifyTokenError(`${options.system} token endpoint`, response, body),
    });
  }

  /** How many token requests were sent (for metrics and tests). */
  get tokenRequestCount(): number {
    return this.tokenRequests;
  }

  /** The cached token, if any (it may be due for refresh). */
  get token(): OAuth2Token | undefined {
    return this.current;
  }

  /** A valid access token: the cached one, or one fresh token request shared by all callers. */
  async getToken(): Promise<OAuth2Token> {
    if (this.current !== undefined && this.now() < this.refreshAt) return this.current;
    this.pending ??= this.requestToken().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Forgets the cached token (only if it is still `accessToken`, when given). */
  invalidate(accessToken?: string): void {
    if (accessToken === undefined || this.current?.accessToken === accessToken) this.current = undefined;
  }

  async authorize(request: OutgoingRequest): Promise<void> {
    const token = await this.getToken();
    request.headers.set('authorization', `Bearer ${token.accessToken}`);
  }

  onResponse(request: OutgoingRequest, response: HttpResponse): 'retry' | undefined {
    if (response.status !== 401) return undefined;
    const sent = request.headers.get('authorization')?.replace(/^Bearer\s+/i, '');
    this.invalidate(sent ?? undefined);
    return 'retry';
  }

  private async requestToken(): Promise<OAuth2Token> {
    const { options } = this;
    const form: Record<string, string> = { ...options.extraParams };
    const grant = options.grant ?? { type: 'client_credentials' as const };
    if (this.refreshToken !== undefined) {
      form.grant_type = 'refresh_token';
      form.refresh_token = this.refreshToken;
    } else if (grant.type === 'password') {
      Object.assign(form, { grant_type: 'password', username: grant.username, password: grant.password });
    } else {
      form.grant_type = 'client_credentials';
    }
    if (options.scopes !== undefined && options.scopes.length > 0) form.scope = options.scopes.join(' ');
    const headers: Record<string, string> = {};
    if (options.clientAuth === 'body')
      Object.assign(form, { client_id: options.clientId, client_secret: options.clientSecret });
    else
      headers.authorization = basicAuthorization(
        encodeURIComponent(options.clientId),
        encodeURIComponent(options.clientSecret),
      );
    this.tokenRequests += 1;
    const requestedAt = this.now();
    const response = await this.endpoint.request({ method: 'POST', path: this.tokenUrl, form, headers });
    const token = this.readToken(response, requestedAt);
    const nextUrl = options.nextTokenUrl?.(token.fields);
    if (nextUrl !== undefined && nextUrl !== this.tokenUrl) {
      if (new URL(nextUrl).origin !== new URL(this.tokenUrl).origin) this.endpoint = this.endpointAt(nextUrl);
      this.tokenUrl = nextUrl;
    }
    const rotated = fieldOf(response, 'refresh_token');
    if (typeof rotated === 'string' && rotated !== '' && rotated !== this.refreshToken) {
      // Kept in memory first: if storing it fails, this process still holds the one that works.
      this.refreshToken = rotated;
      await options.onRefreshTokenRotated?.(rotated, token.fields);
    }
    return token;
  }

  private readToken(response: HttpResponse, requestedAt: number): OAuth2Token {
    const body = parseTokenBody(this.options.system, response);
    const accessToken = body.access_token;
    if (typeof accessToken !== 'string' || accessToken === '') {
      throw new LedgerlinkError(
        'LL_ERR_REMOTE_TRANSIENT',
        `${this.options.system} token endpoint answered without an access_token`,
        {
          details: [{ message: redactText(response.text).slice(0, 500), status: response.status }],
        },
      );
    }
    const lifetimeS = Number(body.expires_in);
    const expiresAt = Number.isFinite(lifetimeS) && lifetimeS > 0 ? requestedAt + lifetimeS * 1_000 : undefined;
    const fields: Record<string, string | number | boolean> = {};
    for (const [key, value] of Object.entries(body)) {
      if (isSecretField(key)) continue;
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
    }
    const token: OAuth2Token = {
      accessToken,
      tokenType: typeof body.token_type === 'string' ? body.token_type : 'Bearer',
      expiresAt,
      fields,
    };
    this.current = token;
    this.refreshAt =
      expiresAt === undefined ? Number.POSITIVE_INFINITY : expiresAt - Math.min(this.skewMs, (lifetimeS * 1_000) / 2);
    return token;
  }
}

function parseTokenBody(system: string, response: HttpResponse): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(response.text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new LedgerlinkError(
    'LL_ERR_REMOTE_TRANSIENT',
    `${system} token endpoint answered a body that is not a JSON object`,
    {
      details: [{ message: redactText(response.text).slice(0, 500), status: response.status }],
    },
  );
}

function fieldOf(response: HttpResponse, name: string): unknown {
  try {
    return (JSON.parse(response.text) as Record<string, unknown>)[name];
  } catch {
    return undefined;
  }
}

/** RFC 6749 5.2: 400/401 with invalid_client, invalid_grant, … are credential problems, not rejections. */
function classifyTokenError(system: string, response: HttpResponse, body: string): LedgerlinkError | undefined {
  if (response.status !== 400 && response.status !== 401) return undefined;
  let error: unknown;
  try {
    error = (JSON.parse(body) as { error?: unknown }).error;
  } catch {
    error = undefined;
  }
  if (response.status === 400 && (typeof error !== 'string' || !AUTH_ERRORS.has(error))) return undefined;
  return new LedgerlinkError(
    'LL_ERR_REMOTE_AUTH',
    `${system} refused the credentials (${typeof error === 'string' ? error : response.status})`,
    {
      details: [{ message: redactText(body).slice(0, 500), status: response.status, system }],
    },
  );
}
