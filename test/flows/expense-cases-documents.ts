/**
 * FIS expense documents for the posting cases beyond the four published samples. Each is the 2.1
 * sample document (report, employee and entry with every field the platform sends) with FIS fields
 * that appear in the sample documents changed: entries, allocations with their journal lines and
 * taxes, payer and payee, personal flag, entry currency and exchange rate, card transaction fields.
 * Amounts are written as JSON numbers from their decimal text, exactly, as Concur sends them.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

type Json = { [key: string]: unknown };

const SAMPLE = resolve('src/connectors/concur/simulator/fis-samples/F071FADEA6B142DD884A-Example-2.1.json');
const MARK = '@@amount@@';

/** An amount written as a JSON number with exactly this text. */
class Amount {
  constructor(readonly text: string) {
    if (!/^-?\d+(\.\d+)?$/.test(text)) throw new Error(`not a decimal: ${text}`);
  }
  toJSON(): string {
    return `${MARK}${this.text}${MARK}`;
  }
}

const amount = (text: string): Amount => new Amount(text);
const optionalAmount = (text: string | undefined): Amount | null => (text === undefined ? null : amount(text));

export interface TaxSpec {
  /** `taxAuthorityLabel`, e.g. DEVAT. */
  readonly authority: string;
  readonly country: string;
  readonly tax: string;
  /** `amountReclaim`; absent: null. */
  readonly reclaim?: string;
}

export interface JournalSpec {
  readonly account: string;
  readonly gross: string;
  /** Defaults to the gross. */
  readonly netOfReclaim?: string;
  readonly payer?: string;
  readonly payee?: string;
}

export interface EntrySpec {
  readonly type: string;
  readonly name: string;
  /** `entryApprovedAmount`, in the report currency. */
  readonly approved: string;
  readonly journal: readonly JournalSpec[];
  readonly taxes?: readonly TaxSpec[];
  readonly personal?: boolean;
  /** The entry's own currency, its amount in it and the rate to the report currency. */
  readonly spent?: { readonly currency: string; readonly amount: string; readonly rate: string };
  /** A company card charge: the card transaction id, the amount billed on the card. */
  readonly card?: { readonly transactionId: string; readonly amount: string };
  /** The allocation's cost object (`allocationCustom4Code` of org unit type CC). */
  readonly costObject?: string;
}

export interface DocumentSpec {
  readonly id: string;
  readonly reportId: string;
  readonly name: string;
  readonly employeeId: string;
  readonly currency: string;
  readonly country: string;
  readonly entries: readonly EntrySpec[];
  /** `totalApprovedAmount`. */
  readonly total: string;
}

function sample(): Json {
  const file = JSON.parse(readFileSync(SAMPLE, 'utf8')) as { fIDocuments: Json[] };
  return file.fIDocuments[0]!;
}

function entryOf(template: Json, spec: EntrySpec, document: DocumentSpec, index: number): Json {
  const entryId = `${document.id.slice(0, 24)}E${String(index + 1).padStart(2, '0')}`.toUpperCase();
  const [allocation] = template['allocation'] as Json[];
  const [taxTemplate] = allocation!['tax'] as Json[];
  const taxes = (spec.taxes ?? []).map((t, n) => ({
    ...taxTemplate,
    taxGuid: `${entryId}T${n + 1}`,
    taxAuthorityLabel: t.authority,
    locationCountryCode: t.country,
    locationCountrySubCode: null,
    amountTax: amount(t.tax),
    amountReclaim: optionalAmount(t.reclaim),
  }));
  const [journalTemplate] = allocation!['journal'] as Json[];
  const journal = spec.journal.map((j) => ({
    ...journalTemplate,
    journalAccountCode: j.account,
    journalPayer: j.payer ?? 'COMP',
    journalPayee: j.payee ?? 'EMPL',
    amountGross: amount(j.gross),
    amountGrossCard: spec.card === undefined ? null : amount(j.gross),
    amountNetOfReclaim: amount(j.netOfReclaim ?? j.gross),
    amountNetOfTax: amount(j.netOfReclaim ?? j.gross),
    cardTransactionReferenceNumber: spec.card?.transactionId ?? null,
    taxGuid: taxes.map((t) => t.taxGuid),
  }));
  const card = spec.card;
  return {
    ...template,
    entryId,
    legacyEntryId: 9000 + index,
    expenseTypeCode: spec.type,
    expenseTypeName: spec.name,
    entryApprovedAmount: amount(spec.approved),
    reportEntryTransactionAmount: amount(spec.spent?.amount ?? spec.approved),
    entryCurrAlphaCode: spec.spent?.currency ?? document.currency,
    entryCountryCode: document.country,
    entryExchangeRate: amount(spec.spent?.rate ?? '1'),
    entryIsPersonal: spec.personal === true ? 'Y' : 'N',
    entryReceiptId: null,
    cardProgramTypeCode: card === undefined ? null : 'AX',
    cardAccountID: card === undefined ? null : 'D14510F8D27A1E4EA9D3A1355B74F192',
    cardTransactionID: card?.transactionId ?? null,
    cardTransactionAmount: card === undefined ? null : amount(card.amount),
    cardTransactionCurrency: card === undefined ? null : document.currency,
    cardTransactionPostedAmount: card === undefined ? null : amount(card.amount),
    cardTransactionPostedCurrency: card === undefined ? null : document.currency,
    reportEntryPatKey: card === undefined ? 'CASH' : 'IBCP',
    allocation: [
      {
        ...allocation,
        allocationId: `${entryId}A1`,
        ...(spec.costObject === undefined ? {} : { allocationCustom4Code: spec.costObject }),
        journal,
        tax: taxes,
      },
    ],
  };
}

/** The FIS document (one `content[]` item) as JSON text, amounts exact. */
export function fisDocument(spec: DocumentSpec): string {
  const base = sample();
  const document = base['document'] as Json;
  const report = document['report'] as Json;
  const [template] = document['expenseEntry'] as Json[];
  const entries = spec.entries.map((e, i) => entryOf(template!, e, spec, i));
  const item = {
    ...base,
    id: spec.id,
    document: {
      ...document,
      employee: {
        ...(document['employee'] as Json),
        employeeId: spec.employeeId,
        employeeCustom17Code: spec.employeeId,
      },
      report: {
        ...report,
        reportId: spec.reportId,
        reportName: spec.name,
        employeeCurrencyAlphaCode: spec.currency,
        homeCountryCode: spec.country,
        totalApprovedAmount: amount(spec.total),
      },
      expenseEntry: entries,
    },
  };
  return JSON.stringify(item).replace(new RegExp(`"${MARK}(-?[0-9.]+)${MARK}"`, 'g'), '$1');
}

const GERMAN = { employeeId: '49038128', currency: 'EUR', country: 'DE' } as const;
const LAUNDRY_WITH_VAT: EntrySpec = {
  type: 'LNDRY',
  name: 'Laundry',
  approved: '10.00',
  journal: [{ account: '37', gross: '10.00', netOfReclaim: '8.40' }],
  taxes: [{ authority: 'DEVAT', country: 'DE', tax: '1.60', reclaim: '1.60' }],
};

/** The documents of the cases, by case. */
export const CASES = {
  /** German VAT that cannot be reclaimed: reclaim 0 on one entry, no reclaim at all on the other. */
  nonDeductible: fisDocument({
    ...GERMAN,
    id: 'case-non-deductible-vat-01',
    reportId: 'CASE01NONDEDUCTIBLE',
    name: 'Non-deductible VAT',
    total: '33.80',
    entries: [
      {
        type: 'LNDRY',
        name: 'Laundry',
        approved: '10.00',
        journal: [{ account: '37', gross: '10.00' }],
        taxes: [{ authority: 'DEVAT', country: 'DE', tax: '1.60', reclaim: '0' }],
      },
      {
        type: 'TAXIX',
        name: 'Taxi',
        approved: '23.80',
        journal: [{ account: '474230', gross: '23.80' }],
        taxes: [{ authority: 'DEVAT', country: 'DE', tax: '3.80' }],
      },
    ],
  }),
  /** A business meal whose VAT is half deductible: 19.00 charged, 9.50 reclaimable. */
  partlyDeductible: fisDocument({
    ...GERMAN,
    id: 'case-partly-deductible-01',
    reportId: 'CASE02PARTLY',
    name: 'Partly deductible VAT',
    total: '119.00',
    entries: [
      {
        type: 'BUSML',
        name: 'Business Meal',
        approved: '119.00',
        journal: [{ account: '474230', gross: '119.00', netOfReclaim: '109.50' }],
        taxes: [{ authority: 'DEVAT', country: 'DE', tax: '19.00', reclaim: '9.50' }],
      },
    ],
  }),
  /** A Montréal hotel night for a Canadian employee: GST 5 % and QST 9.975 % on the same base, both reclaimable. */
  severalJurisdictions: fisDocument({
    employeeId: '12100001',
    currency: 'CAD',
    country: 'CA',
    id: 'case-gst-qst-01',
    reportId: 'CASE03GSTQST',
    name: 'GST and QST',
    total: '114.98',
    entries: [
      {
        type: 'LODNG',
        name: 'Hotel',
        approved: '114.98',
        costObject: '12-MTL',
        journal: [{ account: '474230', gross: '114.98', netOfReclaim: '100.00' }],
        taxes: [
          { authority: 'CAGST', country: 'CA', tax: '5.00', reclaim: '5.00' },
          { authority: 'CAQST', country: 'CA', tax: '9.98', reclaim: '9.98' },
        ],
      },
    ],
  }),
  /** A day's meals allowance of 40.00 against a legal rate of 28.00: two journal lines on one allocation. */
  perDiem: fisDocument({
    ...GERMAN,
    id: 'case-per-diem-01',
    reportId: 'CASE04PERDIEM',
    name: 'Per diem above the legal rate',
    total: '40.00',
    entries: [
      {
        type: 'FXMLS',
        name: 'Fixed Meals',
        approved: '40.00',
        journal: [
          { account: '474250', gross: '28.00' },
          { account: '474251', gross: '12.00' },
        ],
      },
    ],
  }),
  /** A Zürich hotel paid in CHF 200.00 at 1.0525: 210.50 EUR; Swiss VAT not reclaimable. */
  foreignCurrency: fisDocument({
    ...GERMAN,
    id: 'case-foreign-currency-01',
    reportId: 'CASE05CHF',
    name: 'Hotel in Zurich',
    total: '210.50',
    entries: [
      {
        type: 'LODNG',
        name: 'Hotel',
        approved: '210.50',
        spent: { currency: 'CHF', amount: '200.00', rate: '1.0525' },
        journal: [{ account: '474230', gross: '210.50' }],
        taxes: [{ authority: 'CHVAT', country: 'CH', tax: '7.71', reclaim: '0' }],
      },
    ],
  }),
  /** A hotel bill itemised into room, room tax and a minibar charge the employee marked personal (not in the journal). */
  itemised: fisDocument({
    employeeId: '1017001',
    currency: 'USD',
    country: 'US',
    id: 'case-itemised-hotel-01',
    reportId: 'CASE06ITEMISED',
    name: 'Itemised hotel bill',
    total: '172.50',
    entries: [
      {
        type: 'LODNG',
        name: 'Room Rate',
        approved: '150.00',
        costObject: '21-BELLEV1',
        journal: [{ account: '474230', gross: '150.00' }],
      },
      {
        type: 'LODTX',
        name: 'Room Tax',
        approved: '22.50',
        costObject: '21-BELLEV1',
        journal: [{ account: '474230', gross: '22.50' }],
      },
      {
        type: 'MINIB',
        name: 'Minibar',
        approved: '0',
        personal: true,
        spent: { currency: 'USD', amount: '18.00', rate: '1' },
        costObject: '21-BELLEV1',
        journal: [],
      },
    ],
  }),
  /** Laundry 10.00 and a train ticket refunded in cash (-4.00): still owed to the employee. */
  cashCredit: fisDocument({
    ...GERMAN,
    id: 'case-cash-credit-01',
    reportId: 'CASE07CREDIT',
    name: 'Cash credit',
    total: '6.00',
    entries: [
      LAUNDRY_WITH_VAT,
      {
        type: 'TRAIN',
        name: 'Train ticket refund',
        approved: '-4.00',
        journal: [{ account: '474210', gross: '-4.00' }],
      },
    ],
  }),
  /** Laundry 10.00 and a refund of 25.00: the employee owes the company 15.00. */
  negativeReport: fisDocument({
    ...GERMAN,
    id: 'case-negative-report-01',
    reportId: 'CASE07NEGATIVE',
    name: 'Credits exceed expenses',
    total: '-15.00',
    entries: [
      LAUNDRY_WITH_VAT,
      {
        type: 'TRAIN',
        name: 'Train ticket refund',
        approved: '-25.00',
        journal: [{ account: '474210', gross: '-25.00' }],
      },
    ],
  }),
  /** A car rental refunded on the company card (individually billed, company paid). */
  cardCredit: fisDocument({
    employeeId: 'uiexp',
    currency: 'USD',
    country: 'US',
    id: 'case-card-credit-01',
    reportId: 'CASE08CARDCREDIT',
    name: 'Card refund',
    total: '-56.10',
    entries: [
      {
        type: 'CARRT',
        name: 'Car Rental',
        approved: '-56.10',
        costObject: '1000',
        card: { transactionId: '111112589399901', amount: '-56.10' },
        journal: [{ account: '11', gross: '-56.10', payee: 'IBCP' }],
      },
    ],
  }),
  /**
   * A car rental on the company card, a minibar charge on the same card marked personal (COMP → IBCP,
   * `entryIsPersonal` Y) and a personal phone call the platform already shows as owed by the
   * employee to the card (EMPL → IBCP).
   */
  personalOnCard: fisDocument({
    employeeId: 'uiexp',
    currency: 'USD',
    country: 'US',
    id: 'case-personal-on-card-01',
    reportId: 'CASE09PERSONAL',
    name: 'Personal card items',
    total: '56.10',
    entries: [
      {
        type: 'CARRT',
        name: 'Car Rental',
        approved: '56.10',
        costObject: '1000',
        card: { transactionId: '111112589399902', amount: '56.10' },
        journal: [{ account: '11', gross: '56.10', payee: 'IBCP' }],
      },
      {
        type: 'BRKFT',
        name: 'Minibar',
        approved: '0',
        personal: true,
        costObject: '1000',
        card: { transactionId: '111112589399903', amount: '20.00' },
        journal: [{ account: '474230', gross: '20.00', payee: 'IBCP' }],
      },
      {
        type: 'PHONE',
        name: 'Phone call',
        approved: '0',
        personal: true,
        costObject: '1000',
        card: { transactionId: '111112589399904', amount: '5.00' },
        journal: [{ account: '474230', gross: '5.00', payer: 'EMPL', payee: 'IBCP' }],
      },
    ],
  }),
} as const;
