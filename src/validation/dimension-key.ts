/**
 * How dimension codes are compared. ERPs store numeric codes with leading zeros (SAP's ALPHA
 * conversion: GL account "0000400000" is account 400000), while procurement and expense systems often
 * drop them, so a code made only of digits is compared without its leading zeros. Any other code is
 * compared exactly, after trimming.
 */

const DIGITS = /^[0-9]+$/;

export function dimensionKey(code: string): string {
  const trimmed = code.trim();
  if (!DIGITS.test(trimmed)) return trimmed;
  const stripped = trimmed.replace(/^0+/, '');
  return stripped === '' ? '0' : stripped;
}

const ISO_DATE = /^([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;

/** True for a real calendar date written YYYY-MM-DD (2025-02-29 is not one). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (m === null) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

