/**
 * VAT numbers: cleaned, given their country prefix, and checked with jsvat (format and check digit).
 *
 * Prefix handling:
 * - Greece uses the VAT prefix EL, not its ISO code GR; "GR…" is read as "EL…".
 * - Northern Ireland traders use XI; the number is a UK one (checked with GB rules) and the country
 *   is GB.
 * - Switzerland writes CHE-123.456.789 MWST; a bare Swiss number gets "CHE".
 * - EU… numbers are the non-Union OSS scheme: any supplier country may hold one.
 * - A number without a prefix takes the supplier's country; without a country it cannot be checked.
 * Countries jsvat does not know (US, JP, …) are kept cleaned but unchecked, with a warning.
 */
import { checkVAT, countries, type Country } from 'jsvat';
import { issue, type ValidationIssue } from './validation-issue.js';

export interface VatNumber {
  /** Cleaned, upper case, with its VAT prefix: "DE136695976", "EL094259216", "XI980780684". */
  readonly value: string;
  /** ISO country the registration belongs to (GR for EL, GB for XI); undefined for an EU OSS number. */
  readonly country: string | undefined;
  /** The number without its prefix (for matching numbers stored without one). */
  readonly bare: string;
  /** Whether jsvat could check it. */
  readonly checked: boolean;
}

const JSVAT_BY_ISO: ReadonlyMap<string, Country> = new Map(countries.map((c) => [c.codes[0] ?? '', c]));

/** VAT prefix → ISO country (EL → GR, XI → GB); identity for the rest. */
const PREFIX_COUNTRY: Readonly<Record<string, string>> = { EL: 'GR', XI: 'GB' };
/** ISO country → the prefix its VAT numbers are written with. */
const COUNTRY_PREFIX: Readonly<Record<string, string>> = { GR: 'EL', CH: 'CHE' };

/** Upper case, without spaces, dots, dashes and slashes (jsvat's own cleaning). */
export function cleanTaxNumber(raw: string): string {
  return raw
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s.\-/]+/g, '');
}

function knownPrefix(prefix: string): boolean {
  return prefix === 'EL' || prefix === 'XI' || prefix === 'EU' || JSVAT_BY_ISO.has(prefix);
}

function unchecked(value: string, country: string, path: string): ValidationIssue {
  const message = `Tax number ${value} (${country}) is kept as entered: its format and check digit cannot be verified here; verify it with the supplier's documents`;
  return issue('vat_not_checked', path, message, 'warning');
}

/**
 * Normalises and checks a VAT number for a supplier in `country` (ISO code, optional).
 * Returns the number (when one could be read) and the issues found.
 */
export function normaliseVatNumber(
  raw: string,
  country: string | undefined,
  path = 'taxNumber',
): { vat?: VatNumber; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  let cleaned = cleanTaxNumber(raw);
  if (cleaned === '') return { issues };
  const head = cleaned.slice(0, 2);
  const hasPrefix = /^[A-Z]{2}$/.test(head) && (knownPrefix(head) || head === country);
  if (hasPrefix && head === 'GR') cleaned = `EL${cleaned.slice(2)}`;
  if (!hasPrefix) {
    if (country === undefined) {
      issues.push(
        issue(
          'vat_invalid',
          path,
          `VAT number ${raw.trim()} has no country prefix and the supplier has no country; enter it with its prefix (e.g. DE136695976)`,
        ),
      );
      return { vat: { value: cleaned, country: undefined, bare: cleaned, checked: false }, issues };
    }
    if (!JSVAT_BY_ISO.has(country))
      return {
        vat: { value: cleaned, country, bare: cleaned, checked: false },
        issues: [unchecked(cleaned, country, path)],
      };
    cleaned = `${COUNTRY_PREFIX[country] ?? country}${cleaned}`;
  }
  const prefix = cleaned.slice(0, 2);
  const vatCountry = prefix === 'EU' ? undefined : (PREFIX_COUNTRY[prefix] ?? prefix);
  const bare = prefix === 'CH' && cleaned.startsWith('CHE') ? cleaned.slice(3) : cleaned.slice(2);
  const rules = JSVAT_BY_ISO.get(prefix === 'EU' ? 'EU' : (vatCountry ?? prefix));
  if (rules === undefined) {
    issues.push(unchecked(cleaned, vatCountry ?? prefix, path));
    return { vat: { value: cleaned, country: vatCountry, bare, checked: false }, issues };
  }
  const checkable = prefix === 'XI' ? `GB${cleaned.slice(2)}` : cleaned;
  const result = checkVAT(checkable, [rules]);
  if (!result.isValid) {
    const why = result.isValidFormat
      ? 'its check digit is wrong'
      : `it does not have the format of a ${rules.name} VAT number`;
    issues.push(
      issue(
        'vat_invalid',
        path,
        `VAT number ${cleaned} is not valid: ${why}; ask the supplier for the number on their invoice or registration`,
      ),
    );
  }
  if (country !== undefined && vatCountry !== undefined && vatCountry !== country) {
    issues.push(
      issue(
        'vat_country_mismatch',
        path,
        `VAT number ${cleaned} is registered in ${vatCountry} but the supplier's country is ${country}; correct the country or the VAT number`,
      ),
    );
  }
  return { vat: { value: cleaned, country: vatCountry, bare, checked: true }, issues };
}

/** A tax registration reduced for comparison: its country (when known) and the number without prefix. */
export interface TaxRegistrationKey {
  readonly country: string | undefined;
  readonly number: string;
}

/**
 * How two tax numbers are compared: "DE136695976", "DE 136 695 976" and "136695976" with country DE
 * are the same registration; EL/GR and XI/GB prefixes are the same country; a number stored
 * without prefix and without country matches on the number alone.
 */
export function taxRegistrationKey(raw: string, country: string | undefined): TaxRegistrationKey {
  const cleaned = cleanTaxNumber(raw);
  const head = cleaned.slice(0, 2);
  if (/^[A-Z]{2}$/.test(head) && (knownPrefix(head) || head === 'GR' || head === country)) {
    const rest = head === 'CH' && cleaned.startsWith('CHE') ? cleaned.slice(3) : cleaned.slice(2);
    return { country: head === 'EU' ? 'EU' : (PREFIX_COUNTRY[head] ?? head), number: rest };
  }
  return { country, number: cleaned };
}

export function sameTaxRegistration(a: TaxRegistrationKey, b: TaxRegistrationKey): boolean {
  if (a.number === '' || a.number !== b.number) return false;
  return a.country === undefined || b.country === undefined || a.country === b.country;
}
