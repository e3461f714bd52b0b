/**
 * JSON values as the hub holds them after strict parsing: numbers stay exact decimal text.
 */
import { LedgerlinkError } from './errors.js';

const TRUSTED: unique symbol = Symbol('JsonNumber.trusted');
const NUMBER_GRAMMAR = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

/** A JSON number kept as its exact source text. Never converted to a JS number implicitly. */
export class JsonNumber {
  readonly text: string;

  /** `text` must follow the JSON number grammar (RFC 8259 section 6). */
  constructor(text: string, trusted?: typeof TRUSTED) {
    if (trusted !== TRUSTED && !NUMBER_GRAMMAR.test(text)) {
      throw new LedgerlinkError('LL_ERR_JSON_MALFORMED', `"${text.slice(0, 40)}" is not a JSON number`, {
        details: [{ message: 'not a JSON number' }],
      });
    }
    this.text = text;
  }

  toString(): string {
    return this.text;
  }

  /** JSON.stringify writes the number as a string (lossless); stringifyJson writes it raw. */
  toJSON(): string {
    return this.text;
  }

  /** Arithmetic or comparison on a JsonNumber would go through a float: refuse it. */
  [Symbol.toPrimitive](hint: string): string {
    if (hint === 'number') {
      throw new TypeError('JsonNumber cannot be converted to a JS number; use money.ts or decimal.js');
    }
    return this.text;
  }
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** JSON with numbers as their decimal text: what toPlain returns and what the store keeps. */
export type PlainJson = null | boolean | string | PlainJson[] | { [key: string]: PlainJson };

/**
 * For the strict JSON scanner only, which has already matched the number grammar: skips the check.
 */
export function jsonNumberFromScanner(text: string): JsonNumber {
  return new JsonNumber(text, TRUSTED);
}
