/**
 * OData v2 and SOAP access to SAP S/4HANA Cloud over the shared HTTP client: Basic auth of the
 * communication user, CSRF session for writes, collections read through every `__next` page, the
 * Gateway error body read into coded errors (a closed posting period is a validation error; other
 * 4xx answers are business rejections), and the journal entry SOAP call.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import { toPlain, type PlainJson } from '../../canonical/strict-json.js';
import { basicAuth } from '../http/basic-auth.js';
import { CircuitBreaker, type CircuitBreakerOptions } from '../http/circuit-breaker.js';
import { CsrfSession } from '../http/csrf-session.js';
import { HttpClient } from '../http/http-client.js';
import type { ExchangeRecord, HttpResponse, HttpTransport } from '../http/http-types.js';
import { RateLimiter } from '../http/rate-limiter.js';
import { classifySoapFault } from './journal-entry-envelope.js';
import { refusedAsAWhole, RequestCoalescer } from '../http/request-coalescer.js';
import {
  asHttpResponse,
  batchBody,
  errorOfAnswer,
  readBatchAnswers,
  type ChangeSetWrite,
} from './odata-batch-request.js';

export const SYSTEM = 'sap-s4hana';
const ODATA_ROOT = 'sap/opu/odata/sap';
/** SAP messages that mean the posting period is closed. */
const PERIOD_CLOSED_CODES = new Set(['F5/201', 'F5/202', 'M8/047']);

/**
 * Default request rate per connector. SAP publishes no per-user API rate limit for S/4HANA Cloud
 * communication arrangements (fair use; every call takes a dialog work process of the tenant), so
 * the connector stays modest by default: 10 requests/s with a burst of 10. A 429 from the tenant
 * (or its API gateway) holds the bucket for its Retry-After.
 */
export const DEFAULT_RATE_PER_SECOND = 10;
/**
 * Default circuit breaker: open after 5 consecutive transient failures (5xx, 429, timeouts, network
 * errors; rejections and auth failures do not count), stay open 30 s, then let one probe through.
 * While open, calls fail at once with LL_ERR_REMOTE_TRANSIENT instead of adding load to a tenant
 * that is down or in a maintenance window.
 */
export const DEFAULT_CIRCUIT_BREAKER = { failureThreshold: 5, openMs: 30_000 } as const;

/** Circuit breaker settings as the shared CircuitBreaker takes them (the system name is set here). */
export type SapCircuitBreakerOptions = Omit<CircuitBreakerOptions, 'system'>;

export interface SapClientOptions {
  readonly baseUrl: string;
  /** Basic auth; absent when an agent adds the credentials inside the network (`via: agent:<name>`). */
  readonly user?: string;
  readonly password?: string;
  readonly timeoutMs?: number;
  readonly allowInsecureHttp?: boolean;
  /** Requests per second for the whole connector (OData and SOAP); `false` for none. Default DEFAULT_RATE_PER_SECOND. */
  readonly rateLimit?: number | false;
  /** Circuit breaker for the whole connector; `false` for none. Defaults: DEFAULT_CIRCUIT_BREAKER. */
  readonly circuitBreaker?: SapCircuitBreakerOptions | false;
  /** Sees each exchange (redacted) for logging and metrics. */
  readonly onExchange?: (record: ExchangeRecord) => void;
  /** Carries each exchange (an agent's transport for `via: agent:<name>`); global fetch when absent. */
  readonly transport?: HttpTransport;
}

export type ODataEntity = { readonly [key: string]: PlainJson };

/** Change sets one `$batch` carries at most when writes of documents posted at the same time meet. */
export const CHANGE_SETS_PER_BATCH = 50;

export class SapClient {
  readonly csrf = new CsrfSession({ system: SYSTEM, fetchPath: `${ODATA_ROOT}/API_BUSINESS_PARTNER/` });
  /** Shared by the OData and SOAP clients: one tenant, one budget and one breaker. */
  readonly rateLimiter: RateLimiter | undefined;
  readonly circuitBreaker: CircuitBreaker | undefined;
  private readonly odata: HttpClient;
  private readonly soap: HttpClient;
  /** Units of work of one service that meet in time leave as one `$batch`, a change set each. */
  private readonly units = new RequestCoalescer<readonly ChangeSetWrite[], ODataEntity[]>({
    maxItems: CHANGE_SETS_PER_BATCH,
    maxInFlight: 2,
    splitWhen: refusedAsAWhole,
    send: (service, units) => this.sendUnits(service, units),
  });

  constructor(options: SapClientOptions) {
    const rate = options.rateLimit ?? DEFAULT_RATE_PER_SECOND;
    this.rateLimiter = rate === false ? undefined : new RateLimiter({ ratePerSecond: rate });
    const breaker = options.circuitBreaker ?? {};
    this.circuitBreaker =
      breaker === false ? undefined : new CircuitBreaker({ ...DEFAULT_CIRCUIT_BREAKER, ...breaker, system: SYSTEM });
    const common = {
      system: SYSTEM,
      baseUrl: options.baseUrl,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.allowInsecureHttp === undefined ? {} : { allowInsecureHttp: options.allowInsecureHttp }),
      ...(this.rateLimiter === undefined ? {} : { rateLimiter: this.rateLimiter }),
      ...(this.circuitBreaker === undefined ? {} : { circuitBreaker: this.circuitBreaker }),
      ...(options.onExchange === undefined ? {} : { onExchange: options.onExchange }),
      ...(options.transport === undefined ? {} : { transport: options.transport }),
      classify: classifySapError,
    };
    const basic =
      options.user === undefined || options.password === undefined ? [] : [basicAuth(options.user, options.password)];
    this.odata = new HttpClient({ ...common, headers: { accept: 'application/json' }, auth: [...basic, this.csrf] });
    this.soap = new HttpClient({ ...common, classify: classifySoapFault, auth: basic });
  }

  /** Every entity of a collection, following `__next` links. */
  async readAll(service: string, set: string, query: Record<string, string | undefined> = {}): Promise<ODataEntity[]> {
    const out: ODataEntity[] = [];
    let response = await this.odata.request({
      path: `${ODATA_ROOT}/${service}/${set}`,
      query: { $format: 'json', ...query },
    });
    for (let page = 0; ; page++) {
      const d = envelope(response);
      const results = d['results'];
      if (!Array.isArray(results)) throw unusable('a collection without d.results');
      out.push(...(results as ODataEntity[]));
      const next = d['__next'];
      if (typeof next !== 'string' || next === '') return out;
      if (page > 10_000) throw unusable('more than 10000 pages');
      response = await this.odata.request({ path: next });
    }
  }

  /** POST of an entity (deep insert); answers `d`. */
  async create(service: string, set: string, body: PlainJson): Promise<ODataEntity> {
    const response = await this.odata.request({ method: 'POST', path: `${ODATA_ROOT}/${service}/${set}`, json: body });
    return envelope(response);
  }

  /**
   * A function import (`POST <service>/<name>?Param='value'&…`, no body); answers `d`. Parameter
   * values are sent as given: the caller writes them as OData literals.
   */
  async invoke(service: string, name: string, parameters: Record<string, string>): Promise<ODataEntity> {
    const response = await this.odata.request({
      method: 'POST',
      path: `${ODATA_ROOT}/${service}/${name}`,
      query: { $format: 'json', ...parameters },
    });
    return envelope(response);
  }

  /**
   * Writes of one service as one unit of work: all kept or none; answers each write's `d` in order, and
   * a refused write throws the coded error it would have alone. A lone write is a plain request, several
   * one change set; units of other callers that meet this one in time (documents posted at the same
   * time) travel in the same `$batch`, each its own change set, so the tenant sees one request for
   * them all while each unit succeeds or fails on its own.
   */
  write(service: string, writes: readonly ChangeSetWrite[]): Promise<ODataEntity[]> {
    if (writes.length === 0) return Promise.resolve([]);
    return this.units.submit(service, writes);
  }

  /** Requests that carried units of work so far. */
  get unitRequests(): number {
    return this.units.requests;
  }

  private async sendUnits(
    service: string,
    units: readonly (readonly ChangeSetWrite[])[],
  ): Promise<(ODataEntity[] | LedgerlinkError)[]> {
    const [first] = units;
    if (units.length === 1 && first !== undefined && first.length === 1)
      return [[await this.alone(service, first[0]!)]];
    const { body, contentType } = batchBody(units);
    const response = await this.odata.request({
      method: 'POST',
      path: `${ODATA_ROOT}/${service}/$batch`,
      text: body,
      headers: { 'content-type': contentType, accept: 'multipart/mixed' },
    });
    const answers = readBatchAnswers(response);
    if (answers.length !== units.length)
      throw unusable(`${answers.length} change set answers in a $batch of ${units.length} change sets`);
    return answers.map((set, index) => {
      const failed = set.find((a) => a.status >= 400);
      if (failed !== undefined) return errorOfAnswer(SYSTEM, failed, classifySapError, response.url);
      if (set.length !== units[index]!.length)
        return unusable(`${set.length} answers in a change set of ${units[index]!.length} writes`);
      return set.map((answer) => (answer.text === '' ? {} : envelope(asHttpResponse(answer, response.url))));
    });
  }

  /** One write as the plain request it is without a batch: an entity POST, or a function import. */
  private alone(service: string, write: ChangeSetWrite): Promise<ODataEntity> {
    if (write.method !== 'POST') throw new RangeError(`a lone ${write.method} is not sent through write()`);
    return write.json === undefined
      ? this.invoke(service, write.path, { ...write.query })
      : this.create(service, write.path, write.json);
  }

  /** PATCH with If-Match; answers the new ETag. */
  async update(service: string, entityPath: string, etag: string, body: PlainJson): Promise<string | undefined> {
    const response = await this.odata.request({
      method: 'PATCH',
      path: `${ODATA_ROOT}/${service}/${entityPath}`,
      json: body,
      headers: { 'if-match': etag },
    });
    return response.headers.get('etag') ?? undefined;
  }

  /** The service's `$metadata` (EDMX) as text. */
  async metadata(service: string, signal?: AbortSignal): Promise<string> {
    const response = await this.odata.request({
      path: `${ODATA_ROOT}/${service}/$metadata`,
      headers: { accept: 'application/xml' },
      ...(signal === undefined ? {} : { signal }),
    });
    return response.text;
  }

  /** POST of a SOAP envelope; answers the response text (the caller reads the log). */
  async soapCall(path: string, action: string, envelopeXml: string): Promise<string> {
    const response = await this.soap.request({
      method: 'POST',
      path,
      text: envelopeXml,
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: action },
    });
    return response.text;
  }
}

function unusable(what: string): LedgerlinkError {
  return new LedgerlinkError('LL_ERR_REMOTE_TRANSIENT', `${SYSTEM} answered ${what}`, {
    details: [{ message: what, system: SYSTEM }],
  });
}

function envelope(response: HttpResponse): { [key: string]: PlainJson } {
  const body = toPlain(response.json());
  const d = body !== null && typeof body === 'object' && !Array.isArray(body) ? body['d'] : undefined;
  if (d === null || d === undefined || typeof d !== 'object' || Array.isArray(d))
    throw unusable('a body without the OData envelope d');
  return d;
}

/** Reads the Gateway error body of a 4xx answer into a coded error with SAP's message code. */
export function classifySapError(response: HttpResponse, body: string): LedgerlinkError | undefined {
  if (
    response.status < 400 ||
    response.status >= 500 ||
    response.status === 401 ||
    response.status === 403 ||
    response.status === 408 ||
    response.status === 429
  )
    return undefined;
  let code = '';
  let message = body.slice(0, 300);
  try {
    const parsed = toPlain(response.json());
    const error = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed['error'] : undefined;
    if (error !== null && typeof error === 'object' && !Array.isArray(error) && error !== undefined) {
      code = typeof error['code'] === 'string' ? error['code'] : '';
      const value = error['message'];
      if (value !== null && typeof value === 'object' && !Array.isArray(value) && typeof value['value'] === 'string')
        message = value['value'];
    }
  } catch {
    // not a Gateway body; keep the text
  }
  const details = [{ message, sapCode: code, status: response.status, system: SYSTEM }];
  if (PERIOD_CLOSED_CODES.has(code))
    return new LedgerlinkError('LL_ERR_VALIDATION', `${SYSTEM}: ${message}`, { details });
  return new LedgerlinkError('LL_ERR_REMOTE_REJECTED', `${SYSTEM} rejected the request: ${message}`, { details });
}
