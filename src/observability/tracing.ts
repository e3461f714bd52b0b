/**
 * The tracing primitives every layer may use (engine, connectors' HTTP client, API): spans over the
 * OpenTelemetry API, W3C `traceparent` text for what is stored or sent, and the context every log
 * line is tagged with (trace, span and correlation IDs). It imports nothing of ours, so the engine and
 * the connectors can share it without importing each other (docs/architecture.md).
 *
 * Spans are made only while tracing is on (observability/tracing-sdk.ts registered an SDK); otherwise
 * `inSpan` runs its function with a no-op span, and costs a flag test.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  context,
  INVALID_SPAN_CONTEXT,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanContext,
} from '@opentelemetry/api';

export type { Attributes, Span } from '@opentelemetry/api';

/** The instrumentation scope every Ledgerlink span is made under. */
export const TRACER_NAME = 'ledgerlink';

let active = false;

/** Whether spans are being made (an SDK was started with an exporter or span processors). */
export function tracingActive(): boolean {
  return active;
}

/** Called by the SDK starter only. */
export function setTracingActive(on: boolean): void {
  active = on;
}

const NOOP_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** The remote span context a W3C `traceparent` (version 00) names; undefined when it is not valid. */
export function spanContextOf(traceparent: string | null | undefined): SpanContext | undefined {
  if (traceparent === null || traceparent === undefined) return undefined;
  const match = TRACEPARENT.exec(traceparent.trim().toLowerCase());
  if (match === null) return undefined;
  const [, traceId, spanId, flags] = match as unknown as [string, string, string, string];
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  return { traceId, spanId, traceFlags: Number.parseInt(flags, 16) & TraceFlags.SAMPLED, isRemote: true };
}

/** The `traceparent` of a span context; undefined for the invalid (no-op) one. */
export function traceparentOf(spanContext: SpanContext): string | undefined {
  if (!trace.isSpanContextValid(spanContext)) return undefined;
  const flags = (spanContext.traceFlags & TraceFlags.SAMPLED).toString(16).padStart(2, '0');
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
}

/** The `traceparent` of the span active here; undefined when tracing is off or no span is active. */
export function activeTraceparent(): string | undefined {
  if (!active) return undefined;
  const span = trace.getActiveSpan();
  return span === undefined ? undefined : traceparentOf(span.spanContext());
}

export type SpanKindName = 'internal' | 'server' | 'client' | 'producer' | 'consumer';

const KINDS: Readonly<Record<SpanKindName, SpanKind>> = {
  internal: SpanKind.INTERNAL,
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};

export interface SpanOptions {
  readonly kind?: SpanKindName;
  readonly attributes?: Attributes;
  /**
   * The parent: a stored or received `traceparent` (a new trace when it is null or not valid), or
   * undefined for the span active where `inSpan` is called.
   */
  readonly parent?: string | null;
  /** Fields for every log line written while the function runs (e.g. the correlation ID). */
  readonly log?: LogFields;
  /** Spans this one also serves (traceparents): one request sent for several documents links to each. */
  readonly links?: readonly string[];
}

function linksOf(traceparents: readonly string[] | undefined): Link[] | undefined {
  if (traceparents === undefined) return undefined;
  const links: Link[] = [];
  for (const traceparent of traceparents) {
    const linked = spanContextOf(traceparent);
    if (linked !== undefined) links.push({ context: linked });
  }
  return links.length === 0 ? undefined : links;
}

function parentContext(parent: string | null | undefined): Context {
  if (parent === undefined) return context.active();
  const remote = spanContextOf(parent);
  return remote === undefined ? ROOT_CONTEXT : trace.setSpanContext(ROOT_CONTEXT, remote);
}

/**
 * Runs `fn` in a new span, active while it runs (calls made inside are its children). A throw marks
 * the span failed and is passed on. With tracing off, `fn` gets a no-op span.
 */
export async function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  if (!active) return options.log === undefined ? fn(NOOP_SPAN) : withLogFields(options.log, () => fn(NOOP_SPAN));
  const parent = parentContext(options.parent);
  const links = linksOf(options.links);
  const span = trace.getTracer(TRACER_NAME).startSpan(
    name,
    {
      kind: KINDS[options.kind ?? 'internal'],
      ...(options.attributes === undefined ? {} : { attributes: options.attributes }),
      ...(links === undefined ? {} : { links }),
    },
    parent,
  );
  const run = (): Promise<T> => context.with(trace.setSpan(parent, span), () => fn(span));
  try {
    return await (options.log === undefined ? run() : withLogFields(options.log, run));
  } catch (error) {
    markFailed(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** Marks a span failed by `error`: status ERROR with its message, `error.type` its code or class. */
export function markFailed(span: Span, error: unknown, type?: string): void {
  if (!span.isRecording()) return;
  const code = (error as { code?: unknown } | null)?.code;
  span.setAttribute(
    'error.type',
    type ?? (typeof code === 'string' ? code : ((error as Error | null)?.name ?? 'Error')),
  );
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/** Fields every log line written in a scope carries. */
export interface LogFields {
  readonly correlationId?: string;
  readonly runId?: string;
}

const logScope = new AsyncLocalStorage<LogFields>();

/** Runs `fn` with `fields` on every log line it (and what it awaits) writes. */
export function withLogFields<T>(fields: LogFields, fn: () => T): T {
  const outer = logScope.getStore();
  return logScope.run(outer === undefined ? fields : { ...outer, ...fields }, fn);
}

/**
 * What the logger adds to each line (pino mixin): `trace_id` and `span_id` of the active span and
 * the scope's correlation and run IDs. Fields given in the line itself win.
 */
export function logContextFields(): Record<string, string> {
  const fields: Record<string, string> = {};
  const scope = logScope.getStore();
  if (scope?.correlationId !== undefined) fields['correlationId'] = scope.correlationId;
  if (scope?.runId !== undefined) fields['runId'] = scope.runId;
  if (active) {
    const spanContext = trace.getActiveSpan()?.spanContext();
    if (spanContext !== undefined && trace.isSpanContextValid(spanContext)) {
      fields['trace_id'] = spanContext.traceId;
      fields['span_id'] = spanContext.spanId;
    }
  }
  return fields;
}
