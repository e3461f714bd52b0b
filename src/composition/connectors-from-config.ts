/**
 * Builds the connectors the configuration names: each system's kind picks the connector, its
 * `baseUrl`, `credentials` (secret references, resolved here) and `options` configure it. The
 * flows get them by role: the procurement suite, the expense platform and the directory are the
 * first configured system of a kind that plays that role. ERPs may be several, each holding some
 * legal entities (Business Central: the keys of `options.companies`; any ERP: `options.legalEntities`);
 * the flows then see one ERP port routing each call to the system holding the entity (erp-router.ts),
 * under the name of the first configured ERP, which also holds every entity no ERP names.
 */
import { LedgerlinkError } from '../canonical/errors.js';
import type { LedgerlinkConfig, SystemConfig } from '../config/load-config.js';
import { ConcurConnector } from '../connectors/concur/connector.js';
import { CoupaConnector } from '../connectors/coupa/connector.js';
import type { Connectors } from '../connectors/port.js';
import { BusinessCentralConnector } from '../connectors/business-central/connector.js';
import { SapS4HanaConnector } from '../connectors/sap-s4hana/connector.js';
import { ScimConnector } from '../connectors/scim/connector.js';
import { agentOfVia } from '../config/agents-config-schema.js';
import { checkEgressEntry, directTransport } from '../connectors/http/egress-policy.js';
import type { HttpTransport } from '../connectors/http/http-types.js';
import { EnvSecretResolver, type SecretResolver } from '../security/secret-resolver.js';
import { ErpRouter, type RoutedErp } from './erp-router.js';
import { ProcessRefreshTokens, type RefreshTokenKeeper } from './rotated-refresh-tokens.js';

type Role = keyof Connectors;
const roleOfKind: Readonly<Record<string, Role>> = {
  'sap-s4hana': 'erp',
  'business-central': 'erp',
  coupa: 'procurement',
  concur: 'expense',
  scim: 'directory',
};

async function credentials(
  name: string,
  system: SystemConfig,
  secrets: SecretResolver,
  required: readonly string[],
  optional: readonly string[] = [],
): Promise<Record<string, string>> {
  const missing = required.filter((key) => system.credentials?.[key] === undefined);
  if (missing.length > 0) {
    throw new LedgerlinkError(
      'LL_ERR_CONFIG_INVALID',
      `System ${name} (${system.kind}) needs ${missing.map((k) => `credentials.${k}`).join(', ')}`,
      {
        details: missing.map((key) => ({ path: `systems.${name}.credentials.${key}`, message: 'required' })),
      },
    );
  }
  const out: Record<string, string> = {};
  for (const key of [...required, ...optional]) {
    const ref = system.credentials?.[key];
    if (ref !== undefined) out[key] = await secrets.resolve(ref);
  }
  return out;
}

function option<T>(system: SystemConfig, key: string, guard: (v: unknown) => v is T): T | undefined {
  const value = system.options?.[key];
  return guard(value) ? value : undefined;
}
const isString = (v: unknown): v is string => typeof v === 'string';
const isRateLimit = (v: unknown): v is number | false => v === false || (typeof v === 'number' && v > 0);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isStringRecord = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');

const isBreaker = (v: unknown): v is false | { failureThreshold?: number; openMs?: number } =>
  v === false ||
  (typeof v === 'object' &&
    v !== null &&
    Object.entries(v).every(([k, x]) => (k === 'failureThreshold' || k === 'openMs') && typeof x === 'number'));

/**
 * Connector kinds whose HTTP (token requests included) goes through the transport they are given, so
 * an agent can carry it (`via: agent:<name>`) and the egress policy applies. A new kind joins once its
 * clients pass `transport` to every HttpClient they build.
 */
const TRANSPORT_KINDS: ReadonlySet<string> = new Set(['sap-s4hana', 'business-central', 'coupa', 'concur', 'scim']);

async function build(
  name: string,
  system: SystemConfig,
  baseUrl: string,
  secrets: SecretResolver,
  tokens: RefreshTokenKeeper,
  transport: HttpTransport | undefined,
): Promise<Connectors[Role]> {
  const common = {
    baseUrl,
    ...(system.timeoutMs === undefined ? {} : { timeoutMs: system.timeoutMs }),
    ...(system.allowPrivateNetwork === true ? { allowInsecureHttp: true } : {}),
    ...(transport === undefined ? {} : { transport }),
  };
  const viaAgent = agentOfVia(system.via) !== undefined;
  if (viaAgent && !TRANSPORT_KINDS.has(system.kind)) {
    throw new LedgerlinkError(
      'LL_ERR_CONFIG_INVALID',
      `System ${name} (${system.kind}) cannot be reached through an agent yet; kinds that can: ${[...TRANSPORT_KINDS].join(', ')}`,
      { details: [{ path: `systems.${name}.via`, message: 'not supported for this connector kind' }] },
    );
  }
  switch (system.kind) {
    case 'sap-s4hana': {
      // Through an agent the credentials may live on the agent alone: then the hub sends none.
      const c = viaAgent
        ? await credentials(name, system, secrets, [], ['user', 'password'])
        : await credentials(name, system, secrets, ['user', 'password']);
      const rateLimit = option(system, 'rateLimit', isRateLimit);
      const circuitBreaker = option(system, 'circuitBreaker', isBreaker);
      return {
        system: name,
        port: new SapS4HanaConnector({
          ...common,
          ...(c['user'] === undefined || c['password'] === undefined
            ? {}
            : { user: c['user'], password: c['password'] }),
          ...(rateLimit === undefined ? {} : { rateLimit }),
          ...(circuitBreaker === undefined ? {} : { circuitBreaker }),
        }),
      };
    }
    case 'business-central': {
      const c = await credentials(name, system, secrets, ['clientId', 'clientSecret']);
      const tenant = option(system, 'tenant', isString);
      const tokenUrl =
        option(system, 'tokenUrl', isString) ??
        (tenant === undefined ? undefined : `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`);
      const companies = option(system, 'companies', isStringRecord);
      if (tokenUrl === undefined || companies === undefined || Object.keys(companies).length === 0)
        throw new LedgerlinkError(
          'LL_ERR_CONFIG_INVALID',
          `System ${name} (business-central) needs options.companies (legal entity → company) and options.tenant or options.tokenUrl`,
          { details: [{ path: `systems.${name}.options`, message: 'companies and tenant (or tokenUrl) required' }] },
        );
      const rateLimit = option(system, 'rateLimit', isRateLimit);
      const costCenterDimension = option(system, 'costCenterDimension', isString);
      const projectDimension = option(system, 'projectDimension', isString);
      const taxRates = option(system, 'taxRates', isStringRecord);
      return {
        system: name,
        port: new BusinessCentralConnector({
          apiUrl: baseUrl,
          tokenUrl,
          clientId: c['clientId']!,
          clientSecret: c['clientSecret']!,
          companies,
          ...(system.timeoutMs === undefined ? {} : { timeoutMs: system.timeoutMs }),
          ...(system.allowPrivateNetwork === true ? { allowInsecureHttp: true } : {}),
          ...(transport === undefined ? {} : { transport }),
          ...(rateLimit === undefined ? {} : { rateLimit }),
          ...(costCenterDimension === undefined ? {} : { costCenterDimension }),
          ...(projectDimension === undefined ? {} : { projectDimension }),
          ...(taxRates === undefined ? {} : { taxRates }),
        }),
      };
    }
    case 'coupa': {
      const c = await credentials(name, system, secrets, ['clientId', 'clientSecret']);
      return {
        system: name,
        port: new CoupaConnector({
          ...common,
          clientId: c['clientId']!,
          clientSecret: c['clientSecret']!,
          system: name,
        }),
      };
    }
    case 'concur': {
      const c = await credentials(
        name,
        system,
        secrets,
        ['clientId', 'clientSecret', 'companyUuid'],
        ['companyToken', 'refreshToken'],
      );
      // The configured credential the refresh tokens descend from; a newer rotation kept durably wins.
      const configured = c['refreshToken'] ?? c['companyToken'] ?? '';
      const kept = await tokens.current(name, configured);
      const refreshToken = kept?.refreshToken ?? c['refreshToken'];
      // Where that refresh token is refreshed and the API is called (the token's geolocation).
      let geolocation = kept?.geolocation ?? option(system, 'geolocation', isString);
      const port = new ConcurConnector({
        ...common,
        clientId: c['clientId']!,
        clientSecret: c['clientSecret']!,
        companyUuid: c['companyUuid']!,
        // The ERP system id the expense platform knows this hub as (FIS `systemId`).
        systemId: option(system, 'systemId', isString) ?? 'LEDGERLINK',
        ...(c['companyToken'] === undefined ? {} : { companyRequestToken: c['companyToken'] }),
        ...(refreshToken === undefined ? {} : { refreshToken }),
        ...(geolocation === undefined ? {} : { geolocation }),
        // Concur rotates refresh tokens: the newest and its geolocation are kept for the next start.
        onRefreshTokenRotated: async (token, geo) => {
          geolocation = geo ?? geolocation;
          await tokens.keep(name, configured, {
            refreshToken: token,
            ...(geolocation === undefined ? {} : { geolocation }),
          });
        },
      });
      return { system: name, port };
    }
    case 'scim': {
      const c = await credentials(name, system, secrets, [], ['token', 'clientId', 'clientSecret']);
      const tokenUrl = option(system, 'tokenUrl', isString);
      const auth =
        c['token'] !== undefined
          ? { kind: 'token' as const, token: c['token'] }
          : c['clientId'] !== undefined && c['clientSecret'] !== undefined && tokenUrl !== undefined
            ? { kind: 'oauth2' as const, tokenUrl, clientId: c['clientId'], clientSecret: c['clientSecret'] }
            : undefined;
      if (auth === undefined) {
        throw new LedgerlinkError(
          'LL_ERR_CONFIG_INVALID',
          `System ${name} (scim) needs credentials.token, or clientId, clientSecret and options.tokenUrl`,
          {
            details: [{ path: `systems.${name}.credentials`, message: 'token or client credentials required' }],
          },
        );
      }
      const companyCodeByOrganization = option(system, 'companyCodeByOrganization', isStringRecord);
      const defaultCompanyCode = option(system, 'defaultCompanyCode', isString);
      return {
        system: name,
        port: new ScimConnector({
          ...common,
          auth,
          systemName: name,
          ...(companyCodeByOrganization === undefined ? {} : { companyCodeByOrganization }),
          ...(defaultCompanyCode === undefined ? {} : { defaultCompanyCode }),
        }),
      };
    }
    default:
      return undefined;
  }
}

/**
 * How a system's HTTP leaves: through its agent when it says `via: agent:<name>` (the factory the
 * composition gives), else from this process under the hub's egress policy (`network.refuseHosts`).
 */
export type AgentTransportFactory = (agent: string, system: string, timeoutMs: number) => HttpTransport;

function transportOf(
  name: string,
  system: SystemConfig,
  config: LedgerlinkConfig,
  viaAgent: AgentTransportFactory | undefined,
): HttpTransport {
  const agent = agentOfVia(system.via);
  if (agent === undefined) {
    const refused = config.network.refuseHosts.map((h, i) => checkEgressEntry(h, `network.refuseHosts[${i}]`));
    return directTransport(name, refused);
  }
  if (viaAgent === undefined) {
    throw new LedgerlinkError(
      'LL_ERR_CONFIG_INVALID',
      `System ${name} says via: ${system.via}, but no agent relay is wired`,
      {
        details: [{ path: `systems.${name}.via`, message: "agents need the hub's store" }],
      },
    );
  }
  return viaAgent(agent, name, system.timeoutMs ?? 30_000);
}

/** The connectors of every configured system that has a base URL; the first of each role wins. */
export async function connectorsFromConfig(
  config: LedgerlinkConfig,
  secrets: SecretResolver = new EnvSecretResolver(),
  tokens: RefreshTokenKeeper = new ProcessRefreshTokens(),
  viaAgent?: AgentTransportFactory,
): Promise<Connectors> {
  const out: { -readonly [R in Role]?: Connectors[R] } = {};
  const erps: RoutedErp[] = [];
  for (const [name, system] of Object.entries(config.systems)) {
    const role = roleOfKind[system.kind];
    if (role === undefined || system.baseUrl === undefined || (role !== 'erp' && out[role] !== undefined)) continue;
    const transport = transportOf(name, system, config, viaAgent);
    const bound = await build(name, system, system.baseUrl, secrets, tokens, transport);
    if (bound === undefined) continue;
    if (role === 'erp') erps.push({ ...(bound as NonNullable<Connectors['erp']>), ...erpEntities(system) });
    else (out as Record<Role, unknown>)[role] = bound;
  }
  if (erps.length === 1) out.erp = { system: erps[0]!.system, port: erps[0]!.port };
  else if (erps.length > 1) out.erp = { system: erps[0]!.system, port: new ErpRouter(erps) };
  return out;
}

/** The legal entities an ERP system holds, as configured; none named: it is a default ERP. */
function erpEntities(system: SystemConfig): { entities?: readonly string[] } {
  const listed = option(system, 'legalEntities', isStringList);
  const companies = system.kind === 'business-central' ? option(system, 'companies', isStringRecord) : undefined;
  const entities = [...(listed ?? []), ...Object.keys(companies ?? {})];
  return entities.length === 0 ? {} : { entities };
}
