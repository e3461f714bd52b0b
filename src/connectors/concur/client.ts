/**
 * The Concur HTTP client, following the published contract (`concur-contract-facts.ts`):
 * - OAuth2 with the company request token (`password` grant with `credtype=authtoken`) at the app's
 *   base URL, then rotating refresh tokens at the token's `geolocation` (each new refresh token is
 *   handed to `onRefreshTokenRotated` with that geolocation, to be stored together); every API call
 *   goes to the token's geolocation (apidoc.markdown, "Base URIs & Geolocation").
 * - FIS v4 GET: only the published parameters; the answer read in the v4 envelope `{content, links,
 *   page}` (pages followed by their `next` link) or the `{fIDocuments, nextPage}` envelope of the
 *   published examples; each `document` read whether it comes as a JSON string (the default
 *   `DocumentFormatAs: text`) or an object.
 * - FIS POSTs: the answer is a top-level JSON array of per-item results `{code, docId, systemId,
 *   …Result, errorMessage}`.
 * - List Item v4: first-level items by 1-based pages of 100, created by `shortCode`, updated with
 *   `shortCode` and `value`, deleted from the one list meant.
 * It does not retry 5xx or 429 itself: those surface as LL_ERR_REMOTE_TRANSIENT (with Retry-After)
 * for the engine to retry; a 401 gets one new token.
 */
import type { HttpTransport } from '../http/http-types.js';
import { LedgerlinkError } from '../../canonical/errors.js';
import { JsonNumber, parseStrictJson, type JsonObject, type JsonValue } from '../../canonical/strict-json.js';
import type { CircuitBreaker } from '../http/circuit-breaker.js';
import { HttpClient } from '../http/http-client.js';
import type { ExchangeRecord, HttpResponse } from '../http/http-types.js';
import { OAuth2Session } from '../http/oauth2.js';
import type { ExpenseDocType } from '../ports/expense-port.js';
import { redactText } from '../http/redact.js';
import { FIS_EXAMPLE_ENVELOPE, FIS_ITEM_RESULTS, FIS_REQUEST, LIST_ITEMS, TOKEN } from './concur-contract-facts.js';
import { arr, at, obj, str, SYSTEM } from './translate.js';

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
  /** The geolocation stored with that refresh token (where it is refreshed and the API is called). */
  readonly geolocation?: string;
  /**
   * Receives each new refresh token with the token's geolocation, to be stored together; the
   * previous refresh token no longer works once this is called.
   */
  readonly onRefreshTokenRotated: (refreshToken: string, geolocation: string | undefined) => void | Promise<void>;
  /** The ERP system id this hub integrates as (FIS `systemId`). */
  readonly systemId: string;
  readonly timeoutMs?: number;
  readonly allowInsecureHttp?: boolean;
  /** Carries each exchange (an agent's transport for `via: agent:<name>`); global fetch when absent. */
  readonly transport?: HttpTransport;
  /** FIS page size (the platform's default is 25). */
  readonly pageSize?: number;
  readonly circuitBreaker?: CircuitBreaker;
  readonly onExchange?: (record: ExchangeRecord) => void;
}

export interface ItemResult {
  readonly docId: string;
  readonly code: number;
  readonly message: string;
  /** The operation's result word (`SUCCESS`, `FAILURE`, `NOOP`, …), when answered. */
  readonly result?: string;
}

/** Each operation's result field (FinancialIntegrationService.swagger2.json). */
const RESULT_KEYS = {
  acknowledgements: FIS_ITEM_RESULTS.acknowledge.resultKey,
  postingconfirmations: FIS_ITEM_RESULTS.postingConfirmation.resultKey,
  paymentconfirmations: FIS_ITEM_RESULTS.paymentConfirmation.resultKey,
} as const;

export interface HeldListItem {
  readonly id: string;
  readonly code: string;
  readonly shortCode: string;
  readonly value: string;
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
    // A stored refresh token is refreshed at its geolocation; a first token comes from the app's base URL.
    const tokenBase =
      options.refreshToken !== undefined && options.geolocation !== undefined ? options.geolocation : options.baseUrl;
    this.session = new OAuth2Session({
      system: SYSTEM,
      tokenUrl: tokenUrlAt(tokenBase),
      nextTokenUrl: (fields) => {
        const geo = fields['geolocation'];
        return typeof geo === 'string' && geo !== '' ? tokenUrlAt(geo) : undefined;
      },
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      clientAuth: 'body',
      grant:
        options.refreshToken !== undefined
          ? { type: 'refresh_token', refreshToken: options.refreshToken }
          : { type: 'password', username: options.companyUuid, password: options.companyRequestToken ?? '' },
      extraParams: options.refreshToken !== undefined ? {} : { credtype: 'authtoken' },
      onRefreshTokenRotated: (token, fields) => {
        const geo = fields['geolocation'];
        return options.onRefreshTokenRotated(token, typeof geo === 'string' && geo !== '' ? geo : undefined);
      },
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.allowInsecureHttp === undefined ? {} : { allowInsecureHttp: options.allowInsecureHttp }),
      ...(options.transport === undefined ? {} : { transport: options.transport }),
    });
  }

  /** The API client on the token's geolocation (the configured base when the token names none). */
  private async client(): Promise<HttpClient> {
    const token = await this.session.getToken();
    const geo = token.fields['geolocation'];
    const baseUrl = typeof geo === 'string' && geo !== '' ? geo : (this.options.geolocation ?? this.options.baseUrl);
    if (this.api === undefined || this.api.baseUrl.origin !== new URL(baseUrl).origin) {
      this.api = new HttpClient({
        system: SYSTEM,
        baseUrl,
        headers: { accept: 'application/json' },
        auth: this.session,
        ...(this.options.timeoutMs === undefined ? {} : { timeoutMs: this.options.timeoutMs }),
        ...(this.options.allowInsecureHttp === undefined ? {} : { allowInsecureHttp: this.options.allowInsecureHttp }),
        ...(this.options.transport === undefined ? {} : { transport: this.options.transport }),
        ...(this.options.circuitBreaker === undefined ? {} : { circuitBreaker: this.options.circuitBreaker }),
        ...(this.options.onExchange === undefined ? {} : { onExchange: this.options.onExchange }),
      });
    }
    return this.api;
  }

  /**
   * Every READY document of a type, page after page; with `docId`, that one document whatever its
   * status (`docId` with `ignoreDocumentStatus=yes`: "If yes, a document is returned regardless of
   * status"). Each entry comes back with its `document` as an object.
   */
  async readyDocuments(docType: ExpenseDocType, docId?: string): Promise<JsonValue[]> {
    const api = await this.client();
    const documents: JsonValue[] = [];
    let path: string | undefined = fisPath(docType);
    let query: Record<string, string | number> | undefined = {
      page: FIS_REQUEST.firstPage,
      limit: this.options.pageSize ?? FIS_REQUEST.defaultLimit,
      systemId: this.options.systemId,
      ...(docId === undefined ? {} : { docId, ignoreDocumentStatus: 'yes' }),
    };
    for (let pages = 0; path !== undefined; pages++) {
      if (pages > 10_000) throw malformed('more than 10000 pages', '');
      const response: HttpResponse = await api.request({ path, ...(query === undefined ? {} : { query }) });
      const body = response.json();
      const content = at(body, 'content') ?? at(body, FIS_EXAMPLE_ENVELOPE.documentsKey);
      if (!Array.isArray(content)) throw malformed('list answer without content[]', response.text);
      documents.push(...content.map((entry) => withDocumentObject(entry, response.text)));
      const next = arr(at(body, 'links')).find((l) => str(at(l, 'rel')) === 'next');
      path = str(at(next, 'href')) ?? str(at(body, 'nextPage'));
      query = undefined;
    }
    return documents;
  }

  /** One GET at the token's geolocation, the answer as parsed (the contract check's cheap reads). */
  async read(path: string, query: Readonly<Record<string, string | number>> = {}): Promise<JsonValue> {
    const api = await this.client();
    return (await api.request({ path: path.replace(/^\//, ''), query })).json();
  }

  /** POSTs one FIS operation and reads its per-item results (a top-level JSON array). */
  async post(docType: ExpenseDocType, operation: FisOperation, body: JsonObject): Promise<ItemResult[]> {
    const api = await this.client();
    const response = await api.request({
      method: 'POST',
      path: `${fisPath(docType)}/${operation}`,
      json: { systemId: this.options.systemId, ...body },
    });
    const results = response.json();
    if (!Array.isArray(results))
      throw malformed(`${operation} answer is not an array of per-item results`, response.text);
    return results.map((item) => {
      const code = at(item, 'code');
      const codeText = code instanceof JsonNumber ? code.text : typeof code === 'string' ? code : '';
      if (!/^\d{1,4}$/.test(codeText)) throw malformed(`${operation} item without a numeric code`, response.text);
      const result = str(at(item, RESULT_KEYS[operation]));
      return {
        docId: str(at(item, 'docId')) ?? '',
        code: Number.parseInt(codeText, 10),
        message: str(at(item, 'errorMessage')) ?? str(at(item, 'detailMessage')) ?? '',
        ...(result === undefined ? {} : { result }),
      };
    });
  }

  /** The first-level items of a list (not deleted), every page (numbered from 1, 100 items each). */
  async listItems(listId: string): Promise<HeldListItem[]> {
    const api = await this.client();
    const items: HeldListItem[] = [];
    const path = LIST_ITEMS.listChildrenPath.replace('{listId}', encodeURIComponent(listId)).slice(1);
    for (let page = LIST_ITEMS.firstPage; ; page++) {
      const response = await api.request({ path, query: { page } });
      const body = response.json();
      for (const item of arr(at(body, 'content'))) {
        const id = str(at(item, 'id'));
        const shortCode = str(at(item, 'shortCode'));
        if (id === undefined || shortCode === undefined || at(item, 'isDeleted') === true) continue;
        items.push({ id, shortCode, code: str(at(item, 'code')) ?? shortCode, value: str(at(item, 'value')) ?? '' });
      }
      const totalPages = str(at(at(body, 'page'), 'totalPages'));
      const last = LIST_ITEMS.firstPage + (totalPages === undefined ? 1 : Number.parseInt(totalPages, 10)) - 1;
      if (page >= last || page > 10_000) return items;
    }
  }

  async createListItem(listId: string, shortCode: string, value: string): Promise<void> {
    const api = await this.client();
    await api.request({ method: 'POST', path: LIST_ITEMS.createPath.slice(1), json: { listId, shortCode, value } });
  }

  async updateListItem(id: string, shortCode: string, value: string): Promise<void> {
    const api = await this.client();
    const path = LIST_ITEMS.itemPath.replace('{itemId}', encodeURIComponent(id)).slice(1);
    await api.request({ method: 'PUT', path, json: { shortCode, value } });
  }

  /**
   * Deletes an item from this one list (an item shared with other lists stays in them); Concur keeps
   * it, marked `isDeleted` once no list holds it, and no longer offers it.
   */
  async deleteListItem(listId: string, id: string): Promise<void> {
    const api = await this.client();
    const path = LIST_ITEMS.deleteFromListPath
      .replace('{listId}', encodeURIComponent(listId))
      .replace('{itemId}', encodeURIComponent(id))
      .slice(1);
    await api.request({ method: 'DELETE', path });
  }
}

function tokenUrlAt(base: string): string {
  return `${base.replace(/\/+$/, '')}${TOKEN.path}`;
}

/** A FIS entry with its `document` as an object: parsed (numbers exact) when it came as a JSON string. */
function withDocumentObject(entry: JsonValue, body: string): JsonValue {
  const document = at(entry, 'document');
  const o = obj(entry);
  if (typeof document !== 'string' || o === undefined) return entry;
  let parsed: JsonValue;
  try {
    parsed = parseStrictJson(document);
  } catch (error) {
    throw malformed(`document of ${str(at(entry, 'id')) ?? '?'} is not JSON: ${String(error)}`, body);
  }
  return { ...o, document: parsed };
}

function fisPath(docType: ExpenseDocType): string {
  return FIS_REQUEST.transactionsPath.replace('{docType}', docType).slice(1);
}

function malformed(message: string, body: string): LedgerlinkError {
  return new LedgerlinkError('LL_ERR_REMOTE_TRANSIENT', `${SYSTEM}: ${message}`, {
    details: [{ message: redactText(body).slice(0, 300) }],
  });
}
