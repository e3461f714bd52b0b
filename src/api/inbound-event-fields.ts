/**
 * What the ingest route reads from an inbound delivery besides its body: the delivery ID that
 * dedupes it, the event type, the correlation ID, and the headers worth keeping (credentials dropped).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { LedgerlinkError } from '../canonical/errors.js';
import { ownText, type JsonValue } from '../canonical/strict-json.js';
import { traceIdOf } from '../connectors/http/traceparent.js';

/** Headers never stored with an event: they carry credentials (and one name no object key may take). */
const DROPPED_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', '__proto__']);

const MAX_DELIVERY_ID = 512;
const MAX_EVENT_TYPE = 200;
/** Visible ASCII only, so a correlation ID is safe in logs, URLs and traceparent-aware tools. */
const CORRELATION_ID = /^[\x21-\x7e]{1,128}$/;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  return trimmed === '' ? undefined : trimmed;
}

function bounded(value: string | undefined, max: number, what: string): string | undefined {
  if (value === undefined || value.length <= max) return value;
  throw new LedgerlinkError('LL_ERR_BAD_REQUEST', `${what} is longer than ${max} characters`, {
    details: [{ path: what, message: `at most ${max} characters` }],
  });
}

/** `webhook-id`, else `x-event-id`, else the payload's `eventId` / `event_id`. */
export function deliveryIdOf(headers: IncomingHttpHeaders, payload: JsonValue): string | undefined {
  const id =
    header(headers, 'webhook-id') ?? header(headers, 'x-event-id') ?? ownText(payload, ['eventId', 'event_id']);
  return bounded(id, MAX_DELIVERY_ID, 'delivery id');
}

/** `x-event-type`, else the payload's `type` / `eventType` / `event_type`, else `event`. */
export function eventTypeOf(headers: IncomingHttpHeaders, payload: JsonValue): string {
  const type = header(headers, 'x-event-type') ?? ownText(payload, ['type', 'eventType', 'event_type']) ?? 'event';
  return bounded(type, MAX_EVENT_TYPE, 'event type') ?? 'event';
}

/**
 * `x-correlation-id` when it is well-formed, else the trace ID of `traceparent`; undefined lets the
 * engine generate one. A malformed value is ignored rather than refused: a webhook sender would retry.
 */
export function correlationIdOf(headers: IncomingHttpHeaders): string | undefined {
  const given = header(headers, 'x-correlation-id');
  if (given !== undefined && CORRELATION_ID.test(given)) return given;
  return traceIdOf(header(headers, 'traceparent'));
}

/** The request headers to store with the event, without credentials. */
export function storableHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    if (DROPPED_HEADERS.has(name)) continue;
    const value = headers[name];
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
