/**
 * Decimal functions for JSONata transforms, on decimal strings and returning decimal strings, so no
 * float ever touches an amount. Arguments are plain decimal strings (`-?digits[.digits]`) or safe
 * integers (converted exactly); anything else is LL_ERR_MONEY_INVALID_AMOUNT.
 *
 * Scales follow the exact-decimal convention: a sum or difference keeps the larger scale of its
 * operands ("10.00" + "5.5" = "15.50"), a product the sum of theirs ("100.00" × "0.19" = "19.0000"),
 * so nothing is lost until an explicit `$decRound` or `$decDiv`, which round half away from zero
 * ("2.345" → "2.35", "-2.345" → "-2.35") to a scale given as an integer or as a currency code (its
 * ISO 4217 minor units: "EUR" 2, "JPY" 0, "BHD" 3).
 */
import { Decimal } from 'decimal.js';
import { LedgerlinkError } from '../canonical/errors.js';
import { isKnownCurrency, minorUnits } from '../canonical/money.js';

const PLAIN_DECIMAL = /^-?[0-9]+(?:\.[0-9]+)?$/;
const MAX_TEXT_LENGTH = 64;
const MAX_SCALE = 40;

/** Wide enough that sums and products of 64-character operands are exact. */
const Exact: Decimal.Constructor = Decimal.clone({
  precision: 200,
  rounding: Decimal.ROUND_HALF_UP,
  toExpNeg: -9e15,
  toExpPos: 9e15,
});
/** Quotients are truncated at 200 digits first, which never changes a later half-up rounding to ≤ 40 places. */
const Truncating: Decimal.Constructor = Decimal.clone({
  precision: 200,
  rounding: Decimal.ROUND_DOWN,
  toExpNeg: -9e15,
  toExpPos: 9e15,
});

interface Operand {
  readonly value: Decimal;
  readonly scale: number;
}

function refuse(fn: string, message: string, extra: Record<string, unknown> = {}): never {
  throw new LedgerlinkError('LL_ERR_MONEY_INVALID_AMOUNT', `$${fn}: ${message}`, {
    details: [{ message, function: `$${fn}`, ...extra }],
  });
}

function operand(fn: string, position: number, value: unknown): Operand {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value))
      refuse(fn, `argument ${position} is the number ${value}; pass decimals as strings ("${value}")`, {
        argument: position,
      });
    return { value: new Exact(value), scale: 0 };
  }
  if (typeof value !== 'string') {
    refuse(
      fn,
      `argument ${position} is ${value === undefined ? 'missing' : value === null ? 'null' : `a ${Array.isArray(value) ? 'list' : typeof value}`}, not a decimal string`,
      { argument: position },
    );
  }
  if (value.length > MAX_TEXT_LENGTH || !PLAIN_DECIMAL.test(value)) {
    refuse(fn, `argument ${position} ${JSON.stringify(value.slice(0, 40))} is not a plain decimal string`, {
      argument: position,
    });
  }
  const dot = value.indexOf('.');
  return { value: new Exact(value), scale: dot < 0 ? 0 : value.length - dot - 1 };
}

function scaleArgument(fn: string, position: number, value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_SCALE) return value;
  if (isKnownCurrency(value)) return minorUnits(value);
  return refuse(
    fn,
    `argument ${position} must be a scale (an integer 0 to ${MAX_SCALE}) or an ISO 4217 currency code`,
    { argument: position },
  );
}

/** Plain text with exactly `scale` decimals; never "-0.00". */
function text(value: Decimal, scale: number): string {
  return (value.isZero() ? new Exact(0) : value).toFixed(scale);
}

/** JSONata hands a one-item path result over as the item itself. */
function listOf(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export const decimalFunctions = {
  decAdd(a: unknown, b: unknown): string {
    const x = operand('decAdd', 1, a);
    const y = operand('decAdd', 2, b);
    return text(x.value.plus(y.value), Math.max(x.scale, y.scale));
  },
  decSub(a: unknown, b: unknown): string {
    const x = operand('decSub', 1, a);
    const y = operand('decSub', 2, b);
    return text(x.value.minus(y.value), Math.max(x.scale, y.scale));
  },
  decMul(a: unknown, b: unknown): string {
    const x = operand('decMul', 1, a);
    const y = operand('decMul', 2, b);
    return text(x.value.times(y.value), x.scale + y.scale);
  },
  decDiv(a: unknown, b: unknown, scale: unknown): string {
    const x = operand('decDiv', 1, a);
    const y = operand('decDiv', 2, b);
    const places = scaleArgument('decDiv', 3, scale);
    if (y.value.isZero()) refuse('decDiv', 'division by zero');
    const quotient = new Truncating(x.value).dividedBy(new Truncating(y.value));
    return text(new Exact(quotient).toDecimalPlaces(places, Decimal.ROUND_HALF_UP), places);
  },
  decRound(value: unknown, scaleOrCurrency: unknown): string {
    const x = operand('decRound', 1, value);
    const places = scaleArgument('decRound', 2, scaleOrCurrency);
    return text(x.value.toDecimalPlaces(places, Decimal.ROUND_HALF_UP), places);
  },
  decCmp(a: unknown, b: unknown): number {
    const order = operand('decCmp', 1, a).value.comparedTo(operand('decCmp', 2, b).value);
    return order < 0 ? -1 : order > 0 ? 1 : 0;
  },
  decSum(list: unknown): string {
    const items = listOf(list).map((item, index) => operand('decSum', index + 1, item));
    const total = items.reduce((sum, item) => sum.plus(item.value), new Exact(0));
    return text(
      total,
      items.reduce((max, item) => Math.max(max, item.scale), 0),
    );
  },
  decNeg(value: unknown): string {
    const x = operand('decNeg', 1, value);
    return text(x.value.negated(), x.scale);
  },
  decAbs(value: unknown): string {
    const x = operand('decAbs', 1, value);
    return text(x.value.abs(), x.scale);
  },
} as const;

export type DecimalFunctionName = keyof typeof decimalFunctions;
