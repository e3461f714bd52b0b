/**
 * Loads the configuration: an optional YAML file (`--config`, else LEDGERLINK_CONFIG) checked against
 * the schema, completed with defaults and the environment. Every problem is reported at once, each
 * with its path, in one LL_ERR_CONFIG_INVALID error.
 */
import { agentOfVia, type AgentConfig, type AgentsConfig } from './agents-config-schema.js';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { parseDocument } from 'yaml';
import { LedgerlinkError, type ErrorDetail } from '../canonical/errors.js';
import type { ExceptionClass } from '../engine/exceptions/classification.js';
import { ConfigFileSchema, type ConfigFile } from './config-schema.js';
import type {
  BudgetConfig,
  FlowsConfig,
  OwnershipConfig,
  PeriodCalendarConfig,
  SystemConfigFile,
} from './flows-config-schema.js';
import { resolveObservability, type ObservabilityConfig } from './observability-config.js';
import type {
  AlertsConfig,
  MappingsConfig,
  ProcessesConfig,
  RetentionConfig,
  SecurityConfig,
} from './ops-config-schema.js';

export type SystemConfig = SystemConfigFile;

export interface EchoConfig {
  readonly url: string;
  readonly systems?: readonly string[];
}

export interface EngineConfig {
  readonly leaseMs?: number;
  readonly maxAttempts?: number;
  readonly pollIntervalMs?: number;
  readonly concurrency?: number;
  readonly backoff?: { readonly baseMs: number; readonly capMs: number };
}

export interface ServerConfig {
  /** From the file; the CLI's --port and LEDGERLINK_PORT take precedence. */
  readonly port: number | undefined;
  readonly host: string | undefined;
  readonly bodyLimitBytes: number;
  readonly shutdownGraceMs: number;
  readonly rateLimit: { readonly enabled: boolean; readonly max: number; readonly timeWindowMs: number };
  /** Webhook ingest refuses (503, Retry-After) while the backlog is at `maxBacklog`; 0 never refuses. */
  readonly backpressure: {
    readonly maxBacklog: number;
    readonly retryAfterSeconds: number;
    readonly refreshMs: number;
  };
  /** GET /metrics needs a token allowed `kpis:read`; public when false. */
  readonly metricsRequireToken: boolean;
  /** How long a checked API token is trusted without asking the store (revocation delay). */
  readonly tokenCacheMs: number;
  /** The web console's session lifetime from login, and its idle limit. */
  readonly sessionTtlMs: number;
  readonly sessionIdleMs: number;
  /** Trust X-Forwarded-Proto/-For: from any peer (true) or from these addresses or CIDR ranges. */
  readonly trustProxy: boolean | readonly string[];
}

export interface LedgerlinkConfig {
  /** The file it came from; null when built from defaults and the environment only. */
  readonly source: string | null;
  readonly systems: Readonly<Record<string, SystemConfig>>;
  /** The echo flow's sink; the flow is enabled only when this is set. */
  readonly echo: EchoConfig | null;
  readonly engine: EngineConfig;
  readonly exceptionOwners: Readonly<Partial<Record<ExceptionClass, string>>>;
  readonly server: ServerConfig;
  readonly ownership: OwnershipConfig;
  /** Flows and their settings as written; each flow applies its own defaults. */
  readonly flows: FlowsConfig;
  readonly periods: PeriodCalendarConfig;
  readonly budgets: readonly BudgetConfig[];
  readonly processes: ProcessesConfig;
  readonly alerts: AlertsConfig;
  readonly retention: RetentionConfig;
  readonly mappings: MappingsConfig;
  readonly security: SecurityConfig;
  /** Tracing (OTLP export), resolved with the standard OTEL_* environment variables. */
  readonly observability: ObservabilityConfig;
  /** On-premises agents: every agent configured or named by a system's `via`, with its settings. */
  readonly agents: AgentsConfig;
  readonly network: { readonly refuseHosts: readonly string[] };
}

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
/** A revoked API token stops working within this time (the authentication cache's lifetime). */
export const DEFAULT_TOKEN_CACHE_MS = 5_000;

export const defaultSystems: Readonly<Record<string, SystemConfig>> = {
  erp: { kind: 'sap-s4hana' },
  procurement: { kind: 'coupa' },
  expense: { kind: 'concur' },
  directory: { kind: 'scim' },
  echo: { kind: 'echo' },
};

/** Defaults are generous: a webhook sender retrying a backlog should not be throttled. */
const defaultRateLimit = { enabled: true, max: 3_000_000, timeWindowMs: 60_000 };
/** Far above a healthy backlog: ingest pauses only when the workers have fallen well behind. */
const defaultBackpressure = { maxBacklog: 100_000, retryAfterSeconds: 10, refreshMs: 200 };

function invalid(message: string, details: readonly ErrorDetail[], cause?: unknown): LedgerlinkError {
  return new LedgerlinkError('LL_ERR_CONFIG_INVALID', message, cause === undefined ? { details } : { details, cause });
}

/** `/engine/backoff/capMs` → `engine.backoff.capMs`; `/echo/systems/0` → `echo.systems[0]`. */
function dottedPath(pointer: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let out = '';
  for (const part of parts) out += /^\d+$/.test(part) ? `[${part}]` : out === '' ? part : `.${part}`;
  return out === '' ? '(root)' : out;
}

function schemaProblems(raw: unknown): ErrorDetail[] {
  const seen = new Set<string>();
  const details: ErrorDetail[] = [];
  const add = (path: string, message: string): void => {
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    details.push({ path, message });
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return [{ path: '(root)', message: 'must be a mapping of sections' }];
  const sections = ConfigFileSchema.properties as Record<string, TSchema>;
  // Section by section: the validator stops after a few errors per call, and each section deserves its own.
  for (const [key, value] of Object.entries(raw)) {
    const schema = sections[key];
    if (schema === undefined) {
      add(dottedPath(`/${key}`), 'unknown key');
      continue;
    }
    for (const error of Value.Errors(schema, value)) {
      if (error.keyword === 'boolean') continue; // the same unknown key, reported below by additionalProperties
      const where = `/${key}${error.instancePath}`;
      const extra = (error.params as { additionalProperties?: unknown }).additionalProperties;
      if (error.keyword === 'additionalProperties' && Array.isArray(extra)) {
        for (const name of extra) add(dottedPath(`${where}/${String(name)}`), 'unknown key');
        continue;
      }
      add(dottedPath(where), error.message);
    }
  }
  return details;
}

function crossFieldProblems(file: ConfigFile, systems: Readonly<Record<string, SystemConfig>>): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  file.echo?.systems?.forEach((name, i) => {
    if (systems[name] === undefined)
      details.push({ path: `echo.systems[${i}]`, message: `system "${name}" is not configured` });
  });
  const known = (path: string, name: string | undefined): void => {
    if (name !== undefined && systems[name] === undefined)
      details.push({ path, message: `system "${name}" is not configured` });
  };
  for (const [domain, owner] of Object.entries(file.ownership ?? {})) known(`ownership.${domain}`, owner);
  known('flows.masterData.source', file.flows?.masterData?.source);
  file.flows?.masterData?.targets?.forEach((name, i) => known(`flows.masterData.targets[${i}]`, name));
  const backoff = file.engine?.backoff;
  if (backoff !== undefined && backoff.capMs < backoff.baseMs) {
    details.push({ path: 'engine.backoff.capMs', message: 'must not be smaller than baseMs' });
  }
  return details;
}

/** Builds the configuration from a parsed file (or nothing) and the environment. */
export function resolveConfig(
  raw: unknown,
  source: string | null,
  env: NodeJS.ProcessEnv = process.env,
): LedgerlinkConfig {
  const value = raw === null || raw === undefined ? {} : raw;
  const problems = schemaProblems(value);
  if (problems.length > 0)
    throw invalid(
      `Configuration ${source ?? ''} is invalid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      problems,
    );
  const file = value as ConfigFile;
  const systems = file.systems ?? defaultSystems;
  const echoUrl = env['LEDGERLINK_ECHO_URL']?.trim();
  let echo: EchoConfig | null = file.echo ?? null;
  if (echo === null && echoUrl !== undefined && echoUrl !== '') {
    if (!/^https?:\/\//.test(echoUrl)) {
      throw invalid('LEDGERLINK_ECHO_URL must be an http(s) URL', [
        { path: 'LEDGERLINK_ECHO_URL', message: 'must start with http:// or https://' },
      ]);
    }
    echo = { url: echoUrl };
  }
  const observability = resolveObservability(file.observability, env);
  const cross = [...crossFieldProblems(file, systems), ...observability.problems];
  if (cross.length > 0)
    throw invalid(
      `Configuration ${source ?? ''} is invalid: ${cross.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      cross,
    );
  const server = file.server ?? {};
  return {
    source,
    systems,
    echo,
    engine: file.engine ?? {},
    exceptionOwners: (file.exceptionOwners ?? {}) as Partial<Record<ExceptionClass, string>>,
    server: {
      port: server.port,
      host: server.host,
      bodyLimitBytes: server.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
      shutdownGraceMs: server.shutdownGraceMs ?? 10_000,
      rateLimit: { ...defaultRateLimit, ...server.rateLimit },
      backpressure: { ...defaultBackpressure, ...server.backpressure },
      metricsRequireToken: server.metricsRequireToken ?? false,
      tokenCacheMs: server.tokenCacheMs ?? DEFAULT_TOKEN_CACHE_MS,
      sessionTtlMs: (server.sessionTtlMinutes ?? 480) * 60_000,
      sessionIdleMs: (server.sessionIdleMinutes ?? 30) * 60_000,
      trustProxy: server.trustProxy ?? false,
    },
    ownership: file.ownership ?? {},
    flows: file.flows ?? {},
    periods: file.periods ?? {},
    budgets: file.budgets ?? [],
    processes: file.processes ?? {},
    alerts: file.alerts ?? {},
    retention: file.retention ?? {},
    mappings: file.mappings ?? {},
    security: file.security ?? {},
    observability: observability.config,
    agents: agentsOf(file.agents ?? {}, systems),
    network: { refuseHosts: file.network?.refuseHosts ?? [] },
  };
}

/** The configured agents, plus any agent a system names in `via` with the default settings. */
function agentsOf(configured: AgentsConfig, systems: Readonly<Record<string, SystemConfig>>): AgentsConfig {
  const out: Record<string, AgentConfig> = { ...configured };
  for (const system of Object.values(systems)) {
    const agent = agentOfVia(system.via);
    if (agent !== undefined) out[agent] ??= {};
  }
  return out;
}

/** Parses YAML text (duplicate keys and alias bombs refused) and resolves it. */
export function parseConfigText(text: string, source: string, env: NodeJS.ProcessEnv = process.env): LedgerlinkConfig {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    const details = doc.errors.map((e) => ({
      path: e.linePos?.[0] === undefined ? source : `${source}:${e.linePos[0].line}:${e.linePos[0].col}`,
      message: e.message.split('\n')[0] ?? e.message,
    }));
    throw invalid(`Configuration ${source} is not valid YAML: ${details[0]?.message ?? ''}`, details);
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (cause) {
    throw invalid(
      `Configuration ${source} cannot be read: ${cause instanceof Error ? cause.message : String(cause)}`,
      [{ path: source, message: 'unreadable YAML' }],
      cause,
    );
  }
  return resolveConfig(raw, source, env);
}

export interface LoadConfigOptions {
  /** The file to read; LEDGERLINK_CONFIG when omitted; defaults only when neither is set. */
  readonly path?: string | undefined;
  readonly env?: NodeJS.ProcessEnv;
}

export async function loadConfig(options: LoadConfigOptions = {}): Promise<LedgerlinkConfig> {
  const env = options.env ?? process.env;
  const path = options.path ?? (env['LEDGERLINK_CONFIG']?.trim() || undefined);
  if (path === undefined) return resolveConfig({}, null, env);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const reason = (cause as { code?: unknown }).code === 'ENOENT' ? 'file not found' : 'file cannot be read';
    throw invalid(`Configuration ${path}: ${reason}`, [{ path, message: reason }], cause);
  }
  return parseConfigText(text, path, env);
}

/** `mappings.directory`, relative to the configuration file's folder (or the working folder). */
export function mappingsDirectoryOf(config: LedgerlinkConfig): string | undefined {
  const directory = config.mappings.directory;
  if (directory === undefined) return undefined;
  if (isAbsolute(directory)) return directory;
  return resolve(config.source === null ? process.cwd() : dirname(config.source), directory);
}
