/**
 * Procure-to-pay documents from the procurement suite: purchase orders, goods receipts and the
 * supplier invoices matched against them.
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
  Name,
  NonNegativeDecimalString,
  Refs,
  Text,
  transactionEvidence,
} from './common.js';
import { PaymentTermsSchema } from './parties.js';

const CompanyCode = Type.String({ minLength: 1, maxLength: 16 });
const UnitOfMeasure = Type.String({ minLength: 1, maxLength: 8, description: 'e.g. EA, H, KG' });

export const PurchaseOrderLineSchema = Type.Object(
  {
    lineNumber: LineNumber,
    description: Text,
    quantity: NonNegativeDecimalString,
    unitOfMeasure: UnitOfMeasure,
    unitPrice: MoneySchema,
    netAmount: MoneySchema,
    ...codingDimensions,
    materialGroup: Type.Optional(Identifier),
    /** Invoices for this line need a goods receipt before they match (three-way match). */
    goodsReceiptRequired: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type PurchaseOrderLine = Static<typeof PurchaseOrderLineSchema>;

export const PurchaseOrderStatusSchema = Type.Enum(['draft', 'issued', 'closed', 'cancelled']);

export const PurchaseOrderSchema = Type.Object(
  {
    id: Identifier,
    refs: Refs,
    number: Identifier,
    companyCode: CompanyCode,
    supplierId: Identifier,
    status: PurchaseOrderStatusSchema,
    orderDate: IsoDate,
    currency: CurrencyCode,
    buyerId: Type.Optional(Identifier),
    paymentTerms: Type.Optional(PaymentTermsSchema),
    lines: Type.Array(PurchaseOrderLineSchema, { minItems: 1 }),
    total: MoneySchema,
    ...transactionEvidence,
  },
  { $id: 'PurchaseOrder', additionalProperties: false },
);
export type PurchaseOrder = Static<typeof PurchaseOrderSchema>;

export const GoodsReceiptLineSchema = Type.Object(
  {
    lineNumber: LineNumber,
    purchaseOrderLine: LineNumber,
    /** Received quantity; a return is recorded as a separate receipt with `reversal: true`. */
    quantity: NonNegativeDecimalString,
    unitOfMeasure: UnitOfMeasure,
  },
  { additionalProperties: false },
);
export type GoodsReceiptLine = Static<typeof GoodsReceiptLineSchema>;

export const GoodsReceiptSchema = Type.Object(
  {
    id: Identifier,
    refs: Refs,
    number: Type.Optional(Identifier),
    companyCode: CompanyCode,
    purchaseOrderId: Identifier,
    receivedAt: IsoDateTime,
    postingDate: IsoDate,
    receivedById: Type.Optional(Identifier),
    reversal: Type.Boolean(),
    lines: Type.Array(GoodsReceiptLineSchema, { minItems: 1 }),
  },
  { $id: 'GoodsReceipt', additionalProperties: false },
);
export type GoodsReceipt = Static<typeof GoodsReceiptSchema>;

export const SupplierInvoiceLineSchema = Type.Object(
  {
    lineNumber: LineNumber,
    description: Type.Optional(Text),
    quantity: Type.Optional(NonNegativeDecimalString),
    unitOfMeasure: Type.Optional(UnitOfMeasure),
    unitPrice: Type.Optional(MoneySchema),
    netAmount: MoneySchema,
    taxAmount: Type.Optional(MoneySchema),
    ...codingDimensions,
    /** The purchase order line this invoice line is matched to. */
    purchaseOrderId: Type.Optional(Identifier),
    purchaseOrderLine: Type.Optional(LineNumber),
  },
  { additionalProperties: false },
);
export type SupplierInvoiceLine = Static<typeof SupplierInvoiceLineSchema>;

export const InvoiceKindSchema = Type.Enum(['invoice', 'credit_note']);
export const MatchStatusSchema = Type.Enum(['matched', 'unmatched', 'not_required']);

export const SupplierInvoiceSchema = Type.Object(
  {
    id: Identifier,
    refs: Refs,
    companyCode: CompanyCode,
    supplierId: Identifier,
    kind: InvoiceKindSchema,
    /** The supplier's own invoice number (the duplicate check key with supplier and date). */
    invoiceNumber: Type.String({ minLength: 1, maxLength: 64 }),
    invoiceDate: IsoDate,
    receivedDate: Type.Optional(IsoDate),
    dueDate: Type.Optional(IsoDate),
    currency: CurrencyCode,
    netAmount: MoneySchema,
    taxAmount: MoneySchema,
    grossAmount: MoneySchema,
    purchaseOrderId: Type.Optional(Identifier),
    matchStatus: MatchStatusSchema,
    paymentTerms: Type.Optional(PaymentTermsSchema),
    supplierName: Type.Optional(Name),
    lines: Type.Array(SupplierInvoiceLineSchema, { minItems: 1 }),
    ...transactionEvidence,
  },
  { $id: 'SupplierInvoice', additionalProperties: false },
);
export type SupplierInvoice = Static<typeof SupplierInvoiceSchema>;

export const procurementSchemas = [PurchaseOrderSchema, GoodsReceiptSchema, SupplierInvoiceSchema] as const;
