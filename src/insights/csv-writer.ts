/**
 * CSV (RFC 4180) that is safe to open in a spreadsheet: fields with a comma, quote, CR or LF are
 * quoted with inner quotes doubled; lines end with CRLF. Text cells that a spreadsheet would read as a
 * formula (starting with = + - @, tab or CR) get a leading single quote. Amounts are written as plain
 * numbers, never quoted, so the spreadsheet sums them; anything else in an amount cell is refused.
 * Card numbers in text are masked (BIN + last four) before they are written.
 */
import { LedgerlinkError } from '../canonical/errors.js';
import { maskPans } from '../security/pan-masking.js';

export type CsvCell =
  { readonly text: string | null } | { readonly amount: string | null } | { readonly count: number };

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

export const text = (value: string | null | undefined): CsvCell => ({ text: value ?? null });
export const amount = (value: string | null | undefined): CsvCell => ({ amount: value ?? null });
export const count = (value: number): CsvCell => ({ count: value });

/** One text field: masked, neutralised against formulas, quoted when RFC 4180 requires it. */
export function textField(value: string): string {
  let out = maskPans(value);
  if (FORMULA_START.test(out)) out = `'${out}`;
  return NEEDS_QUOTES.test(out) ? `"${out.replaceAll('"', '""')}"` : out;
}

function field(cell: CsvCell): string {
  if ('text' in cell) return cell.text === null ? '' : textField(cell.text);
  if ('count' in cell) return Number.isSafeInteger(cell.count) ? String(cell.count) : '';
  if (cell.amount === null) return '';
  if (!PLAIN_NUMBER.test(cell.amount)) {
    throw new LedgerlinkError(
      'LL_ERR_MONEY_INVALID_AMOUNT',
      `Amount ${JSON.stringify(cell.amount.slice(0, 40))} is not a plain decimal`,
      {
        details: [{ message: 'a CSV amount must be a plain decimal' }],
      },
    );
  }
  return cell.amount;
}

/** The whole document: a header row, then one row per record. */
export function writeCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header.map(textField).join(','), ...rows.map((row) => row.map(field).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
