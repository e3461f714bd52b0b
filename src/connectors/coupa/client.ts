/**
 * Coupa Core API over the shared HTTP client: OAuth2 client credentials with scopes (token cached,
 * refreshed before expiry and once more after a 401), `Accept: application/json`, every page read
 * with `offset`/`limit` (50 at most), answers parsed strictly, and a client-side limit of 25
 * requests/s. Failures are coded by the shared layer; nothing is retried here on 5xx or 429 (the
 * engine retries with backoff), and a 429's Retry-After also holds the limiter.
 */
import type { HttpTransport } from '../http/http-types.js';
import { HttpClient } from '../http/http-client.js';
import type { HttpRequest } from '../http/http-types.js';
import { OAuth2Session } from '../http/oauth2.js';
import { RateLimiter } from '../http/rate-limiter.js';
import { isLedgerlinkError, LedgerlinkError } from '../../canonical/errors.js';
import type { JsonObject, JsonValue } from '../../canonical/strict-json.js';
import { asArray, asObject } from './translate.js';

export const COUPA_PAGE_SIZE = 50;

/** Least privilege for everything the connector does. */
export const COUPA_CONNECTOR_SCOPES = [
  'core.supplier.read',
  'core.supplier.write',
  'core.invoice.read',
  'core.invoice.write',
  'core.purchase_order.read',
  'core.inventory.receiving.read',
  'core.accounting.read',
  'core.accounting.write',
  'core.common.read',
  'core.common.write',
  'core.integration.read',
  'core.integration.write',
] as const;

export interface CoupaClientOptions {
  /** The instance, e.g. `https://acme.coupahost.com` (the simulator's URL in tests). */
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes?: readonly string[];
  /** Default 30 s. */
  readonly timeoutMs?: number;
  /** Default 25 requests/s with a burst of 10, under Coupa's 25/s with burst 20. */
  readonly ratePerSecond?: number;
  readonly burst?: number;
  /** Refresh the token this long before it expires. Default 5 min. */
  readonly refreshSkewMs?: number;
  readonly allowInsecureHttp?: boolean;
  /** Carries each exchange (an agent's transport for `via: agent:<name>`); global fetch when absent. */
  readonly transport?: HttpTransport;
}

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export class CoupaClient {
  readonly http: HttpClient;
  readonly oauth: OAuth2Session;
  readonly limiter: RateLimiter;

  constructor(options: CoupaClientOptions) {
    const base = options.baseUrl.replace(/\/+$/, '');
    const insecure = options.allowInsecureHttp === undefined ? {} : { allowInsecureHttp: options.allowInsecureHttp };
    const via = options.transport === undefined ? {} : { transport: options.transport };
    this.oauth = new OAuth2Session({
      system: 'coupa',
      tokenUrl: `${base}/oauth2/token`,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      clientAuth: 'body',
      scopes: options.scopes ?? COUPA_CONNECTOR_SCOPES,
      refreshSkewMs: options.refreshSkewMs ?? 300_000,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...insecure,
      ...via,
    });
    this.limiter = new RateLimiter({ ratePerSecond: options.ratePerSecond ?? 25, burst: options.burst ?? 10 });
    this.http = new HttpClient({
      system: 'coupa',
      baseUrl: `${base}/api`,
      headers: { accept: 'application/json' },
      auth: this.oauth,
      rateLimiter: this.limiter,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...insecure,
      ...via,
    });
  }

  /** Every record matching `query`, page by page (`offset` += what came back, 50 at a time). */
  async listAll(resource: string, query: Query = {}, signal?: AbortSignal): Promise<JsonObject[]> {
    const all: JsonObject[] = [];
    for (let offset = 0; ;) {
      const page = await this.list(resource, { ...query, offset, limit: COUPA_PAGE_SIZE }, signal);
      all.push(...page);
      if (page.length < COUPA_PAGE_SIZE) return all;
      offset += page.length;
    }
  }

  /** One page. */
  async list(resource: string, query: Query, signal?: AbortSignal): Promise<JsonObject[]> {
    const response = await this.http
      .request({ path: resource, query, ...(signal === undefined ? {} : { signal }) })
      .catch(withCoupaMessages);
    return asArray(response.json(), resource).map((item, index) => asObject(item, `${resource}[${index}]`));
  }

  async put(resource: string, id: string, body: JsonValue, query: Query = {}): Promise<JsonObject> {
    return this.send({ method: 'PUT', path: `${resource}/${encodeURIComponent(id)}`, query, json: body });
  }

  async post(resource: string, body: JsonValue): Promise<JsonObject> {
    return this.send({ method: 'POST', path: resource, json: body });
  }

  private async send(request: HttpRequest): Promise<JsonObject> {
    const response = await this.http.request(request).catch(withCoupaMessages);
    return asObject(response.json(), request.path);
  }
}

/**
 * A refusal whose body is Coupa's `{"errors":{"<object>":["<message>", …]}}` (Compass sample "User
 * Create with Errors") keeps its code and gains one detail per message (`path` = the object) and the
 * messages in its text; anything else is thrown as it came.
 */
export function withCoupaMessages(error: unknown): never {
  if (!isLedgerlinkError(error) || error.code !== 'LL_ERR_REMOTE_REJECTED') throw error;
  const messages: { path: string; message: string }[] = [];
  try {
    const body = JSON.parse(error.details[0]?.message ?? '') as { errors?: unknown };
    if (body.errors !== null && typeof body.errors === 'object' && !Array.isArray(body.errors)) {
      for (const [path, list] of Object.entries(body.errors as Record<string, unknown>))
        for (const message of Array.isArray(list) ? list : [])
          if (typeof message === 'string') messages.push({ path, message });
    }
  } catch {
    throw error;
  }
  if (messages.length === 0) throw error;
  const text = messages.map((m) => `${m.path}: ${m.message}`).join('; ');
  throw new LedgerlinkError(error.code, `${error.message}: ${text}`, {
    details: [...error.details, ...messages],
    cause: error,
  });
}
