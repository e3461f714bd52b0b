/**
 * Strict, lossless JSON for vendor payloads and inbound webhooks.
 *
 * - Numbers never become JS numbers: each one is a `JsonNumber` holding its exact source text, so
 *   `1234.565`, `1e2` or a 30-digit amount arrive unchanged where money.ts reads them.
 * - Duplicate keys (even with equal values), `__proto__` anywhere and `prototype` inside an object
 *   under `constructor` are rejected. Parsed objects are plain objects whose keys were all assigned
 *   as own data properties; the one key that could reach a prototype is refused before assignment,
 *   so a parsed value can be merged or spread without prototype pollution.
 * - Nesting is bounded (default 64); malformed or truncated text, control characters, invalid
 *   escapes, lone surrogates and invalid UTF-8 are rejected with LL_ERR_JSON_* codes and a position.
 */
import { LedgerlinkError } from './errors.js';
import { JsonNumber, type JsonObject, type JsonValue, type PlainJson } from './json-number.js';
import { parseStrictJson, type StrictJsonOptions } from './strict-json-parser.js';

export { JsonNumber, type JsonObject, type JsonValue, type PlainJson } from './json-number.js';
export { DEFAULT_MAX_DEPTH, parseStrictJson, type StrictJsonOptions } from './strict-json-parser.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8, rejecting invalid sequences (overlongs, encoded surrogates, truncation). Drops a BOM. */
export function decodeUtf8Strict(buf: Uint8Array): string {
  try {
    return utf8.decode(buf);
  } catch (cause) {
    throw new LedgerlinkError('LL_ERR_JSON_MALFORMED', 'Body is not valid UTF-8', {
      details: [{ message: 'invalid UTF-8 byte sequence' }],
      cause,
    });
  }
}

/** decodeUtf8Strict then parseStrictJson: the entry point for raw webhook and vendor bodies. */
export function parseStrictJsonBytes(buf: Uint8Array, options: StrictJsonOptions = {}): JsonValue {
  return parseStrictJson(decodeUtf8Strict(buf), options);
}

/** The value as a JSON object, or undefined when it is absent, null, an array, a number or a string. */
export function asJsonObject(value: JsonValue | undefined): JsonObject | undefined {
  return value !== null &&
    value !== undefined &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof JsonNumber)
    ? value
    : undefined;
}

/**
 * The value under `key` if `obj` has it as an own property. Parsed objects are plain objects, so
 * `obj[key]` for a missing key such as "constructor" or "toString" would return an inherited member;
 * use this (or Object.hasOwn) when the key comes from data.
 */
export function ownValue(obj: JsonObject, key: string): JsonValue | undefined {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/**
 * The first of `names` that the value (an object) has as its own non-empty string or number field,
 * as text; undefined when none does. Reads document IDs, versions and event types from payloads.
 */
export function ownText(value: JsonValue, names: readonly string[]): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof JsonNumber)
    return undefined;
  for (const name of names) {
    const field = ownValue(value, name);
    if (typeof field === 'string' && field !== '') return field;
    if (field instanceof JsonNumber) return field.text;
  }
  return undefined;
}

const MAX_WRITE_DEPTH = 1000;

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Writes a JsonValue as compact JSON. JsonNumber is written as its raw text, so a parse/stringify
 * round trip keeps every number exactly. Anything that is not a JsonValue (JS numbers included)
 * is refused with a TypeError rather than silently converted.
 */
export function stringifyJson(value: JsonValue): string {
  return write(value, 0);
}

function write(value: unknown, depth: number): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      throw new TypeError(`stringifyJson: ${typeof value} is not a JsonValue (numbers must be JsonNumber)`);
  }
  if (value instanceof JsonNumber) return value.text;
  if (depth >= MAX_WRITE_DEPTH) throw new TypeError('stringifyJson: value is nested too deeply or cyclic');
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += write(value[i], depth + 1);
    }
    return out + ']';
  }
  if (!isPlainObject(value)) throw new TypeError('stringifyJson: only plain objects are JsonValues');
  const record = value as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const key of Object.keys(record)) {
    if (!first) out += ',';
    first = false;
    out += JSON.stringify(key) + ':' + write(record[key], depth + 1);
  }
  return out + '}';
}

/**
 * Converts JsonNumber to its decimal text throughout, giving plain JSON that JSON.stringify and the
 * store handle without loss (amounts are kept as decimal strings). Refuses `__proto__` keys.
 */
export function toPlain(value: JsonValue): PlainJson {
  return plain(value, 0);
}

function plain(value: JsonValue, depth: number): PlainJson {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof JsonNumber) return value.text;
  if (depth >= MAX_WRITE_DEPTH) throw new TypeError('toPlain: value is nested too deeply or cyclic');
  if (Array.isArray(value)) return value.map((item) => plain(item, depth + 1));
  const out: { [key: string]: PlainJson } = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__') {
      throw new LedgerlinkError('LL_ERR_JSON_FORBIDDEN_KEY', 'forbidden key "__proto__"', {
        details: [{ message: 'forbidden key', key }],
      });
    }
    out[key] = plain(value[key] as JsonValue, depth + 1);
  }
  return out;
}
