/**
 * The HTTP client every connector uses, over global fetch (undici): one per connector, with a base
 * URL checked by the URL guard, default headers, a timeout per send combined with the caller's
 * signal, redirects followed by hand (https only, or the same loopback origin), a W3C traceparent on
 * every call, auth layers (Basic, OAuth2, CSRF session), an optional rate limiter and circuit
 * breaker, and every failure turned into a coded error by remote-errors.
 */
import { LedgerlinkError, isLedgerlinkError } from '../../canonical/errors.js';
import { parseStrictJson, stringifyJson, type JsonValue } from '../../canonical/strict-json.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import type {
  ExchangeRecord,
  HttpMethod,
  HttpRequest,
  HttpResponse,
  HttpTransport,
  OutgoingRequest,
  RequestAuth,
  ResponseClassifier,
} from './http-types.js';
import type { RateLimiter } from './rate-limiter.js';
import { redactHeaders, redactUrl } from './redact.js';
import { errorForNetworkFailure, errorForStatus, errorForTimeout, parseRetryAfter } from './remote-errors.js';
import { traceparentFor } from './traceparent.js';
import { clientSpanAttributes, endClientSpan } from './client-span.js';
import { inSpan, tracingActive, traceparentOf, type Span } from '../../observability/tracing.js';
import { guardConnectorUrl, guardRedirect, urlRefused } from './url-guard.js';

export interface HttpClientOptions {
  /** System name used in errors and records (`sap-s4hana`, `coupa`, …). */
  readonly system: string;
  readonly baseUrl: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Per send (each exchange with the remote, redirects included). Default 30 s. */
  readonly timeoutMs?: number;
  /** Plain http to a non-loopback host (see url-guard). */
  readonly allowInsecureHttp?: boolean;
  /** Default 5. */
  readonly maxRedirects?: number;
  readonly auth?: RequestAuth | readonly RequestAuth[];
  readonly classify?: ResponseClassifier;
  readonly rateLimiter?: RateLimiter;
  readonly circuitBreaker?: CircuitBreaker;
  /** Sees each exchange (redacted) for logging and metrics. */
  readonly onExchange?: (record: ExchangeRecord) => void;
  /** Carries each exchange; global fetch from this process when absent (see http-types). */
  readonly transport?: HttpTransport;
}

/** Global fetch from this process, redirects left to the client. */
export const fetchTransport: HttpTransport = (url, request) =>
  fetch(url, {
    method: request.method,
    headers: request.headers,
    body: request.body ?? null,
    redirect: 'manual',
    signal: request.signal,
  });

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'x-csrf-token'] as const;

export class HttpClient {
  readonly system: string;
  readonly baseUrl: URL;
  private readonly defaultHeaders: Readonly<Record<string, string>>;
  private readonly timeoutMs: number;
  private readonly maxRedirects: number;
  private readonly layers: readonly RequestAuth[];
  private readonly classifier: ResponseClassifier | undefined;
  private readonly limiter: RateLimiter | undefined;
  private readonly breaker: CircuitBreaker | undefined;
  private readonly onExchange: ((record: ExchangeRecord) => void) | undefined;
  private readonly transport: HttpTransport;

  constructor(options: HttpClientOptions) {
    this.system = options.system;
    this.baseUrl = guardConnectorUrl(options.baseUrl, {
      system: options.system,
      ...(options.allowInsecureHttp === undefined ? {} : { allowInsecureHttp: options.allowInsecureHttp }),
    });
    this.defaultHeaders = options.headers ?? {};
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxRedirects = options.maxRedirects ?? 5;
    this.layers =
      options.auth === undefined ? [] : Array.isArray(options.auth) ? options.auth : [options.auth as RequestAuth];
    this.classifier = options.classify;
    this.limiter = options.rateLimiter;
    this.breaker = options.circuitBreaker;
    this.onExchange = options.onExchange;
    this.transport = options.transport ?? fetchTransport;
  }

  /** Sends the request; answers a 2xx (or accepted) response, throws a LedgerlinkError otherwise. */
  request(request: HttpRequest): Promise<HttpResponse> {
    const run = (): Promise<HttpResponse> => this.throughLayers(request, this.layers.length);
    return this.breaker === undefined ? run() : this.breaker.execute(run);
  }

  /** The absolute URL for a path (relative to the base URL's path) and query. */
  resolve(path: string, query: HttpRequest['query'] = {}): URL {
    let url: URL;
    if (/^[a-z][a-z0-9+.-]*:/i.test(path)) {
      url = new URL(path);
      if (url.origin !== this.baseUrl.origin)
        throw urlRefused(this.system, url, `not on the base origin ${this.baseUrl.origin}`);
    } else {
      const basePath = this.baseUrl.pathname.replace(/\/+$/, '');
      url = new URL(`${this.baseUrl.origin}${basePath}/${path.replace(/^\/+/, '')}`);
      for (const [key, value] of this.baseUrl.searchParams)
        if (!url.searchParams.has(key)) url.searchParams.append(key, value);
    }
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    return url;
  }

  private async throughLayers(request: HttpRequest, layerCount: number): Promise<HttpResponse> {
    const layers = this.layers.slice(0, layerCount);
    const method: HttpMethod = request.method ?? 'GET';
    const url = this.resolve(request.path, request.query);
    const { body, contentType } = encodeBody(request);
    const traceparent = traceparentFor(request.trace);
    const retried = new Set<number>();
    for (let attempt = 0; ; attempt++) {
      const headers = new Headers(this.defaultHeaders);
      for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name, value);
      if (contentType !== undefined && !headers.has('content-type')) headers.set('content-type', contentType);
      headers.set('traceparent', traceparent);
      const outgoing: OutgoingRequest = { method, url, headers, attempt, signal: request.signal };
      for (const [index, layer] of layers.entries()) {
        await layer.authorize?.(outgoing, { send: (inner) => this.throughLayers(inner, index) });
      }
      const response = await this.send(outgoing, body, request, traceparent);
      let retry = false;
      for (const [index, layer] of layers.entries()) {
        const verdict = await layer.onResponse?.(outgoing, response);
        if (verdict === 'retry' && !retry && !retried.has(index)) {
          retried.add(index);
          retry = true;
        }
      }
      if (!retry) return this.classify(response, outgoing, request, layers);
    }
  }

  private classify(
    response: HttpResponse,
    outgoing: OutgoingRequest,
    request: HttpRequest,
    layers: readonly RequestAuth[],
  ): HttpResponse {
    if (response.status === 429 && this.limiter !== undefined) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      if (retryAfterMs !== undefined) this.limiter.holdFor(retryAfterMs);
    }
    let verdict = this.classifier?.(response, response.text);
    for (const layer of layers) verdict ??= layer.classify?.(response, response.text);
    if (verdict === 'ok') return response;
    if (verdict !== undefined) throw verdict;
    const { status } = response;
    if ((status >= 200 && status < 300) || request.accept?.includes(status) === true) return response;
    throw errorForStatus(this.system, status, response.headers.get('retry-after'), response.text, {
      method: outgoing.method,
      url: response.url,
    });
  }

  /**
   * One exchange, in a client span when tracing is on: the span is a child of the caller's (a step's)
   * and its traceparent is the one sent, so the vendor's side joins the document's trace.
   */
  private send(
    outgoing: OutgoingRequest,
    body: string | undefined,
    request: HttpRequest,
    traceparent: string,
  ): Promise<HttpResponse> {
    if (!tracingActive()) return this.exchange(outgoing, body, request, traceparent, undefined);
    return inSpan(
      `${outgoing.method} ${this.system}`,
      { kind: 'client', attributes: clientSpanAttributes(this.system, outgoing) },
      (span) => {
        const sent = traceparentOf(span.spanContext()) ?? traceparent;
        outgoing.headers.set('traceparent', sent);
        return this.exchange(outgoing, body, request, sent, span);
      },
    );
  }

  /** One exchange: rate limit, timeout, redirects by hand, body read; failures coded. */
  private async exchange(
    outgoing: OutgoingRequest,
    body: string | undefined,
    request: HttpRequest,
    traceparent: string,
    span: Span | undefined,
  ): Promise<HttpResponse> {
    await this.limiter?.acquire(request.signal);
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = request.signal === undefined ? timeout : AbortSignal.any([timeout, request.signal]);
    const headers = new Headers(outgoing.headers);
    let url = outgoing.url;
    let method: string = outgoing.method;
    let currentBody = body;
    const started = performance.now();
    let status: number | undefined;
    let errorCode: string | undefined;
    try {
      for (let hop = 0; ; hop++) {
        const res = await this.transport(url, { method, headers, body: currentBody, signal });
        status = res.status;
        const location = res.headers.get('location');
        if (!REDIRECT_STATUSES.has(res.status) || location === null) {
          const text = await res.text();
          return makeResponse(this.system, res, url, text, traceparent);
        }
        await res.body?.cancel().catch(() => undefined);
        if (hop >= this.maxRedirects) throw urlRefused(this.system, url, `more than ${this.maxRedirects} redirects`);
        const next = new URL(location, url);
        guardRedirect(url, next, this.system);
        if (next.origin !== url.origin) for (const name of CREDENTIAL_HEADERS) headers.delete(name);
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
          if (method !== 'HEAD') method = 'GET';
          currentBody = undefined;
          headers.delete('content-type');
        }
        url = next;
      }
    } catch (error) {
      const coded = this.codeFailure(error, request, timeout, timeoutMs, { method, url });
      errorCode = isLedgerlinkError(coded) ? coded.code : undefined;
      throw coded;
    } finally {
      if (span !== undefined) endClientSpan(span, status, errorCode, url);
      this.onExchange?.({
        system: this.system,
        method,
        url: redactUrl(url),
        requestHeaders: redactHeaders(headers),
        status,
        durationMs: performance.now() - started,
        errorCode,
        traceparent,
      });
    }
  }

  private codeFailure(
    error: unknown,
    request: HttpRequest,
    timeout: AbortSignal,
    timeoutMs: number,
    context: { method: string; url: URL },
  ): unknown {
    if (isLedgerlinkError(error)) return error;
    if (request.signal?.aborted === true) return request.signal.reason;
    if (timeout.aborted) return errorForTimeout(this.system, timeoutMs, context, error);
    return errorForNetworkFailure(this.system, error, context);
  }
}

function encodeBody(request: HttpRequest): { body: string | undefined; contentType: string | undefined } {
  if (request.json !== undefined) return { body: stringifyJson(request.json), contentType: 'application/json' };
  if (request.form !== undefined) {
    return { body: new URLSearchParams(request.form).toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  if (request.text !== undefined) return { body: request.text, contentType: 'text/plain; charset=utf-8' };
  return { body: undefined, contentType: undefined };
}

function makeResponse(system: string, res: Response, url: URL, text: string, traceparent: string): HttpResponse {
  return {
    status: res.status,
    headers: res.headers,
    url: url.toString(),
    text,
    traceparent,
    json(): JsonValue {
      try {
        return parseStrictJson(text);
      } catch (cause) {
        throw new LedgerlinkError('LL_ERR_REMOTE_TRANSIENT', `${system} answered a body that is not usable JSON`, {
          cause,
          details: [
            {
              message: cause instanceof Error ? cause.message : String(cause),
              status: res.status,
              system,
              url: redactUrl(url),
            },
          ],
        });
      }
    },
  };
}
