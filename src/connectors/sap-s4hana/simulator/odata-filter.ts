/**
 * OData v2 `$filter` as the simulator understands it: comparisons (eq ne gt ge lt le) on properties
 * with string, number, boolean, null, `datetime'…'` and `datetimeoffset'…'` literals, `and`, `or`,
 * `not`, parentheses and the functions substringof, startswith, endswith, tolower, toupper. Dates in
 * entities are `/Date(ms)/` or `/Date(ms+0000)/`; a date literal compares them as instants.
 */
type Token =
  | { readonly t: 'id'; readonly v: string }
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'date'; readonly v: number }
  | { readonly t: 'num'; readonly v: string }
  | { readonly t: 'sym'; readonly v: '(' | ')' | ',' };

type Value = { readonly kind: 'str' | 'num' | 'bool' | 'null' | 'date'; readonly v: string | number | boolean | null };
type Expr = (entity: Readonly<Record<string, unknown>>) => Value;

export class FilterError extends Error {}

/**
 * The filter as a predicate. With `isProperty`, a name that is not a property of the entity type is
 * refused (Gateway answers 400 for it) instead of comparing as null.
 */
export function parseFilter(
  text: string,
  isProperty?: (name: string) => boolean,
): (entity: Readonly<Record<string, unknown>>) => boolean {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isWord = (word: string): boolean => {
    const token = peek();
    return token !== undefined && token.t === 'id' && token.v === word;
  };
  const expectSym = (sym: string): void => {
    const token = tokens[pos++];
    if (token === undefined || token.t !== 'sym' || token.v !== sym)
      throw new FilterError(`expected '${sym}' in $filter`);
  };

  const orExpr = (): Expr => {
    let left = andExpr();
    while (isWord('or')) {
      pos++;
      const l = left;
      const r = andExpr();
      left = (e) => bool(truthy(l(e)) || truthy(r(e)));
    }
    return left;
  };
  const andExpr = (): Expr => {
    let left = unary();
    while (isWord('and')) {
      pos++;
      const l = left;
      const r = unary();
      left = (e) => bool(truthy(l(e)) && truthy(r(e)));
    }
    return left;
  };
  const unary = (): Expr => {
    if (isWord('not')) {
      pos++;
      const inner = unary();
      return (e) => bool(!truthy(inner(e)));
    }
    return comparison();
  };
  const comparison = (): Expr => {
    const left = operand();
    const token = peek();
    if (token?.t === 'id' && ['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(token.v)) {
      pos++;
      const right = operand();
      const op = token.v;
      return (e) => bool(compare(left(e), right(e), op));
    }
    return left;
  };
  const operand = (): Expr => {
    const token = tokens[pos++];
    if (token === undefined) throw new FilterError('$filter ends too early');
    if (token.t === 'sym' && token.v === '(') {
      const inner = orExpr();
      expectSym(')');
      return inner;
    }
    if (token.t === 'str') return () => ({ kind: 'str', v: token.v });
    if (token.t === 'date') return () => ({ kind: 'date', v: token.v });
    if (token.t === 'num') return () => ({ kind: 'num', v: token.v });
    if (token.t === 'id') {
      if (token.v === 'true' || token.v === 'false') return () => bool(token.v === 'true');
      if (token.v === 'null') return () => ({ kind: 'null', v: null });
      if (peek()?.t === 'sym' && (peek() as { v: string }).v === '(') return call(token.v);
      const name = token.v;
      if (isProperty !== undefined && !isProperty(name)) throw new FilterError(`Property '${name}' is invalid`);
      return (e) => fromEntity(e[name]);
    }
    throw new FilterError(`unexpected '${token.v}' in $filter`);
  };
  const call = (name: string): Expr => {
    expectSym('(');
    const args: Expr[] = [orExpr()];
    while (peek()?.t === 'sym' && (peek() as { v: string }).v === ',') {
      pos++;
      args.push(orExpr());
    }
    expectSym(')');
    const text = (e: Readonly<Record<string, unknown>>, i: number): string => String(args[i]?.(e).v ?? '');
    switch (name) {
      case 'substringof':
        return (e) => bool(text(e, 1).includes(text(e, 0)));
      case 'startswith':
        return (e) => bool(text(e, 0).startsWith(text(e, 1)));
      case 'endswith':
        return (e) => bool(text(e, 0).endsWith(text(e, 1)));
      case 'tolower':
        return (e) => ({ kind: 'str', v: text(e, 0).toLowerCase() });
      case 'toupper':
        return (e) => ({ kind: 'str', v: text(e, 0).toUpperCase() });
      default:
        throw new FilterError(`function ${name} is not supported in $filter`);
    }
  };

  const root = orExpr();
  if (pos !== tokens.length) throw new FilterError('unexpected text after the end of $filter');
  return (entity) => truthy(root(entity));
}

function bool(v: boolean): Value {
  return { kind: 'bool', v };
}

function truthy(value: Value): boolean {
  return value.kind === 'bool' && value.v === true;
}

function fromEntity(raw: unknown): Value {
  if (raw === null || raw === undefined) return { kind: 'null', v: null };
  if (typeof raw === 'boolean') return bool(raw);
  if (typeof raw === 'number') return { kind: 'num', v: String(raw) };
  return { kind: 'str', v: String(raw) };
}

/** Milliseconds of an OData v2 JSON date, or undefined when the text is not one. */
export function sapDateMillis(text: string): number | undefined {
  const match = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(text);
  return match === null ? undefined : Number(match[1]);
}

function compare(left: Value, right: Value, op: string): boolean {
  if (left.kind === 'null' || right.kind === 'null') {
    const same = left.kind === right.kind;
    return op === 'eq' ? same : op === 'ne' ? !same : false;
  }
  let a: string | number | boolean = left.v as string | number | boolean;
  let b: string | number | boolean = right.v as string | number | boolean;
  if (left.kind === 'date' || right.kind === 'date') {
    const am = left.kind === 'date' ? (left.v as number) : sapDateMillis(String(left.v));
    const bm = right.kind === 'date' ? (right.v as number) : sapDateMillis(String(right.v));
    if (am === undefined || bm === undefined) return false;
    a = am;
    b = bm;
  } else if (left.kind === 'num' || right.kind === 'num') {
    a = Number(a);
    b = Number(b);
  }
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    default:
      return a <= b;
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ t: 'sym', v: ch });
      i++;
    } else if (ch === "'") {
      const [value, next] = readQuoted(text, i);
      tokens.push({ t: 'str', v: value });
      i = next;
    } else if (/[-\d]/.test(ch)) {
      const match = /^-?\d+(\.\d+)?[mMdDlL]?/.exec(text.slice(i));
      if (match === null) throw new FilterError(`bad number at ${i} in $filter`);
      tokens.push({ t: 'num', v: match[0].replace(/[mMdDlL]$/, '') });
      i += match[0].length;
    } else {
      const match = /^[A-Za-z_][\w/.]*/.exec(text.slice(i));
      if (match === null) throw new FilterError(`unexpected character '${ch}' in $filter`);
      i += match[0].length;
      if ((match[0] === 'datetime' || match[0] === 'datetimeoffset') && text[i] === "'") {
        const [value, next] = readQuoted(text, i);
        const iso = match[0] === 'datetime' && !/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? `${value}Z` : value;
        const millis = Date.parse(iso);
        if (Number.isNaN(millis)) throw new FilterError(`bad ${match[0]} literal '${value}' in $filter`);
        tokens.push({ t: 'date', v: millis });
        i = next;
      } else {
        tokens.push({ t: 'id', v: match[0] });
      }
    }
  }
  return tokens;
}

function readQuoted(text: string, start: number): [string, number] {
  let value = '';
  let i = start + 1;
  for (;;) {
    if (i >= text.length) throw new FilterError('unterminated string in $filter');
    if (text[i] === "'") {
      if (text[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return [value, i + 1];
    }
    value += text[i];
    i++;
  }
}
