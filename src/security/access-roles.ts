/**
 * Roles, actions and the role matrix: who may do what. Pure — no I/O — so the API, the CLI and the
 * tests all ask the same function. Anything not granted explicitly is denied, including actions this
 * build does not know.
 *
 * | action                   | admin | operator | auditor | mapping-author | mapping-approver | service:S |
 * |--------------------------|-------|----------|---------|----------------|------------------|-----------|
 * | events:post:<system>     | any   |          |         |                |                  | S only    |
 * | coding:validate          | yes   | yes      |         |                |                  | yes       |
 * | runs:read, trace:read    | yes   | yes      | yes     |                |                  |           |
 * | exceptions:read          | yes   | yes      | yes     |                |                  |           |
 * | exceptions:act           | yes   | yes      |         |                |                  |           |
 * | mappings:read            | yes   | yes      | yes     | yes            | yes              |           |
 * | mappings:author          | yes   |          |         | yes            |                  |           |
 * | mappings:approve         | yes   |          |         |                | yes              |           |
 * | master-data:read         | yes   | yes      | yes     | yes            | yes              |           |
 * | reconciliations:read     | yes   | yes      | yes     |                |                  |           |
 * | reconciliations:run      | yes   | yes      |         |                |                  |           |
 * | kpis:read                | yes   | yes      | yes     |                |                  |           |
 * | audit:read               | yes   |          | yes     |                |                  |           |
 * | tokens:manage            | yes   |          |         |                |                  |           |
 * | keys:manage              | yes   |          |         |                |                  |           |
 *
 * An agent token (role `agent:<name>`) may do exactly one thing: `agents:connect:<name>` (take calls
 * for that agent and answer them). No other role may, not even admin: an agent's channel carries the
 * connectors' requests into a private network, so only that agent's own token opens it.
 *
 * Segregation of duties (whoever authored a mapping set cannot approve it) is about identities, not
 * roles, and is checked where approvals happen; holding both mapping roles does not bypass it.
 */
import { LedgerlinkError } from '../canonical/errors.js';

export const STATIC_ROLES = ['admin', 'operator', 'auditor', 'mapping-author', 'mapping-approver'] as const;
export type StaticRole = (typeof STATIC_ROLES)[number];
export type ServiceRole = `service:${string}`;
export type AgentRole = `agent:${string}`;
export type Role = StaticRole | ServiceRole | AgentRole;

export const STATIC_ACTIONS = [
  'coding:validate',
  'runs:read',
  'trace:read',
  'exceptions:read',
  'exceptions:act',
  'mappings:read',
  'mappings:author',
  'mappings:approve',
  'master-data:read',
  'reconciliations:read',
  'reconciliations:run',
  'kpis:read',
  'audit:read',
  'tokens:manage',
  'keys:manage',
] as const;
export type StaticAction = (typeof STATIC_ACTIONS)[number];
export type EventPostAction = `events:post:${string}`;
export type AgentConnectAction = `agents:connect:${string}`;
export type Action = StaticAction | EventPostAction | AgentConnectAction;

/** The same shape as system names in the configuration (`SYSTEM_NAME_PATTERN`). */
export const SYSTEM_NAME = /^[a-z][a-z0-9_-]{0,63}$/;
const EVENT_POST_PREFIX = 'events:post:';
const SERVICE_PREFIX = 'service:';
const AGENT_PREFIX = 'agent:';
const AGENT_CONNECT_PREFIX = 'agents:connect:';

const READS: readonly StaticAction[] = [
  'runs:read',
  'trace:read',
  'exceptions:read',
  'mappings:read',
  'master-data:read',
  'reconciliations:read',
  'kpis:read',
];

/** What each static role may do; `admin` may do everything, including posting events for any system. */
export const roleMatrix: Readonly<Record<StaticRole, ReadonlySet<StaticAction>>> = {
  admin: new Set(STATIC_ACTIONS),
  operator: new Set<StaticAction>([...READS, 'exceptions:act', 'reconciliations:run', 'coding:validate']),
  auditor: new Set<StaticAction>([...READS, 'audit:read']),
  'mapping-author': new Set<StaticAction>(['mappings:read', 'mappings:author', 'master-data:read']),
  'mapping-approver': new Set<StaticAction>(['mappings:read', 'mappings:approve', 'master-data:read']),
};

/** What a `service:<system>` token may do besides posting events for its own system. */
export const serviceActions: ReadonlySet<StaticAction> = new Set<StaticAction>(['coding:validate']);

const staticRoles: ReadonlySet<string> = new Set(STATIC_ROLES);
const staticActions: ReadonlySet<string> = new Set(STATIC_ACTIONS);

export function isRole(value: string): value is Role {
  if (staticRoles.has(value)) return true;
  if (value.startsWith(AGENT_PREFIX)) return SYSTEM_NAME.test(value.slice(AGENT_PREFIX.length));
  return value.startsWith(SERVICE_PREFIX) && SYSTEM_NAME.test(value.slice(SERVICE_PREFIX.length));
}

export function isAction(value: string): value is Action {
  if (staticActions.has(value)) return true;
  if (value.startsWith(AGENT_CONNECT_PREFIX)) return SYSTEM_NAME.test(value.slice(AGENT_CONNECT_PREFIX.length));
  return value.startsWith(EVENT_POST_PREFIX) && SYSTEM_NAME.test(value.slice(EVENT_POST_PREFIX.length));
}

/** A checked role; LL_ERR_BAD_REQUEST names the accepted forms. */
export function parseRole(value: string): Role {
  if (isRole(value)) return value;
  throw new LedgerlinkError('LL_ERR_BAD_REQUEST', `unknown role ${JSON.stringify(value)}`, {
    details: [
      {
        path: 'roles',
        message: `expected one of ${STATIC_ROLES.join(', ')}, service:<system> or agent:<name>`,
        role: value,
      },
    ],
  });
}

/** Checked, de-duplicated roles, at least one. */
export function parseRoles(values: readonly string[]): Role[] {
  if (values.length === 0) {
    throw new LedgerlinkError('LL_ERR_BAD_REQUEST', 'a token needs at least one role', {
      details: [{ path: 'roles', message: 'empty' }],
    });
  }
  return [...new Set(values.map(parseRole))];
}

export const serviceRole = (system: string): ServiceRole => parseRole(`${SERVICE_PREFIX}${system}`) as ServiceRole;
export const eventPostAction = (system: string): EventPostAction => `${EVENT_POST_PREFIX}${system}`;
export const agentRole = (agent: string): AgentRole => parseRole(`${AGENT_PREFIX}${agent}`) as AgentRole;
export const agentConnectAction = (agent: string): AgentConnectAction => `${AGENT_CONNECT_PREFIX}${agent}`;

function roleAllows(role: string, action: string): boolean {
  if (action.startsWith(AGENT_CONNECT_PREFIX))
    return role === `${AGENT_PREFIX}${action.slice(AGENT_CONNECT_PREFIX.length)}`;
  if (role.startsWith(AGENT_PREFIX)) return false;
  if (role === 'admin') return true;
  if (role.startsWith(SERVICE_PREFIX)) {
    const system = role.slice(SERVICE_PREFIX.length);
    if (!SYSTEM_NAME.test(system)) return false;
    return action === `${EVENT_POST_PREFIX}${system}` || serviceActions.has(action as StaticAction);
  }
  const granted = roleMatrix[role as StaticRole] as ReadonlySet<string> | undefined;
  return granted !== undefined && granted.has(action);
}

/** True when any of the roles allows the action. Unknown roles and unknown actions are denied. */
export function authorize(tokenRoles: readonly string[], action: string): boolean {
  if (!isAction(action)) return false;
  return tokenRoles.some((role) => isRole(role) && roleAllows(role, action));
}

/** Throws LL_ERR_FORBIDDEN (403) unless `authorize` allows the action. */
export function assertAuthorized(tokenRoles: readonly string[], action: string): void {
  if (authorize(tokenRoles, action)) return;
  throw new LedgerlinkError('LL_ERR_FORBIDDEN', `the token's roles do not allow ${action}`, {
    details: [
      {
        path: 'roles',
        message: `roles ${tokenRoles.join(', ') || '(none)'} do not allow ${action}`,
        action,
        roles: [...tokenRoles],
      },
    ],
  });
}
