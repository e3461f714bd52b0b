/**
 * The OData v4 surface of the Business Central simulator: error bodies `{ error: { code, message } }`
 * with the codes of the published catalogue, weak ETags, collections `{ value, @odata.nextLink }`,
 * the `$filter` expressions the API documents (`eq ne gt ge lt le`, `and`, `contains`), and request
 * bodies checked against the resource facts (unknown, read-only, mistyped and over-long properties).
 */
import { createHash } from 'node:crypto';
import { json, type SimResponse } from '../../sim-kit/sim-server.js';
import type { BcPropertyFact, BcResourceFact } from '../bc-contract-facts.js';

export type BcRecord = Record<string, string | number | boolean | null>;

export function odataError(status: number, code: string, message: string): SimResponse {
  return json(status, { error: { code, message } });
}

/** A refusal thrown inside handlers and answered as an OData error. */
export class BcRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const refuse = (status: number, code: string, message: string): never => {
  throw new BcRefusal(status, code, message);
};

/** A weak ETag over the record's content (changes whenever the record does). */
export function etagOf(record: BcRecord): string {
  const hash = createHash('sha256').update(JSON.stringify(record)).digest('base64').slice(0, 24);
  return `W/"JzQ0O${hash}'"`;
}

export function withEtag(record: BcRecord): Record<string, unknown> {
  return { '@odata.etag': etagOf(record), ...record };
}

type Comparison = { readonly field: string; readonly op: string; readonly value: string | number | boolean };
type Clause = Comparison | { readonly contains: string; readonly value: string };

const COMPARISON = /^([A-Za-z][A-Za-z0-9]*)\s+(eq|ne|gt|ge|lt|le)\s+('(?:[^']|'')*'|[^\s)]+)$/;
const CONTAINS = /^contains\(\s*([A-Za-z][A-Za-z0-9]*)\s*,\s*'((?:[^']|'')*)'\s*\)$/i;

function literal(raw: string): string | number | boolean {
  if (raw.startsWith("'")) return raw.slice(1, -1).replace(/''/g, "'");
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/.test(raw) || /^[0-9a-f-]{36}$/i.test(raw)) return raw;
  return refuse(400, 'BadRequest_InvalidRequestUrl', `Syntax error at '${raw}' in the filter`);
}

/** Parses `$filter` into clauses joined by `and` (what the API's documentation uses). */
export function parseFilter(filter: string | null, fact: BcResourceFact): Clause[] {
  if (filter === null || filter.trim() === '') return [];
  return filter.split(/\s+and\s+/i).map((part) => {
    const text = part.trim().replace(/^\((.*)\)$/, '$1');
    const contains = CONTAINS.exec(text);
    if (contains !== null) {
      known(contains[1]!, fact);
      return { contains: contains[1]!, value: contains[2]!.replace(/''/g, "'") };
    }
    const match = COMPARISON.exec(text);
    if (match === null) return refuse(400, 'BadRequest_InvalidRequestUrl', `The filter '${text}' is not valid`);
    known(match[1]!, fact);
    return { field: match[1]!, op: match[2]!, value: literal(match[3]!) };
  });
}

function known(field: string, fact: BcResourceFact): void {
  if (fact.properties[field] === undefined)
    refuse(400, 'BadRequest_NotFound', `Could not find a property named '${field}' on type '${fact.entitySet}'`);
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T/;

export function matches(record: BcRecord, clauses: readonly Clause[]): boolean {
  return clauses.every((clause) => {
    if ('contains' in clause)
      return String(record[clause.contains] ?? '')
        .toLowerCase()
        .includes(clause.value.toLowerCase());
    const actual = record[clause.field] ?? null;
    const a = actual;
    const b = clause.value;
    const instants = typeof a === 'string' && typeof b === 'string' && INSTANT.test(a) && INSTANT.test(b);
    const cmp =
      typeof a === 'number' && typeof b === 'number'
        ? a - b
        : instants
          ? Date.parse(a) - Date.parse(b)
          : String(a ?? '') < String(b)
            ? -1
            : String(a ?? '') > String(b)
              ? 1
              : 0;
    switch (clause.op) {
      case 'eq':
        return typeof b === 'string' && typeof a === 'string' ? a.toLowerCase() === b.toLowerCase() : a === b;
      case 'ne':
        return a !== b;
      case 'gt':
        return cmp > 0;
      case 'ge':
        return cmp >= 0;
      case 'lt':
        return cmp < 0;
      default:
        return cmp <= 0;
    }
  });
}

/** One page of a collection with the next page's link (`$skiptoken` is the offset). */
export function page(
  records: readonly BcRecord[],
  query: URLSearchParams,
  selfUrl: string,
  pageSize: number,
): Record<string, unknown> {
  const top = query.get('$top') === null ? undefined : Number(query.get('$top'));
  const skip = Number(query.get('$skiptoken') ?? query.get('$skip') ?? '0');
  const limit = top === undefined ? pageSize : Math.min(top, pageSize);
  const slice = records.slice(skip, skip + limit);
  const more = skip + slice.length < (top === undefined ? records.length : Math.min(records.length, top));
  const next = new URL(selfUrl);
  next.searchParams.set('$skiptoken', String(skip + slice.length));
  return { value: slice.map(withEtag), ...(more ? { '@odata.nextLink': next.toString() } : {}) };
}

/** Parses a JSON request body as an object, or refuses it as the API does. */
export function bodyObject(body: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body === '' ? '{}' : body);
  } catch {
    return refuse(400, 'BadRequest', 'Invalid Request Body');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return refuse(400, 'BadRequest', 'Invalid Request Body');
  return value as Record<string, unknown>;
}

/**
 * Checks a create or update body against the resource: every property known, none read-only, each of
 * its type (decimals and integers as JSON numbers, dates as YYYY-MM-DD, enums among their values),
 * strings within their length; on create, the required properties present and not blank.
 */
export function checkBody(body: Record<string, unknown>, fact: BcResourceFact, creating: boolean): BcRecord {
  const out: BcRecord = {};
  for (const [name, value] of Object.entries(body)) {
    if (name.startsWith('@odata.')) continue;
    const property = fact.properties[name] as BcPropertyFact | undefined;
    if (property === undefined)
      refuse(400, 'BadRequest', `The property '${name}' does not exist on type 'Microsoft.NAV.${fact.entitySet}'`);
    if (property!.readOnly === true) refuse(400, 'BadRequest_InvalidOperation', `Control '${name}' is read-only`);
    out[name] = typed(name, value, property!);
  }
  if (creating)
    for (const name of fact.requiredOnCreate ?? []) {
      const value = out[name];
      if (value === undefined || value === null || value === '')
        refuse(400, 'BadRequest_RequiredParamNotProvided', `Field '${name}' must not be blank or empty.`);
    }
  return out;
}

function typed(name: string, value: unknown, property: BcPropertyFact): string | number | boolean | null {
  const wrong = (): never => refuse(400, 'BadRequest', `Cannot convert the value of '${name}' to ${property.type}`);
  switch (property.type) {
    case 'decimal':
    case 'integer':
      if (typeof value !== 'number' || !Number.isFinite(value)) return wrong();
      if (property.type === 'integer' && !Number.isInteger(value)) return wrong();
      return value;
    case 'boolean':
      return typeof value === 'boolean' ? value : wrong();
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : wrong();
    case 'guid':
      return typeof value === 'string' && /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(value)
        ? value.toLowerCase()
        : wrong();
    default: {
      if (typeof value !== 'string') return wrong();
      if (property.values !== undefined && !property.values.includes(value))
        refuse(400, 'Application_EvaluateException', `The value "${value}" cannot be evaluated into type Option.`);
      if (property.maxLength !== undefined && value.length > property.maxLength)
        refuse(
          400,
          'Application_StringExceededLength',
          `The length of the string is ${value.length}, but it must be less than or equal to ${property.maxLength} characters. Value: ${value}`,
        );
      return value;
    }
  }
}
