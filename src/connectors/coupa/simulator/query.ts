/**
 * Coupa's query string for a GET on a collection: `attr=value` and `attr[op]=value` filters with the
 * operators contains, starts_with, gt, lt, gt_or_eq, lt_or_eq, not_eq, in, not_in; nested attributes
 * `supplier[name]=…` (and `supplier[name][contains]=…`); paging with `offset` and `limit` (at most
 * 50 records per answer); `order_by` and `dir`. Unknown attributes match nothing, as on a tenant.
 */
import type { CoupaRecord } from './estate.js';

export const MAX_PAGE_SIZE = 50;
const OPERATORS = new Set(['contains', 'starts_with', 'gt', 'lt', 'gt_or_eq', 'lt_or_eq', 'not_eq', 'in', 'not_in']);
/** Query parameters that are not filters. */
const CONTROL = new Set(['offset', 'limit', 'fields', 'return_object', 'order_by', 'dir', 'exported_at']);

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
  const segments = [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!)];
  const last = segments[segments.length - 1]!;
  if (segments.length > 1 && OPERATORS.has(last)) return { path: segments.slice(0, -1), op: last };
  return { path: segments, op: 'eq' };
}

export function parseFilters(query: URLSearchParams, ignore: ReadonlySet<string> = new Set()): Filter[] {
  const filters: Filter[] = [];
  for (const [key, value] of query) {
    if (CONTROL.has(key) || ignore.has(key)) continue;
    filters.push({ ...parseFilterKey(key), value });
  }
  return filters;
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

/** Filters, orders (by id unless `order_by`), and cuts one page. */
export function select(
  records: readonly CoupaRecord[],
  query: URLSearchParams,
  ignore?: ReadonlySet<string>,
): CoupaRecord[] {
  const filters = parseFilters(query, ignore);
  const { offset, limit } = pageOf(query);
  const orderBy = query.get('order_by') ?? 'id';
  const descending = query.get('dir') === 'desc';
  const found = records.filter((record) => filters.every((filter) => matches(record, filter)));
  found.sort((a, b) => {
    const order = compare(valueAt(a, [orderBy]), String(valueAt(b, [orderBy]) ?? '')) ?? 0;
    return (descending ? -order : order) || a.id - b.id;
  });
  return found.slice(offset, offset + limit);
}
