/**
 * What SAP Gateway refuses because the service's `$metadata` does not allow it, checked against the
 * contract facts (contract-facts/, kept from the EDMX files): an entity set, property or navigation
 * the metadata lacks; `$select`, `$filter`, `$orderby` or `$expand` naming one; a value of the wrong
 * EDM type, a string longer than its MaxLength or a decimal beyond its Precision/Scale; a property
 * marked sap:creatable="false" sent on create or sap:updatable="false" sent on update; a navigation in
 * an update; a function import called with the wrong method, an unknown or missing parameter, or a
 * value that is no OData literal of its type or is too long. Every refusal is a 400 (405 for a method)
 * with Gateway's error body naming the culprit. The message codes are the Gateway runtime's message
 * class; the EDMX files publish no error codes, so the numbers are the simulator's choice.
 */
import type { SimRequest, SimResponse } from '../../sim-kit/sim-server.js';
import {
  ODATA_SERVICE_FACTS,
  type EntitySetFact,
  type FunctionImportFact,
  type ODataServiceFact,
  type PropertyFact,
} from '../contract-facts/index.js';
import { odataError } from './odata-envelope.js';
import { FilterError, parseFilter } from './odata-filter.js';

/** Unknown names and malformed query options. */
export const GW_SYNTAX = '/IWBEP/CM_MGW_RT/004';
/** A value the property or parameter does not take. */
export const GW_INVALID_VALUE = '/IWBEP/CM_MGW_RT/001';
/** A read-only property written. */
export const GW_READ_ONLY = '/IWBEP/CM_MGW_RT/036';

const QUERY_OPTIONS = new Set([
  '$format',
  '$filter',
  '$select',
  '$orderby',
  '$expand',
  '$top',
  '$skip',
  '$skiptoken',
  '$inlinecount',
]);

export function serviceFacts(service: string): ODataServiceFact | undefined {
  return ODATA_SERVICE_FACTS[service];
}

function refuse(code: string, message: string, target = ''): SimResponse {
  return odataError(400, code, message, [{ code, message, propertyref: target }]);
}

/** The set a navigation path (`to_A/to_B`) leads to from `set`, or the first segment that is none. */
function walk(
  service: ODataServiceFact,
  set: EntitySetFact,
  path: readonly string[],
): { set: EntitySetFact } | { unknown: string } {
  let current = set;
  for (const segment of path) {
    const nav = current.navigations?.[segment];
    const next = nav === undefined ? undefined : service.entitySets[nav.target];
    if (next === undefined) return { unknown: segment };
    current = next;
  }
  return { set: current };
}

const typeName = (set: EntitySetFact): string => set.entityType.split('.').pop() ?? set.entityType;

/** `$select`, `$filter`, `$orderby`, `$expand` and unknown system query options of a read. */
export function checkQueryOptions(
  request: SimRequest,
  service: ODataServiceFact,
  set: EntitySetFact,
): SimResponse | undefined {
  for (const [name] of request.query)
    if (name.startsWith('$') && !QUERY_OPTIONS.has(name))
      return refuse(GW_SYNTAX, `System query option '${name}' is not supported`, name);
  const list = (option: string): string[] =>
    (request.query.get(option) ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
  for (const path of list('$expand')) {
    const found = walk(service, set, path.split('/'));
    if ('unknown' in found)
      return refuse(
        GW_SYNTAX,
        `Navigation property '${found.unknown}' is not defined in ${typeName(set)}`,
        found.unknown,
      );
  }
  for (const path of list('$select')) {
    const segments = path.split('/');
    const last = segments.pop() ?? '';
    const found = walk(service, set, segments);
    if ('unknown' in found)
      return refuse(
        GW_SYNTAX,
        `Navigation property '${found.unknown}' is not defined in ${typeName(set)}`,
        found.unknown,
      );
    if (last !== '*' && found.set.properties[last] === undefined && found.set.navigations?.[last] === undefined)
      return refuse(GW_SYNTAX, `Property '${last}' is invalid in $select of ${typeName(found.set)}`, last);
  }
  for (const part of list('$orderby')) {
    const [name = '', direction = 'asc', ...rest] = part.split(/\s+/);
    if (set.properties[name] === undefined)
      return refuse(GW_SYNTAX, `Property '${name}' is invalid in $orderby of ${typeName(set)}`, name);
    if (rest.length > 0 || !['asc', 'desc'].includes(direction.toLowerCase()))
      return refuse(GW_SYNTAX, `Invalid $orderby '${part}'`, name);
  }
  const filter = request.query.get('$filter');
  if (filter !== null && filter.trim() !== '') {
    try {
      parseFilter(filter, (name) => set.properties[name] !== undefined);
    } catch (error) {
      if (error instanceof FilterError)
        return refuse(GW_SYNTAX, `Invalid filter expression for ${typeName(set)}: ${error.message}`, '$filter');
      throw error;
    }
  }
  return undefined;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;
const DATE = /^(\/Date\(-?\d+([+-]\d{4})?\)\/|\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)?)$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Why the value does not fit the property, or undefined when it does. */
export function valueProblem(value: unknown, fact: PropertyFact): string | undefined {
  if (value === null) return fact.nullable === false ? 'must not be null' : undefined;
  switch (fact.type) {
    case 'Edm.String':
      if (typeof value !== 'string') return 'must be a string';
      return fact.maxLength !== undefined && value.length > fact.maxLength
        ? `is longer than ${fact.maxLength} characters`
        : undefined;
    case 'Edm.Decimal': {
      const match = typeof value === 'string' ? DECIMAL.exec(value) : null;
      if (match === null) return 'must be an Edm.Decimal string';
      const integer = (match[2] ?? '').replace(/^0+(?=\d)/, '');
      const fraction = match[3] ?? '';
      const scale = fact.scale ?? 0;
      if (fraction.replace(/0+$/, '').length > scale) return `has more than ${scale} decimals`;
      if (fact.precision !== undefined && integer.length > fact.precision - scale)
        return `has more than ${fact.precision - scale} digits before the decimal point`;
      return undefined;
    }
    case 'Edm.Boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'Edm.DateTime':
    case 'Edm.DateTimeOffset':
      return typeof value === 'string' && DATE.test(value) ? undefined : `must be an ${fact.type} value`;
    case 'Edm.Guid':
      return typeof value === 'string' && GUID.test(value) ? undefined : 'must be an Edm.Guid';
    case 'Edm.Time':
      return typeof value === 'string' && /^PT(\d+H)?(\d+M)?(\d+(\.\d+)?S)?$/.test(value)
        ? undefined
        : 'must be an Edm.Time';
    default:
      return typeof value === 'number' && Number.isInteger(value) ? undefined : `must be an ${fact.type}`;
  }
}

/**
 * A create (deep insert: navigations of the metadata carry nested entities, checked against their own
 * set) or an update (properties only) of `set`.
 */
export function checkEntityBody(
  body: unknown,
  service: ODataServiceFact,
  set: EntitySetFact,
  mode: 'create' | 'update',
): SimResponse | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return refuse(GW_SYNTAX, `The request body is no ${typeName(set)} entity`);
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (name === '__metadata') continue;
    const nav = set.navigations?.[name];
    if (nav !== undefined) {
      const target = service.entitySets[nav.target];
      if (mode === 'update' || target === undefined)
        return refuse(GW_SYNTAX, `Navigation property '${name}' cannot be changed in an update`, name);
      const results = (value as { results?: unknown } | null)?.results;
      const children = nav.many ? (Array.isArray(value) ? value : results) : [value];
      if (!Array.isArray(children))
        return refuse(GW_SYNTAX, `Navigation property '${name}' needs { results: [...] } in a deep insert`, name);
      for (const child of children as unknown[]) {
        const problem = checkEntityBody(child, service, target, 'create');
        if (problem !== undefined) return problem;
      }
      continue;
    }
    const fact = set.properties[name];
    if (fact === undefined)
      return refuse(GW_SYNTAX, `Property '${name}' is invalid: it is not in ${typeName(set)}`, name);
    if (mode === 'create' ? fact.creatable === false : fact.updatable === false)
      return refuse(GW_READ_ONLY, `Property '${name}' of ${typeName(set)} is read-only and cannot be ${mode}d`, name);
    const problem = valueProblem(value, fact);
    if (problem !== undefined)
      return refuse(
        GW_INVALID_VALUE,
        `Property '${name}' of ${typeName(set)} has an invalid value: it ${problem}`,
        name,
      );
  }
  return undefined;
}

/** The value of an OData string literal (`'it''s'` → `it's`), or undefined when the text is none. */
export function stringLiteral(raw: string | null): string | undefined {
  const match = raw === null ? null : /^'((?:[^']|'')*)'$/s.exec(raw);
  return match === null ? undefined : (match[1] ?? '').replace(/''/g, "'");
}

/** A function import call: HTTP method, known and required parameters, literal types and lengths. */
export function checkFunctionImport(
  request: SimRequest,
  name: string,
  fi: FunctionImportFact,
): SimResponse | undefined {
  if (request.method !== fi.httpMethod)
    return odataError(
      405,
      '/IWBEP/CM_MGW_RT/021',
      `Function import ${name} takes HTTP ${fi.httpMethod}, not ${request.method}`,
    );
  for (const [parameter] of request.query)
    if (!parameter.startsWith('$') && !parameter.startsWith('sap-') && fi.parameters[parameter] === undefined)
      return refuse(GW_SYNTAX, `Parameter '${parameter}' is not a parameter of function import ${name}`, parameter);
  for (const [parameter, fact] of Object.entries(fi.parameters)) {
    const raw = request.query.get(parameter);
    if (raw === null) {
      if (fact.optional) continue;
      return refuse(GW_INVALID_VALUE, `Parameter '${parameter}' of function import ${name} is missing`, parameter);
    }
    if (fact.type === 'Edm.DateTime') {
      if (!/^datetime'\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?'$/.test(raw))
        return refuse(
          GW_INVALID_VALUE,
          `Parameter '${parameter}' needs an Edm.DateTime literal (datetime'YYYY-MM-DDThh:mm:ss')`,
          parameter,
        );
      continue;
    }
    const value = stringLiteral(raw);
    if (value === undefined)
      return refuse(GW_INVALID_VALUE, `Parameter '${parameter}' needs an Edm.String literal ('…')`, parameter);
    if (fact.maxLength !== undefined && value.length > fact.maxLength)
      return refuse(
        GW_INVALID_VALUE,
        `Parameter '${parameter}' is longer than ${fact.maxLength} characters`,
        parameter,
      );
  }
  return undefined;
}

/**
 * Everything the metadata decides about a request on `<service>/<segment>`, before the service's own
 * logic: the resource exists, the method is allowed on it, the query options and the body fit.
 */
export function checkAgainstMetadata(
  request: SimRequest,
  service: ODataServiceFact,
  segment: string,
): SimResponse | undefined {
  const match = /^([A-Za-z_]\w*)(\(.*\))?$/s.exec(segment);
  const name = match?.[1] ?? '';
  const keyed = match?.[2] !== undefined;
  const fi = service.functionImports?.[name];
  if (fi !== undefined && !keyed) return checkFunctionImport(request, name, fi);
  const set = service.entitySets[name];
  if (set === undefined) return odataError(404, '/IWBEP/CM_MGW_RT/020', `Resource not found for segment '${segment}'`);
  const notAllowed = (what: string): SimResponse =>
    odataError(405, '/IWBEP/CM_MGW_RT/021', `Method ${request.method} not allowed: ${name} ${what}`);
  switch (request.method) {
    case 'GET':
    case 'HEAD':
      return checkQueryOptions(request, service, set);
    case 'POST':
      if (keyed) return notAllowed('takes POST only on the collection');
      if (!set.creatable) return notAllowed('is not creatable (sap:creatable="false")');
      return checkEntityBody(parsedBody(request), service, set, 'create');
    case 'PATCH':
    case 'MERGE':
    case 'PUT':
      if (!keyed) return notAllowed('is updated by key only');
      if (!set.updatable) return notAllowed('is not updatable (sap:updatable="false")');
      return checkEntityBody(parsedBody(request), service, set, 'update');
    case 'DELETE':
      return set.deletable && keyed ? undefined : notAllowed('is not deletable (sap:deletable="false")');
    default:
      return notAllowed('does not take this method');
  }
}

function parsedBody(request: SimRequest): unknown {
  try {
    return JSON.parse(request.body) as unknown;
  } catch {
    return undefined;
  }
}
