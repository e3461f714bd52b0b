/**
 * Documents the demo's traffic generator sends: expense reports cloned from the published FIS
 * samples with fresh ids and today's dates, cash advances issued to the employees of those samples
 * (and reports applying them), and supplier requests with valid VAT numbers and IBANs
 * (some deliberately duplicating an ERP vendor). Deterministic for a given random source.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeIBAN } from 'ibantools';
import { checkVAT, germany, unitedKingdom } from 'jsvat';
import { DEFAULT_FIXTURES_DIR } from '../connectors/concur/simulator/concur-simulator.js';
import {
  cashAdvanceApplication,
  issuedCashAdvanceDocument,
} from '../connectors/concur/simulator/fis-cash-advance-samples.js';

export type Random = () => number;

const pick = <T>(items: readonly T[], random: Random): T => items[Math.floor(random() * items.length)]!;
const hex = (length: number, random: Random): string =>
  Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');

/** The FIS sample files' text, read once. */
const samples: readonly string[] = readdirSync(DEFAULT_FIXTURES_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => readFileSync(join(DEFAULT_FIXTURES_DIR, name), 'utf8'));

/** Samples with an entry owed to the employee: a cash advance can be applied to them. */
const employeePaid: readonly string[] = samples.filter((text) => /"journalPayee":\s*"EMPL"/.test(text));

/** A cash advance issued to the employee of one of the `employeePaid` samples. */
export interface DemoCashAdvance {
  readonly id: string;
  readonly cashAdvanceId: string;
  /** The advance, in the sample report's currency (decimal text). */
  readonly amount: string;
  /** Which `employeePaid` sample's employee it was issued to. */
  readonly sample: number;
  readonly text: string;
}

export interface ExpenseVariant {
  /** Dates of the report and its entries (YYYY-MM-DD). */
  readonly date: string;
  /** Replace every journal account code with one no mapping knows (a mapping exception). */
  readonly unmappedAccount?: boolean;
  /** The report applies this advance in full (cloned from the sample of its employee). */
  readonly appliesAdvance?: DemoCashAdvance;
}

/**
 * A FIS cash advance document issued on `date` to the employee of a sample with out-of-pocket
 * entries, in that report's currency; amounts below and above those payouts (10 EUR, 23 USD).
 */
export function issuedCashAdvance(random: Random, date: string): DemoCashAdvance {
  const sample = Math.floor(random() * employeePaid.length);
  const parsed = JSON.parse(employeePaid[sample]!) as {
    fIDocuments: { document: { employee: { employeeId: string }; report: { employeeCurrencyAlphaCode: string } } }[];
  };
  const { employee, report } = parsed.fIDocuments[0]!.document;
  const id = hex(32, random);
  const cashAdvanceId = hex(32, random).toUpperCase();
  const amount = pick(['5', '8', '40'], random);
  const text = issuedCashAdvanceDocument({
    documentId: id,
    cashAdvanceId,
    employeeId: employee.employeeId,
    amount,
    currency: report.employeeCurrencyAlphaCode,
    issuedDate: `${date}T09:00:00.000Z`,
    name: `Demo advance ${cashAdvanceId.slice(0, 6)}`,
  });
  return { id, cashAdvanceId, amount, sample, text };
}

/** Every ISO date and time of a FIS text moved to `date` (YYYY-MM-DD), the times of day kept. */
function datedTo(text: string, date: string): string {
  return text
    .replace(/"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)"/g, `"${date}T$2"`)
    .replace(/"\d{4}-\d{2}-\d{2}"/g, `"${date}"`);
}

/**
 * The published sample answers with their own ids, dated `date`: what the demo's expense platform
 * holds READY at start, so they are approved today like the traffic's reports and show among the
 * day's postings (as published they post in 2016 and 2019, see test/demo/published-fis-examples-demo.test.ts).
 */
export function samplesDatedTo(date: string): string[] {
  return samples.map((text) => datedTo(text, date));
}

/**
 * One FIS document (`{ id, docType, companyId, document, … }` as text, amounts untouched) from a
 * random sample: new document id and report id, every ISO date moved to `variant.date`.
 */
export function expenseReport(random: Random, variant: ExpenseVariant): { id: string; reportId: string; text: string } {
  const advance = variant.appliesAdvance;
  const sample = advance === undefined ? pick(samples, random) : employeePaid[advance.sample]!;
  const parsed = JSON.parse(sample) as { fIDocuments: { id: string; document: { report: { reportId: string } } }[] };
  const first = parsed.fIDocuments[0]!;
  const id = hex(32, random);
  const reportId = hex(20, random).toUpperCase();
  // Text replacement keeps the amounts exactly as published (numbers are never re-serialised).
  const start = sample.indexOf('{', sample.indexOf('['));
  let documentText = sample.slice(start, sample.lastIndexOf(']')).trim();
  documentText = documentText.split(first.id).join(id).split(first.document.report.reportId).join(reportId);
  documentText = datedTo(documentText, variant.date);
  if (variant.unmappedAccount === true)
    documentText = documentText.replace(/"(journalAccountCode)"\s*:\s*"[^"]*"/g, '"$1": "999999"');
  if (advance !== undefined)
    documentText = documentText.replace(
      /"cashAdvanceApplication"\s*:\s*\[\s*\]/,
      `"cashAdvanceApplication": [${cashAdvanceApplication(advance.cashAdvanceId, `-${advance.amount}`)}]`,
    );
  return { id, reportId, text: documentText };
}

const NAMES = [
  'Brightline',
  'Kestrel',
  'Harbor',
  'Lumen',
  'Granite',
  'Meridian',
  'Orchard',
  'Summit',
  'Juniper',
  'Cobalt',
];
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

/**
 * A Coupa supplier (hyphenated keys, as the suite holds it), approved and without an ERP number, with
 * its supplier information whose remit-to address holds the bank account (R39 keeps bank fields there,
 * not on the supplier): the body of the procurement simulator's `/_sim/seed`.
 */
export function supplierRequest(random: Random, kind: SupplierKind, now: number): Record<string, unknown[]> {
  const country = pick(['DE', 'GB'] as const, random);
  const erp = pick(ERP_VENDORS, random);
  const base =
    kind === 'new'
      ? {
          name: `${pick(NAMES, random)} ${pick(TRADES, random)} ${FORMS[country]}`,
          country,
          iban: validIban(country, random),
          vat: validVat(country, random),
        }
      : kind === 'duplicate-iban'
        ? // The ERP vendor's own bank account and no tax number of its own: linked by IBAN, not created.
          { name: `${erp.name} ${FORMS[erp.country]}`, country: erp.country, iban: erp.iban, vat: null }
        : {
            name: `${erp.name.replace('ue', 'ü')} ${FORMS[erp.country]}`,
            country: erp.country,
            iban: validIban(erp.country, random),
            vat: validVat(erp.country, random),
          };
  const at = new Date(now).toISOString();
  const id = 7_000_000 + Math.floor(random() * 1_000_000);
  const supplier = {
    id,
    name: base.name,
    'display-name': base.name,
    number: null,
    status: 'active',
    'tax-id': base.vat,
    'primary-address': {
      street1: 'Demo Street 1',
      city: base.country === 'DE' ? 'Berlin' : 'London',
      'postal-code': base.country === 'DE' ? '10115' : 'EC1A 1BB',
      country: { code: base.country },
    },
    'payment-term': { id: 1, code: 'Net 30', 'days-for-net-payment': 30 },
    'created-at': at,
    'updated-at': at,
  };
  const information = {
    id,
    'supplier-id': id,
    name: base.name,
    status: 'approved',
    'supplier-information-addresses': [
      { id, kind: 'RTA', active: true, country: { code: base.country }, 'iban-number': base.iban },
    ],
  };
  return { suppliers: [supplier], supplierInformation: [information] };
}

/** The demo's ERP vendors invoicing each company code, with the input tax rate of its tax code. */
const INVOICING = [
  {
    entity: '1010',
    currency: 'EUR',
    supplier: { id: 8_000_001, name: 'Nordwind Buerobedarf GmbH', number: '17300001' },
    taxPercent: 19n,
  },
  {
    entity: '1710',
    currency: 'USD',
    supplier: { id: 8_000_003, name: 'Pioneer Consulting LLC', number: '17300003' },
    taxPercent: 0n,
  },
  {
    entity: '2910',
    currency: 'GBP',
    supplier: { id: 8_000_002, name: 'Atlas IT Services Ltd', number: '17300002' },
    taxPercent: 20n,
  },
] as const;
const INVOICE_ACCOUNTS = [
  { gl: '6000', what: 'Office supplies' },
  { gl: '6100', what: 'IT services' },
  { gl: '6300', what: 'Consulting' },
];

const decimal = (minor: bigint): string => `${minor / 100n}.${(minor % 100n).toString().padStart(2, '0')}`;

export interface InvoiceScenario {
  readonly invoiceId: number;
  /** Coupa records for `/_sim/seed`: the purchase order, its receipts and the approved invoice. */
  readonly seed: {
    purchaseOrders: Record<string, unknown>[];
    receivingTransactions: Record<string, unknown>[];
    invoices: Record<string, unknown>[];
  };
}

/**
 * A purchase order with goods received and the supplier's approved invoice against it (three-way
 * match); `overReceived` invoices two units more than were received, outside any tolerance.
 * Amounts in minor units with BigInt; the invoice's supplier carries its ERP vendor number.
 */
export function supplierInvoice(
  random: Random,
  options: { readonly overReceived: boolean; readonly now: number },
): InvoiceScenario {
  const party = pick(INVOICING, random);
  const account = pick(INVOICE_ACCOUNTS, random);
  const costCenter = pick(['CC100', 'CC200', 'CC300'], random);
  const base = 10_000_000 + Math.floor(random() * 80_000_000) * 10;
  const [orderId, lineId, receiptId, invoiceId, invoiceLineId] = [base, base + 1, base + 2, base + 3, base + 4];
  const quantity = BigInt(2 + Math.floor(random() * 8));
  const priceMinor = BigInt(1_500 + Math.floor(random() * 20_000));
  const invoiced = options.overReceived ? quantity + 2n : quantity;
  const net = invoiced * priceMinor;
  const tax = (net * party.taxPercent) / 100n;
  const at = new Date(options.now).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const accountRef = {
    code: `${party.entity}-${account.gl}-${costCenter}`,
    'segment-1': party.entity,
    'segment-2': account.gl,
    'segment-3': costCenter,
  };
  // An ERP-shaped order number: SAP's PurchaseOrder is String(10) (API_SUPPLIERINVOICE_PROCESS_SRV).
  const poNumber = `45${String(orderId % 100_000_000).padStart(8, '0')}`;
  const invoiceNumber = `INV-${invoiceId}`;
  return {
    invoiceId,
    seed: {
      purchaseOrders: [
        {
          id: orderId,
          'po-number': poNumber,
          status: 'issued',
          version: 1,
          exported: true,
          supplier: party.supplier,
          currency: { code: party.currency },
          'order-lines': [
            {
              id: lineId,
              'line-num': 1,
              description: `${account.what} order`,
              quantity: quantity.toString(),
              price: decimal(priceMinor),
              total: decimal(quantity * priceMinor),
              uom: { code: 'EA' },
              account: accountRef,
              'receipt-required': true,
            },
          ],
          'created-at': at,
          'updated-at': at,
        },
      ],
      receivingTransactions: [
        {
          id: receiptId,
          type: 'ReceivingQuantityConsumption',
          status: 'created',
          quantity: quantity.toString(),
          'order-line': { id: lineId, 'line-num': 1, 'order-header-id': orderId },
          'transaction-date': at,
          'created-at': at,
          'updated-at': at,
        },
      ],
      invoices: [
        {
          id: invoiceId,
          'invoice-number': invoiceNumber,
          'invoice-date': at.slice(0, 10),
          status: 'approved',
          exported: false,
          supplier: party.supplier,
          currency: { code: party.currency },
          'invoice-lines': [
            {
              id: invoiceLineId,
              'line-num': 1,
              description: `${account.what} ${poNumber}`,
              quantity: invoiced.toString(),
              price: decimal(priceMinor),
              total: decimal(net),
              uom: { code: 'EA' },
              account: accountRef,
              'order-line-id': lineId,
              'po-number': poNumber,
            },
          ],
          'tax-amount': decimal(tax),
          'gross-total': decimal(net + tax),
          'image-scan-url': `https://files.example.com/invoices/${invoiceNumber}.pdf`,
          approvals: [
            {
              id: invoiceId,
              position: 1,
              status: 'approved',
              'approval-date': at,
              approver: { id: 7, login: 'ap.approver', fullname: 'Alex Approver' },
            },
          ],
          'created-at': at,
          'updated-at': at,
        },
      ],
    },
  };
}
