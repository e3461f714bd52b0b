/**
 * A supplier as procurement hands it over, cleaned for the vendor master and for duplicate
 * detection: the name trimmed, whitespace collapsed and Unicode-normalised (NFKC, invisible
 * characters removed); the legal form split off; a `matchName` for comparisons; the VAT number
 * checked (tax-number.ts); the IBAN and BIC checked and put in electronic format.
 *
 * Blocking issues (severity error): name_missing, country_unknown, vat_invalid,
 * vat_country_mismatch, iban_invalid, bic_invalid. Warnings: vat_not_checked (a country the VAT
 * checker does not know), iban_country_mismatch (the account is held abroad — common for
 * suppliers banking in another SEPA country, so worth a look but not a stop), bic_iban_mismatch
 * (the BIC's country is not the IBAN's).
 */
import { electronicFormatIBAN, extractBIC, extractIBAN, validateIBAN, ValidationErrorsIBAN } from 'ibantools';
import { isCountryCode } from './country-codes.js';
import { splitLegalForm } from './legal-forms.js';
import { normaliseVatNumber } from './tax-number.js';
import { issue, type ValidationIssue } from './validation-issue.js';

export interface SupplierInput {
  readonly name?: string | undefined;
  /** ISO 3166-1 alpha-2 (upper or lower case). */
  readonly country?: string | undefined;
  /** VAT registration number, with or without its country prefix. */
  readonly taxNumber?: string | undefined;
  readonly iban?: string | undefined;
  readonly bic?: string | undefined;
}

export interface NormalisedSupplier {
  /** Display name: trimmed, whitespace collapsed, NFKC; legal form kept. */
  readonly name: string;
  readonly legalForm?: string;
  /** For comparisons: lower case, no legal form, no accents or punctuation, "&" → "and". */
  readonly matchName: string;
  readonly country?: string;
  /** VAT number with its prefix ("DE136695976"), or the cleaned tax number when it cannot be checked. */
  readonly taxNumber?: string;
  /** Country of the VAT registration (GR for EL…, GB for XI…). */
  readonly taxNumberCountry?: string;
  /** Electronic format: upper case, no spaces ("DE89370400440532013000"). */
  readonly iban?: string;
  readonly ibanCountry?: string;
  readonly bic?: string;
}

export interface SupplierNormaliseResult {
  readonly supplier: NormalisedSupplier;
  readonly issues: readonly ValidationIssue[];
}

/** NFKC, invisible characters (zero-width, soft hyphen, BOM) removed, whitespace collapsed, trimmed. */
export function cleanText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u00AD\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const TRANSLITERATION: Readonly<Record<string, string>> = {
  ä: 'ae',
  ö: 'oe',
  ü: 'ue',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  å: 'a',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/**
 * The comparison form of a name without its legal form: "Müller & Söhne" → "mueller and soehne",
 * "A.C.M.E. Trading-Co" → "acme trading co". German umlauts become two letters so "Müller" and
 * "Mueller" are equal; other accents are dropped; dots and apostrophes vanish, other punctuation
 * separates words; "&", "+", "und" and "et" read as "and"; a leading "the" is dropped.
 */
export function toMatchName(base: string): string {
  const lower = base.toLowerCase().replace(/[äöüßæœøåłđðþı]/g, (c) => TRANSLITERATION[c] ?? c);
  const words = lower
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[.'’`´]/g, '')
    .replace(/[&+]/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '')
    .map((w) => (w === 'und' || w === 'et' ? 'and' : w));
  if (words.length > 1 && words[0] === 'the') words.shift();
  return words.join(' ');
}

const IBAN_REASON: Partial<Record<ValidationErrorsIBAN, string>> = {
  [ValidationErrorsIBAN.NoIBANCountry]: 'its first two letters are not a country that uses IBANs',
  [ValidationErrorsIBAN.WrongBBANLength]: 'it has the wrong length for its country',
  [ValidationErrorsIBAN.WrongBBANFormat]: 'the account part does not have its country’s format',
  [ValidationErrorsIBAN.ChecksumNotNumber]: 'its check digits are not digits',
  [ValidationErrorsIBAN.WrongIBANChecksum]: 'its check digits are wrong (a typing error?)',
  [ValidationErrorsIBAN.WrongAccountBankBranchChecksum]: 'the national account check digit is wrong',
};

function normaliseIban(
  raw: string,
  country: string | undefined,
  issues: ValidationIssue[],
): { iban?: string; ibanCountry?: string } {
  const iban = electronicFormatIBAN(raw.normalize('NFKC')) ?? '';
  if (iban === '') return {};
  const result = validateIBAN(iban);
  if (!result.valid) {
    const reason =
      result.errorCodes.map((c) => IBAN_REASON[c]).find((r) => r !== undefined) ?? 'it is not a valid IBAN';
    issues.push(
      issue('iban_invalid', 'iban', `IBAN ${iban} is not valid: ${reason}; ask the supplier for their bank details`),
    );
    return { iban };
  }
  const ibanCountry = extractIBAN(iban).countryCode ?? iban.slice(0, 2);
  if (country !== undefined && ibanCountry !== country) {
    issues.push(
      issue(
        'iban_country_mismatch',
        'iban',
        `IBAN ${iban} is held in ${ibanCountry} but the supplier is in ${country}; confirm the bank account with the supplier`,
        'warning',
      ),
    );
  }
  return { iban, ibanCountry };
}

function normaliseBic(raw: string, ibanCountry: string | undefined, issues: ValidationIssue[]): string | undefined {
  const bic = raw.normalize('NFKC').toUpperCase().replace(/\s+/g, '');
  if (bic === '') return undefined;
  const parsed = extractBIC(bic);
  if (!parsed.valid) {
    issues.push(
      issue(
        'bic_invalid',
        'bic',
        `BIC ${bic} is not valid (8 or 11 characters: bank, country, location, branch); ask the supplier for their bank's BIC`,
      ),
    );
    return bic;
  }
  if (ibanCountry !== undefined && parsed.countryCode !== ibanCountry) {
    issues.push(
      issue(
        'bic_iban_mismatch',
        'bic',
        `BIC ${bic} is a bank in ${parsed.countryCode ?? '?'} but the IBAN is from ${ibanCountry}; check that both belong to the same account`,
        'warning',
      ),
    );
  }
  return bic;
}

/** Cleans and checks a supplier; never throws on bad data, the problems come back as issues. */
export function normaliseSupplier(input: SupplierInput): SupplierNormaliseResult {
  const issues: ValidationIssue[] = [];
  const name = cleanText(input.name ?? '');
  if (name === '')
    issues.push(
      issue('name_missing', 'name', 'The supplier has no name; enter the legal name as on the supplier’s invoices'),
    );
  const split = splitLegalForm(name);

  let country: string | undefined = cleanText(input.country ?? '').toUpperCase();
  if (country === '') country = undefined;
  else if (!isCountryCode(country)) {
    issues.push(
      issue(
        'country_unknown',
        'country',
        `Country ${country} is not an ISO 3166 country code; use two letters such as DE, FR, GB`,
      ),
    );
    country = undefined;
  }

  const vat = input.taxNumber === undefined ? { issues: [] } : normaliseVatNumber(input.taxNumber, country);
  issues.push(...vat.issues);
  const bank = input.iban === undefined ? {} : normaliseIban(input.iban, country, issues);
  const bic = input.bic === undefined ? undefined : normaliseBic(input.bic, bank.ibanCountry, issues);

  const supplier: NormalisedSupplier = {
    name,
    ...(split.legalForm === undefined ? {} : { legalForm: split.legalForm }),
    matchName: toMatchName(split.base),
    ...(country === undefined ? {} : { country }),
    ...(vat.vat === undefined ? {} : { taxNumber: vat.vat.value }),
    ...(vat.vat?.country === undefined ? {} : { taxNumberCountry: vat.vat.country }),
    ...bank,
    ...(bic === undefined ? {} : { bic }),
  };
  return { supplier, issues };
}
