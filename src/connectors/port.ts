/**
 * Capability interfaces the flows call. Connectors implement them against vendor APIs; flows see only
 * these types. One file per port under ports/, re-exported here.
 */
export type { EchoSinkPort } from './ports/echo-sink-port.js';
export type {
  DimensionValue,
  HeldDimensionValue,
  IntegrationRecord,
  IntegrationRecordKind,
  ProcurementInvoice,
  ProcurementPort,
  ProcurementSupplier,
  PublishDimensionsResult,
} from './ports/procurement-port.js';
export type {
  CashAdvanceDocument,
  CashAdvanceJournalLine,
  ErpPostingDocument,
  ExpenseDocType,
  ExpenseDocument,
  ExpenseJournalLine,
  ExpensePort,
  HeldListValue,
  ItemOutcome,
  ListValue,
  PaymentConfirmation,
  PostingConfirmation,
  ReadyDocumentRef,
} from './ports/expense-port.js';
export type {
  CostObjectPosting,
  ErpAttachment,
  ErpAttachmentLink,
  ErpAttachmentTarget,
  ErpDocumentRef,
  ErpInvoiceLine,
  ErpJournalEntry,
  ErpPort,
  ErpPurchaseOrderReference,
  ErpSupplierInvoice,
  ErpVendor,
  MasterDataSnapshot,
  NewVendor,
  PaymentStatus,
  VendorChanges,
  VendorQuery,
} from './ports/erp-port.js';
export type { DirectoryEnterpriseFields, DirectoryPort, DirectoryUser } from './ports/directory-port.js';
export type { Bound, Connectors } from './ports/connected-systems.js';
export type { CheckOutcome, ContractCheckable, ContractFinding } from './ports/contract-check.js';
