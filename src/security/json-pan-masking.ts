/**
 * Card number masking for JSON text, keeping it valid JSON: what the hub applies to event payloads,
 * run inputs and state, and every log line before they are written.
 *
 * - In a string (value or key) a card number is masked in place, as maskPans does on text. A string
 *   with escapes is decoded first, masked, and written back escaped only when something was masked,
 *   so an escaped digit (`\u0034`) cannot smuggle a card number past the scan.
 * - A bare number that holds a card number (`"card": 4111111111111111`) becomes a JSON string with the
 *   masked digits (`"card": "411111******1111"`): `*` cannot be part of a number, and a string is the
 *   one form that keeps the document valid. Amounts, dates and other numbers that are not Luhn-valid
 *   13-19 digit runs, and epoch milliseconds (see looksLikeEpochMillis), stay numbers.
 * - Text without a card number is returned as it is (the same string, byte for byte).
 *
 * Reconciliation exports and anything else written outside the engine should pass their rows through
 * maskPansDeep (values) or maskPansInJson (JSON text) from this folder.
 */
import { looksLikeEpochMillis, maskPans, maskPansDeep } from './pan-masking.js';

const QUOTE = 34;
const BACKSLASH = 92;
const MINUS = 45;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** Characters a JSON number token is made of. */
const isNumberChar = (c: number): boolean => isDigit(c) || c === 43 || c === 45 || c === 46 || c === 69 || c === 101;

/** `json` with every card number masked; still valid JSON when `json` was. */
export function maskPansInJson(json: string): string {
  if (!json.includes('\\') && maskPans(json) === json) return json;
  const parts: string[] = [];
  let copied = 0;
  let i = 0;
  const length = json.length;
  while (i < length) {
    const c = json.charCodeAt(i);
    if (c === QUOTE) {
      let end = i + 1;
      let escaped = false;
      while (end < length) {
        const d = json.charCodeAt(end);
        if (d === BACKSLASH) {
          escaped = true;
          end += 2;
          continue;
        }
        if (d === QUOTE) break;
        end++;
      }
      const token = json.slice(i, end + 1);
      const masked = escaped ? maskEscapedString(token) : maskPans(token);
      if (masked !== token) {
        parts.push(json.slice(copied, i), masked);
        copied = end + 1;
      }
      i = end + 1;
      continue;
    }
    if (isDigit(c) || c === MINUS) {
      let end = i + 1;
      while (end < length && isNumberChar(json.charCodeAt(end))) end++;
      const token = json.slice(i, end);
      const masked = maskNumberToken(token);
      if (masked !== token) {
        parts.push(json.slice(copied, i), masked);
        copied = end;
      }
      i = end;
      continue;
    }
    i++;
  }
  if (copied === 0) return json;
  parts.push(json.slice(copied));
  return parts.join('');
}

function maskEscapedString(token: string): string {
  let decoded: unknown;
  try {
    decoded = JSON.parse(token);
  } catch {
    return maskPans(token); // not a valid string token: mask what can be seen
  }
  if (typeof decoded !== 'string') return token;
  const masked = maskPans(decoded);
  return masked === decoded ? token : JSON.stringify(masked);
}

function maskNumberToken(token: string): string {
  const digits = token.startsWith('-') ? token.slice(1) : token;
  if (looksLikeEpochMillis(digits)) return token;
  const masked = maskPans(token);
  return masked === token ? token : JSON.stringify(masked);
}

/** The masker the engine is given (record-protection.ts's SensitiveDataMasker). */
export const cardNumberMasker = {
  maskText: maskPans,
  maskJsonText: maskPansInJson,
  maskValue: maskPansDeep,
} as const;

export { maskPans, maskPansDeep } from './pan-masking.js';
