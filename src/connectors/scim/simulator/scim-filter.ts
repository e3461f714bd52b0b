/**
 * The SCIM filter language of RFC 7644 section 3.4.2.2, as far as a directory needs it: attribute
 * paths with an optional schema URN prefix and sub-attributes (`name.familyName`,
 * `urn:…:enterprise:2.0:User:manager.value`), the operators eq ne co sw ew gt ge lt le pr, `and`,
 * `or`, `not (…)` and parentheses. Attribute names and operators are case-insensitive; string
 * comparison is case-insensitive except for the case-exact attributes (id, externalId, meta.version).
 * Anything else is a FilterError, answered as 400 invalidFilter.
 */
import { CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from './scim-resources.js';

export class FilterError extends Error {}

type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
type Literal = string | number | boolean | null;

export type FilterNode =
  | { readonly kind: 'and' | 'or'; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly kind: 'not'; readonly inner: FilterNode }
  | { readonly kind: 'pr'; readonly path: readonly string[] }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly path: readonly string[]; readonly value: Literal };

type Token =
  | { readonly type: 'open' | 'close' }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'word'; readonly value: string };

const COMPARE_OPS: ReadonlySet<string> = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const CASE_EXACT: ReadonlySet<string> = new Set(['id', 'externalid', 'meta.version']);

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const c = filter[i]!;
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ type: c === '(' ? 'open' : 'close' });
      i++;
    } else if (c === '"') {
      let end = i + 1;
      while (end < filter.length && filter[end] !== '"') end += filter[end] === '\\' ? 2 : 1;
      if (end >= filter.length) throw new FilterError('unterminated string');
      try {
        tokens.push({ type: 'string', value: JSON.parse(filter.slice(i, end + 1)) as string });
      } catch {
        throw new FilterError(`invalid string literal at ${i}`);
      }
      i = end + 1;
    } else {
      const match = /^[A-Za-z0-9:._$+-]+/.exec(filter.slice(i));
      if (match === null) throw new FilterError(`unexpected character '${c}' at ${i}`);
      tokens.push({ type: 'word', value: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}

/** Parses a filter into a tree; throws FilterError on anything it does not understand. */
export function parseFilter(filter: string): FilterNode {
  const tokens = tokenize(filter);
  let pos = 0;
  const peekWord = (): string | undefined => {
    const t = tokens[pos];
    return t?.type === 'word' ? t.value.toLowerCase() : undefined;
  };
  const parseOr = (): FilterNode => {
    let left = parseAnd();
    while (peekWord() === 'or') {
      pos++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): FilterNode => {
    let left = parseUnary();
    while (peekWord() === 'and') {
      pos++;
      left = { kind: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): FilterNode => {
    const token = tokens[pos];
    if (token === undefined) throw new FilterError('filter ends where an expression is expected');
    if (token.type === 'word' && token.value.toLowerCase() === 'not') {
      pos++;
      if (tokens[pos]?.type !== 'open') throw new FilterError("'not' must be followed by '('");
      return { kind: 'not', inner: parseUnary() };
    }
    if (token.type === 'open') {
      pos++;
      const inner = parseOr();
      if (tokens[pos]?.type !== 'close') throw new FilterError("missing ')'");
      pos++;
      return inner;
    }
    if (token.type !== 'word') throw new FilterError('expected an attribute path');
    pos++;
    const path = attributePath(token.value);
    const op = peekWord();
    if (op === undefined) throw new FilterError(`expected an operator after ${token.value}`);
    pos++;
    if (op === 'pr') return { kind: 'pr', path };
    if (!COMPARE_OPS.has(op)) throw new FilterError(`unknown operator '${op}'`);
    const valueToken = tokens[pos];
    pos++;
    if (valueToken === undefined || valueToken.type === 'open' || valueToken.type === 'close') {
      throw new FilterError(`expected a value after '${op}'`);
    }
    return { kind: 'compare', op: op as CompareOp, path, value: literal(valueToken) };
  };
  const tree = parseOr();
  if (pos < tokens.length) throw new FilterError('unexpected input after the expression');
  return tree;
}

function literal(token: Token): Literal {
  if (token.type === 'string') return token.value;
  if (token.type !== 'word') throw new FilterError('expected a value');
  const word = token.value.toLowerCase();
  if (word === 'true' || word === 'false') return word === 'true';
  if (word === 'null') return null;
  if (/^-?\d+(\.\d+)?$/.test(word)) return Number(word);
  throw new FilterError(`'${token.value}' is not a value; strings are quoted`);
}

/** Splits `[schema URN:]attr[.sub]` into the keys to follow, the extension URN as the first key. */
function attributePath(raw: string): string[] {
  const lower = raw.toLowerCase();
  for (const schema of [ENTERPRISE_USER_SCHEMA, CORE_USER_SCHEMA]) {
    const prefix = `${schema.toLowerCase()}:`;
    if (lower.startsWith(prefix)) {
      const rest = raw.slice(prefix.length).split('.');
      return schema === ENTERPRISE_USER_SCHEMA ? [ENTERPRISE_USER_SCHEMA, ...rest] : rest;
    }
  }
  if (raw.includes(':')) throw new FilterError(`unknown schema in attribute '${raw}'`);
  return raw.split('.');
}

/** Whether the resource matches the filter. */
export function matches(node: FilterNode, resource: unknown): boolean {
  switch (node.kind) {
    case 'and':
      return matches(node.left, resource) && matches(node.right, resource);
    case 'or':
      return matches(node.left, resource) || matches(node.right, resource);
    case 'not':
      return !matches(node.inner, resource);
    case 'pr':
      return valuesAt(resource, node.path).some((v) => v !== null && v !== '');
    case 'compare': {
      const caseExact = CASE_EXACT.has(node.path.join('.').toLowerCase());
      const values = valuesAt(resource, node.path);
      if (node.op === 'ne') return !values.some((v) => compare('eq', v, node.value, caseExact));
      return values.some((v) => compare(node.op, v, node.value, caseExact));
    }
  }
}

/** The values at a path, case-insensitively; multi-valued attributes contribute every element. */
function valuesAt(resource: unknown, path: readonly string[]): unknown[] {
  let current: unknown[] = [resource];
  for (const key of path) {
    const next: unknown[] = [];
    for (const value of current.flatMap((v) => (Array.isArray(v) ? v : [v]))) {
      if (value === null || typeof value !== 'object') continue;
      const found = Object.entries(value).find(([k]) => k.toLowerCase() === key.toLowerCase());
      if (found !== undefined) next.push(found[1]);
    }
    current = next;
  }
  // A complex value compared as a whole is compared by its `value` sub-attribute (RFC 7644 3.4.2.2).
  return current
    .flatMap((v) => (Array.isArray(v) ? v : [v]))
    .map((v) => (v !== null && typeof v === 'object' && 'value' in v ? (v as { value: unknown }).value : v));
}

const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i;

/** RFC 7644 3.4.2.2: dateTime values (`meta.lastModified`) compare chronologically, whatever their precision. */
function compareDateTimes(op: CompareOp, actual: string, expected: string): boolean | undefined {
  if (!DATE_TIME.test(actual) || !DATE_TIME.test(expected)) return undefined;
  const a = Date.parse(actual);
  const e = Date.parse(expected);
  switch (op) {
    case 'eq':
      return a === e;
    case 'gt':
      return a > e;
    case 'ge':
      return a >= e;
    case 'lt':
      return a < e;
    case 'le':
      return a <= e;
    default:
      return undefined;
  }
}

function compare(op: CompareOp, actual: unknown, expected: Literal, caseExact: boolean): boolean {
  if (typeof actual === 'string' && typeof expected === 'string') {
    const chronological = compareDateTimes(op, actual, expected);
    if (chronological !== undefined) return chronological;
    const a = caseExact ? actual : actual.toLowerCase();
    const e = caseExact ? expected : expected.toLowerCase();
    switch (op) {
      case 'eq':
        return a === e;
      case 'co':
        return a.includes(e);
      case 'sw':
        return a.startsWith(e);
      case 'ew':
        return a.endsWith(e);
      case 'gt':
        return a > e;
      case 'ge':
        return a >= e;
      case 'lt':
        return a < e;
      case 'le':
        return a <= e;
      default:
        return false;
    }
  }
  if (op === 'eq') return actual === expected;
  if (typeof actual === 'boolean' || typeof expected === 'boolean')
    throw new FilterError(`'${op}' does not apply to boolean attributes`);
  if (typeof actual === 'number' && typeof expected === 'number') {
    return op === 'gt'
      ? actual > expected
      : op === 'ge'
        ? actual >= expected
        : op === 'lt'
          ? actual < expected
          : op === 'le'
            ? actual <= expected
            : false;
  }
  return false;
}
