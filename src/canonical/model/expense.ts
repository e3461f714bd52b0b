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

/** Card number as stored anywhere in the hub: BIN (6–8 digits), masked middle, last 4. */
export const MaskedPan = Type.String({ pattern: '^[0-9]{6,8}\\*{1,9}[0-9]{4}$' });

export const CardTransactionSchema = Type.Object(
  {
    id: Identifier,
    refs: Refs,
    maskedPan: MaskedPan,
    merchantName: Name,
    merchantCountry: Type.Optional(CountryCode),
    transactionDate: IsoDate,
    postedDate: Type.Optional(IsoDate),
    /** Amount billed on the card statement. */
    billedAmount: MoneySchema,
    /** Amount in the merchant's currency, when it differs. */
    originalAmount: Type.Optional(MoneySchema),
  },
  { additionalProperties: false },
);
export type CardTransaction = Static<typeof CardTransactionSchema>;

export const CashAdvanceSchema = Type.Object(
  {
    id: Identifier,
    refs: Refs,
    issuedDate: IsoDate,
    amount: MoneySchema,
    /** Portion of the advance applied to this report. */
    appliedAmount: MoneySchema,
    exchangeRate: Type.Optional(NonNegativeDecimalString),
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
