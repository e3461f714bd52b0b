/**
 * W3C Trace Context (`traceparent`) for outgoing calls: `00-<32 hex trace id>-<16 hex parent id>-<flags>`.
 */
import { createHash, randomBytes } from 'node:crypto';

/** The caller's trace: a full traceparent, or a trace id (32 hex, a UUID is accepted) to start a span in. */
export type TraceContext = { readonly traceparent: string } | { readonly traceId: string };

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

export function isValidTraceparent(value: string): boolean {
  const match = TRACEPARENT.exec(value);
  return match !== null && match[1] !== ZERO_TRACE && match[2] !== ZERO_SPAN;
}

/** A received traceparent, any version: version-traceid-parentid-flags; ff is invalid; 00 ends after flags. */
const RECEIVED_TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}(-.*)?$/;

/** The trace ID of a valid received W3C `traceparent`, or undefined. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  if (traceparent === undefined) return undefined;
  const match = RECEIVED_TRACEPARENT.exec(traceparent.toLowerCase());
  if (match === null) return undefined;
  const [, version, traceId, parentId, rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE || parentId === ZERO_SPAN) return undefined;
  return traceId;
}

export function newTraceId(): string {
  return randomBytes(16).toString('hex');
}

export function newSpanId(): string {
  return randomBytes(8).toString('hex');
}

/** A 32-hex trace id from `value` (hex or UUID, any case), or undefined when it is not one. */
export function normalizeTraceId(value: string): string | undefined {
  const hex = value.replace(/-/g, '').toLowerCase();
  return /^[0-9a-f]{32}$/.test(hex) && hex !== ZERO_TRACE ? hex : undefined;
}

/**
 * The traceparent to send: the caller's when it is valid, else a new span (sampled) in the caller's
 * trace id, else a new trace. Never throws: bad input starts a new trace.
 */
export function traceparentFor(context?: TraceContext): string {
  if (context !== undefined && 'traceparent' in context) {
    const value = context.traceparent.trim().toLowerCase();
    if (isValidTraceparent(value)) return value;
  }
  const traceId = context !== undefined && 'traceId' in context ? normalizeTraceId(context.traceId) : undefined;
  return `00-${traceId ?? newTraceId()}-${newSpanId()}-01`;
}

/**
 * The trace of a Ledgerlink correlation ID: the ID itself when it already is a trace id (it came from
 * the source's traceparent), else a stable digest of it, so every call for one document joins one trace.
 */
export function traceForCorrelation(correlationId: string): TraceContext {
  return {
    traceId: normalizeTraceId(correlationId) ?? createHash('sha256').update(correlationId).digest('hex').slice(0, 32),
  };
}
