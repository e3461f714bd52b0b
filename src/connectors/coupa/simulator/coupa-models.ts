/**
 * The models the simulated tenant enforces, written from Coupa's R39 OpenAPI files (the `definitions`
 * named below; `shared/reference/contracts/coupa/`): for each resource the fields a write may carry,
 * the fields the model marks read-only (`readOnly: true`), the fields a create needs (`required`), the
 * integer and boolean fields, and value lists. A field outside `writable` and `readOnly` is unknown.
 * Only the part of each model the simulator stores is listed, so the simulator is stricter than a
 * tenant for writable fields it does not model (docs/connectors.md, Coupa, "The simulator").
 */

export interface ResourceModel {
  /** The OpenAPI file and definition. */
  readonly source: string;
  /** The object's name in Coupa's error answer (`{"errors":{"<object>":[…]}}`). */
  readonly object: string;
  readonly writable: readonly string[];
  readonly readOnly: readonly string[];
  /** What a create must carry (the definition's `required`, as far as the simulator models it). */
  readonly required: readonly string[];
  readonly integers?: readonly string[];
  readonly booleans?: readonly string[];
  readonly values?: Readonly<Record<string, readonly string[]>>;
  /** Lists of nested objects whose items are checked against another model. */
  readonly nested?: Readonly<Record<string, ResourceModel>>;
}

/** The fields every model marks read-only: the id and Coupa's own timestamps. */
const STAMPS = ['id', 'created-at', 'updated-at'];

/** R39_Core_Platform_API.json, IntegrationRecordResponse. */
export const RECORD_RESPONSE: ResourceModel = {
  source: 'R39_Core_Platform_API.json#IntegrationRecordResponse',
  object: 'integration_record_response',
  writable: ['response-code', 'response-message'],
  readOnly: STAMPS,
  required: [],
};

/** R39_Core_Platform_API.json, IntegrationHistoryRecord.document-type. */
export const INTEGRATION_DOCUMENT_TYPES = [
  'ContingentWorkOrderHeader',
  'ExternalOrderHeader',
  'OrderHeader',
  'InventoryTransaction',
  'InvoiceHeader',
  'ExpenseReport',
  'RequisitionHeader',
  'Account',
  'Supplier',
  'User',
  'Address',
  'RemitToAddress',
  'Contract',
  'ExchangeRate',
  'Invoice',
  'Requisition',
  'Payment',
  'ApprovalChain',
  'LookupValue',
  'Item',
  'SupplierInformation',
  'Asn::Header',
  'AccountValidationRule',
  'Payables::External::Payable',
  'Charge',
  'Payables::Invoice',
  'Payables::Expense',
  'CoupaPay::Payment',
  'CoupaPay::Statement',
  'ReceiptRequest',
  'InventoryRequestHeader',
];

const INTEGRATION_RECORD_WRITABLE = [
  'contact-alert-type',
  'creation-method',
  'document-id',
  'document-revision',
  'document-status',
  'document-type',
  'external-id',
  'integration',
  'integration-run',
  'integration-run-id',
  'responses',
  'status',
];

export const MODELS = {
  /** R39_Core_Platform_API.json, Supplier. */
  suppliers: {
    source: 'R39_Core_Platform_API.json#Supplier',
    object: 'supplier',
    writable: [
      'name',
      'display-name',
      'number',
      'status',
      'tax-id',
      'primary-address',
      'remit-to-addresses',
      'payment-term',
      'po-method',
      'account-number',
    ],
    readOnly: STAMPS,
    required: ['name', 'primary-address'],
    values: { 'po-method': ['cxml', 'xml', 'email', 'prompt', 'mark_as_sent', 'buy_online'] },
  },
  /** R39_Core_Platform_API.json, SupplierInformation (read only here: the simulator serves GET). */
  supplierInformation: {
    source: 'R39_Core_Platform_API.json#SupplierInformation',
    object: 'supplier_information',
    writable: ['supplier-id', 'name', 'status', 'supplier-information-addresses'],
    readOnly: STAMPS,
    required: ['name', 'status'],
    integers: ['supplier-id'],
  },
  /** R39_Invoicing_API.json, InvoiceHeader. */
  invoices: {
    source: 'R39_Invoicing_API.json#InvoiceHeader',
    object: 'invoice',
    writable: [
      'invoice-number',
      'invoice-date',
      'supplier',
      'currency',
      'payment-term',
      'invoice-lines',
      'invoice-charges',
      'line-level-taxation',
      'tax-amount',
      'tax-rate',
      'tax-code',
      'tax-lines',
      'shipping-amount',
      'handling-amount',
      'misc-amount',
      'paid',
      'payment-date',
      'payment-notes',
      'last-exported-at',
      'approvals',
      'attachments',
      'remit-to-address',
      'supplier-remit-to',
      'comments',
    ],
    readOnly: [
      ...STAMPS,
      'status',
      'exported',
      'gross-total',
      'total-with-taxes',
      'amount-due',
      'line-count',
      'image-scan-url',
      'net-due-date',
      'document-type',
    ],
    required: ['invoice-number', 'invoice-date'],
    booleans: ['paid', 'line-level-taxation'],
  },
  /** R39_Purchasing_API.json, OrderHeader. */
  purchaseOrders: {
    source: 'R39_Purchasing_API.json#OrderHeader',
    object: 'order_header',
    writable: ['po-number', 'version', 'supplier', 'currency', 'order-lines', 'last-exported-at'],
    readOnly: [...STAMPS, 'status', 'exported'],
    required: ['po-number', 'supplier', 'order-lines'],
    integers: ['version'],
  },
  /** R39_Core_Platform_API.json, InventoryTransaction (read only here). */
  receivingTransactions: {
    source: 'R39_Core_Platform_API.json#InventoryTransaction',
    object: 'inventory_transaction',
    writable: ['type', 'quantity', 'uom', 'order-line', 'transaction-date'],
    readOnly: [...STAMPS, 'status'],
    required: ['type'],
  },
  /** R39_Core_Platform_API.json, Account. */
  accounts: {
    source: 'R39_Core_Platform_API.json#Account',
    object: 'account',
    writable: ['name', 'active', 'account-type', ...Array.from({ length: 20 }, (_, i) => `segment-${i + 1}`)],
    readOnly: [...STAMPS, 'code', 'account-type-id'],
    required: ['account-type'],
    booleans: ['active'],
  },
  /** R39_Core_Platform_API.json, LookupValue. */
  lookupValues: {
    source: 'R39_Core_Platform_API.json#LookupValue',
    object: 'lookup_value',
    writable: [
      'name',
      'description',
      'external-ref-num',
      'active',
      'is-default',
      'lookup',
      'lookup-id',
      'parent',
      'parent-id',
      'account-type',
    ],
    readOnly: [...STAMPS, 'external-ref-code', 'depth', 'children-count'],
    required: ['lookup', 'name'],
    integers: ['lookup-id', 'parent-id'],
    booleans: ['active', 'is-default'],
  },
  /** R39_Core_Platform_API.json, IntegrationHistoryRecord (its `created-at` is not marked read-only). */
  integrationHistoryRecords: {
    source: 'R39_Core_Platform_API.json#IntegrationHistoryRecord',
    object: 'integration_history_record',
    writable: [...INTEGRATION_RECORD_WRITABLE, 'created-at'],
    readOnly: ['id', 'updated-at', 'resolved', 'integration-filename'],
    required: ['contact-alert-type', 'document-id', 'document-type'],
    integers: ['document-id', 'document-revision', 'integration-run-id'],
    values: { 'document-type': INTEGRATION_DOCUMENT_TYPES },
    nested: { responses: RECORD_RESPONSE },
  },
  /** R39_Core_Platform_API.json, IntegrationError (`integration-run` required; also on page 0201). */
  integrationErrors: {
    source: 'R39_Core_Platform_API.json#IntegrationError',
    object: 'integration_error',
    writable: [...INTEGRATION_RECORD_WRITABLE, 'integration-filename', 'created-at', 'updated-at'],
    readOnly: ['id', 'resolved'],
    required: ['contact-alert-type', 'integration-run'],
    integers: ['document-id', 'document-revision', 'integration-run-id'],
    values: { 'document-type': INTEGRATION_DOCUMENT_TYPES },
    nested: { responses: RECORD_RESPONSE },
  },
} as const satisfies Record<string, ResourceModel>;

export type ModelledCollection = keyof typeof MODELS;
