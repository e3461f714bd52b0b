/**
 * JSON for the expense simulator that keeps numbers as their source text: Concur sends amounts as
 * JSON numbers, and the simulator must serve them exactly as the sample documents hold them.
 */

/** A JSON number kept as its source text. */
export class RawNumber {
  constructor(readonly text: string) {}
}

export type FisValue = null | boolean | string | RawNumber | FisValue[] | { [key: string]: FisValue };
export type FisObject = { [key: string]: FisValue };

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const SPACE = /[ \t\r\n]*/y;

/** Parses JSON text; numbers become RawNumber. Throws SyntaxError on malformed input. */
export function parseFis(text: string): FisValue {
  let at = 0;
  const skip = (): void => {
    SPACE.lastIndex = at;
    SPACE.exec(text);
    at = SPACE.lastIndex;
  };
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${at}`);
  };
  const token = (re: RegExp): string | undefined => {
    re.lastIndex = at;
    const m = re.exec(text);
    if (m === null) return undefined;
    at = re.lastIndex;
    return m[0];
  };
  const value = (depth: number): FisValue => {
    if (depth > 64) fail('nesting too deep');
    skip();
    const c = text[at];
    if (c === '{') {
      at++;
      const out: FisObject = {};
      skip();
      if (text[at] === '}') {
        at++;
        return out;
      }
      for (;;) {
        skip();
        const key = token(STRING) ?? fail('expected a key');
        skip();
        if (text[at] !== ':') fail('expected ":"');
        at++;
        const name = JSON.parse(key) as string;
        if (name === '__proto__' || Object.hasOwn(out, name)) fail(`refused key ${key}`);
        out[name] = value(depth + 1);
        skip();
        if (text[at] === ',') at++;
        else if (text[at] === '}') {
          at++;
          return out;
        } else fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      at++;
      const out: FisValue[] = [];
      skip();
      if (text[at] === ']') {
        at++;
        return out;
      }
      for (;;) {
        out.push(value(depth + 1));
        skip();
        if (text[at] === ',') at++;
        else if (text[at] === ']') {
          at++;
          return out;
        } else fail('expected "," or "]"');
      }
    }
    if (c === '"') return JSON.parse(token(STRING) ?? fail('bad string')) as string;
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return v;
      }
    }
    const number = token(NUMBER);
    if (number !== undefined) return new RawNumber(number);
    return fail('unexpected character');
  };
  const result = value(0);
  skip();
  if (at !== text.length) fail('trailing text');
  return result;
}

/** Writes a value as JSON; RawNumber is written as its source text. */
export function writeFis(value: FisValue): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (value instanceof RawNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(writeFis).join(',')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${JSON.stringify(k)}:${writeFis(v)}`)
    .join(',')}}`;
}

export function isObject(value: FisValue | undefined): value is FisObject {
  return (
    value !== null &&
    value !== undefined &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof RawNumber)
  );
}

export function field(obj: FisValue | undefined, key: string): FisValue | undefined {
  return isObject(obj) && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

export function text(value: FisValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof RawNumber) return value.text;
  return undefined;
}

export function list(value: FisValue | undefined): FisValue[] {
  return Array.isArray(value) ? value : [];
}

/** The value with numbers as their decimal source text (for `/_sim/documents` raw, which JSON.stringify writes). */
export function plainFis(value: FisValue): unknown {
  if (value instanceof RawNumber) return value.text;
  if (Array.isArray(value)) return value.map(plainFis);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainFis(v)]));
  return value;
}
