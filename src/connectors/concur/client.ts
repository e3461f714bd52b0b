/**
 * The Concur HTTP client: OAuth2 with the company request token (`password` grant with
 * `credtype=authtoken`) and rotating refresh tokens (each new one handed to `onRefreshTokenRotated`
 * to be stored), API calls sent to the token's `geolocation`, FIS v4 pages followed by their `next`
 * link, per-item results read, and list items. It does not retry 5xx or 429 itself: those surface as
 * LL_ERR_REMOTE_TRANSIENT (with Retry-After) for the engine to retry; a 401 gets one new token.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import { JsonNumber, type JsonObject, type JsonValue } from '../../canonical/strict-json.js';
import type { CircuitBreaker } from '../http/circuit-breaker.js';
import { HttpClient } from '../http/http-client.js';
import type { ExchangeRecord, HttpResponse } from '../http/http-types.js';
import { OAuth2Session } from '../http/oauth2.js';
import type { ExpenseDocType } from '../ports/expense-port.js';
import { redactText } from '../http/redact.js';
import { arr, at, str, SYSTEM } from './translate.js';

export interface ConcurClientOptions {
  /** Where the token service is (`https://us.api.concursolutions.com`); API calls go to the token's geolocation. */
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The company (username of the company-token grant). */
  readonly companyUuid: string;
  /** The company request token, used when no refresh token is stored yet. */
  readonly companyRequestToken?: string;
  /** The refresh token stored from the last rotation. */
  readonly refreshToken?: string;
  /** Receives each new refresh token; the previous one no longer works once this is called. */
  readonly onRefreshTokenRotated: (refreshToken: string) => void | Promise<void>;
  /** The ERP system id this hub integrates as (FIS `systemId`). */
  readonly systemId: string;
  readonly timeoutMs?: number;
  readonly allowInsecureHttp?: boolean;
  /** FIS page size (the platform's default is 25). */
  readonly pageSize?: number;
  readonly circuitBreaker?: CircuitBreaker;
  readonly onExchange?: (record: ExchangeRecord) => void;
}

export interface ItemResult {
  readonly docId: string;
  readonly code: number;
  readonly message: string;
}

export type FisOperation = 'acknowledgements' | 'postingconfirmations' | 'paymentconfirmations';

export class ConcurHttpClient {
  readonly session: OAuth2Session;
  private readonly options: ConcurClientOptions;
  private api: HttpClient | undefined;

  constructor(options: ConcurClientOptions) {
    this.options = options;
    if (options.refreshToken === undefined && options.companyRequestToken === undefined) {
      throw new LedgerlinkError(
        'LL_ERR_CONFIG_INVALID',
        'concur needs a stored refresh token or a company request token',
        {
          details: [{ path: 'refreshToken', message: 'one of refreshToken or companyRequestToken is required' }],
        },
      );
    }
    const base = options.baseUrl.replace(/\/+$/, '');
    this.session = new OAuth2Session({
      system: SYSTEM,
      tokenUrl: `${base}/oauth2/v0/token`,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      clientAuth: 'body',
      grant:
        options.refreshToken !== undefined
          ? { type: 'refresh_token', refreshToken: options.refreshToken }
          : { type: 'password', username: options.companyUuid, password: options.companyRequestToken ?? '' },
      extraParams: options.refreshToken !== undefined ? {} : { credtype: 'authtoken' },
      onRefreshTokenRotated: options.onRefreshTokenRotated,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.allowInsecureHttp === undefined ? {} : { allowInsecureHttp: options.allowInsecureHttp }),
    });
  }

  /** The API client on the token's geolocation (the configured base when the token names none). */
  private async client(): Promise<HttpClient> {
    const token = await this.session.getToken();
    const geo = token.fields['geolocation'];
    const baseUrl = typeof geo === 'string' && geo !== '' ? geo : this.options.baseUrl;
    if (this.api === undefined || this.api.baseUrl.origin !== new URL(baseUrl).origin) {
      this.api = new HttpClient({
        system: SYSTEM,
        baseUrl,
        headers: { accept: 'application/json' },
        auth: this.session,
        ...(this.options.timeoutMs === undefined ? {} : { timeoutMs: this.options.timeoutMs }),
        ...(this.options.allowInsecureHttp === undefined ? {} : { allowInsecureHttp: this.options.allowInsecureHttp }),
        ...(this.options.circuitBreaker === undefined ? {} : { circuitBreaker: this.options.circuitBreaker }),
        ...(this.options.onExchange === undefined ? {} : { onExchange: this.options.onExchange }),
      });
    }
    return this.api;
  }

  /**
   * Every READY document of a type, page after page by the `next` link; with `docId`, that one
   * document whatever its status (the FIS `docId` parameter).
   */
  async readyDocuments(docType: ExpenseDocType, docId?: string): Promise<JsonValue[]> {
    const api = await this.client();
    const documents: JsonValue[] = [];
    let path: string | undefined = fisPath(docType);
    let query: Record<string, string | number> | undefined = {
      page: 0,
      limit: this.options.pageSize ?? 25,
      systemId: this.options.systemId,
      ...(docId === undefined ? {} : { docId }),
    };
    for (let pages = 0; path !== undefined; pages++) {
      if (pages > 10_000) throw malformed('more than 10000 pages', '');
      const response: HttpResponse = await api.request({ path, ...(query === undefined ? {} : { query }) });
      const body = response.json();
      const content = at(body, 'content');
      if (!Array.isArray(content)) throw malformed('list answer without content[]', response.text);
      documents.push(...content);
      const next = arr(at(body, 'links')).find((l) => str(at(l, 'rel')) === 'next');
      path = str(at(next, 'href'));
      query = undefined;
    }
    return documents;
  }

  /** POSTs one FIS operation and reads its per-item results. */
  async post(docType: ExpenseDocType, operation: FisOperation, body: JsonObject): Promise<ItemResult[]> {
    const api = await this.client();
    const response = await api.request({
      method: 'POST',
      path: `${fisPath(docType)}/${operation}`,
      json: { systemId: this.options.systemId, ...body },
    });
    const parsed = response.json();
    const results = at(parsed, 'results');
    if (!Array.isArray(results)) throw malformed(`${operation} answer without per-item results`, response.text);
    return results.map((item) => {
      const code = at(item, 'code');
      const codeText = code instanceof JsonNumber ? code.text : typeof code === 'string' ? code : '';
      if (!/^\d{1,4}$/.test(codeText)) throw malformed(`${operation} item without a numeric code`, response.text);
      return {
        docId: str(at(item, 'docId')) ?? '',
        code: Number.parseInt(codeText, 10),
        message: str(at(item, 'message')) ?? '',
      };
    });
  }

  /** Every item of a list. */
  async listItems(listId: string): Promise<{ id: string; code: string; value: string }[]> {
    const api = await this.client();
    const items: { id: string; code: string; value: string }[] = [];
    for (let page = 0; ; page++) {
      const response = await api.request({
        path: `list/v4/lists/${encodeURIComponent(listId)}/children`,
        query: { page, limit: 100 },
      });
      const body = response.json();
      for (const item of arr(at(body, 'content'))) {
        const id = str(at(item, 'id'));
        const code = str(at(item, 'code'));
        if (id !== undefined && code !== undefined) items.push({ id, code, value: str(at(item, 'value')) ?? '' });
      }
      const totalPages = str(at(at(body, 'page'), 'totalPages'));
      if (totalPages === undefined || page + 1 >= Number.parseInt(totalPages, 10)) return items;
    }
  }

  async createListItem(listId: string, code: string, value: string): Promise<void> {
    const api = await this.client();
    await api.request({ method: 'POST', path: 'list/v4/items', json: { listId, code, value } });
  }

  async updateListItem(id: string, value: string): Promise<void> {
    const api = await this.client();
    await api.request({ method: 'PUT', path: `list/v4/items/${encodeURIComponent(id)}`, json: { value } });
  }

  /** Deletes an item (Concur keeps it, marked `isDeleted`, and no longer offers it). */
  async deleteListItem(id: string): Promise<void> {
    const api = await this.client();
    await api.request({ method: 'DELETE', path: `list/v4/items/${encodeURIComponent(id)}` });
  }
}

function fisPath(docType: ExpenseDocType): string {
  return `financialintegration/fi/v4/companies/transactiontypes/${docType}/transactions`;
}

function malformed(message: string, body: string): LedgerlinkError {
  return new LedgerlinkError('LL_ERR_REMOTE_TRANSIENT', `${SYSTEM}: ${message}`, {
    details: [{ message: redactText(body).slice(0, 300) }],
  });
}
