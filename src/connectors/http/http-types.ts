/**
 * The shapes the shared HTTP client works with: a request as a connector states it, the answer it
 * gets back, and the hooks auth layers and connectors plug in.
 */
import type { LedgerlinkError } from '../../canonical/errors.js';
import type { JsonValue } from '../../canonical/strict-json.js';
import type { TraceContext } from './traceparent.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'MERGE' | 'DELETE' | 'OPTIONS';

export interface HttpRequest {
  readonly method?: HttpMethod;
  /** Relative to the base URL's path (`A_BusinessPartner`, `/api/invoices`), or an absolute URL on the base URL's origin (paging links). */
  readonly path: string;
  /** Added to the query string; undefined values are skipped. */
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON body (numbers as JsonNumber, written exactly); sets content-type application/json unless given. */
  readonly json?: JsonValue;
  /** Text body (XML, SOAP, …); content-type text/plain unless given. */
  readonly text?: string;
  /** Form body (application/x-www-form-urlencoded). */
  readonly form?: Readonly<Record<string, string>>;
  /** Overrides the client's per-request timeout. */
  readonly timeoutMs?: number;
  /** The caller's cancellation; an abort is passed on as is, not classified. */
  readonly signal?: AbortSignal;
  /** Trace to join; a new trace is started without one. */
  readonly trace?: TraceContext;
  /** Statuses outside 2xx that are answers, not failures (e.g. 404 for a lookup). */
  readonly accept?: readonly number[];
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The URL that answered (after redirects). */
  readonly url: string;
  readonly text: string;
  /** The traceparent that was sent. */
  readonly traceparent: string;
  /** The body parsed strictly (numbers kept exact); an unparseable body is LL_ERR_REMOTE_TRANSIENT. */
  json(): JsonValue;
}

/**
 * A connector's own reading of an answer: a coded error to throw, 'ok' to accept it, or undefined to
 * fall back to the default (2xx and `accept` are answers, everything else via errorForStatus).
 */
export type ResponseClassifier = (response: HttpResponse, body: string) => LedgerlinkError | 'ok' | undefined;

/** A request on its way out; auth layers may set headers. */
export interface OutgoingRequest {
  readonly method: HttpMethod;
  readonly url: URL;
  readonly headers: Headers;
  /** 0 for the first send, 1 for a retry asked by an auth layer. */
  readonly attempt: number;
  readonly signal: AbortSignal | undefined;
}

/** What an auth layer may do besides setting headers: send through the layers before it. */
export interface AuthContext {
  send(request: HttpRequest): Promise<HttpResponse>;
}

/**
 * A layer between the connector and the wire (Basic, OAuth2, CSRF session). Layers run in order;
 * each may ask for one retry of a request (after refreshing what it holds).
 */
export interface RequestAuth {
  authorize?(request: OutgoingRequest, context: AuthContext): Promise<void> | void;
  /** Sees every answer; 'retry' sends the request once more (once per layer). */
  onResponse?(request: OutgoingRequest, response: HttpResponse): Promise<'retry' | undefined> | 'retry' | undefined;
  /** Classifies answers specific to this layer (consulted after the connector's classifier). */
  classify?: ResponseClassifier;
}

/** One exchange as it may be logged: URL and headers already redacted. */
export interface ExchangeRecord {
  readonly system: string;
  readonly method: string;
  readonly url: string;
  readonly requestHeaders: Readonly<Record<string, string>>;
  readonly status: number | undefined;
  readonly durationMs: number;
  readonly errorCode: string | undefined;
  readonly traceparent: string;
}

/** One exchange as a transport carries it: no redirect is followed (the client follows them itself). */
export interface TransportRequest {
  readonly method: string;
  readonly headers: Headers;
  readonly body: string | undefined;
  readonly signal: AbortSignal;
}

/**
 * Carries one exchange to the remote and answers its response (any status). The default is global
 * fetch from this process; `via: agent:<name>` swaps in a transport that hands the exchange to an
 * agent inside the remote's network. A transport throws a LedgerlinkError for what it knows
 * (a refused address, an unknown outcome) and anything else for the client to classify.
 */
export type HttpTransport = (url: URL, request: TransportRequest) => Promise<Response>;
