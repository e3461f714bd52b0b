/**
 * What flows need from an ERP: master data read incrementally, vendors found and created, supplier
 * invoices and journal entries posted with our reference (the effect ledger looks them up by it),
 * and payment status (cleared items). Amounts are decimal strings with their currency.
 */
import type { CostCenter, GlAccount, LegalEntity, Project, TaxCode } from '../../canonical/model/master-data.js';
import type { MoneyShape } from '../../canonical/model/common.js';

export interface MasterDataSnapshot {
  readonly legalEntities: readonly LegalEntity[];
  readonly glAccounts: readonly GlAccount[];
  readonly costCenters: readonly CostCenter[];
  readonly projects: readonly Project[];
  readonly taxCodes: readonly TaxCode[];
  /** The newest change time (RFC 3339) among the records read: where the next incremental read starts. */
  readonly newestChangeAt?: string;
}

/** One posted line on a cost object (cost center or WBS element), for budget actuals. */
export interface CostObjectPosting {
  readonly companyCode: string;
  readonly fiscalYear: number;
  readonly postingDate: string;
  readonly glAccount: string;
  readonly costCenter?: string;
  readonly project?: string;
  /** Debit positive, credit negative, in the transaction currency. */
  readonly amount: MoneyShape;
}

export interface VendorQuery {
  /** The ERP's own vendor number. */
  readonly vendorId?: string;
  readonly taxNumber?: string;
  readonly iban?: string;
  /** Part of the name. */
  readonly name?: string;
  /** Our reference, as sent with `createVendor` (the effect ledger's lookup); for an employee vendor, the personnel number. */
  readonly reference?: string;
}

export interface ErpVendor {
  readonly vendorId: string;
  readonly name: string;
  readonly taxNumbers: readonly string[];
  readonly ibans: readonly string[];
  readonly companyCodes: readonly string[];
  /** Blocked for posting or payment. */
  readonly blocked: boolean;
  /** The ERP's concurrency token as read (an ETag); `updateVendor` sends it back. */
  readonly version?: string;
  /** ISO country, where the ERP records one (bank or tax registration country). */
  readonly country?: string;
  /** Our reference, when the vendor was created (or marked) with one. */
  readonly reference?: string;
}

/** Changes to a vendor's general data; fields left out stay as they are. */
export interface VendorChanges {
  readonly name?: string;
  readonly blocked?: boolean;
  /** Our reference for the vendor. */
  readonly reference?: string;
}

export interface NewVendor {
  /** Our reference for the vendor (kept by the ERP, up to 20 characters). */
  readonly reference: string;
  readonly name: string;
  /**
   * A natural person (an employee vendor, for expense reimbursement) instead of an organization:
   * SAP business partner category 1 with first and last name.
   */
  readonly person?: { readonly firstName: string; readonly lastName: string };
  readonly country: string;
  readonly vatNumber?: string;
  /** A national tax number that is not a VAT registration (e.g. a US TIN). */
  readonly taxNumber?: string;
  readonly bankAccounts: readonly { readonly iban: string; readonly bic?: string; readonly holderName?: string }[];
  readonly companyCodes: readonly {
    readonly companyCode: string;
    readonly reconciliationAccount: string;
    readonly paymentTerms?: string;
  }[];
}

export interface ErpInvoiceLine {
  readonly glAccount: string;
  readonly side: 'D' | 'C';
  readonly amount: MoneyShape;
  readonly costCenter?: string;
  readonly project?: string;
  readonly taxCode?: string;
  readonly text?: string;
  /**
   * The purchase order item the line is invoiced against: the ERP takes the account assignment from
   * the order (a supplier invoice sends such lines as PO reference items, not G/L account items).
   */
  readonly purchaseOrder?: ErpPurchaseOrderReference;
}

export interface ErpPurchaseOrderReference {
  readonly purchaseOrder: string;
  readonly purchaseOrderItem: string;
  readonly quantity?: string;
  readonly unitOfMeasure?: string;
}

export interface ErpSupplierInvoice {
  /** Our reference: the supplier's invoice number, at most 16 characters. */
  readonly reference: string;
  readonly companyCode: string;
  readonly vendorId: string;
  readonly documentDate: string;
  readonly postingDate: string;
  readonly gross: MoneyShape;
  readonly lines: readonly ErpInvoiceLine[];
  readonly taxes: readonly { readonly taxCode: string; readonly amount: MoneyShape }[];
  readonly headerText?: string;
}

export interface ErpJournalEntry {
  /** Our reference, at most 16 characters. */
  readonly reference: string;
  readonly companyCode: string;
  readonly documentType?: string;
  readonly documentDate: string;
  readonly postingDate: string;
  readonly headerText?: string;
  readonly lines: readonly ErpJournalLine[];
}

/**
 * A journal entry line: a G/L line, a vendor line (`vendorId`), or an input tax line (`taxBase`: the
 * net amount the tax is on; the ERP books it by its tax code, not to `glAccount`).
 */
export type ErpJournalLine = ErpInvoiceLine & { readonly vendorId?: string; readonly taxBase?: MoneyShape };

/** An ERP document as the ERP numbers it. */
export interface ErpDocumentRef {
  readonly kind: 'supplier_invoice' | 'journal_entry';
  readonly documentId: string;
  readonly fiscalYear: string;
  readonly companyCode: string;
}

/**
 * A link to put on a posted ERP document: a web address with a description an auditor reads in the
 * ERP (approval evidence, a receipt image, the source document's page). The ERP keeps at most 255
 * characters of each (SAP's `Url` and `UrlDescription`); longer values are refused, not cut.
 */
export interface ErpAttachmentLink {
  /** An absolute http(s) URL, at most 255 characters. */
  readonly url: string;
  /** At most 255 characters. */
  readonly description: string;
}

/** Links to put on one posted document. */
export interface ErpAttachmentTarget {
  readonly document: ErpDocumentRef;
  readonly links: readonly ErpAttachmentLink[];
}

/** An attachment the ERP holds on a document, as it lists it. */
export interface ErpAttachment {
  /** The ERP's id of the attachment. */
  readonly id: string;
  /** The linked address, for a URL attachment. */
  readonly url?: string;
  /** The description or file name the ERP shows. */
  readonly description?: string;
  readonly mediaType?: string;
  readonly createdBy?: string;
  /** RFC 3339. */
  readonly createdAt?: string;
}

export interface PaymentStatus {
  readonly companyCode: string;
  readonly fiscalYear: string;
  readonly accountingDocument: string;
  readonly reference: string;
  readonly vendorId: string;
  readonly amount: MoneyShape;
  readonly clearingDocument: string;
  readonly clearingDate: string;
}

export interface ErpPort {
  /** Dimensions changed since the instant (all of them when `since` is null). */
  readMasterData(since: string | null): Promise<MasterDataSnapshot>;
  findVendors(query: VendorQuery): Promise<ErpVendor[]>;
  /** Vendors changed on or after the instant (RFC 3339), every vendor when `since` is null. */
  vendorsChangedSince(since: string | null): Promise<ErpVendor[]>;
  createVendor(vendor: NewVendor): Promise<string>;
  /**
   * Changes a vendor if it is still at `version` (as read with findVendors); answers the new version.
   * A vendor changed by someone else since is LL_ERR_REMOTE_REJECTED: read again, then decide.
   */
  updateVendor(vendorId: string, changes: VendorChanges, version: string): Promise<string | undefined>;
  postSupplierInvoice(invoice: ErpSupplierInvoice): Promise<ErpDocumentRef>;
  postJournalEntry(entry: ErpJournalEntry): Promise<ErpDocumentRef>;
  /**
   * Reverses a posted supplier invoice on the posting date (YYYY-MM-DD) with the ERP's reversal
   * reason (SAP `Cancel`); answers the reversal document. Absent: the ERP cannot reverse invoices
   * through its API. An invoice already reversed is LL_ERR_REMOTE_REJECTED: find it with reversalOf.
   */
  reverseSupplierInvoice?(invoice: ErpDocumentRef, postingDate: string, reason: string): Promise<ErpDocumentRef>;
  /** The reversal of a posted supplier invoice, or null while it is not reversed. */
  reversalOf?(invoice: ErpDocumentRef): Promise<ErpDocumentRef | null>;
  /** The document posted with our reference, or null (the effect ledger's lookup). */
  findDocumentByReference(
    kind: ErpDocumentRef['kind'],
    reference: string,
    scope: { companyCode: string; vendorId?: string },
  ): Promise<ErpDocumentRef | null>;
  /**
   * Links URLs to posted documents (supplier invoices or journal entries), so whoever opens a
   * document in the ERP sees them; answers each target's attachments in its links' order. All links
   * are kept or none (one unit of work in the ERP). An unknown document or a link the ERP refuses is
   * LL_ERR_REMOTE_REJECTED; a link over the limits of ErpAttachmentLink is LL_ERR_VALIDATION.
   */
  linkAttachments(targets: readonly ErpAttachmentTarget[]): Promise<ErpAttachment[][]>;
  /** The attachments of a posted document (the effect ledger's lookup for linkAttachments). */
  listAttachments(document: ErpDocumentRef): Promise<ErpAttachment[]>;
  /** Vendor items cleared (paid) on or after the date. */
  readPaymentStatus(sinceDate: string): Promise<PaymentStatus[]>;
  /** G/L lines of a company code and fiscal year that carry a cost center or WBS element (budget actuals). */
  readCostObjectPostings?(companyCode: string, fiscalYear: number): Promise<CostObjectPosting[]>;
}
