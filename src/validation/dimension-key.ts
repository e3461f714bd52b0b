/**
 * How dimension codes are compared. ERPs store numeric codes with leading zeros (SAP's ALPHA
 * conversion: GL account "0000400000" is account 400000), while procurement and expense systems often
 * drop them, so a code made only of digits is compared without its leading zeros. Any other code is
 * compared exactly, after trimming.
 */

const DIGITS = /^[0-9]+$/;

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 160;
}

export function dimensionKey(code: string): string {
  const first = code.charCodeAt(0);
  // Fast path for the usual case: no surrounding space and no leading zero.
  if (first !== 48 && !isSpace(first) && !isSpace(code.charCodeAt(code.length - 1))) return code;
  const trimmed = code.trim();
  if (!DIGITS.test(trimmed)) return trimmed;
  const stripped = trimmed.replace(/^0+/, '');
  return stripped === '' ? '0' : stripped;
}

function digitsAt(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** True for a real calendar date written YYYY-MM-DD (2025-02-29 is not one). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45)
    return false;
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1) return false;
  if (day <= 28) return true;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth =
    month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= daysInMonth;
}
