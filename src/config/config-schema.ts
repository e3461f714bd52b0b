/**
 * The schema of `ledgerlink.yaml`, as TypeBox (plain JSON Schema): validated at load time and
 * published for editors by `ledgerlink config schema`. Every section is optional; defaults are filled
 * in by the loader. Secrets never belong here: they come from the environment or the secret store.
 */
import { Type, type Static } from 'typebox';
import {
  BudgetSchema,
  FlowsConfigSchema,
  OwnershipSchema,
  PeriodCalendarSchema,
  SYSTEM_NAME_PATTERN,
  SystemConfigSchema,
} from './flows-config-schema.js';
import {
  AlertsSchema,
  ExceptionOwnersSchema,
  MappingsConfigSchema,
  ProcessesSchema,
  RetentionSchema,
  SecurityConfigSchema,
} from './ops-config-schema.js';
import { ObservabilityConfigSchema } from './observability-config.js';
import { AgentsConfigSchema, NetworkConfigSchema } from './agents-config-schema.js';

export { SYSTEM_NAME_PATTERN, SystemConfigSchema };

/** What one process runs: the HTTP API, the worker, or both (`serve --role`). */
export const roles = ['api', 'worker', 'all'] as const;
export type Role = (typeof roles)[number];

const SystemName = Type.String({ pattern: SYSTEM_NAME_PATTERN, description: 'lower-case name used in URLs, e.g. erp' });
const PositiveInt = (minimum: number, maximum: number, description: string) =>
  Type.Integer({ minimum, maximum, description });

export const EchoConfigSchema = Type.Object(
  {
    url: Type.String({ pattern: '^https?://', maxLength: 2048, description: 'sink URL the echo flow posts to' }),
    systems: Type.Optional(
      Type.Array(SystemName, { description: 'systems whose events the echo flow takes; all when omitted' }),
    ),
  },
  { additionalProperties: false },
);

export const EngineConfigSchema = Type.Object(
  {
    leaseMs: Type.Optional(PositiveInt(1_000, 3_600_000, 'job lease length')),
    maxAttempts: Type.Optional(PositiveInt(1, 1_000, 'attempts before a failing step becomes an exception')),
    pollIntervalMs: Type.Optional(PositiveInt(5, 60_000, 'how often an idle worker looks for work')),
    concurrency: Type.Optional(PositiveInt(1, 1_000, 'steps one worker runs at once')),
    backoff: Type.Optional(
      Type.Object(
        {
          baseMs: PositiveInt(1, 3_600_000, 'first retry delay ceiling'),
          capMs: PositiveInt(1, 86_400_000, 'largest retry delay'),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const RateLimitConfigSchema = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    max: Type.Optional(PositiveInt(1, 100_000_000, 'requests per client per window')),
    timeWindowMs: Type.Optional(PositiveInt(1_000, 3_600_000, 'window length')),
  },
  { additionalProperties: false },
);

export const BackpressureConfigSchema = Type.Object(
  {
    maxBacklog: Type.Optional(
      PositiveInt(
        0,
        100_000_000,
        'webhook ingest answers 503 LL_ERR_INGEST_BACKLOG while this many inbox events and due jobs wait (default 100000; 0: never)',
      ),
    ),
    retryAfterSeconds: Type.Optional(PositiveInt(1, 3_600, 'the Retry-After sent with that 503 (default 10)')),
    refreshMs: Type.Optional(PositiveInt(20, 10_000, 'how often the backlog is counted (default 200)')),
  },
  { additionalProperties: false },
);

export const ServerConfigSchema = Type.Object(
  {
    port: Type.Optional(PositiveInt(0, 65_535, 'HTTP port (LEDGERLINK_PORT and --port win)')),
    host: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'interface to listen on' })),
    bodyLimitBytes: Type.Optional(
      PositiveInt(1_024, 64 * 1024 * 1024, 'largest accepted request body, after decompression'),
    ),
    shutdownGraceMs: Type.Optional(PositiveInt(0, 600_000, 'how long running steps may finish on shutdown')),
    rateLimit: Type.Optional(RateLimitConfigSchema),
    backpressure: Type.Optional(BackpressureConfigSchema),
    metricsRequireToken: Type.Optional(
      Type.Boolean({ description: 'GET /metrics needs a token allowed kpis:read (default false: public)' }),
    ),
    tokenCacheMs: Type.Optional(
      PositiveInt(
        0,
        60_000,
        'how long a checked API token is trusted without asking the store; a revocation takes effect within this time (default 5000)',
      ),
    ),
    sessionTtlMinutes: Type.Optional(
      PositiveInt(1, 10_080, 'how long a web console session lasts at most from login (default 480: 8 hours)'),
    ),
    sessionIdleMinutes: Type.Optional(
      PositiveInt(1, 1_440, 'a web console session left unused this long ends (default 30)'),
    ),
    trustProxy: Type.Optional(
      Type.Union(
        [Type.Boolean(), Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 64 })],
        {
          description:
            'the hub runs behind a proxy that terminates TLS: true trusts X-Forwarded-Proto and X-Forwarded-For from any peer, a list only from those addresses or CIDR ranges; an https request then gets Secure session cookies, and the client address (rate limit, logs) is the forwarded one (default false)',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

export const ConfigFileSchema = Type.Object(
  {
    systems: Type.Optional(Type.Record(SystemName, SystemConfigSchema, { additionalProperties: false })),
    echo: Type.Optional(EchoConfigSchema),
    engine: Type.Optional(EngineConfigSchema),
    exceptionOwners: Type.Optional(ExceptionOwnersSchema),
    server: Type.Optional(ServerConfigSchema),
    ownership: Type.Optional(OwnershipSchema),
    flows: Type.Optional(FlowsConfigSchema),
    periods: Type.Optional(PeriodCalendarSchema),
    budgets: Type.Optional(Type.Array(BudgetSchema, { maxItems: 10_000 })),
    processes: Type.Optional(ProcessesSchema),
    alerts: Type.Optional(AlertsSchema),
    retention: Type.Optional(RetentionSchema),
    mappings: Type.Optional(MappingsConfigSchema),
    security: Type.Optional(SecurityConfigSchema),
    observability: Type.Optional(ObservabilityConfigSchema),
    agents: Type.Optional(AgentsConfigSchema),
    network: Type.Optional(NetworkConfigSchema),
  },
  { additionalProperties: false, title: 'Ledgerlink configuration' },
);

export type ConfigFile = Static<typeof ConfigFileSchema>;

/** The JSON Schema of ledgerlink.yaml for editors (yaml-language-server, VS Code). */
export function configJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...(JSON.parse(JSON.stringify(ConfigFileSchema)) as Record<string, unknown>),
  };
}
