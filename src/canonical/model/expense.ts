/**
 * Travel and expense documents from the expense platform: a report with its entries, how each entry
 * is allocated to cost objects, its tax lines, the company card transactions and cash advances.
 */
import { Type, type Static } from 'typebox';
import {
  AttachmentRefSchema,
  codingDimensions,
  CountryCode,
  CurrencyCode,
  Identifier,
  IsoDate,
  IsoDateTime,
  MoneySchema,
  Name,
  NonNegativeDecimalString,
  PercentString,
  Refs,
  Text,
  transactionEvidence,
} from './common.js';

/** A share of an entry charged to one set of cost objects; the shares of an entry add up to it. */
export const ExpenseAllocationSchema = Type.Object(
  {
    percent: PercentString,
    amount: MoneySchema,
    ...codingDimensions,
  },
  { additionalProperties: false },
);
export type ExpenseAllocation = Static<typeof ExpenseAllocationSchema>;

export const ExpenseTaxLineSchema = Type.Object(
  {
    taxCode: Identifier,
    country: Type.Optional(CountryCode),
    ratePercent: Type.Optional(PercentString),
    netAmount: MoneySchema,
    taxAmount: MoneySchema,
    /** The part of taxAmount that can be reclaimed. */
    reclaimableAmount: Type.Optional(MoneySchema),
  },
  { additionalProperties: false },
);
export type ExpenseTaxLine = Static<typeof ExpenseTaxLineSchema>;

/**
 * Card number as stored anywhere in the hub: BIN (6–8 digits), masked middle, last 4. A full card
 * number (PAN) is never stored: no field of a card transaction accepts one.
 */
export const MaskedPan = Type.String({ pattern: '^[0-9]{6,8}\\*{1,9}[0-9]{4}$' });
/** The last four digits of the card, when the source gives nothing more. */
export const CardLastFour = Type.String({ pattern: '^[0-9]{4}$' });
/**
 * The card platform's opaque id of the card account (a GUID in SAP Concur). Never a card number:
 * text of 12 to 19 digits, spaces or dashes alone is refused.
 */
export const CardAccountId = Type.String({ minLength: 1, maxLength: 128, pattern: '^(?![0-9 -]{12,23}$).+$' });

/**
 * Who the card issuer bills: `individual` (individually billed, company paid; Concur IBCP) or
 * `company` (company billed, company paid; Concur CBCP).
 */
export const CardBillingSchema = Type.Enum(['individual', 'company']);

/**
 * A company card charge behind an expense entry. The card is identified without its number: by
 * a masked number or last four when the source has them, by the card account id, program and
 * billing, and by the issuer's transaction or statement reference.
 */
export const CardTransactionSchema = Type.Object(
  {
    id: Identifier,
    refs: Refs,
    maskedPan: Type.Optional(MaskedPan),
    lastFour: Type.Optional(CardLastFour),
    cardAccountId: Type.Optional(CardAccountId),
    /** Card program or issuer code as the source names it (Concur `cardProgramTypeCode`, e.g. "AX"). */
    cardProgram: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    billing: Type.Optional(CardBillingSchema),
    /** The issuer's reference of the transaction on the card statement. */
    statementReference: Type.Optional(Identifier),
    merchantName: Type.Optional(Name),
    merchantCountry: Type.Optional(CountryCode),
    transactionDate: IsoDate,
    postedDate: Type.Optional(IsoDate),
    /** Amount billed on the card statement. */
    billedAmount: MoneySchema,
    /** Amount of the transaction as charged by the merchant, when it differs from the billed amount. */
    originalAmount: Type.Optional(MoneySchema),
  },
  { additionalProperties: false },
);
export type CardTransaction = Static<typeof CardTransactionSchema>;

/**
 * A cash advance applied to a report. The platform may name only the advance and the amount applied
 * (SAP Concur's `cashAdvanceApplication[]`), so the issue date and the advance's own amount are
 * optional. `appliedAmount` is in the report currency and reduces what the employee is owed; a
 * negative one (an application reversed) increases it.
 */
export const CashAdvanceSchema = Type.Object(
  {
    id: Identifier,
    refs: Refs,
    issuedDate: Type.Optional(IsoDate),
    /** The advance as issued, in its own currency. */
    amount: Type.Optional(MoneySchema),
    /** Portion of the advance applied to this report, in the report currency. */
    appliedAmount: MoneySchema,
    exchangeRate: Type.Optional(NonNegativeDecimalString),
    /** The source's code of the account the advance clears against (mapped to a GL account). */
    clearingAccountCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type CashAdvance = Static<typeof CashAdvanceSchema>;

export const ExpensePaymentTypeSchema = Type.Enum(['cash', 'company_card', 'company_paid']);

export const ExpenseEntrySchema = Type.Object(
  {
    id: Identifier,
    refs: Refs,
    expenseType: Type.String({ minLength: 1, maxLength: 64 }),
    transactionDate: IsoDate,
    vendorName: Type.Optional(Name),
    description: Type.Optional(Text),
    /** Amount in the report currency. */
    amount: MoneySchema,
    /** Amount as spent, when in another currency; exchangeRate converts it to `amount`. */
    originalAmount: Type.Optional(MoneySchema),
    exchangeRate: Type.Optional(NonNegativeDecimalString),
    paymentType: ExpensePaymentTypeSchema,
    /** Personal share the employee bears; not reimbursed nor posted as expense. */
    personal: Type.Boolean(),
    cardTransactionId: Type.Optional(Identifier),
    allocations: Type.Array(ExpenseAllocationSchema),
    taxLines: Type.Array(ExpenseTaxLineSchema),
    attachments: Type.Array(AttachmentRefSchema),
  },
  { additionalProperties: false },
);
export type ExpenseEntry = Static<typeof ExpenseEntrySchema>;

export const ExpenseReportStatusSchema = Type.Enum(['submitted', 'approved', 'sent_for_payment', 'paid', 'recalled']);

export const ExpenseReportSchema = Type.Object(
  {
    id: Identifier,
    refs: Refs,
    reportNumber: Type.Optional(Identifier),
    name: Name,
    employeeId: Identifier,
    companyCode: Type.String({ minLength: 1, maxLength: 16 }),
    currency: CurrencyCode,
    status: ExpenseReportStatusSchema,
    purpose: Type.Optional(Text),
    submittedAt: IsoDateTime,
    approvedAt: Type.Optional(IsoDateTime),
    entries: Type.Array(ExpenseEntrySchema, { minItems: 1 }),
    cardTransactions: Type.Array(CardTransactionSchema),
    cashAdvances: Type.Array(CashAdvanceSchema),
    total: MoneySchema,
    /** What the company owes the employee: total less company-paid, card and personal amounts and advances. */
    reimbursableAmount: MoneySchema,
    ...transactionEvidence,
  },
  { $id: 'ExpenseReport', additionalProperties: false },
);
export type ExpenseReport = Static<typeof ExpenseReportSchema>;

export const expenseSchemas = [ExpenseReportSchema] as const;
