/**
 * Coupa's query string for a GET on a collection (Compass "Querying Options" and "API Operators";
 * the R39 OpenAPI list parameters): `attr=value` and `attr[op]=value` filters with the operators
 * contains, starts_with, ends_with, blank, gt, lt, gt_or_eq, lt_or_eq, not_eq, in, not_in; nested
 * attributes `supplier[name]=…` (and `supplier[name][contains]=…`), `_` or `-` in names alike;
 * paging with `offset` and `limit` ("up to 50 records per API GET": a larger limit answers 50);
 * `order_by`, `dir` (asc or desc), `return_object` (limited or shallow on a query), `filter`,
 * `fields`. A filter on an attribute the model does not have is an invalid query and is refused
 * ("If your search query is invalid, we will try to help you identify the problem").
 */
import { LIST_QUERY_PARAMETERS, PAGING, QUERY_OPERATORS } from '../coupa-contract-facts.js';
import type { ResourceModel } from './coupa-models.js';
import type { CoupaRecord } from './estate.js';

export const MAX_PAGE_SIZE = PAGING.maxRecordsPerGet;
const OPERATORS: ReadonlySet<string> = new Set(QUERY_OPERATORS.operators);
/** Query parameters that are not filters: the OpenAPI list parameters and `fields` (Compass "API Return Formats"). */
const CONTROL: ReadonlySet<string> = new Set([...LIST_QUERY_PARAMETERS, 'fields']);

export interface Filter {
  readonly path: readonly string[];
  readonly op: string;
  readonly value: string;
}

export class QueryError extends Error {}

/** Splits `supplier[name][contains]` into its path and operator. */
export function parseFilterKey(key: string): { path: string[]; op: string } {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (match === null) throw new QueryError(`unreadable query parameter ${key}`);
  const segments = [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!)].map((s) =>
    s.replace(/_/g, '-'),
  );
  const last = segments[segments.length - 1]!;
  const op = last.replace(/-/g, '_');
  if (segments.length > 1 && OPERATORS.has(op)) return { path: segments.slice(0, -1), op };
  return { path: segments, op: 'eq' };
}

export function parseFilters(query: URLSearchParams, model?: ResourceModel): Filter[] {
  const filters: Filter[] = [];
  for (const [key, value] of query) {
    if (CONTROL.has(key)) continue;
    const filter = { ...parseFilterKey(key), value };
    const attribute = filter.path[0]!;
    if (
      model !== undefined &&
      attribute !== 'id' &&
      !model.writable.includes(attribute) &&
      !model.readOnly.includes(attribute)
    )
      throw new QueryError(`${key} is not an attribute of ${model.object} that can be queried`);
    filters.push(filter);
  }
  return filters;
}

/** A write's query: `return_object`, `filter`, `fields`, and on a PUT the special action `exported=true`. */
export function checkWriteQuery(query: URLSearchParams, put: boolean): void {
  for (const [key, value] of query) {
    if (key === 'return_object') {
      if (!['limited', 'shallow', 'none'].includes(value))
        throw new QueryError(`return_object=${value} is not limited, shallow or none`);
    } else if (key === 'exported' && put) {
      if (value !== 'true') throw new QueryError('exported is set by its own request with exported=true only');
    } else if (key !== 'filter' && key !== 'fields') {
      throw new QueryError(`${key} is not a parameter of this request`);
    }
  }
}

function valueAt(record: unknown, path: readonly string[]): unknown {
  let current: unknown = record;
  for (const segment of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = Object.hasOwn(current, segment) ? (current as Record<string, unknown>)[segment] : undefined;
  }
  return current;
}

/** Compares a stored value with filter text: integers numerically, timestamps by instant, else text. */
function compare(stored: unknown, text: string): number | undefined {
  if (stored === null || stored === undefined) return undefined;
  if (typeof stored === 'number' && /^-?\d+$/.test(text)) return Math.sign(stored - Number(text));
  const left = String(stored);
  if (/^\d{4}-\d\d-\d\d/.test(left) && /^\d{4}-\d\d-\d\d/.test(text)) {
    const a = Date.parse(left);
    const b = Date.parse(text);
    if (!Number.isNaN(a) && !Number.isNaN(b)) return Math.sign(a - b);
  }
  return left < text ? -1 : left > text ? 1 : 0;
}

function same(stored: unknown, text: string): boolean {
  if (typeof stored === 'boolean') return String(stored) === text.toLowerCase();
  if (stored === null || stored === undefined) return text === '' || text === 'null';
  return compare(stored, text) === 0;
}

export function matches(record: CoupaRecord, filter: Filter): boolean {
  const stored = valueAt(record, filter.path);
  const text = filter.value;
  switch (filter.op) {
    case 'eq':
      return same(stored, text);
    case 'not_eq':
      return !same(stored, text);
    case 'contains':
      return typeof stored === 'string' && stored.toLowerCase().includes(text.toLowerCase());
    case 'starts_with':
      return typeof stored === 'string' && stored.toLowerCase().startsWith(text.toLowerCase());
    case 'in':
      return text.split(',').some((item) => same(stored, item.trim()));
    case 'not_in':
      return !text.split(',').some((item) => same(stored, item.trim()));
    case 'ends_with':
      return typeof stored === 'string' && stored.toLowerCase().endsWith(text.toLowerCase());
    case 'blank':
      return (stored === null || stored === undefined || stored === '') === (text.toLowerCase() === 'true');
    default: {
      const order = compare(stored, text);
      if (order === undefined) return false;
      if (filter.op === 'gt') return order > 0;
      if (filter.op === 'lt') return order < 0;
      if (filter.op === 'gt_or_eq') return order >= 0;
      return order <= 0;
    }
  }
}

/** Offset and limit as Coupa reads them: limit capped at 50, negatives refused. */
export function pageOf(query: URLSearchParams): { offset: number; limit: number } {
  const offsetText = query.get('offset') ?? '0';
  const limitText = query.get('limit') ?? String(MAX_PAGE_SIZE);
  if (!/^\d+$/.test(offsetText) || !/^\d+$/.test(limitText))
    throw new QueryError('offset and limit must be non-negative integers');
  return { offset: Number(offsetText), limit: Math.min(MAX_PAGE_SIZE, Number(limitText)) };
}

/** Filters, orders (by id unless `order_by`), and cuts one page; `return_object=limited` answers ids only. */
export function select(
  records: readonly CoupaRecord[],
  query: URLSearchParams,
  model?: ResourceModel,
): Record<string, unknown>[] {
  const filters = parseFilters(query, model);
  const { offset, limit } = pageOf(query);
  const orderBy = (query.get('order_by') ?? 'id').replace(/_/g, '-');
  const dir = query.get('dir') ?? 'asc';
  if (dir !== 'asc' && dir !== 'desc') throw new QueryError(`dir=${dir} is not asc or desc`);
  const shape = query.get('return_object');
  if (shape !== null && shape !== 'limited' && shape !== 'shallow')
    throw new QueryError(`return_object=${shape} is not limited or shallow on a query`);
  const descending = dir === 'desc';
  const found = records.filter((record) => filters.every((filter) => matches(record, filter)));
  found.sort((a, b) => {
    const order = compare(valueAt(a, [orderBy]), String(valueAt(b, [orderBy]) ?? '')) ?? 0;
    return (descending ? -order : order) || a.id - b.id;
  });
  const page = found.slice(offset, offset + limit);
  return shape === 'limited' ? page.map((record) => ({ id: record.id })) : page;
}
