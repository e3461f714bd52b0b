/**
 * The procurement suite (Coupa): approved suppliers to create in the ERP and the ERP vendor number
 * written back; approved invoices read once (unexported) and marked exported after the ERP accepted
 * them; purchase orders and receipts for matching; dimensions published from the ERP; integration
 * history and errors recorded on the suite's monitoring pages.
 */
import type { GoodsReceipt, PurchaseOrder, Supplier, SupplierInvoice } from '../../canonical/model/index.js';

/** A supplier as the suite holds it, with what the canonical model has no place for. */
export interface ProcurementSupplier {
  readonly supplier: Supplier;
  /** The ERP vendor number already written back, if any. */
  readonly erpVendorNumber: string | undefined;
  /** The suite's change time (RFC 3339), the cursor for the next incremental read. */
  readonly updatedAt: string;
}

/** One value of a dimension to publish: an account (segments) or a lookup value. */
export type DimensionValue =
  | {
      readonly kind: 'account';
      /** The chart of accounts (Coupa account type) it belongs to. */
      readonly chartOfAccounts: string;
      readonly name: string;
      /** Segment values in order (company code, GL account, cost center, …). */
      readonly segments: readonly string[];
      readonly active: boolean;
    }
  | {
      readonly kind: 'lookup_value';
      /** The lookup (dimension) it belongs to, e.g. "Projects", "Tax Codes". */
      readonly lookup: string;
      /** The ERP's code: the key the value is found and updated by. */
      readonly code: string;
      readonly name: string;
      readonly parentCode?: string;
      readonly active: boolean;
    };

/** A dimension value as the suite holds it, read back (drift), with the suite's id. */
export type HeldDimensionValue = DimensionValue & { readonly id: string };

export interface PublishDimensionsResult {
  readonly created: number;
  readonly updated: number;
  readonly deactivated: number;
  readonly unchanged: number;
}

/** An invoice as the suite holds it, with what the canonical model has no place for. */
export interface ProcurementInvoice {
  readonly invoice: SupplierInvoice;
  /** The suite's status (approved, pending_approval, disputed, voided, …). */
  readonly status: string;
  readonly exported: boolean;
  /** The suite's change time (RFC 3339): the invoice version. */
  readonly updatedAt: string;
  /** The ERP vendor number the suite holds on the invoice's supplier, if any. */
  readonly supplierErpNumber: string | undefined;
}

export interface IntegrationRecord {
  /** The suite's document type, e.g. "InvoiceHeader", "Supplier". */
  readonly documentType: string;
  /** The suite's id of the document. */
  readonly documentId: string;
  /** Short status text: "success", or the failure. */
  readonly status: string;
  /** Who is alerted on the suite side: "Functional" (a business user) or "Technical". */
  readonly alertType?: 'Functional' | 'Technical';
  /** Integration code configured in the suite, when one is set up. */
  readonly integrationCode?: string;
  /** Messages: code and text (ERP document number, or the ERP's error). */
  readonly responses: readonly { readonly code: string; readonly message: string }[];
  /** Our reference for the record (the effect's idempotency key), kept with it so it can be found again. */
  readonly reference?: string;
}

export type IntegrationRecordKind = 'history' | 'error';

export interface ProcurementPort {
  /** Approved (active) suppliers changed at or after `since` (RFC 3339), all pages. */
  approvedSuppliersChangedSince(since: string): Promise<ProcurementSupplier[]>;
  /** One supplier by the suite's id, whatever its status; null when there is none. */
  supplierById(supplierId: string): Promise<ProcurementSupplier | null>;
  /** Writes the ERP vendor number to the supplier (`supplierId` is the suite's id). */
  writeBackVendorNumber(supplierId: string, erpVendorNumber: string): Promise<void>;
  /** Approved invoices not yet exported, all pages. */
  approvedUnexportedInvoices(): Promise<SupplierInvoice[]>;
  /**
   * Approved invoices dated within the period (invoice date, YYYY-MM-DD, both ends included), exported
   * or not, all pages. Read-only: what reconciliation compares with the ERP postings.
   */
  approvedInvoicesDated(from: string, to: string): Promise<SupplierInvoice[]>;
  /** Approved invoices not yet exported, with their versions, all pages; only those changed at or after `changedSince` (RFC 3339) when given. */
  invoicesToExport(changedSince?: string): Promise<ProcurementInvoice[]>;
  /** One invoice by the suite's id, whatever its status; null when there is none. */
  invoiceById(invoiceId: string): Promise<ProcurementInvoice | null>;
  /** Marks an invoice exported so it is not listed again (after the ERP accepted it). */
  markInvoiceExported(invoiceId: string): Promise<void>;
  /** Marks an invoice paid on the day the ERP cleared it (YYYY-MM-DD); repeating it changes nothing. */
  markInvoicePaid?(invoiceId: string, paidOn: string): Promise<void>;
  /** Purchase orders by their numbers (an invoice line's `purchaseOrderId`), for matching invoice lines. */
  purchaseOrders(ids: readonly string[]): Promise<PurchaseOrder[]>;
  /** Receipts against the given purchase orders (the suite's ids). */
  receipts(purchaseOrderIds: readonly string[]): Promise<GoodsReceipt[]>;
  /** Creates, updates and deactivates dimension values so the suite matches the ERP. */
  publishDimensions(values: readonly DimensionValue[]): Promise<PublishDimensionsResult>;
  /** Every account and lookup value the suite holds, active or not (all pages): what drift compares. */
  listDimensions?(): Promise<HeldDimensionValue[]>;
  /** Purchase orders still open (issued, not closed or cancelled), all pages: budget commitments. */
  openPurchaseOrders?(): Promise<PurchaseOrder[]>;
  /** Records the outcome of exporting a document; answers the record's id. */
  recordIntegrationHistory(record: IntegrationRecord): Promise<string>;
  /** Records an integration error against a document; answers the record's id. */
  recordIntegrationError(record: IntegrationRecord): Promise<string>;
  /** The id of the record of a document written with our `reference`, or null (the effect ledger's lookup). */
  findIntegrationRecord(
    kind: IntegrationRecordKind,
    documentType: string,
    documentId: string,
    reference: string,
  ): Promise<string | null>;
}
