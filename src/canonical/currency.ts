/**
 * ISO 4217 currency codes and their minor units.
 *
 * A code is known when it is three uppercase letters and the runtime's Intl lists it
 * (`Intl.supportedValuesOf('currency')`, which leaves out funds and metals such as CLF or XAU).
 * Minor units come from `Intl.NumberFormat(…, { style: 'currency' })` except where the table below
 * pins the ISO 4217 value: Intl reports CLDR's *display* digits, which differ from ISO 4217 for
 * several currencies (HUF, IDR, COP, PKR… show 0 decimals but have 2; IQD shows 0 but has 3) and
 * change between ICU releases. Amounts must not change meaning when Node is upgraded, so every
 * currency whose ISO minor unit is not 2, and every one where CLDR has been seen to disagree, is
 * pinned here (ISO 4217 List One).
 */
import { LedgerlinkError } from './errors.js';

const ISO_4217_MINOR_UNITS: Readonly<Record<string, number>> = Object.freeze({
  // minor unit 0
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  // minor unit 3
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  // minor unit 4
  CLF: 4,
  UYW: 4,
  // minor unit 2 where CLDR display digits disagree with ISO 4217 (now or in past releases)
  AFN: 2,
  ALL: 2,
  AMD: 2,
  COP: 2,
  CRC: 2,
  HUF: 2,
  IDR: 2,
  IRR: 2,
  KPW: 2,
  LAK: 2,
  LBP: 2,
  MGA: 2,
  MMK: 2,
  MUR: 2,
  PKR: 2,
  RSD: 2,
  SLE: 2,
  SLL: 2,
  SOS: 2,
  SYP: 2,
  TWD: 2,
  TZS: 2,
  UZS: 2,
  YER: 2,
});

const CURRENCY_CODE = /^[A-Z]{3}$/;
let knownCodes: ReadonlySet<string> | undefined;
const minorUnitCache = new Map<string, number>();

function known(): ReadonlySet<string> {
  knownCodes ??= new Set(Intl.supportedValuesOf('currency'));
  return knownCodes;
}

/** True when `code` is three uppercase letters and a currency this runtime knows. */
export function isKnownCurrency(code: unknown): code is string {
  return typeof code === 'string' && CURRENCY_CODE.test(code) && known().has(code);
}

/** Returns `code` when it is a known ISO 4217 currency; otherwise LL_ERR_MONEY_UNKNOWN_CURRENCY. */
export function assertCurrency(code: unknown, path?: string): string {
  if (isKnownCurrency(code)) return code;
  const shown = typeof code === 'string' ? JSON.stringify(code.slice(0, 16)) : typeof code;
  throw new LedgerlinkError('LL_ERR_MONEY_UNKNOWN_CURRENCY', `Currency ${shown} is not a known ISO 4217 code`, {
    details: [{ ...(path === undefined ? {} : { path }), message: 'unknown currency', currency: shown }],
  });
}

/** ISO 4217 minor units (decimals) of a known currency: JPY 0, EUR 2, BHD 3. Cached per code. */
export function minorUnits(currency: string): number {
  const cached = minorUnitCache.get(currency);
  if (cached !== undefined) return cached;
  assertCurrency(currency);
  const digits =
    ISO_4217_MINOR_UNITS[currency] ??
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
    2;
  minorUnitCache.set(currency, digits);
  return digits;
}
