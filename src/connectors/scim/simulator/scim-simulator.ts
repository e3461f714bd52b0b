/**
 * The directory simulator: a SCIM 2.0 service provider (RFC 7643/7644) on the simulator kit.
 * `GET /scim/v2/Users` with `filter`, `startIndex` and `count` (at most MAX_RESULTS per page, 50
 * when no count is given), `GET /scim/v2/Users/:id` with its ETag, `GET /scim/v2/ServiceProviderConfig`,
 * bearer tokens (a long-lived demo token, and `POST /oauth2/token` for client credentials), SCIM
 * error bodies for 400/401/404. `POST /_sim/seed` takes `{ users: DirectoryPerson[] }` (added or
 * replaced by userName); the `expireTokens` fault expires every token issued before it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { SimServer, json, type SimRequest, type SimResponse } from '../../sim-kit/sim-server.js';
import { FilterError, matches, parseFilter } from './scim-filter.js';
import {
  CORE_USER_SCHEMA,
  ENTERPRISE_USER_SCHEMA,
  PAYEE_USER_SCHEMA,
  listResponse,
  scimError,
  scimJson,
  type ScimUser,
} from './scim-resources.js';
import { SEED_DOMAIN, enterpriseOf, seedPeople, stableId, type DirectoryPerson } from './seed-directory.js';

export const MAX_RESULTS = 100;
export const DEFAULT_COUNT = 50;
export const SCIM_BASE_PATH = '/scim/v2';

export interface ScimSimulatorOptions {
  /** The long-lived bearer token the simulator accepts (as an admin would generate in a tenant). */
  readonly token?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** Lifetime of tokens from `POST /oauth2/token`. */
  readonly tokenLifetimeSeconds?: number;
}

export interface ScimSimulator {
  readonly server: SimServer;
  readonly url: string;
  /** The SCIM base URL (`<url>/scim/v2`). */
  readonly scimUrl: string;
  readonly token: string;
  readonly clientId: string;
  readonly clientSecret: string;
  start(port?: number, host?: string): Promise<string>;
  stop(): Promise<void>;
}

export function createScimSimulator(options: ScimSimulatorOptions = {}): ScimSimulator {
  const staticToken = options.token ?? 'scim-demo-token';
  const clientId = options.clientId ?? 'ledgerlink-directory';
  const clientSecret = options.clientSecret ?? 'scim-demo-secret';
  const lifetimeMs = (options.tokenLifetimeSeconds ?? 3_600) * 1_000;
  let people: DirectoryPerson[] = [];
  let users = new Map<string, ScimUser>();
  /** token → when it was issued and when it expires. */
  const tokens = new Map<string, { issuedAt: number; expiresAt: number }>();
  let baseUrl = '';

  const issue = (token: string, lifetime: number): void => {
    const issuedAt = Math.max(Date.now(), server.faults.tokensIssuedBefore);
    tokens.set(token, { issuedAt, expiresAt: issuedAt + lifetime });
  };
  const rebuild = (): void => {
    users = buildUsers(people, () => baseUrl);
  };
  const server: SimServer = new SimServer('directory', {
    reset: () => {
      people = seedPeople();
      tokens.clear();
      issue(staticToken, Number.MAX_SAFE_INTEGER / 2);
      rebuild();
    },
    seed: (body) => {
      const added = (body as { users?: DirectoryPerson[] }).users ?? [];
      for (const person of added) {
        if (typeof person.userName !== 'string' || person.userName === '')
          throw new Error('every seeded user needs a userName');
        people = [...people.filter((p) => p.userName.toLowerCase() !== person.userName.toLowerCase()), person];
      }
      rebuild();
    },
  });

  const authorized = (request: SimRequest): SimResponse | undefined => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const challenge = { 'www-authenticate': 'Bearer realm="scim"' };
    if (match === null) return scimError(401, 'Authorization with a bearer token is required.', undefined, challenge);
    const grant = tokens.get(match[1]!);
    if (grant === undefined) return scimError(401, 'The bearer token is not valid.', undefined, challenge);
    if (grant.issuedAt < server.faults.tokensIssuedBefore || grant.expiresAt <= Date.now()) {
      return scimError(401, 'The bearer token has expired.', undefined, {
        'www-authenticate': 'Bearer realm="scim", error="invalid_token"',
      });
    }
    return undefined;
  };

  server.route('POST', '/oauth2/token', (request) => {
    const form = new URLSearchParams(request.body);
    const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    const [id, secret] = basic === null ? [form.get('client_id'), form.get('client_secret')] : decodeBasic(basic[1]!);
    if (form.get('grant_type') !== 'client_credentials') return json(400, { error: 'unsupported_grant_type' });
    if (id !== clientId || secret === null || secret === undefined || !sameSecret(secret, clientSecret)) {
      return json(401, { error: 'invalid_client' });
    }
    const token = randomBytes(24).toString('base64url');
    issue(token, lifetimeMs);
    return json(200, {
      access_token: token,
      token_type: 'Bearer',
      expires_in: Math.floor(lifetimeMs / 1_000),
      scope: 'scim.read',
    });
  });

  server.route('GET', `${SCIM_BASE_PATH}/ServiceProviderConfig`, (request) => {
    return authorized(request) ?? scimJson(200, serviceProviderConfig());
  });

  server.route(
    'GET',
    `${SCIM_BASE_PATH}/Users`,
    (request) => authorized(request) ?? listUsers(request, [...users.values()]),
  );

  server.route('GET', `${SCIM_BASE_PATH}/Users/:id`, (request) => {
    const denied = authorized(request);
    if (denied !== undefined) return denied;
    const user = users.get(request.params['id'] ?? '');
    if (user === undefined) return scimError(404, `Resource ${request.params['id']} not found.`);
    return scimJson(200, user, { etag: user.meta.version, location: user.meta.location });
  });

  return {
    server,
    get url() {
      return server.url;
    },
    get scimUrl() {
      return `${server.url}${SCIM_BASE_PATH}`;
    },
    token: staticToken,
    clientId,
    clientSecret,
    async start(port = 0, host = '127.0.0.1') {
      baseUrl = await server.start(port, host);
      server.faults.clear();
      people = seedPeople();
      issue(staticToken, Number.MAX_SAFE_INTEGER / 2);
      rebuild();
      return baseUrl;
    },
    stop: () => server.stop(),
  };
}

/** Starts the directory simulator on its own (for `ledgerlink simulate directory`). */
export async function startScimSimulator(
  port = 0,
  host = '127.0.0.1',
): Promise<{ simulator: ScimSimulator; credentials: Record<string, string> }> {
  const simulator = createScimSimulator();
  await simulator.start(port, host);
  return {
    simulator,
    credentials: {
      scimUrl: simulator.scimUrl,
      token: simulator.token,
      tokenUrl: `${simulator.url}/oauth2/token`,
      clientId: simulator.clientId,
      clientSecret: simulator.clientSecret,
    },
  };
}

function listUsers(request: SimRequest, all: readonly ScimUser[]): SimResponse {
  const filterText = request.query.get('filter');
  let selected = all;
  if (filterText !== null && filterText.trim() !== '') {
    try {
      const filter = parseFilter(filterText);
      selected = all.filter((user) => matches(filter, user));
    } catch (error) {
      if (error instanceof FilterError)
        return scimError(400, `The filter is invalid: ${error.message}.`, 'invalidFilter');
      throw error;
    }
  }
  const startIndex = positiveInteger(request.query.get('startIndex'), 1, 1);
  const requested = positiveInteger(request.query.get('count'), DEFAULT_COUNT, 0);
  if (startIndex === undefined || requested === undefined)
    return scimError(400, 'startIndex and count must be integers.', 'invalidValue');
  const count = Math.min(requested, MAX_RESULTS);
  return listResponse(selected.length, startIndex, selected.slice(startIndex - 1, startIndex - 1 + count));
}

/** RFC 7644 3.4.2.4: absent → fallback; values under the minimum are taken as the minimum. */
function positiveInteger(raw: string | null, fallback: number, minimum: number): number | undefined {
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) return undefined;
  return Math.max(minimum, Number(raw));
}

function buildUsers(people: readonly DirectoryPerson[], baseUrl: () => string): Map<string, ScimUser> {
  const idOf = (p: DirectoryPerson): string => p.id ?? stableId(`scim-user-${p.userName.toLowerCase()}`);
  const byUserName = new Map(people.map((p) => [p.userName.toLowerCase(), p]));
  const users = new Map<string, ScimUser>();
  for (const person of people) {
    const id = idOf(person);
    const location = `${baseUrl()}${SCIM_BASE_PATH}/Users/${id}`;
    const manager =
      person.managerUserName === undefined ? undefined : byUserName.get(person.managerUserName.toLowerCase());
    const enterprise = {
      ...enterpriseOf(person),
      ...(manager === undefined
        ? {}
        : {
            manager: {
              value: idOf(manager),
              $ref: `${baseUrl()}${SCIM_BASE_PATH}/Users/${idOf(manager)}`,
              displayName: `${manager.givenName} ${manager.familyName}`,
            },
          }),
    };
    const created = person.created ?? '2024-01-15T09:00:00Z';
    const displayName = `${person.givenName} ${person.familyName}`;
    const email =
      person.email ?? (person.userName.includes('@') ? person.userName : `${person.userName}@${SEED_DOMAIN}`);
    users.set(id, {
      schemas: [CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA, ...(person.iban === undefined ? [] : [PAYEE_USER_SCHEMA])],
      id,
      ...(person.externalId === undefined ? {} : { externalId: person.externalId }),
      userName: person.userName,
      name: { formatted: displayName, givenName: person.givenName, familyName: person.familyName },
      displayName,
      ...(person.title === undefined ? {} : { title: person.title }),
      ...(person.locale === undefined ? {} : { preferredLanguage: person.locale.slice(0, 2), locale: person.locale }),
      ...(person.timezone === undefined ? {} : { timezone: person.timezone }),
      active: person.active ?? true,
      emails: [{ value: email, type: 'work', primary: true }],
      [ENTERPRISE_USER_SCHEMA]: enterprise,
      ...(person.iban === undefined
        ? {}
        : {
            [PAYEE_USER_SCHEMA]: {
              bankAccounts: [{ iban: person.iban, ...(person.bic === undefined ? {} : { bic: person.bic }) }],
            },
          }),
      meta: {
        resourceType: 'User',
        created,
        lastModified: created,
        location,
        version: `W/"${stableId(JSON.stringify([person, enterprise])).slice(0, 8)}"`,
      },
    });
  }
  return users;
}

function serviceProviderConfig(): unknown {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    patch: { supported: false },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'Authentication with a bearer token',
        primary: true,
      },
    ],
  };
}

function decodeBasic(encoded: string): [string | undefined, string | undefined] {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0
    ? [undefined, undefined]
    : [decodeURIComponent(decoded.slice(0, colon)), decodeURIComponent(decoded.slice(colon + 1))];
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
