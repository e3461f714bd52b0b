/**
 * What the hub posts to the ERP and what comes back: journal entries (balanced per currency, see
 * journal.ts), AP invoices, and payments with their status.
 */
import { Type, type Static } from 'typebox';
import {
  codingDimensions,
  CurrencyCode,
  Identifier,
  IsoDate,
  IsoDateTime,
  LineNumber,
  MoneySchema,
  Refs,
  Text,
  transactionEvidence,
} from './common.js';
import { PaymentTermsSchema } from './parties.js';
import { InvoiceKindSchema } from './procurement.js';

const CompanyCode = Type.String({ minLength: 1, maxLength: 16 });
const Account = Type.String({ minLength: 1, maxLength: 32 });

/** Same shape as journal.ts JournalLine, so entries can be checked with assertBalanced. */
export const JournalEntryLineSchema = Type.Object(
  {
    account: Account,
    side: Type.Enum(['D', 'C']),
    amount: MoneySchema,
    costCenter: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    project: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    taxCode: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    /** Business partner (supplier or employee id) for sub-ledger lines. */
    partner: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    text: Type.Optional(Type.String({ maxLength: 256 })),
  },
  { additionalProperties: false },
);
export type JournalEntryLine = Static<typeof JournalEntryLineSchema>;

/** The canonical document a journal entry was derived from. */
export const SourceDocumentSchema = Type.Object(
  {
    kind: Type.Enum(['expense_report', 'supplier_invoice', 'card_transaction', 'other']),
    id: Identifier,
    version: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type SourceDocument = Static<typeof SourceDocumentSchema>;

export const JournalEntrySchema = Type.Object(
  {
    id: Identifier,
    refs: Refs,
    companyCode: CompanyCode,
    documentType: Type.Optional(Type.String({ minLength: 1, maxLength: 8 })),
    documentDate: IsoDate,
    postingDate: IsoDate,
    /** External reference the ERP keeps (and the hub finds the document by after a lost response). */
    reference: Type.String({ minLength: 1, maxLength: 64 }),
    headerText: Type.Optional(Type.String({ maxLength: 256 })),
    source: Type.Optional(SourceDocumentSchema),
    reversalOf: Type.Optional(Identifier),
    lines: Type.Array(JournalEntryLineSchema, { minItems: 2 }),
    ...transactionEvidence,
  },
  { $id: 'JournalEntry', additionalProperties: false },
);
export type JournalEntry = Static<typeof JournalEntrySchema>;

export const ApInvoiceLineSchema = Type.Object(
  {
    lineNumber: LineNumber,
    glAccount: Identifier,
    /** Net amount of the line. */
    amount: MoneySchema,
    costCenter: codingDimensions.costCenter,
    project: codingDimensions.project,
    taxCode: codingDimensions.taxCode,
    text: Type.Optional(Type.String({ maxLength: 256 })),
    purchaseOrderId: Type.Optional(Identifier),
    purchaseOrderLine: Type.Optional(LineNumber),
  },
  { additionalProperties: false },
);
export type ApInvoiceLine = Static<typeof ApInvoiceLineSchema>;

export const ApTaxLineSchema = Type.Object(
  { taxCode: Identifier, baseAmount: MoneySchema, taxAmount: MoneySchema },
  { additionalProperties: false },
);
export type ApTaxLine = Static<typeof ApTaxLineSchema>;

/** A supplier (or employee payee) invoice as posted to the ERP's accounts payable. */
export const ApInvoiceSchema = Type.Object(
  {
    id: Identifier,
    refs: Refs,
    companyCode: CompanyCode,
    /** The ERP vendor (payee) the liability is posted to. */
    supplierId: Identifier,
    kind: InvoiceKindSchema,
    reference: Type.String({ minLength: 1, maxLength: 64 }),
    documentDate: IsoDate,
    postingDate: IsoDate,
    dueDate: Type.Optional(IsoDate),
    currency: CurrencyCode,
    grossAmount: MoneySchema,
    taxAmount: MoneySchema,
    paymentTerms: Type.Optional(PaymentTermsSchema),
    paymentBlocked: Type.Boolean(),
    headerText: Type.Optional(Type.String({ maxLength: 256 })),
    source: Type.Optional(SourceDocumentSchema),
    lines: Type.Array(ApInvoiceLineSchema, { minItems: 1 }),
    taxLines: Type.Array(ApTaxLineSchema),
    ...transactionEvidence,
  },
  { $id: 'ApInvoice', additionalProperties: false },
);
export type ApInvoice = Static<typeof ApInvoiceSchema>;

export const paymentStatuses = ['scheduled', 'sent', 'paid', 'failed', 'returned', 'cancelled'] as const;
export const PaymentStatusSchema = Type.Enum(paymentStatuses);
export type PaymentStatus = Static<typeof PaymentStatusSchema>;

export const PaymentSchema = Type.Object(
  {
    id: Identifier,
    refs: Refs,
    companyCode: CompanyCode,
    payee: Type.Object({ kind: Type.Enum(['supplier', 'employee']), id: Identifier }, { additionalProperties: false }),
    status: PaymentStatusSchema,
    statusAt: IsoDateTime,
    statusReason: Type.Optional(Text),
    amount: MoneySchema,
    method: Type.Enum(['sepa_credit_transfer', 'ach', 'wire', 'check', 'card', 'other']),
    paymentDate: Type.Optional(IsoDate),
    valueDate: Type.Optional(IsoDate),
    /** Bank reference / end-to-end id. */
    reference: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    /** What this payment settles: AP invoices or expense reports, with the amount applied to each. */
    settles: Type.Array(
      Type.Object(
        {
          kind: Type.Enum(['ap_invoice', 'expense_report', 'supplier_invoice']),
          id: Identifier,
          amount: MoneySchema,
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
  },
  { $id: 'Payment', additionalProperties: false },
);
export type Payment = Static<typeof PaymentSchema>;

export const accountingSchemas = [JournalEntrySchema, ApInvoiceSchema, PaymentSchema] as const;
