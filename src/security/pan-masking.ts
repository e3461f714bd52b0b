/**
 * Card number (PAN) masking for anything the hub stores, logs or exports.
 *
 * A candidate is 13 to 19 digits, contiguous or in digit groups joined by exactly one space or dash
 * laid out as cards are printed ("4111 1111 1111 1111", "3782-822463-10005"); other groupings are
 * business references (purchase order and document numbers) and are left alone. When it passes the Luhn check its digits are kept for
 * the first six (BIN) and the last four and every digit between becomes `*`; separators stay where they
 * were. Left alone: runs that fail Luhn, contiguous runs of 20 or more digits (a window never splits a
 * digit group), and IBANs (an IBAN of its country's length with a valid mod-97 check is skipped whole, whatever Luhn says
 * of its digits).
 *
 * In a chain of groups longer than 19 digits (a date or quantity followed by a card, two cards side by
 * side), every window of whole groups with 13-19 digits is tried; overlapping Luhn-valid windows are
 * merged and masked as one span (first six and last four of the span kept), so no part of a card in the
 * middle leaks. Digit runs of 13-19 digits that are not card numbers but pass Luhn (one in ten do) are
 * masked as well: for this data, masking too much is the safe side.
 *
 * The scan is a single linear pass with bounded look-ahead; no regular expression is involved, so
 * there is nothing to backtrack.
 */
import { JsonNumber } from '../canonical/json-number.js';

const MIN_PAN = 13;
const MAX_PAN = 19;
const KEEP_START = 6;
const KEEP_END = 4;
/**
 * IBAN length per country (SWIFT IBAN registry). Only a country's exact length counts, so a short
 * prefix that happens to satisfy mod 97 cannot shield the digits of a card that follows.
 */
const IBAN_LENGTHS: ReadonlyMap<string, number> = new Map(
  (
    'AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18 DO28 ' +
    'EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 ' +
    'JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31 MU30 NI28 NL18 ' +
    'NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 ' +
    'TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30'
  )
    .split(' ')
    .map((entry) => [entry.slice(0, 2), Number(entry.slice(2))] as const),
);

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isUpper = (c: number): boolean => c >= 65 && c <= 90;
const isLower = (c: number): boolean => c >= 97 && c <= 122;
const isLetter = (c: number): boolean => isUpper(c) || isLower(c);
const isAlnum = (c: number): boolean => isDigit(c) || isLetter(c);
const isSeparator = (c: number): boolean => c === 32 || c === 45; // ' ' or '-'

/** True when `digits` is one or more ASCII digits whose Luhn (mod 10) checksum is valid. */
export function luhnValid(digits: string): boolean {
  if (digits.length === 0) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    const code = digits.charCodeAt(i);
    if (!isDigit(code)) return false;
    let d = code - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** `text` with every Luhn-valid 13-19 digit run masked to BIN + `*` + last four. */
export function maskPans(text: string): string {
  const masked: number[] = []; // text positions to replace by '*', ascending
  const length = text.length;
  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (isLetter(c)) {
      const ibanEnd = ibanAt(text, i);
      if (ibanEnd > 0) {
        i = ibanEnd;
        continue;
      }
      // skip the rest of this alphanumeric word's letters; digits after letters still count
      i++;
      while (i < length && isLetter(text.charCodeAt(i))) i++;
      continue;
    }
    if (isDigit(c)) {
      i = maskChain(text, i, masked);
      continue;
    }
    i++;
  }
  if (masked.length === 0) return text;
  const parts: string[] = [];
  let copied = 0;
  for (const position of masked) {
    parts.push(text.slice(copied, position), '*');
    copied = position + 1;
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

/**
 * Reads the chain of digit groups starting at `start` (groups joined by one space or dash), records the
 * positions to mask in `masked` and returns the index just past the chain.
 */
function maskChain(text: string, start: number, masked: number[]): number {
  const length = text.length;
  const positions: number[] = []; // text position of each digit in the chain
  const groupStarts: number[] = []; // index into `positions` where each group begins
  let digits = '';
  let i = start;
  for (;;) {
    groupStarts.push(positions.length);
    while (i < length && isDigit(text.charCodeAt(i))) {
      positions.push(i);
      digits += text[i];
      i++;
    }
    if (i + 1 < length && isSeparator(text.charCodeAt(i)) && isDigit(text.charCodeAt(i + 1))) {
      i++;
      continue;
    }
    break;
  }
  if (positions.length < MIN_PAN) return i;
  groupStarts.push(positions.length); // sentinel: end of the last group

  // Luhn-valid windows of whole groups, merged where they overlap, as [from, to) digit indexes.
  let spanFrom = -1;
  let spanTo = -1;
  const flush = (): void => {
    if (spanFrom < 0) return;
    for (let d = spanFrom + KEEP_START; d < spanTo - KEEP_END; d++) masked.push(positions[d]!);
  };
  for (let a = 0; a + 1 < groupStarts.length; a++) {
    const from = groupStarts[a]!;
    let validTo = -1;
    for (let b = a + 1; b < groupStarts.length; b++) {
      const to = groupStarts[b]!;
      const count = to - from;
      if (count > MAX_PAN) break;
      if (count >= MIN_PAN && cardGrouping(groupStarts, a, b) && luhnValid(digits.slice(from, to))) validTo = to; // keep the longest
    }
    if (validTo < 0) continue;
    if (spanFrom >= 0 && from < spanTo) {
      spanTo = Math.max(spanTo, validTo);
    } else {
      flush();
      spanFrom = from;
      spanTo = validTo;
    }
  }
  flush();
  return i;
}

/**
 * Whether the groups [a, b) are written the way card numbers are: one contiguous run, groups of four
 * with a shorter last group (4-4-4-4, 4-4-4-4-3, 4-4-4-1), or the 4-6-5 and 4-6-4 layouts of
 * American Express and Diners. Identifiers such as `PO-1010-363111400` or `2025-001-4417…` are
 * grouped otherwise and stay as they are, so business references are never altered.
 */
function cardGrouping(groupStarts: readonly number[], a: number, b: number): boolean {
  if (b - a === 1) return true;
  const sizes: number[] = [];
  for (let g = a; g < b; g++) sizes.push(groupStarts[g + 1]! - groupStarts[g]!);
  const layout = sizes.join('-');
  if (layout === '4-6-5' || layout === '4-6-4') return true;
  const last = sizes[sizes.length - 1]!;
  return last >= 1 && last <= 4 && sizes.slice(0, -1).every((size) => size === 4);
}

/**
 * When a valid IBAN starts at `start` (a known country code, two check digits, the country's length in
 * letters and digits, optionally in groups joined by single spaces, mod 97 = 1, ending at a word
 * boundary), the index just past it; otherwise -1.
 */
function ibanAt(text: string, start: number): number {
  const length = text.length;
  if (start > 0 && isAlnum(text.charCodeAt(start - 1))) return -1;
  if (start + 3 >= length) return -1;
  if (
    !isLetter(text.charCodeAt(start + 1)) ||
    !isDigit(text.charCodeAt(start + 2)) ||
    !isDigit(text.charCodeAt(start + 3))
  )
    return -1;
  const ibanLength = IBAN_LENGTHS.get(text.slice(start, start + 2).toUpperCase());
  if (ibanLength === undefined) return -1;

  const head = [0, 1, 2, 3].map((k) => alnumValue(text.charCodeAt(start + k)));
  let remainder = 0; // of the characters after the first four, read so far
  let count = 0;
  let i = start;
  while (i < length && count < ibanLength) {
    const c = text.charCodeAt(i);
    if (!isAlnum(c)) break;
    if (count >= 4) remainder = appendMod97(remainder, alnumValue(c));
    count++;
    i++;
    const atBoundary = i >= length || !isAlnum(text.charCodeAt(i));
    if (atBoundary && count === ibanLength) {
      let check = remainder;
      for (const v of head) check = appendMod97(check, v);
      return check === 1 ? i : -1;
    }
    if (atBoundary && i + 1 < length && text.charCodeAt(i) === 32 && isAlnum(text.charCodeAt(i + 1))) i++;
  }
  return -1;
}

/** 0-9 for digits, 10-35 for letters (IBAN's conversion), case-insensitive. */
function alnumValue(c: number): number {
  if (isDigit(c)) return c - 48;
  return (isUpper(c) ? c - 65 : c - 97) + 10;
}

function appendMod97(remainder: number, value: number): number {
  return value < 10 ? (remainder * 10 + value) % 97 : (remainder * 100 + value) % 97;
}

/**
 * A copy of a JSON-like value (objects, arrays, strings, numbers, nested) with every card number masked
 * in string values; keys are kept as they are. An integer (number, bigint or JsonNumber) that is itself a
 * Luhn-valid 13-19 digit card number becomes its masked string, since `*` cannot be a number (except
 * what looksLikeEpochMillis recognises). Other
 * objects (Date, Map, class instances) are returned as they are; shared and cyclic references are kept.
 */
export function maskPansDeep(value: unknown): unknown {
  return maskValue(value, new WeakMap());
}

function maskValue(value: unknown, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === 'string') return maskPans(value);
  if (typeof value === 'number') return Number.isInteger(value) ? maskNumberText(String(value), value) : value;
  if (typeof value === 'bigint') return maskNumberText(value.toString(), value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof JsonNumber) return maskNumberText(value.text, value);
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value as readonly unknown[]) out.push(maskValue(item, seen));
    return out;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [key, item] of Object.entries(value)) {
    // defineProperty, not assignment: a "__proto__" key stays an own data property.
    Object.defineProperty(out, key, {
      value: maskValue(item, seen),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/**
 * True for a 13-digit integer starting with 1: epoch milliseconds (2001-2033). No card network issues
 * 13-digit numbers starting with 1, so such a number is left a number rather than masked to a string.
 */
export function looksLikeEpochMillis(text: string): boolean {
  return text.length === 13 && text.charCodeAt(0) === 49 && /^\d+$/.test(text);
}

function maskNumberText(text: string, original: unknown): unknown {
  if (looksLikeEpochMillis(text)) return original;
  const masked = maskPans(text);
  return masked === text ? original : masked;
}
