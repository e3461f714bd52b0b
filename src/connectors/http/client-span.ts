/**
 * The attributes of a connector call's client span (OpenTelemetry HTTP conventions, plus the
 * Ledgerlink system name): method, redacted URL, server, and once answered the status code. A
 * status of 400 or more, or a failure without one, marks the span failed.
 */
import { markFailed, type Attributes, type Span } from '../../observability/tracing.js';
import type { OutgoingRequest } from './http-types.js';
import { redactUrl } from './redact.js';

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

export function clientSpanAttributes(system: string, outgoing: OutgoingRequest): Attributes {
  const { url } = outgoing;
  return {
    'ledgerlink.system': system,
    'http.request.method': outgoing.method,
    'url.full': redactUrl(url),
    'server.address': url.hostname,
    'server.port': url.port === '' ? (DEFAULT_PORTS[url.protocol] ?? 0) : Number(url.port),
    ...(outgoing.attempt > 0 ? { 'http.request.resend_count': outgoing.attempt } : {}),
  };
}

/** Records the answer (or the failure) on the span; `url` is where the last hop went. */
export function endClientSpan(span: Span, status: number | undefined, errorCode: string | undefined, url: URL): void {
  if (!span.isRecording()) return;
  if (status !== undefined) span.setAttribute('http.response.status_code', status);
  span.setAttribute('url.full', redactUrl(url));
  if (errorCode !== undefined) {
    markFailed(span, new Error(`${errorCode}${status === undefined ? '' : ` (HTTP ${status})`}`), errorCode);
  } else if (status !== undefined && status >= 400) {
    markFailed(span, new Error(`HTTP ${status}`), String(status));
  }
}
