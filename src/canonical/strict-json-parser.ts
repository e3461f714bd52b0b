/**
 * The scanner behind strict-json.ts. One pass with charCodeAt; strings without escapes are sliced in
 * one go; numbers are kept as their source text. Rejects duplicate keys, `__proto__` anywhere,
 * `prototype` under `constructor`, nesting over maxDepth, control characters, invalid escapes and
 * lone surrogates, each with a LedgerlinkError that names the character position.
 */
import { LedgerlinkError, type ErrorCode } from './errors.js';
import { jsonNumberFromScanner, type JsonNumber, type JsonObject, type JsonValue } from './json-number.js';

export interface StrictJsonOptions {
  /** Deepest allowed nesting of objects and arrays; the top-level container counts as 1. */
  maxDepth?: number;
}

export const DEFAULT_MAX_DEPTH = 64;
const MAX_DEPTH_LIMIT = 1000;

/** Parses `text` strictly. Throws LedgerlinkError (LL_ERR_JSON_*) on anything not plain, safe JSON. */
export function parseStrictJson(text: string, options: StrictJsonOptions = {}): JsonValue {
  if (typeof text !== 'string')
    throw new TypeError('parseStrictJson expects a string; decode bytes with decodeUtf8Strict');
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > MAX_DEPTH_LIMIT) {
    throw new RangeError(`maxDepth must be an integer from 1 to ${MAX_DEPTH_LIMIT}`);
  }
  return new StrictJsonParser(text, maxDepth).parseDocument();
}

class StrictJsonParser {
  private pos = 0;
  private depth = 0;
  private readonly src: string;
  private readonly len: number;
  private readonly maxDepth: number;

  constructor(src: string, maxDepth: number) {
    this.src = src;
    this.len = src.length;
    this.maxDepth = maxDepth;
  }

  parseDocument(): JsonValue {
    this.skipWhitespace();
    const value = this.parseValue(false);
    this.skipWhitespace();
    if (this.pos < this.len) this.fail('unexpected data after the JSON value');
    return value;
  }

  private fail(message: string, code: ErrorCode = 'LL_ERR_JSON_MALFORMED', key?: string): never {
    const position = this.pos;
    const detail = key === undefined ? { message, position } : { message, position, key };
    throw new LedgerlinkError(code, `${message} at position ${position}`, { details: [detail] });
  }

  private skipWhitespace(): void {
    const src = this.src;
    let pos = this.pos;
    for (;;) {
      const c = src.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else break;
    }
    this.pos = pos;
  }

  private parseValue(underConstructor: boolean): JsonValue {
    const c = this.src.charCodeAt(this.pos);
    switch (c) {
      case 0x7b /* { */:
        return this.parseObject(underConstructor);
      case 0x5b /* [ */:
        return this.parseArray();
      case 0x22 /* " */:
        return this.parseString();
      case 0x74 /* t */:
        return this.parseLiteral('true', true);
      case 0x66 /* f */:
        return this.parseLiteral('false', false);
      case 0x6e /* n */:
        return this.parseLiteral('null', null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.parseNumber();
        if (this.pos >= this.len) this.fail('unexpected end of JSON input (truncated)');
        return this.fail(`unexpected character ${JSON.stringify(this.src.charAt(this.pos))}`);
    }
  }

  private parseLiteral<T extends JsonValue>(word: string, value: T): T {
    if (!this.src.startsWith(word, this.pos)) {
      if (this.pos + word.length > this.len && word.startsWith(this.src.slice(this.pos))) {
        this.fail('unexpected end of JSON input (truncated)');
      }
      this.fail(`invalid literal, expected ${word}`);
    }
    this.pos += word.length;
    return value;
  }

  private enter(): void {
    if (++this.depth > this.maxDepth) {
      this.fail(`nesting deeper than ${this.maxDepth}`, 'LL_ERR_JSON_TOO_DEEP');
    }
  }

  private parseObject(underConstructor: boolean): JsonObject {
    this.enter();
    const src = this.src;
    const obj: JsonObject = {};
    this.pos++;
    this.skipWhitespace();
    if (src.charCodeAt(this.pos) === 0x7d /* } */) {
      this.pos++;
      this.depth--;
      return obj;
    }
    for (;;) {
      if (src.charCodeAt(this.pos) !== 0x22) this.expected('a string key');
      const keyPos = this.pos;
      const key = this.parseString();
      if (key === '__proto__' || (underConstructor && key === 'prototype')) {
        this.pos = keyPos;
        this.fail(`forbidden key "${key}"`, 'LL_ERR_JSON_FORBIDDEN_KEY', key);
      }
      if (Object.hasOwn(obj, key)) {
        this.pos = keyPos;
        this.fail(`duplicate key ${JSON.stringify(key)}`, 'LL_ERR_JSON_DUPLICATE_KEY', key);
      }
      this.skipWhitespace();
      if (src.charCodeAt(this.pos) !== 0x3a /* : */) this.expected("':'");
      this.pos++;
      this.skipWhitespace();
      obj[key] = this.parseValue(key === 'constructor');
      this.skipWhitespace();
      const c = src.charCodeAt(this.pos);
      if (c === 0x2c /* , */) {
        this.pos++;
        this.skipWhitespace();
      } else if (c === 0x7d /* } */) {
        this.pos++;
        this.depth--;
        return obj;
      } else {
        this.expected("',' or '}'");
      }
    }
  }

  private parseArray(): JsonValue[] {
    this.enter();
    const src = this.src;
    const arr: JsonValue[] = [];
    this.pos++;
    this.skipWhitespace();
    if (src.charCodeAt(this.pos) === 0x5d /* ] */) {
      this.pos++;
      this.depth--;
      return arr;
    }
    for (;;) {
      arr.push(this.parseValue(false));
      this.skipWhitespace();
      const c = src.charCodeAt(this.pos);
      if (c === 0x2c /* , */) {
        this.pos++;
        this.skipWhitespace();
      } else if (c === 0x5d /* ] */) {
        this.pos++;
        this.depth--;
        return arr;
      } else {
        this.expected("',' or ']'");
      }
    }
  }

  private expected(what: string): never {
    if (this.pos >= this.len) this.fail(`unexpected end of JSON input (truncated), expected ${what}`);
    return this.fail(`expected ${what}, found ${JSON.stringify(this.src.charAt(this.pos))}`);
  }

  private parseNumber(): JsonNumber {
    const src = this.src;
    const start = this.pos;
    let pos = start;
    let c = src.charCodeAt(pos);
    if (c === 0x2d /* - */) c = src.charCodeAt(++pos);
    if (c === 0x30 /* 0 */) {
      c = src.charCodeAt(++pos);
    } else if (c >= 0x31 && c <= 0x39) {
      do c = src.charCodeAt(++pos);
      while (c >= 0x30 && c <= 0x39);
    } else {
      this.pos = pos;
      this.expected('a digit');
    }
    if (c === 0x2e /* . */) {
      c = src.charCodeAt(++pos);
      if (!(c >= 0x30 && c <= 0x39)) {
        this.pos = pos;
        this.expected('a digit after the decimal point');
      }
      do c = src.charCodeAt(++pos);
      while (c >= 0x30 && c <= 0x39);
    }
    if (c === 0x65 || c === 0x45 /* e E */) {
      c = src.charCodeAt(++pos);
      if (c === 0x2b || c === 0x2d) c = src.charCodeAt(++pos);
      if (!(c >= 0x30 && c <= 0x39)) {
        this.pos = pos;
        this.expected('a digit in the exponent');
      }
      do c = src.charCodeAt(++pos);
      while (c >= 0x30 && c <= 0x39);
    }
    this.pos = pos;
    return jsonNumberFromScanner(src.slice(start, pos));
  }

  /**
   * Called with pos on the opening quote; leaves pos after the closing quote. Escape-free strings
   * are sliced; a string with escapes is validated here (no invalid escape, no lone surrogate) and
   * then decoded by the engine's JSON.parse on just that slice.
   */
  private parseString(): string {
    const src = this.src;
    const len = this.len;
    const start = this.pos;
    let pos = start + 1;
    let escaped = false;
    for (;;) {
      if (pos >= len) {
        this.pos = pos;
        this.fail('unexpected end of JSON input (truncated) inside a string');
      }
      const c = src.charCodeAt(pos);
      if (c === 0x22 /* " */) break;
      if (c === 0x5c /* \ */) {
        escaped = true;
        pos = this.checkEscape(pos);
      } else if (c < 0x20) {
        this.pos = pos;
        this.fail('control character in string');
      } else if (c >= 0xd800 && c <= 0xdfff) {
        const next = src.charCodeAt(pos + 1);
        if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) {
          this.pos = pos;
          this.fail('lone surrogate in string');
        }
        pos += 2;
      } else {
        pos++;
      }
    }
    this.pos = pos + 1;
    return escaped ? (JSON.parse(src.slice(start, pos + 1)) as string) : src.slice(start + 1, pos);
  }

  /** Validates the escape whose backslash is at `at`; returns the position after it. */
  private checkEscape(at: number): number {
    const c = this.src.charCodeAt(at + 1);
    switch (c) {
      case 0x22:
      case 0x5c:
      case 0x2f:
      case 0x62:
      case 0x66:
      case 0x6e:
      case 0x72:
      case 0x74:
        return at + 2;
      case 0x75 /* u */: {
        const unit = this.hex4(at);
        if (unit >= 0xdc00 && unit <= 0xdfff) this.failAt(at, 'lone low surrogate escape');
        if (unit < 0xd800 || unit > 0xdbff) return at + 6;
        if (this.src.charCodeAt(at + 6) !== 0x5c || this.src.charCodeAt(at + 7) !== 0x75)
          this.failAt(at, 'lone high surrogate escape');
        const low = this.hex4(at + 6);
        if (!(low >= 0xdc00 && low <= 0xdfff)) this.failAt(at, 'lone high surrogate escape');
        return at + 12;
      }
      default:
        if (at + 1 >= this.len) this.failAt(at + 1, 'unexpected end of JSON input (truncated) in an escape');
        return this.failAt(at, 'invalid escape sequence');
    }
  }

  /** The four hex digits after the `\u` at `at`. */
  private hex4(at: number): number {
    let value = 0;
    for (let i = at + 2; i < at + 6; i++) {
      const c = this.src.charCodeAt(i);
      let digit: number;
      if (c >= 0x30 && c <= 0x39) digit = c - 0x30;
      else if (c >= 0x61 && c <= 0x66) digit = c - 0x57;
      else if (c >= 0x41 && c <= 0x46) digit = c - 0x37;
      else return this.failAt(at, 'invalid \\u escape');
      value = value * 16 + digit;
    }
    return value;
  }

  private failAt(position: number, message: string): never {
    this.pos = position;
    return this.fail(message);
  }
}
