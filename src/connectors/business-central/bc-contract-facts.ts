/**
 * Business Central API v2.0 as Ledgerlink uses it: the resources, their properties (type, read-only,
 * the length where we rely on one), navigation and bound actions, kept as plain data from Microsoft's
 * published reference (MicrosoftDocs/dynamics365smb-devitpro-pb). The simulator checks requests
 * against these facts; the connector sends only what they list.
 *
 * Sources (paths in that repository):
 * - resources and properties: `dev-itpro/api-reference/v2.0/resources/dynamics_<resource>.md`
 *   (company, companyinformation, account, dimension, dimensionvalue, dimensionSetLine, taxGroup,
 *   accountingperiod, vendor, purchaseinvoice, purchaseinvoiceline, journal, journalline,
 *   generalLedgerEntry, documentattachment)
 * - bound actions `Microsoft.NAV.post` on purchaseInvoices and journals: the same resource pages
 * - If-Match required on PATCH: `dev-itpro/api-reference/v2.0/api/dynamics_vendor_update.md`
 * - vendor ledger entries: `dev-itpro/administration/financereportsapi/resources/dynamics_vendorledgerentry.md`
 *   and `.../api/dynamics_vendorledgerentry_get.md` (Beta; `companies({id})/vendorLedgerEntries`)
 * - error codes (BadRequest_*, Request_EntityChanged, Authentication_InvalidCredentials, Application_*):
 *   `dev-itpro/api-reference/v1.0/dynamics_error_codes.md` (the only published catalogue)
 * - endpoint shape: `dev-itpro/api-reference/v2.0/endpoints-apis-for-dynamics.md`
 * - limits: `dev-itpro/administration/operational-limits-online.md` (OData: 6,000 requests per
 *   5-minute sliding window per user, 5 concurrent, 100 operations per `$batch`, 20,000 per page),
 *   `dev-itpro/api-reference/v2.0/dynamics-rate-limits.md` (429 on throttling, 504 after 10 minutes)
 * - OAuth2 client credentials with `API.ReadWrite.All`: `dev-itpro/administration/automation-apis-using-s2s-authentication.md`
 *
 * Lengths: the reference pages give types only. The lengths below are the table fields behind the
 * properties as Business Central defines them (Code[20] numbers, Code[35] external document numbers,
 * Code[10] journal batch names, Text[100] names): an assumption documented in docs/connectors.md.
 */

export type BcType = 'guid' | 'string' | 'date' | 'datetime' | 'decimal' | 'integer' | 'boolean' | 'stream';

export interface BcPropertyFact {
  readonly type: BcType;
  /** Non-editable / Read-Only in the reference: a create or update must not send it. */
  readonly readOnly?: true;
  readonly maxLength?: number;
  /** The values of an enum property (`NAV.vendorBlocked`, …) as published. */
  readonly values?: readonly string[];
}

export interface BcResourceFact {
  /** The entity set under `companies({id})/`. */
  readonly entitySet: string;
  readonly properties: Readonly<Record<string, BcPropertyFact>>;
  readonly creatable: boolean;
  readonly updatable: boolean;
  readonly deletable: boolean;
  /** Properties a create must carry (the simulator's refusal; the reference marks few as required). */
  readonly requiredOnCreate?: readonly string[];
  readonly boundActions?: readonly string[];
}

const RO = { readOnly: true } as const;
const guid = (readOnly = false): BcPropertyFact => ({ type: 'guid', ...(readOnly ? RO : {}) });
const str = (maxLength?: number, readOnly = false): BcPropertyFact => ({
  type: 'string',
  ...(maxLength === undefined ? {} : { maxLength }),
  ...(readOnly ? RO : {}),
});
const roStr: BcPropertyFact = { type: 'string', ...RO };
const date: BcPropertyFact = { type: 'date' };
const dec = (readOnly = false): BcPropertyFact => ({ type: 'decimal', ...(readOnly ? RO : {}) });
const bool = (readOnly = false): BcPropertyFact => ({ type: 'boolean', ...(readOnly ? RO : {}) });
const modified: BcPropertyFact = { type: 'datetime', ...RO };
const oneOf = (values: readonly string[], readOnly = false): BcPropertyFact => ({
  type: 'string',
  values,
  ...(readOnly ? RO : {}),
});

export const VENDOR_BLOCKED = [' ', 'Payment', 'All'] as const;
export const GEN_JOURNAL_ACCOUNT_TYPES = [
  'G/L Account',
  'Customer',
  'Vendor',
  'Bank Account',
  'Fixed Asset',
  'IC Partner',
  'Employee',
] as const;
export const INVOICE_LINE_TYPES = ['Comment', 'Account', 'Item', 'Resource', 'Fixed Asset', 'Charge'] as const;
export const INVOICE_STATUSES = [' ', 'Draft', 'In Review', 'Open', 'Paid', 'Canceled', 'Corrective'] as const;
export const ACCOUNT_CATEGORIES = [
  ' ',
  'Assets',
  'Liabilities',
  'Equity',
  'Income',
  'Cost of Goods Sold',
  'Expense',
] as const;
export const ATTACHMENT_PARENT_TYPES = [
  ' ',
  'Journal',
  'Sales Order',
  'Sales Quote',
  'Sales Credit Memo',
  'Sales Invoice',
  'Purchase Invoice',
] as const;

export const BC_RESOURCES = {
  companies: {
    entitySet: 'companies',
    creatable: false,
    updatable: false,
    deletable: false,
    properties: {
      id: guid(true),
      systemVersion: roStr,
      timestamp: { type: 'integer', ...RO },
      name: roStr,
      displayName: roStr,
      businessProfileId: roStr,
      systemCreatedAt: { type: 'datetime', ...RO },
      systemCreatedBy: guid(true),
      systemModifiedAt: { type: 'datetime', ...RO },
      systemModifiedBy: guid(true),
    },
  },
  companyInformation: {
    entitySet: 'companyInformation',
    creatable: false,
    updatable: true,
    deletable: false,
    properties: {
      id: guid(true),
      displayName: str(100),
      country: str(10),
      taxRegistrationNumber: str(20),
      currencyCode: str(10),
      currentFiscalYearStartDate: { type: 'date', ...RO },
      lastModifiedDateTime: modified,
    },
  },
  accounts: {
    entitySet: 'accounts',
    creatable: false,
    updatable: false,
    deletable: false,
    properties: {
      id: guid(true),
      number: roStr,
      displayName: roStr,
      category: oneOf(ACCOUNT_CATEGORIES, true),
      subCategory: roStr,
      blocked: bool(true),
      accountType: oneOf(['Posting', 'Heading', 'Total', 'Begin Total', 'End Total'], true),
      directPosting: bool(true),
      netChange: dec(true),
      lastModifiedDateTime: modified,
    },
  },
  dimensions: {
    entitySet: 'dimensions',
    creatable: false,
    updatable: false,
    deletable: false,
    properties: {
      id: guid(true),
      code: roStr,
      displayName: roStr,
      consolidationCode: roStr,
      lastModifiedDateTime: modified,
    },
  },
  dimensionValues: {
    entitySet: 'dimensionValues',
    creatable: false,
    updatable: false,
    deletable: false,
    properties: {
      id: guid(true),
      code: roStr,
      dimensionId: guid(true),
      displayName: roStr,
      consolidationCode: roStr,
      lastModifiedDateTime: modified,
    },
  },
  dimensionSetLines: {
    entitySet: 'dimensionSetLines',
    creatable: true,
    updatable: true,
    deletable: true,
    requiredOnCreate: ['code', 'valueCode'],
    properties: {
      id: guid(),
      code: str(20),
      consolidationCode: roStr,
      parentId: guid(true),
      parentType: roStr,
      displayName: roStr,
      valueId: guid(),
      valueCode: str(20),
      valueConsolidationCode: roStr,
      valueDisplayName: roStr,
    },
  },
  taxGroups: {
    entitySet: 'taxGroups',
    creatable: true,
    updatable: true,
    deletable: true,
    properties: {
      id: guid(true),
      code: str(20),
      displayName: str(100),
      taxType: oneOf(['Sales Tax', 'VAT'], true),
      lastModifiedDateTime: modified,
    },
  },
  accountingPeriods: {
    entitySet: 'accountingPeriods',
    creatable: false,
    updatable: false,
    deletable: false,
    properties: {
      id: guid(true),
      startingDate: { type: 'date', ...RO },
      name: roStr,
      newFiscalYear: bool(true),
      closed: bool(true),
      dateLocked: bool(true),
      lastModifiedDateTime: modified,
    },
  },
  vendors: {
    entitySet: 'vendors',
    creatable: true,
    updatable: true,
    deletable: true,
    requiredOnCreate: ['displayName'],
    properties: {
      id: guid(true),
      number: str(20),
      displayName: str(100),
      addressLine1: str(100),
      addressLine2: str(50),
      city: str(30),
      state: str(30),
      country: str(10),
      postalCode: str(20),
      phoneNumber: str(30),
      email: str(80),
      website: str(80),
      taxRegistrationNumber: str(20),
      currencyId: guid(),
      currencyCode: str(10),
      irs1099Code: str(10),
      paymentTermsId: guid(),
      paymentMethodId: guid(),
      taxLiable: bool(),
      blocked: oneOf(VENDOR_BLOCKED),
      balance: dec(true),
      lastModifiedDateTime: modified,
    },
  },
  purchaseInvoices: {
    entitySet: 'purchaseInvoices',
    creatable: true,
    updatable: true,
    deletable: true,
    boundActions: ['Microsoft.NAV.post'],
    properties: {
      id: guid(true),
      number: str(20, true),
      postingDate: date,
      invoiceDate: date,
      dueDate: date,
      vendorInvoiceNumber: str(35),
      vendorId: guid(),
      vendorNumber: str(20),
      vendorName: roStr,
      payToName: roStr,
      payToVendorId: guid(),
      payToVendorNumber: str(20),
      currencyId: guid(),
      currencyCode: str(10),
      orderId: guid(true),
      orderNumber: roStr,
      purchaser: str(20),
      pricesIncludeTax: bool(true),
      discountAmount: dec(),
      discountAppliedBeforeTax: bool(),
      totalAmountExcludingTax: dec(true),
      totalTaxAmount: dec(true),
      totalAmountIncludingTax: dec(true),
      status: oneOf(INVOICE_STATUSES, true),
      lastModifiedDateTime: modified,
    },
  },
  purchaseInvoiceLines: {
    entitySet: 'purchaseInvoiceLines',
    creatable: true,
    updatable: true,
    deletable: true,
    properties: {
      id: guid(true),
      documentId: guid(),
      sequence: { type: 'integer' },
      itemId: guid(),
      accountId: guid(),
      lineType: oneOf(INVOICE_LINE_TYPES),
      lineObjectNumber: str(20),
      description: str(100),
      description2: str(50),
      unitOfMeasureId: guid(),
      unitOfMeasureCode: str(10),
      unitCost: dec(),
      quantity: dec(),
      discountAmount: dec(),
      discountPercent: dec(),
      discountAppliedBeforeTax: bool(),
      amountExcludingTax: dec(true),
      taxCode: str(20),
      taxPercent: dec(true),
      totalTaxAmount: dec(true),
      amountIncludingTax: dec(true),
      invoiceDiscountAllocation: dec(true),
      netAmount: dec(true),
      netTaxAmount: dec(true),
      netAmountIncludingTax: dec(true),
      expectedReceiptDate: date,
      itemVariantId: guid(),
      locationId: guid(),
    },
  },
  journals: {
    entitySet: 'journals',
    creatable: true,
    updatable: true,
    deletable: true,
    requiredOnCreate: ['code'],
    boundActions: ['Microsoft.NAV.post'],
    properties: {
      id: guid(true),
      code: str(10),
      displayName: str(100),
      templateDisplayName: roStr,
      lastModifiedDateTime: modified,
      balancingAccountId: guid(),
      balancingAccountNumber: str(20),
    },
  },
  journalLines: {
    entitySet: 'journalLines',
    creatable: true,
    updatable: true,
    deletable: true,
    requiredOnCreate: ['accountNumber', 'postingDate', 'amount'],
    properties: {
      id: guid(true),
      journalId: guid(),
      journalDisplayName: roStr,
      lineNumber: { type: 'integer' },
      accountType: oneOf(GEN_JOURNAL_ACCOUNT_TYPES),
      accountId: guid(),
      accountNumber: str(20),
      postingDate: date,
      documentNumber: str(20),
      externalDocumentNumber: str(35),
      amount: dec(),
      description: str(100),
      comment: str(250),
      taxCode: str(20),
      balanceAccountType: oneOf(GEN_JOURNAL_ACCOUNT_TYPES),
      balancingAccountId: guid(),
      balancingAccountNumber: str(20),
      lastModifiedDateTime: modified,
    },
  },
  generalLedgerEntries: {
    entitySet: 'generalLedgerEntries',
    creatable: false,
    updatable: false,
    deletable: false,
    properties: {
      id: guid(true),
      entryNumber: { type: 'integer', ...RO },
      postingDate: { type: 'date', ...RO },
      documentNumber: roStr,
      documentType: roStr,
      accountId: guid(true),
      accountNumber: roStr,
      description: roStr,
      debitAmount: dec(true),
      creditAmount: dec(true),
      lastModifiedDateTime: modified,
    },
  },
  vendorLedgerEntries: {
    entitySet: 'vendorLedgerEntries',
    creatable: false,
    updatable: false,
    deletable: false,
    properties: {
      entryNumber: { type: 'integer', ...RO },
      documentType: roStr,
      description: roStr,
      postingDate: { type: 'date', ...RO },
      documentNumber: roStr,
      externalDocumentNumber: roStr,
      vendorNumber: roStr,
      open: bool(true),
      currencyCode: roStr,
      lastModifiedDateTime: modified,
      amount: dec(true),
      debitAmount: dec(true),
      creditAmount: dec(true),
    },
  },
  documentAttachments: {
    entitySet: 'documentAttachments',
    creatable: true,
    updatable: true,
    deletable: true,
    requiredOnCreate: ['fileName', 'parentType', 'parentId'],
    properties: {
      id: guid(true),
      fileName: str(250),
      byteSize: { type: 'integer', ...RO },
      attachmentContent: { type: 'stream', ...RO },
      parentType: oneOf(ATTACHMENT_PARENT_TYPES),
      parentId: guid(),
      lineNumber: { type: 'integer', ...RO },
      documentFlowSales: bool(),
      documentFlowPurchase: bool(),
      lastModifiedDateTime: modified,
    },
  },
} as const satisfies Readonly<Record<string, BcResourceFact>>;

export type BcResourceName = keyof typeof BC_RESOURCES;

/** The scope a client-credentials token for Business Central online is requested with. */
export const BC_TOKEN_SCOPE = 'https://api.businesscentral.dynamics.com/.default';
/** Operations one OData `$batch` may carry (operational limits, OData request limits). */
export const BC_MAX_BATCH_OPERATIONS = 100;
/** OData requests per user in a 5-minute sliding window (operational limits online). */
export const BC_REQUESTS_PER_FIVE_MINUTES = 6000;
