/**
 * `observability:` in ledgerlink.yaml, and how the tracing settings are resolved from it and the
 * standard OpenTelemetry environment variables. Tracing exports over OTLP (http/protobuf or
 * http/json) only when an endpoint is configured; with none, no SDK is started at all.
 */
import { Type, type Static } from 'typebox';
import type { ErrorDetail } from '../canonical/errors.js';

export const otlpProtocols = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof otlpProtocols)[number];

export const TracingConfigSchema = Type.Object(
  {
    enabled: Type.Optional(
      Type.Boolean({
        description:
          'false turns tracing off whatever the environment says; default: on when an endpoint is set here or in OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
      }),
    ),
    endpoint: Type.Optional(
      Type.String({
        pattern: '^https?://',
        maxLength: 2048,
        description:
          'OTLP/HTTP base URL of the collector, e.g. http://127.0.0.1:4318 (spans go to <endpoint>/v1/traces); OTEL_EXPORTER_OTLP_ENDPOINT wins',
      }),
    ),
    protocol: Type.Optional(
      Type.Union([Type.Literal('http/protobuf'), Type.Literal('http/json')], {
        description: 'OTLP encoding (default http/protobuf); OTEL_EXPORTER_OTLP_PROTOCOL wins',
      }),
    ),
    serviceName: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'service.name of the spans (default ledgerlink); OTEL_SERVICE_NAME wins',
      }),
    ),
    sampleRatio: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description: 'share of new traces recorded (default 1); a received traceparent’s sampled flag is followed',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ObservabilityConfigSchema = Type.Object(
  { tracing: Type.Optional(TracingConfigSchema) },
  { additionalProperties: false, description: 'tracing (OpenTelemetry over OTLP)' },
);

export type ObservabilityConfigFile = Static<typeof ObservabilityConfigSchema>;

/** Tracing as resolved: off, or on with where and how spans are exported. */
export type TracingSettings =
  | { readonly enabled: false }
  | {
      readonly enabled: true;
      /** The full traces URL (…/v1/traces). */
      readonly url: string;
      readonly protocol: OtlpProtocol;
      readonly serviceName: string;
      readonly sampleRatio: number;
    };

export interface ObservabilityConfig {
  readonly tracing: TracingSettings;
}

function text(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function tracesUrl(base: string): string {
  return `${base.replace(/\/+$/, '')}/v1/traces`;
}

/** Resolves `observability:` with the environment; problems are returned, not thrown. */
export function resolveObservability(
  file: ObservabilityConfigFile | undefined,
  env: NodeJS.ProcessEnv,
): { config: ObservabilityConfig; problems: ErrorDetail[] } {
  const tracing = file?.tracing ?? {};
  const off = { config: { tracing: { enabled: false as const } }, problems: [] };
  if (tracing.enabled === false || text(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return off;
  const fromEnv = text(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const baseFromEnv = text(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const url =
    fromEnv ??
    (baseFromEnv === undefined ? undefined : tracesUrl(baseFromEnv)) ??
    (tracing.endpoint === undefined ? undefined : tracesUrl(tracing.endpoint));
  if (url === undefined) {
    if (tracing.enabled !== true) return off;
    return {
      ...off,
      problems: [
        {
          path: 'observability.tracing.endpoint',
          message: 'tracing is enabled but no OTLP endpoint is set (here or in OTEL_EXPORTER_OTLP_ENDPOINT)',
        },
      ],
    };
  }
  const protocol =
    text(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ??
    text(env, 'OTEL_EXPORTER_OTLP_PROTOCOL') ??
    tracing.protocol ??
    'http/protobuf';
  if (!(otlpProtocols as readonly string[]).includes(protocol)) {
    return {
      ...off,
      problems: [
        {
          path: 'OTEL_EXPORTER_OTLP_PROTOCOL',
          message: `"${protocol}" is not supported: use ${otlpProtocols.join(' or ')}`,
        },
      ],
    };
  }
  return {
    config: {
      tracing: {
        enabled: true,
        url,
        protocol: protocol as OtlpProtocol,
        serviceName: text(env, 'OTEL_SERVICE_NAME') ?? tracing.serviceName ?? 'ledgerlink',
        sampleRatio: tracing.sampleRatio ?? 1,
      },
    },
    problems: [],
  };
}
