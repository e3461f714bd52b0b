/**
 * The agent's own configuration file (`ledgerlink agent --config agent.yaml`): which hub to poll and
 * with which token (and optionally a client certificate), and the systems it may call inside its
 * network, each with the credentials the agent adds itself. The hub never sees these credentials.
 *
 * ```yaml
 * name: onprem                      # the hub knows it as via: agent:onprem
 * hub: https://ledgerlink.example.com
 * token: { env: LEDGERLINK_AGENT_TOKEN }
 * tls: { ca: /etc/ledgerlink/ca.pem, cert: /etc/ledgerlink/agent.pem, key: /etc/ledgerlink/agent.key }
 * systems:
 *   erp:
 *     baseUrl: https://s4.corp.example:44300
 *     auth: { kind: basic, user: { env: ERP_USER }, password: { file: /run/secrets/erp-password } }
 * ```
 */
import { readFile } from 'node:fs/promises';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { parse } from 'yaml';
import { LedgerlinkError } from '../../canonical/errors.js';
import { AGENT_NAME_PATTERN } from '../../config/agents-config-schema.js';

const AgentSecretRef = Type.Union([
  Type.Object({ env: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,127}$' }) }, { additionalProperties: false }),
  Type.Object({ file: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false }),
]);
export type AgentSecretRef = Static<typeof AgentSecretRef>;

const AuthSchema = Type.Union([
  Type.Object({ kind: Type.Literal('none') }, { additionalProperties: false }),
  Type.Object(
    { kind: Type.Literal('basic'), user: AgentSecretRef, password: AgentSecretRef },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('bearer'), token: AgentSecretRef }, { additionalProperties: false }),
]);

const AgentSystemSchema = Type.Object(
  {
    baseUrl: Type.String({ pattern: '^https?://', maxLength: 2048, description: 'the system as reached from here' }),
    auth: Type.Optional(AuthSchema),
    allowPrivateNetwork: Type.Optional(Type.Boolean({ description: 'plain http beyond loopback' })),
  },
  { additionalProperties: false },
);

export const AgentFileSchema = Type.Object(
  {
    name: Type.String({ pattern: AGENT_NAME_PATTERN }),
    hub: Type.String({ pattern: '^https?://', maxLength: 2048 }),
    token: AgentSecretRef,
    tls: Type.Optional(
      Type.Object(
        {
          ca: Type.Optional(Type.String({ minLength: 1 })),
          cert: Type.Optional(Type.String({ minLength: 1 })),
          key: Type.Optional(Type.String({ minLength: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'calls made at once' })),
    pollWaitMs: Type.Optional(Type.Integer({ minimum: 1_000, maximum: 60_000 })),
    systems: Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_-]{0,63}$' }), AgentSystemSchema),
  },
  { additionalProperties: false },
);
export type AgentFile = Static<typeof AgentFileSchema>;
export type AgentSystem = Static<typeof AgentSystemSchema>;

export interface AgentSettings {
  readonly name: string;
  readonly hub: URL;
  readonly token: string;
  readonly tls: { readonly ca?: Buffer; readonly cert?: Buffer; readonly key?: Buffer };
  readonly concurrency: number;
  readonly pollWaitMs: number;
  readonly systems: Readonly<Record<string, AgentSystem>>;
}

function invalid(source: string, message: string, path: string): LedgerlinkError {
  return new LedgerlinkError('LL_ERR_CONFIG_INVALID', `Agent configuration ${source}: ${message}`, {
    details: [{ path, message }],
  });
}

/** A secret's value from the agent's environment or a file beside it. */
export async function resolveAgentSecret(ref: AgentSecretRef, env: NodeJS.ProcessEnv, path: string): Promise<string> {
  if ('env' in ref) {
    const value = env[ref.env]?.trim();
    if (value === undefined || value === '') throw invalid(path, `environment variable ${ref.env} is not set`, path);
    return value;
  }
  try {
    return (await readFile(ref.file, 'utf8')).trim();
  } catch (cause) {
    throw new LedgerlinkError('LL_ERR_CONFIG_INVALID', `secret file ${ref.file} cannot be read`, {
      cause,
      details: [{ path, message: 'file cannot be read' }],
    });
  }
}

/** Parses and checks the agent's configuration text; secrets and TLS files are read here. */
export async function agentSettingsFrom(
  text: string,
  source: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AgentSettings> {
  let raw: unknown;
  try {
    raw = parse(text, { uniqueKeys: true, maxAliasCount: 100 });
  } catch (cause) {
    throw new LedgerlinkError('LL_ERR_CONFIG_INVALID', `Agent configuration ${source} is not valid YAML`, {
      cause,
      details: [{ path: source, message: cause instanceof Error ? cause.message : String(cause) }],
    });
  }
  if (!Value.Check(AgentFileSchema, raw)) {
    const first = [...Value.Errors(AgentFileSchema, raw)][0];
    throw invalid(
      source,
      `${first?.instancePath ?? ''} ${first?.message ?? 'does not match the schema'}`,
      first?.instancePath ?? '/',
    );
  }
  const file = raw;
  const readTls = async (path: string | undefined, key: string): Promise<Buffer | undefined> => {
    if (path === undefined) return undefined;
    try {
      return await readFile(path);
    } catch (cause) {
      throw new LedgerlinkError('LL_ERR_CONFIG_INVALID', `tls.${key} file ${path} cannot be read`, {
        cause,
        details: [{ path: `tls.${key}`, message: 'file cannot be read' }],
      });
    }
  };
  const tls = {
    ...(file.tls?.ca === undefined ? {} : { ca: (await readTls(file.tls.ca, 'ca'))! }),
    ...(file.tls?.cert === undefined ? {} : { cert: (await readTls(file.tls.cert, 'cert'))! }),
    ...(file.tls?.key === undefined ? {} : { key: (await readTls(file.tls.key, 'key'))! }),
  };
  if ((tls.cert === undefined) !== (tls.key === undefined))
    throw invalid(source, 'tls.cert and tls.key go together', 'tls');
  return {
    name: file.name,
    hub: new URL(file.hub),
    token: await resolveAgentSecret(file.token, env, 'token'),
    tls,
    concurrency: file.concurrency ?? 32,
    pollWaitMs: file.pollWaitMs ?? 20_000,
    systems: file.systems,
  };
}

export async function loadAgentSettings(path: string, env: NodeJS.ProcessEnv = process.env): Promise<AgentSettings> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new LedgerlinkError('LL_ERR_CONFIG_INVALID', `Agent configuration ${path} cannot be read`, {
      cause,
      details: [{ path, message: 'file not found or unreadable' }],
    });
  }
  return agentSettingsFrom(text, path, env);
}
