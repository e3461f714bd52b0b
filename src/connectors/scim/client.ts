/**
 * The SCIM 2.0 client (RFC 7644): `GET /Users` with a filter, paged by `startIndex`/`count` until
 * `totalResults` is reached, and `GET /Users/:id`. Bearer auth is either a long-lived token or an
 * OAuth2 client-credentials session (refreshed on expiry and on a 401). Filters are built here with
 * values quoted as JSON strings, so quotes and backslashes in a value cannot change the filter.
 * Failures are coded by the shared HTTP layer; a SCIM error body's `scimType` and `detail` go into
 * the message. No retries here: the engine retries transient failures.
 */
import type { HttpTransport } from '../http/http-types.js';
import { LedgerlinkError } from '../../canonical/errors.js';
import { toPlain, type PlainJson } from '../../canonical/strict-json.js';
import type { CircuitBreaker } from '../http/circuit-breaker.js';
import { HttpClient } from '../http/http-client.js';
import type { HttpResponse, OutgoingRequest, RequestAuth } from '../http/http-types.js';
import { OAuth2Session } from '../http/oauth2.js';
import type { RateLimiter } from '../http/rate-limiter.js';

export const SYSTEM = 'scim';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/** The tenant's extension with the employee's reimbursement bank accounts (`bankAccounts[]`: iban, bic, accountHolder). */
export const PAYEE_USER_SCHEMA = 'urn:ledgerlink:params:scim:schemas:extension:payee:1.0:User';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export type ScimAuth =
  | { readonly kind: 'token'; readonly token: string }
  | {
      readonly kind: 'oauth2';
      readonly tokenUrl: string;
      readonly clientId: string;
      readonly clientSecret: string;
      readonly scopes?: readonly string[];
    };

export interface ScimClientOptions {
  /** The SCIM base URL, ending before `/Users` (e.g. `https://tenant.example/scim/v2`). */
  readonly baseUrl: string;
  readonly auth: ScimAuth;
  /** Users asked for per page (the server may answer fewer). Default 100. */
  readonly pageSize?: number;
  readonly timeoutMs?: number;
  readonly allowInsecureHttp?: boolean;
  /** Carries each exchange (an agent's transport for `via: agent:<name>`); global fetch when absent. */
  readonly transport?: HttpTransport;
  readonly rateLimiter?: RateLimiter;
  readonly circuitBreaker?: CircuitBreaker;
}

export type ScimResource = { readonly [key: string]: PlainJson };

export interface ScimPage {
  readonly totalResults: number;
  readonly startIndex: number;
  readonly resources: readonly ScimResource[];
}

/** `attribute eq "value"`, the value written as a JSON string (RFC 7644 3.4.2.2 compValue). */
export function eqFilter(attribute: string, value: string): string {
  if (!/^[A-Za-z0-9:._$-]+$/.test(attribute)) throw new RangeError(`not a SCIM attribute path: ${attribute}`);
  return `${attribute} eq ${JSON.stringify(value)}`;
}

export function andFilter(...filters: readonly string[]): string {
  return filters.map((f) => `(${f})`).join(' and ');
}

export class ScimClient {
  private readonly http: HttpClient;
  private readonly pageSize: number;
  readonly session: OAuth2Session | undefined;

  constructor(options: ScimClientOptions) {
    const insecure = options.allowInsecureHttp === undefined ? {} : { allowInsecureHttp: options.allowInsecureHttp };
    const via = options.transport === undefined ? {} : { transport: options.transport };
    const timeout = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
    let auth: RequestAuth;
    if (options.auth.kind === 'token') {
      auth = bearer(options.auth.token);
    } else {
      this.session = new OAuth2Session({
        system: SYSTEM,
        tokenUrl: options.auth.tokenUrl,
        clientId: options.auth.clientId,
        clientSecret: options.auth.clientSecret,
        ...(options.auth.scopes === undefined ? {} : { scopes: options.auth.scopes }),
        ...insecure,
        ...via,
        ...timeout,
      });
      auth = this.session;
    }
    this.pageSize = options.pageSize ?? 100;
    this.http = new HttpClient({
      system: SYSTEM,
      baseUrl: options.baseUrl,
      headers: { accept: 'application/scim+json, application/json' },
      auth,
      classify: classifyScimError,
      ...insecure,
      ...via,
      ...timeout,
      ...(options.rateLimiter === undefined ? {} : { rateLimiter: options.rateLimiter }),
      ...(options.circuitBreaker === undefined ? {} : { circuitBreaker: options.circuitBreaker }),
    });
  }

  /** One page of users matching the filter. */
  async page(filter: string | undefined, startIndex: number, count: number = this.pageSize): Promise<ScimPage> {
    const response = await this.http.request({ path: 'Users', query: { filter, startIndex, count } });
    const body = toPlain(response.json());
    if (!isObject(body) || !Array.isArray(body['Resources'] ?? []))
      throw malformed('a ListResponse without Resources', response);
    const resources = ((body['Resources'] ?? []) as PlainJson[]).filter(isObject);
    const totalResults = Number(body['totalResults']);
    if (!Number.isInteger(totalResults) || totalResults < 0)
      throw malformed('a ListResponse without totalResults', response);
    const answeredStart = body['startIndex'] === undefined ? startIndex : Number(body['startIndex']);
    return { totalResults, startIndex: answeredStart, resources };
  }

  /** Every user matching the filter, page after page until totalResults is reached. */
  async *all(filter?: string): AsyncGenerator<ScimResource> {
    let startIndex = 1;
    for (;;) {
      const page = await this.page(filter, startIndex);
      yield* page.resources;
      startIndex += page.resources.length;
      // An empty page before the total is reached would loop forever: the server is done.
      if (page.resources.length === 0 || startIndex > page.totalResults) return;
    }
  }

  /** The users matching the filter on the first page (for lookups that expect at most a few). */
  async find(filter: string, limit = 2): Promise<readonly ScimResource[]> {
    return (await this.page(filter, 1, limit)).resources;
  }

  /** A resource of the service as plain JSON (`ServiceProviderConfig`, a page of `Users`), for the contract check. */
  async read(
    path: string,
    query: Readonly<Record<string, string | number | undefined>> = {},
    signal?: AbortSignal,
  ): Promise<PlainJson> {
    const response = await this.http.request({ path, query, ...(signal === undefined ? {} : { signal }) });
    return toPlain(response.json());
  }

  async get(id: string): Promise<ScimResource | null> {
    const response = await this.http.request({ path: `Users/${encodeURIComponent(id)}`, accept: [404] });
    if (response.status === 404) return null;
    const body = toPlain(response.json());
    if (!isObject(body)) throw malformed('a User that is not an object', response);
    return body;
  }
}

function bearer(token: string): RequestAuth {
  return {
    authorize(request: OutgoingRequest): void {
      request.headers.set('authorization', `Bearer ${token}`);
    },
  };
}

/** 4xx answers with a SCIM error body: coded as the shared layer does, with scimType and detail in the message. */
function classifyScimError(response: HttpResponse, body: string): LedgerlinkError | undefined {
  const { status } = response;
  if (status < 400 || status >= 500 || status === 408 || status === 429 || status === 404) return undefined;
  let error: { scimType?: unknown; detail?: unknown; schemas?: unknown };
  try {
    error = JSON.parse(body) as typeof error;
  } catch {
    return undefined;
  }
  if (!Array.isArray(error.schemas) || !error.schemas.includes(ERROR_SCHEMA)) return undefined;
  const scimType = typeof error.scimType === 'string' ? error.scimType : undefined;
  const detail = typeof error.detail === 'string' ? error.detail.slice(0, 300) : '';
  const code = status === 401 || status === 403 ? 'LL_ERR_REMOTE_AUTH' : 'LL_ERR_REMOTE_REJECTED';
  const what = code === 'LL_ERR_REMOTE_AUTH' ? 'refused the credentials' : 'rejected the request';
  return new LedgerlinkError(
    code,
    `${SYSTEM} ${what} (${status}${scimType === undefined ? '' : ` ${scimType}`}): ${detail}`,
    {
      details: [{ message: detail, status, system: SYSTEM, ...(scimType === undefined ? {} : { scimType }) }],
    },
  );
}

function isObject(value: PlainJson | undefined): value is { [key: string]: PlainJson } {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);
}

function malformed(what: string, response: HttpResponse): LedgerlinkError {
  return new LedgerlinkError('LL_ERR_REMOTE_REJECTED', `${SYSTEM} answered ${what}`, {
    details: [{ message: what, status: response.status, system: SYSTEM }],
  });
}
