/**
 * Business Central API v2.0 (OData v4) over the shared HTTP client: OAuth2 client credentials against
 * the Microsoft identity platform (scope `https://api.businesscentral.dynamics.com/.default`, token
 * cached and refreshed, once more after a 401), a client-side rate limit under the published 6,000
 * requests per 5 minutes, a circuit breaker, W3C traceparent on every call, collections read through
 * every `@odata.nextLink`, PATCH and DELETE with the record's ETag in If-Match, and the OData error
 * body `{ error: { code, message } }` read into coded errors.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import { toPlain, type JsonObject, type JsonValue } from '../../canonical/strict-json.js';
import { CircuitBreaker } from '../http/circuit-breaker.js';
import { HttpClient } from '../http/http-client.js';
import type { ExchangeRecord, HttpResponse, HttpTransport } from '../http/http-types.js';
import { OAuth2Session } from '../http/oauth2.js';
import { RateLimiter } from '../http/rate-limiter.js';
import { BC_TOKEN_SCOPE } from './bc-contract-facts.js';

export const SYSTEM = 'business-central';
/**
 * Default request rate: 15 requests/s with a burst of 5. Business Central online allows 6,000 OData
 * requests per user in a 5-minute sliding window (20/s on average) and 5 processed at once; staying
 * under it keeps 429s rare (a 429's Retry-After still holds the bucket).
 */
export const DEFAULT_RATE_PER_SECOND = 15;
/** A posting date outside the allowed range or a locked period: the flows' period-closed validation. */
const PERIOD_CLOSED = /not within your range of allowed posting dates|posting date is not within/i;

export interface BcClientOptions {
  /** The API root: `https://api.businesscentral.dynamics.com/v2.0/{tenant}/{environment}/api/v2.0`. */
  readonly apiUrl: string;
  /** `https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token`. */
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope?: string;
  readonly timeoutMs?: number;
  readonly allowInsecureHttp?: boolean;
  /** Requests per second; `false` for none. Default DEFAULT_RATE_PER_SECOND. */
  readonly rateLimit?: number | false;
  /** Sees each exchange (redacted) for logging and metrics. */
  readonly onExchange?: (record: ExchangeRecord) => void;
  /** Carries each exchange (an agent's transport for `via: agent:<name>`); global fetch when absent. */
  readonly transport?: HttpTransport;
}

export class BcClient {
  readonly http: HttpClient;
  readonly oauth: OAuth2Session;

  constructor(options: BcClientOptions) {
    const insecure = options.allowInsecureHttp === undefined ? {} : { allowInsecureHttp: options.allowInsecureHttp };
    const timeout = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
    const via = options.transport === undefined ? {} : { transport: options.transport };
    this.oauth = new OAuth2Session({
      system: SYSTEM,
      tokenUrl: options.tokenUrl,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      clientAuth: 'body',
      scopes: [options.scope ?? BC_TOKEN_SCOPE],
      ...timeout,
      ...insecure,
      ...via,
    });
    const rate = options.rateLimit ?? DEFAULT_RATE_PER_SECOND;
    this.http = new HttpClient({
      system: SYSTEM,
      baseUrl: options.apiUrl.replace(/\/+$/, ''),
      headers: { accept: 'application/json' },
      auth: this.oauth,
      classify: classifyBcError,
      ...(rate === false ? {} : { rateLimiter: new RateLimiter({ ratePerSecond: rate, burst: 5 }) }),
      circuitBreaker: new CircuitBreaker({ system: SYSTEM, failureThreshold: 5, openMs: 30_000 }),
      ...(options.onExchange === undefined ? {} : { onExchange: options.onExchange }),
      ...timeout,
      ...insecure,
      ...via,
    });
  }

  /** Every record of a collection, following `@odata.nextLink`. */
  async list(path: string, filter?: string): Promise<JsonObject[]> {
    const out: JsonObject[] = [];
    let next: string | undefined = path;
    let query: Record<string, string> | undefined = filter === undefined ? undefined : { $filter: filter };
    while (next !== undefined) {
      const body = object((await this.http.request({ path: next, ...(query === undefined ? {} : { query }) })).json());
      const value = body['value'];
      if (!Array.isArray(value)) throw malformed(`${path}: no value array`);
      for (const item of value) out.push(object(item));
      const link = body['@odata.nextLink'];
      next = typeof link === 'string' ? link : undefined;
      query = undefined;
    }
    return out;
  }

  async get(path: string): Promise<JsonObject | null> {
    const response = await this.http.request({ path, accept: [404] });
    return response.status === 404 ? null : object(response.json());
  }

  async post(path: string, body: JsonValue): Promise<JsonObject> {
    return object((await this.http.request({ method: 'POST', path, json: body })).json());
  }

  async patch(path: string, body: JsonValue, etag: string): Promise<JsonObject> {
    return object(
      (await this.http.request({ method: 'PATCH', path, json: body, headers: { 'if-match': etag } })).json(),
    );
  }

  async delete(path: string, etag: string): Promise<void> {
    await this.http.request({ method: 'DELETE', path, headers: { 'if-match': etag } });
  }

  /** A bound action (`Microsoft.NAV.post`): 204 on success. */
  async action(path: string): Promise<void> {
    await this.http.request({ method: 'POST', path });
  }

  /** Uploads a stream property (`attachmentContent`). */
  async putContent(path: string, text: string, etag: string, contentType: string): Promise<void> {
    await this.http.request({
      method: 'PATCH',
      path,
      text,
      headers: { 'if-match': etag, 'content-type': contentType },
    });
  }
}

function object(value: JsonValue | undefined): JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value === undefined)
    throw malformed('expected a JSON object');
  return value as JsonObject;
}

const malformed = (message: string): LedgerlinkError =>
  new LedgerlinkError('LL_ERR_REMOTE_TRANSIENT', `${SYSTEM} answered an unexpected body: ${message}`);

/**
 * A 4xx answer with an OData error body: a locked posting period is a validation error, anything else
 * the API refuses (a field, a table relation, a concurrency token, a posting check) a rejection with
 * Business Central's code and message. Auth, throttling and 5xx are left to the shared rules.
 */
export function classifyBcError(response: HttpResponse, body: string): LedgerlinkError | undefined {
  const s = response.status;
  if (s < 400 || s >= 500 || s === 401 || s === 403 || s === 408 || s === 429) return undefined;
  let code = '';
  let message = body.slice(0, 300);
  try {
    const parsed = toPlain(response.json());
    const error = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed['error'] : undefined;
    if (error !== null && typeof error === 'object' && !Array.isArray(error) && error !== undefined) {
      code = typeof error['code'] === 'string' ? error['code'] : '';
      if (typeof error['message'] === 'string') message = error['message'];
    }
  } catch {
    // not an OData error body; keep the text
  }
  const details = [{ message, bcCode: code, status: s, system: SYSTEM }];
  if (PERIOD_CLOSED.test(message))
    return new LedgerlinkError('LL_ERR_VALIDATION', `${SYSTEM}: ${message}`, { details });
  return new LedgerlinkError('LL_ERR_REMOTE_REJECTED', `${SYSTEM} rejected the request (${code}): ${message}`, {
    details,
  });
}
