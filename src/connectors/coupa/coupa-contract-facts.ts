/**
 * What the Coupa connector relies on, as facts taken from Coupa's published R39 OpenAPI 2.0 files and
 * Compass pages (`shared/reference/contracts/coupa/`), kept in our own notation; each group names the
 * artifact it came from. `coupa-contract-facts.test.ts` re-derives every fact from those files.
 *
 * Field notation: `<type>` or `<type>:<format>` (OpenAPI `type` and `format`), a model name for a
 * nested object, `<Model>[]` for a list of them, then ` ro` when the model marks it read-only and
 * ` enum(a|b)` when it lists values.
 */

import {
  CORE,
  INTEGRATION_ERROR_PAGE,
  INVOICES_PAGE,
  INVOICING,
  OIDC_CLIENTS_PAGE,
  PURCHASING,
  QUERYING_PAGE,
  SAMPLES_PAGE,
  SPECIAL_ACTIONS_PAGE,
  type CoupaOpenApiFile,
  type ModelFact,
} from './coupa-contract-sources.js';
import { CORE_MODELS } from './coupa-contract-models-core.js';
import { INVOICING_AND_PURCHASING_MODELS } from './coupa-contract-models-invoicing.js';

export * from './coupa-contract-sources.js';

/** Query parameters every collection GET of the R39 files declares. */
export const LIST_QUERY_PARAMETERS = ['limit', 'offset', 'order_by', 'dir', 'return_object', 'filter'] as const;
/** Query parameters a PUT on a record and a POST on a collection declare. */
export const WRITE_QUERY_PARAMETERS = ['return_object', 'filter'] as const;

export interface EndpointFact {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** The path under `/api` (the files' `basePath`). */
  readonly path: string;
  readonly source: CoupaOpenApiFile;
  /** Every query parameter the operation declares. */
  readonly query: readonly string[];
  /** The model of the answer (a list of it for a collection GET). */
  readonly model: string;
}

/** Every endpoint the connector calls. */
export const COUPA_ENDPOINTS: readonly EndpointFact[] = [
  { method: 'GET', path: '/suppliers', source: CORE, query: LIST_QUERY_PARAMETERS, model: 'Supplier' },
  { method: 'PUT', path: '/suppliers/{id}', source: CORE, query: WRITE_QUERY_PARAMETERS, model: 'Supplier' },
  {
    method: 'GET',
    path: '/supplier_information',
    source: CORE,
    query: LIST_QUERY_PARAMETERS,
    model: 'SupplierInformation',
  },
  { method: 'GET', path: '/invoices', source: INVOICING, query: LIST_QUERY_PARAMETERS, model: 'InvoiceHeader' },
  { method: 'PUT', path: '/invoices/{id}', source: INVOICING, query: WRITE_QUERY_PARAMETERS, model: 'InvoiceHeader' },
  { method: 'GET', path: '/purchase_orders', source: PURCHASING, query: LIST_QUERY_PARAMETERS, model: 'OrderHeader' },
  {
    method: 'GET',
    path: '/receiving_transactions',
    source: CORE,
    query: LIST_QUERY_PARAMETERS,
    model: 'InventoryTransaction',
  },
  { method: 'GET', path: '/accounts', source: CORE, query: LIST_QUERY_PARAMETERS, model: 'Account' },
  { method: 'POST', path: '/accounts', source: CORE, query: WRITE_QUERY_PARAMETERS, model: 'Account' },
  { method: 'PUT', path: '/accounts/{id}', source: CORE, query: WRITE_QUERY_PARAMETERS, model: 'Account' },
  { method: 'GET', path: '/lookup_values', source: CORE, query: LIST_QUERY_PARAMETERS, model: 'LookupValue' },
  { method: 'POST', path: '/lookup_values', source: CORE, query: WRITE_QUERY_PARAMETERS, model: 'LookupValue' },
  { method: 'PUT', path: '/lookup_values/{id}', source: CORE, query: WRITE_QUERY_PARAMETERS, model: 'LookupValue' },
  {
    method: 'GET',
    path: '/integration_history_records',
    source: CORE,
    query: LIST_QUERY_PARAMETERS,
    model: 'IntegrationHistoryRecord',
  },
  {
    method: 'POST',
    path: '/integration_history_records',
    source: CORE,
    query: WRITE_QUERY_PARAMETERS,
    model: 'IntegrationHistoryRecord',
  },
  {
    method: 'POST',
    path: '/integration_history_records/create_alert',
    source: CORE,
    query: WRITE_QUERY_PARAMETERS,
    model: 'IntegrationHistoryRecord',
  },
];

/**
 * Special actions (SPECIAL_ACTIONS_PAGE): marking a record exported is its own request, a PUT on the
 * record's URL with the query parameter `exported=true` (not declared in the OpenAPI operation, whose
 * model has `exported` read-only); other changes in that request may be ignored. A new purchase
 * order version resets `exported` to false. The Core file also has the integration history record's
 * own action `POST /integration_history_records/mark_exported` (body: an IntegrationHistoryRecord).
 */
export const MARK_EXPORTED = {
  source: SPECIAL_ACTIONS_PAGE,
  method: 'PUT',
  query: 'exported=true',
  historyRecordAction: { method: 'POST', path: '/integration_history_records/mark_exported', source: CORE },
} as const;

/** Paging (QUERYING_PAGE): at most 50 records per GET; the next page by `offset`. */
export const PAGING = { source: QUERYING_PAGE, maxRecordsPerGet: 50, pageBy: 'offset' } as const;

/** Query operators (QUERYING_PAGE, "Supported Operators"); the empty one is equality. */
export const QUERY_OPERATORS = {
  source: QUERYING_PAGE,
  operators: [
    'contains',
    'starts_with',
    'ends_with',
    'blank',
    'gt',
    'lt',
    'gt_or_eq',
    'lt_or_eq',
    'not_eq',
    'in',
    'not_in',
  ],
} as const;

/** Error answer (SAMPLES_PAGE, "User Create with Errors"): `{"errors": {"<object>": ["<message>", …]}}`. */
export const ERROR_SHAPE = { source: SAMPLES_PAGE, sampleObjectKey: 'user' } as const;

/**
 * OAuth (OIDC_CLIENTS_PAGE): client credentials posted to `/oauth2/token`, scopes `service.object.right`.
 * The OpenAPI files' `securityDefinitions.OAuth2ClientCredential.tokenUrl` says `/oauth2/access_tokens`;
 * the page (and 0019) show `/oauth2/token`, which the connector uses.
 */
export const TOKEN_ENDPOINT = { source: OIDC_CLIENTS_PAGE, path: '/oauth2/token' } as const;

/** The scopes the connector asks for, and the file whose `securityDefinitions` lists each. */
export const COUPA_SCOPE_SOURCES: Readonly<Record<string, CoupaOpenApiFile>> = {
  'core.supplier.read': CORE,
  'core.supplier.write': CORE,
  'core.invoice.read': INVOICING,
  'core.invoice.write': INVOICING,
  'core.purchase_order.read': PURCHASING,
  'core.inventory.receiving.read': CORE,
  'core.accounting.read': CORE,
  'core.accounting.write': CORE,
  'core.common.read': CORE,
  'core.common.write': CORE,
  'core.integration.read': CORE,
  'core.integration.write': CORE,
};

/** Invoice statuses (INVOICING, InvoiceHeader.status). */
export const INVOICE_STATUSES = [
  'new',
  'ap_hold',
  'draft',
  'on_hold',
  'pending_receipt',
  'rejected',
  'abandoned',
  'disputed',
  'pending_approval',
  'booking_hold',
  'pending_action',
  'approved',
  'voided',
  'processing',
  'invalid',
  'payable_adjustment',
] as const;

/** Purchase order statuses (PURCHASING, OrderHeader.status; the same list on PURCHASE_ORDERS_PAGE). */
export const PURCHASE_ORDER_STATUSES = [
  'buyer_hold',
  'cancelled',
  'closed',
  'currency_hold',
  'draft',
  'error',
  'expensed',
  'issued',
  'supplier_hold',
  'supplier_window_hold',
  'exported',
] as const;

/** Document types an integration record may name (CORE, IntegrationHistoryRecord.document-type), those we use. */
export const INTEGRATION_DOCUMENT_TYPES_USED = ['InvoiceHeader', 'Supplier'] as const;

/** Supplier information address kinds (CORE, SupplierInformationAddress.kind): `RTA` is a remit-to address. */
export const SUPPLIER_INFORMATION_ADDRESS_KINDS = ['RTA', 'Primary', 'Standard'] as const;

/** Fields of a page's element table that the connector relies on: `In` (writable) and `Req'd`. */
export const PAGE_TABLE_FACTS = [
  { source: INVOICES_PAGE, element: 'exported', in: false },
  { source: INVOICES_PAGE, element: 'paid', in: true },
  { source: INVOICES_PAGE, element: 'payment-date', in: true },
  { source: INTEGRATION_ERROR_PAGE, element: 'integration-run', required: true },
] as const;

/** Every model fact, by OpenAPI definition name. */
export const COUPA_MODELS: Readonly<Record<string, ModelFact>> = { ...CORE_MODELS, ...INVOICING_AND_PURCHASING_MODELS };
