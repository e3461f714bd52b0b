/**
 * Documents the demo's traffic generator sends: expense reports cloned from the published FIS
 * samples with fresh ids and today's dates, and supplier requests with valid VAT numbers and IBANs
 * (some deliberately duplicating an ERP vendor). Deterministic for a given random source.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeIBAN } from 'ibantools';
import { checkVAT, germany, unitedKingdom } from 'jsvat';
import { DEFAULT_FIXTURES_DIR } from '../connectors/concur/simulator/concur-simulator.js';

export type Random = () => number;

const pick = <T>(items: readonly T[], random: Random): T => items[Math.floor(random() * items.length)]!;
const hex = (length: number, random: Random): string =>
  Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');

/** The FIS sample files' text, read once. */
const samples: readonly string[] = readdirSync(DEFAULT_FIXTURES_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => readFileSync(join(DEFAULT_FIXTURES_DIR, name), 'utf8'));

export interface ExpenseVariant {
  /** Dates of the report and its entries (YYYY-MM-DD). */
  readonly date: string;
  /** Replace every journal account code with one no mapping knows (a mapping exception). */
  readonly unmappedAccount?: boolean;
}

/**
 * One FIS document (`{ id, docType, companyId, document, … }` as text, amounts untouched) from a
 * random sample: new document id and report id, every ISO date moved to `variant.date`.
 */
export function expenseReport(random: Random, variant: ExpenseVariant): { id: string; reportId: string; text: string } {
  const sample = pick(samples, random);
  const parsed = JSON.parse(sample) as { fIDocuments: { id: string; document: { report: { reportId: string } } }[] };
  const first = parsed.fIDocuments[0]!;
  const id = hex(32, random);
  const reportId = hex(20, random).toUpperCase();
  // Text replacement keeps the amounts exactly as published (numbers are never re-serialised).
  const start = sample.indexOf('{', sample.indexOf('['));
  let documentText = sample.slice(start, sample.lastIndexOf(']')).trim();
  documentText = documentText.split(first.id).join(id).split(first.document.report.reportId).join(reportId);
  documentText = documentText.replace(/"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)"/g, `"${variant.date}T$2"`);
  documentText = documentText.replace(/"\d{4}-\d{2}-\d{2}"/g, `"${variant.date}"`);
  if (variant.unmappedAccount === true) documentText = documentText.replace(/"(journalAccountCode)"\s*:\s*"[^"]*"/g, '"$1": "999999"');
  return { id, reportId, text: documentText };
}

const NAMES = ['Brightline', 'Kestrel', 'Harbor', 'Lumen', 'Granite', 'Meridian', 'Orchard', 'Summit', 'Juniper', 'Cobalt'];
const TRADES = ['Logistik', 'Office Supply', 'Facility Services', 'Print', 'Catering', 'Software', 'Engineering'];
const FORMS: Readonly<Record<string, string>> = { DE: 'GmbH', GB: 'Ltd', US: 'Inc.' };

/** A VAT number that passes the country's checksum, found by trying candidates. */
export function validVat(country: 'DE' | 'GB', random: Random): string {
  for (;;) {
    const candidate = `${country}${Math.floor(100_000_000 + random() * 899_999_999)}`;
    if (checkVAT(candidate, [germany, unitedKingdom]).isValid) return candidate;
  }
}

function validIban(country: 'DE' | 'GB', random: Random): string {
  const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  const bban = country === 'DE' ? `${digits(8)}${digits(10)}` : `NWBK${digits(6)}${digits(8)}`;
  const iban = composeIBAN({ countryCode: country, bban });
  if (iban === null) throw new Error(`cannot compose an IBAN for ${country}`);
  return iban;
}

/** ERP vendors of the demo estate a duplicate request copies (IBAN) or nearly copies (name). */
const ERP_VENDORS = [
  { name: 'Nordwind Buerobedarf', country: 'DE' as const, iban: 'DE89370400440532013000', vat: 'DE123456789' },
  { name: 'Atlas IT Services', country: 'GB' as const, iban: 'GB29NWBK60161331926819', vat: 'GB123456789' },
];

export type SupplierKind = 'new' | 'duplicate-iban' | 'near-duplicate';

/** A Coupa supplier record (hyphenated keys, as the suite holds it), approved and without an ERP number. */
export function supplierRequest(random: Random, kind: SupplierKind, now: number): Record<string, unknown> {
  const country = pick(['DE', 'GB'] as const, random);
  const erp = pick(ERP_VENDORS, random);
  const base =
    kind === 'new'
      ? { name: `${pick(NAMES, random)} ${pick(TRADES, random)} ${FORMS[country]}`, country, iban: validIban(country, random), vat: validVat(country, random) }
      : kind === 'duplicate-iban'
        ? { name: `${erp.name} ${FORMS[erp.country]}`, country: erp.country, iban: erp.iban, vat: validVat(erp.country, random) }
        : { name: `${erp.name.replace('ue', 'ü')} ${FORMS[erp.country]}`, country: erp.country, iban: validIban(erp.country, random), vat: validVat(erp.country, random) };
  const at = new Date(now).toISOString();
  return {
    name: base.name,
    'display-name': base.name,
    number: null,
    status: 'active',
    'tax-id': base.vat,
    'primary-address': { street1: 'Demo Street 1', city: base.country === 'DE' ? 'Berlin' : 'London', 'postal-code': base.country === 'DE' ? '10115' : 'EC1A 1BB', country: { code: base.country } },
    'bank-account-number': base.iban,
    'payment-term': { id: 1, code: 'Net 30', 'days-for-net-payment': 30 },
    'created-at': at,
    'updated-at': at,
  };
}
