/**
 * Money: `{ amount, currency }` with the amount a canonical decimal string carrying exactly the
 * currency's ISO 4217 minor-unit decimals ("100.00" EUR, "100" JPY, "1.234" BHD). Never a JS number.
 *
 * Amounts are read only from strings (plain `-?\d+(\.\d+)?`) or JsonNumber (which may also use
 * exponent form: `1e2` becomes "100"); anything with more decimals than the currency allows is
 * refused rather than rounded. Arithmetic runs on a decimal.js clone with 40 significant digits;
 * inputs are bounded (MAX_INTEGER_DIGITS) so sums are always exact, and products are checked to fit
 * before they are rounded once, to minor units, with MONEY_ROUNDING.
 */
import { Decimal } from 'decimal.js';
import { assertCurrency, minorUnits } from './currency.js';
import { LedgerlinkError, type ErrorCode } from './errors.js';
import { JsonNumber } from './json-number.js';

export { assertCurrency, isKnownCurrency, minorUnits } from './currency.js';

export interface Money {
  readonly amount: string;
  readonly currency: string;
}

export type RoundingMode = Decimal.Rounding;

/**
 * Commercial rounding, half away from zero (2.345 → 2.35, -2.345 → -2.35): what ERPs and tax
 * authorities apply to invoice and tax amounts. Callers needing banker's rounding pass
 * `Decimal.ROUND_HALF_EVEN` to multiply/round explicitly.
 */
export const MONEY_ROUNDING: RoundingMode = Decimal.ROUND_HALF_UP;
export const MONEY_PRECISION = 40;

/** The decimal.js constructor all money arithmetic uses. */
export const MoneyDecimal: Decimal.Constructor = Decimal.clone({
  precision: MONEY_PRECISION,
  rounding: MONEY_ROUNDING,
  toExpNeg: -MONEY_PRECISION,
  toExpPos: MONEY_PRECISION,
});

/** Largest accepted integer part, in digits (far beyond 2^53 minor units; keeps arithmetic exact). */
export const MAX_INTEGER_DIGITS = 22;
const MAX_TEXT_LENGTH = 64;
const PLAIN_DECIMAL = /^-?[0-9]+(?:\.[0-9]+)?$/;
const JSON_DECIMAL = /^-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

function fail(code: ErrorCode, message: string, path: string | undefined, extra: Record<string, unknown> = {}): never {
  throw new LedgerlinkError(code, message, {
    details: [{ ...(path === undefined ? {} : { path }), message, ...extra }],
  });
}

function shown(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** Reads amount text into a Decimal within the size bound; `exponent` allows `1e2` forms. */
function readDecimal(text: string, exponent: boolean, path?: string): Decimal {
  if (text.length > MAX_TEXT_LENGTH || !(exponent ? JSON_DECIMAL : PLAIN_DECIMAL).test(text)) {
    fail('LL_ERR_MONEY_INVALID_AMOUNT', `Amount ${shown(text)} is not a plain decimal string`, path);
  }
  const value = new MoneyDecimal(text);
  if (value.e >= MAX_INTEGER_DIGITS) {
    fail(
      'LL_ERR_MONEY_INVALID_AMOUNT',
      `Amount ${shown(text)} has more than ${MAX_INTEGER_DIGITS} integer digits`,
      path,
    );
  }
  return value;
}

/** Canonical text for a value already known to fit the currency's minor units. */
function canonical(value: Decimal, decimals: number): string {
  return value.isZero() ? new MoneyDecimal(0).toFixed(decimals) : value.toFixed(decimals);
}

function exact(value: Decimal, currency: string, source: string, path?: string): Money {
  const decimals = minorUnits(currency);
  if (value.decimalPlaces() > decimals) {
    fail(
      'LL_ERR_MONEY_PRECISION',
      `Amount ${shown(source)} has more decimals than ${currency} allows (${decimals})`,
      path,
      {
        currency,
        minorUnits: decimals,
      },
    );
  }
  return { amount: canonical(value, decimals), currency };
}

/**
 * Reads an amount arriving in a payload. Accepts a decimal string or a JsonNumber; a JS number is
 * LL_ERR_MONEY_UNSAFE_NUMBER, anything else LL_ERR_MONEY_INVALID_AMOUNT. Trailing zeros beyond the
 * minor units are accepted ("100.00" JPY is 100); significant extra decimals are LL_ERR_MONEY_PRECISION.
 */
export function parseMoney(value: unknown, currency: string, path?: string): Money {
  assertCurrency(currency, path);
  if (typeof value === 'number') {
    fail(
      'LL_ERR_MONEY_UNSAFE_NUMBER',
      'Amount arrived as a JS number; send it as a decimal string or parse the payload losslessly',
      path,
    );
  }
  if (value instanceof JsonNumber) return exact(readDecimal(value.text, true, path), currency, value.text, path);
  if (typeof value !== 'string') {
    fail(
      'LL_ERR_MONEY_INVALID_AMOUNT',
      `Amount of type ${value === null ? 'null' : typeof value} is not a decimal string`,
      path,
    );
  }
  return exact(readDecimal(value, false, path), currency, value, path);
}

/** Builds Money from decimal text (or a JsonNumber), strictly as parseMoney does. */
export function money(amount: string | JsonNumber, currency: string): Money {
  return parseMoney(amount, currency);
}

/** Canonical amount text with exactly the currency's minor-unit decimals: ("5", "EUR") → "5.00". */
export function formatAmount(amount: string | JsonNumber, currency: string): string {
  return parseMoney(amount, currency).amount;
}

export function zero(currency: string): Money {
  assertCurrency(currency);
  return { amount: new MoneyDecimal(0).toFixed(minorUnits(currency)), currency };
}

/** Decimal value of a Money, re-checking its currency and precision (Money may come from outside). */
export function toDecimal(m: Money): Decimal {
  const currency = assertCurrency(m.currency);
  const value = readDecimal(String(m.amount), false);
  exact(value, currency, m.amount);
  return value;
}

function sameCurrency(a: Money, b: Money): string {
  if (a.currency !== b.currency) {
    fail('LL_ERR_MONEY_CURRENCY_MISMATCH', `Cannot combine ${a.currency} with ${b.currency}`, undefined, {
      currencies: [a.currency, b.currency],
    });
  }
  return a.currency;
}

function result(value: Decimal, currency: string): Money {
  return { amount: canonical(value, minorUnits(currency)), currency };
}

export function add(a: Money, b: Money): Money {
  const currency = sameCurrency(a, b);
  return result(toDecimal(a).plus(toDecimal(b)), currency);
}

export function subtract(a: Money, b: Money): Money {
  const currency = sameCurrency(a, b);
  return result(toDecimal(a).minus(toDecimal(b)), currency);
}

export function negate(m: Money): Money {
  return result(toDecimal(m).negated(), m.currency);
}

export function isZero(m: Money): boolean {
  return toDecimal(m).isZero();
}

/** -1, 0 or 1; both amounts must be in the same currency. */
export function compare(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  const order = toDecimal(a).comparedTo(toDecimal(b));
  return order < 0 ? -1 : order > 0 ? 1 : 0;
}

/** Sum of `list`, every item in `currency`; the empty sum is zero. */
export function sum(list: readonly Money[], currency: string): Money {
  let total = new MoneyDecimal(0);
  const target = zero(currency);
  for (const item of list) {
    sameCurrency(target, item);
    total = total.plus(toDecimal(item));
  }
  return result(total, currency);
}

/**
 * Amount × factor (a decimal string: rate, quantity, percentage / 100), rounded once to minor units.
 * Refuses products too long to compute exactly at 40 significant digits.
 */
export function multiply(m: Money, factor: string | JsonNumber, rounding: RoundingMode = MONEY_ROUNDING): Money {
  const amount = toDecimal(m);
  const text = factor instanceof JsonNumber ? factor.text : factor;
  if (typeof text !== 'string' || text.length > MAX_TEXT_LENGTH || !JSON_DECIMAL.test(text)) {
    fail(
      'LL_ERR_MONEY_INVALID_AMOUNT',
      `Factor ${typeof text === 'string' ? shown(text) : typeof text} is not a decimal string`,
      undefined,
    );
  }
  const f = new MoneyDecimal(text);
  if (amount.sd() + f.sd() > MONEY_PRECISION) {
    fail(
      'LL_ERR_MONEY_INVALID_AMOUNT',
      `Product of ${m.amount} and ${shown(text)} has too many digits to compute exactly`,
      undefined,
    );
  }
  return result(amount.times(f).toDecimalPlaces(minorUnits(m.currency), rounding), m.currency);
}

/** Rounds a Money whose amount may carry extra decimals (e.g. "10.005") to minor units. */
export function round(m: Money, rounding: RoundingMode = MONEY_ROUNDING): Money {
  const currency = assertCurrency(m.currency);
  const value = readDecimal(String(m.amount), false);
  return result(value.toDecimalPlaces(minorUnits(currency), rounding), currency);
}

/** Integer count of minor units as text ("12.34" EUR → "1234"), exact at any size. */
export function toMinorUnits(m: Money): string {
  return toDecimal(m)
    .times(new MoneyDecimal(10).pow(minorUnits(m.currency)))
    .toFixed(0);
}

/** Money from an integer count of minor units given as text ("1234", "EUR" → "12.34"). */
export function fromMinorUnits(units: string, currency: string): Money {
  if (!/^-?[0-9]+$/.test(units))
    fail('LL_ERR_MONEY_INVALID_AMOUNT', `Minor units ${shown(units)} are not an integer string`, undefined);
  const decimals = minorUnits(currency);
  return exact(readDecimal(units, false).dividedBy(new MoneyDecimal(10).pow(decimals)), currency, units);
}

/**
 * Splits `m` by `weights` (non-negative decimal strings: ['1','1','1'], ['50','50'], ['33.3','66.7'])
 * into amounts that add up exactly to `m`. Largest remainder: each part gets the floor of its exact
 * share in minor units, and the units left over go one each to the largest remainders, ties to the
 * lower index (100.00 / 3 → 33.34, 33.33, 33.33). A negative amount splits like its absolute value,
 * negated (-100.00 / 3 → -33.34, -33.33, -33.33). Zero weights get zero.
 */
export function allocate(m: Money, weights: readonly string[]): Money[] {
  const currency = assertCurrency(m.currency);
  const amount = toDecimal(m);
  if (weights.length === 0) fail('LL_ERR_MONEY_ALLOCATION', 'Allocation needs at least one weight', undefined);
  const parsed = weights.map((w, index) => {
    if (typeof w !== 'string' || w.length > MAX_TEXT_LENGTH || !/^[0-9]+(?:\.[0-9]+)?$/.test(w)) {
      fail('LL_ERR_MONEY_ALLOCATION', `Weight ${index} is not a non-negative decimal string`, `weights/${index}`);
    }
    return new MoneyDecimal(w);
  });
  const scale = new MoneyDecimal(10).pow(parsed.reduce((max, w) => Math.max(max, w.decimalPlaces()), 0));
  const intWeights = parsed.map((w) => w.times(scale));
  const total = intWeights.reduce((acc, w) => acc.plus(w), new MoneyDecimal(0));
  if (total.isZero()) fail('LL_ERR_MONEY_ALLOCATION', 'Allocation weights add up to zero', undefined);
  const decimals = minorUnits(currency);
  const units = amount.abs().times(new MoneyDecimal(10).pow(decimals));
  if (units.toFixed(0).length + total.toFixed(0).length > MONEY_PRECISION) {
    fail('LL_ERR_MONEY_ALLOCATION', 'Allocation weights are too fine-grained to split this amount exactly', undefined);
  }
  const shares = intWeights.map((w) => units.times(w).divToInt(total));
  const remainders = intWeights.map((w, i) => units.times(w).minus((shares[i] as Decimal).times(total)));
  let leftover = shares.reduce((acc, s) => acc.minus(s), units); // fewer units than weights
  const order = remainders.map((r, index) => ({ r, index })).sort((a, b) => b.r.comparedTo(a.r) || a.index - b.index);
  for (const { index } of order) {
    if (!leftover.isPositive() || leftover.isZero()) break;
    shares[index] = (shares[index] as Decimal).plus(1);
    leftover = leftover.minus(1);
  }
  const unit = new MoneyDecimal(10).pow(decimals);
  return shares.map((s) => result(amount.isNegative() ? s.negated().dividedBy(unit) : s.dividedBy(unit), currency));
}
