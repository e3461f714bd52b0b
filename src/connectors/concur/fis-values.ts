/**
 * Reading values out of a strictly parsed FIS document: objects, arrays, text, dates and amounts.
 * Amounts go from the number's source text to a decimal string; none passes through a JS number.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import type { MoneyShape } from '../../canonical/model/index.js';
import { parseMoney } from '../../canonical/money.js';
import { asJsonObject, JsonNumber, ownValue, type JsonValue } from '../../canonical/strict-json.js';

export const SYSTEM = 'concur';

export const obj = asJsonObject;
export function at(value: JsonValue | undefined, key: string): JsonValue | undefined {
  const o = obj(value);
  return o === undefined ? undefined : ownValue(o, key);
}
export function str(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (value instanceof JsonNumber) return value.text;
  return undefined;
}
export function arr(value: JsonValue | undefined): JsonValue[] {
  return Array.isArray(value) ? value : [];
}

export function invalid(message: string, path: string): never {
  throw new LedgerlinkError('LL_ERR_VALIDATION', `${SYSTEM}: ${message} at ${path}`, { details: [{ path, message }] });
}

/** An amount field: a JSON number (or decimal string) in `currency`, exact. */
export function amount(value: JsonValue | undefined, currency: string, path: string): MoneyShape {
  if (value === undefined || value === null) invalid('amount missing', path);
  return parseMoney(value, currency, path);
}

export function optionalAmount(value: JsonValue | undefined, currency: string, path: string): MoneyShape | undefined {
  return value === undefined || value === null ? undefined : parseMoney(value, currency, path);
}

export function decimalText(value: JsonValue | undefined): string | undefined {
  if (value instanceof JsonNumber) return /^[0-9]+(\.[0-9]+)?$/.test(value.text) ? value.text : undefined;
  return typeof value === 'string' && /^[0-9]+(\.[0-9]+)?$/.test(value) ? value : undefined;
}

export function date(value: JsonValue | undefined, path: string): string {
  const text = str(value);
  if (text === undefined || !/^\d{4}-\d{2}-\d{2}/.test(text)) invalid('date missing or malformed', path);
  return text.slice(0, 10);
}
