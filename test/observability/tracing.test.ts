/**
 * The tracing primitives, the log context and the tracing settings: traceparent text both ways,
 * spans only while tracing is on (a no-op span and no exporter otherwise), trace, span, correlation
 * and run IDs on every log line, and `observability.tracing` resolved with the OTEL_* environment.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { resolveObservability } from '../../src/config/observability-config.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { HttpClient } from '../../src/connectors/http/http-client.js';
import { sendJson, startTestServer } from '../../src/connectors/http/local-test-server.js';
import { RequestCoalescer } from '../../src/connectors/http/request-coalescer.js';
import { createLogger } from '../../src/observability/logger.js';
import {
  activeTraceparent,
  inSpan,
  spanContextOf,
  tracingActive,
  traceparentOf,
  withLogFields,
} from '../../src/observability/tracing.js';
import { startTracing } from '../../src/observability/tracing-sdk.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = `00-${TRACE}-00f067aa0ba902b7-01`;

function capturingLogger(): { lines: Record<string, unknown>[]; logger: ReturnType<typeof createLogger> } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

describe('traceparent text', () => {
  test('a valid traceparent is read and written back; invalid ones are not read', () => {
    const context = spanContextOf(` ${PARENT.toUpperCase()} `);
    assert.deepEqual(context, { traceId: TRACE, spanId: '00f067aa0ba902b7', traceFlags: 1, isRemote: true });
    assert.equal(traceparentOf(context!), PARENT);
    for (const bad of [
      undefined,
      null,
      '',
      `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`,
      `00-${TRACE}-${'0'.repeat(16)}-01`,
      `01-${TRACE}-00f067aa0ba902b7-01-extra`,
      'garbage',
    ])
      assert.equal(spanContextOf(bad), undefined, String(bad));
  });
});

describe('with tracing off', () => {
  test('inSpan runs the function with a span that records nothing, and no traceparent is active', async () => {
    assert.equal(tracingActive(), false);
    const seen = await inSpan('x', { parent: PARENT }, async (span) => {
      assert.equal(span.isRecording(), false);
      return activeTraceparent();
    });
    assert.equal(seen, undefined);
  });

  test('log lines still carry the correlation and run IDs of their scope, and no trace IDs', async () => {
    const { lines, logger } = capturingLogger();
    await withLogFields({ correlationId: 'cor-1', runId: 'run-1' }, async () => {
      await Promise.resolve();
      logger.info({ step: 'post' }, 'inside');
    });
    logger.info({}, 'outside');
    assert.deepEqual(
      lines.map((l) => [l['msg'], l['correlationId'], l['runId'], l['trace_id']]),
      [
        ['inside', 'cor-1', 'run-1', undefined],
        ['outside', undefined, undefined, undefined],
      ],
    );
  });

  test('no tracing is configured by default; an OTLP endpoint in the file or the environment turns it on', () => {
    assert.deepEqual(resolveConfig({}, null, {}).observability, { tracing: { enabled: false } });
    assert.deepEqual(resolveObservability({ tracing: { endpoint: 'http://collector:4318/' } }, {}).config.tracing, {
      enabled: true,
      url: 'http://collector:4318/v1/traces',
      protocol: 'http/protobuf',
      serviceName: 'ledgerlink',
      sampleRatio: 1,
    });
    const fromEnv = resolveObservability(
      { tracing: { endpoint: 'http://file:4318', protocol: 'http/protobuf', serviceName: 'file' } },
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: 'hub-eu',
      },
    ).config.tracing;
    assert.deepEqual(fromEnv, {
      enabled: true,
      url: 'http://env:4318/v1/traces',
      protocol: 'http/json',
      serviceName: 'hub-eu',
      sampleRatio: 1,
    });
    const traces = resolveObservability(undefined, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://env:4318/custom' });
    assert.equal(traces.config.tracing.enabled && traces.config.tracing.url, 'http://env:4318/custom');
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318' };
    assert.equal(resolveObservability({ tracing: { enabled: false } }, env).config.tracing.enabled, false);
    assert.equal(resolveObservability(undefined, { ...env, OTEL_SDK_DISABLED: 'true' }).config.tracing.enabled, false);
  });

  test('tracing enabled without an endpoint, or over gRPC, is a configuration error', () => {
    assert.throws(
      () => resolveConfig({ observability: { tracing: { enabled: true } } }, 'test', {}),
      /observability\.tracing\.endpoint: tracing is enabled but no OTLP endpoint is set/,
    );
    assert.throws(
      () =>
        resolveConfig({}, 'test', {
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317',
          OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        }),
      /"grpc" is not supported/,
    );
    assert.throws(
      () => resolveConfig({ observability: { tracing: { endpoint: 'collector:4318' } } }, 'test', {}),
      /observability\.tracing\.endpoint/,
    );
  });
});

describe('with tracing on', () => {
  test('spans nest, log lines carry their trace and span IDs, and connector calls send their own span', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = startTracing({ enabled: false }, { spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    assert.ok(tracing);
    const server = await startTestServer((_req, res) => sendJson(res, 200, {}));
    try {
      const { lines, logger } = capturingLogger();
      const client = new HttpClient({ system: 'sap-s4hana', baseUrl: server.origin });
      await inSpan('step demo.post', { parent: PARENT, log: { correlationId: 'cor-2' } }, async (step) => {
        logger.info({}, 'in the step');
        logger.info({ correlationId: 'given' }, 'the line’s own field wins');
        await client.request({ method: 'POST', path: '/things', json: { a: '1' } });
        assert.equal(step.isRecording(), true);
      });
      await tracing.flush();
      const spans = exporter.getFinishedSpans();
      const step = spans.find((s) => s.name === 'step demo.post')!;
      const call = spans.find((s) => s.name === 'POST sap-s4hana')!;
      assert.equal(step.spanContext().traceId, TRACE);
      assert.equal(step.parentSpanContext?.spanId, '00f067aa0ba902b7');
      assert.equal(call.parentSpanContext?.spanId, step.spanContext().spanId);
      assert.equal(
        server.requests[0]?.headers['traceparent'],
        traceparentOf(call.spanContext()),
        'the traceparent sent is the call span’s',
      );
      assert.equal(call.attributes['http.response.status_code'], 200);
      assert.equal(call.attributes['url.full'], `${server.origin}/things`);
      assert.deepEqual(
        lines.map((l) => [l['correlationId'], l['trace_id'], l['span_id']]),
        [
          ['cor-2', TRACE, step.spanContext().spanId],
          ['given', TRACE, step.spanContext().spanId],
        ],
      );
    } finally {
      await server.close();
      await tracing.shutdown();
    }
    assert.equal(tracingActive(), false, 'shut down: spans are no longer made');
  });

  test('a request carrying the calls of several steps is a batch span linked to each of them', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = startTracing({ enabled: false }, { spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    assert.ok(tracing);
    try {
      let release: () => void = () => undefined;
      const first = new Promise<void>((resolve) => (release = resolve));
      const sent: number[] = [];
      const coalescer = new RequestCoalescer<string, string>({
        maxItems: 10,
        maxInFlight: 1,
        send: async (_key, items) => {
          sent.push(items.length);
          if (sent.length === 1) await first;
          return items.map((i) => `ok ${i}`);
        },
      });
      const call = (name: string): Promise<string> =>
        inSpan(`step ${name}`, { parent: null }, () => coalescer.submit('acks', name));
      const a = call('a');
      await new Promise((r) => setImmediate(r));
      const [b, c] = [call('b'), call('c')];
      await new Promise((r) => setImmediate(r));
      release();
      assert.deepEqual(await Promise.all([a, b, c]), ['ok a', 'ok b', 'ok c']);
      assert.deepEqual(sent, [1, 2]);
      await tracing.flush();
      const spans = exporter.getFinishedSpans();
      const stepOf = (name: string) => spans.find((s) => s.name === `step ${name}`)!.spanContext();
      const batches = spans.filter((s) => s.name === 'batch acks');
      assert.equal(batches.length, 2);
      const shared = batches.find((s) => s.attributes['ledgerlink.batch.items'] === 2)!;
      assert.equal(shared.spanContext().traceId, stepOf('b').traceId, 'in the trace of its first call');
      assert.equal(shared.parentSpanContext?.spanId, stepOf('b').spanId);
      assert.deepEqual(
        shared.links.map((l) => l.context.spanId),
        [stepOf('b').spanId, stepOf('c').spanId],
      );
    } finally {
      await tracing.shutdown();
    }
  });
});
