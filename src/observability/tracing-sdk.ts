/**
 * Starts the OpenTelemetry Node SDK for Ledgerlink's own spans: traces only (no metrics or log
 * exporters, no auto-instrumentation), exported over OTLP/HTTP in batches, or handed to the span
 * processors a test gives (an in-memory exporter). One SDK per process: starting again while one runs
 * answers the running one. When tracing is not configured nothing here is loaded or started.
 */
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { context, propagation, trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import type { TracingSettings } from '../config/observability-config.js';
import { setTracingActive } from './tracing.js';

export interface Tracing {
  /** Exports what is buffered and stops; spans are no longer made afterwards. */
  shutdown(): Promise<void>;
  /** Exports what is buffered now. */
  flush(): Promise<void>;
}

export interface TracingStartOptions {
  /** Replaces the OTLP exporter (tests: a SimpleSpanProcessor over an InMemorySpanExporter). */
  readonly spanProcessors?: readonly SpanProcessor[];
  readonly serviceName?: string;
}

let running: { tracing: Tracing; processors: readonly SpanProcessor[] } | undefined;

function processorsFor(settings: Extract<TracingSettings, { enabled: true }>): SpanProcessor[] {
  const exporter =
    settings.protocol === 'http/json'
      ? new OtlpJsonExporter({ url: settings.url })
      : new OtlpProtoExporter({ url: settings.url });
  return [new BatchSpanProcessor({ exporter })];
}

/**
 * Starts tracing when the settings enable it (or span processors are given); undefined when tracing
 * stays off. The SDK registers the AsyncLocalStorage context manager and the W3C propagator.
 */
export function startTracing(settings: TracingSettings, options: TracingStartOptions = {}): Tracing | undefined {
  if (running !== undefined) return running.tracing;
  const processors = options.spanProcessors ?? (settings.enabled ? processorsFor(settings) : undefined);
  if (processors === undefined || processors.length === 0) return undefined;
  const sampleRatio = settings.enabled ? settings.sampleRatio : 1;
  const sdk = new NodeSDK({
    serviceName: options.serviceName ?? (settings.enabled ? settings.serviceName : 'ledgerlink'),
    spanProcessors: [...processors],
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(sampleRatio) }),
    // Ledgerlink's spans only: no instrumentation patching, no metric or log exporters from OTEL_* defaults.
    instrumentations: [],
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  setTracingActive(true);
  const tracing: Tracing = {
    async shutdown() {
      if (running?.tracing !== tracing) return;
      running = undefined;
      setTracingActive(false);
      await sdk.shutdown();
      // Unregister the globals so that a later start (another test in this process) registers anew.
      trace.disable();
      context.disable();
      propagation.disable();
    },
    async flush() {
      await Promise.all(processors.map((p) => p.forceFlush()));
    },
  };
  running = { tracing, processors };
  return tracing;
}
