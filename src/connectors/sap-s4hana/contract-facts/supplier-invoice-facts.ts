/**
 * API_SUPPLIERINVOICE_PROCESS_SRV as Ledgerlink uses it (deep insert of a supplier invoice, lookup by
 * reference). Source: `API_SUPPLIERINVOICE_PROCESS_SRV.edmx`.
 * Only `A_SupplierInvoice` is creatable; its items and taxes come in the same request (deep insert).
 * `SupplierInvoiceItem` is String(4) on G/L account items but String(6) on PO reference items, and a
 * PO reference item has no `DebitCreditCode`. Keys `SupplierInvoice`, `FiscalYear` and the tax
 * counter are read-only: SAP assigns them. The function import `Cancel` (POST; `PostingDate`
 * Edm.DateTime, `ReversalReason` String(2), `FiscalYear` String(4), `SupplierInvoice` String(10), none
 * nullable) reverses a posted invoice and answers `CancelInvoiceExportParameters` {ReverseDocument,
 * FiscalYear, Success}; `Post` and `Release` are not used.
 */
import { bool, date, dec, KEY, many, READ_ONLY, str, type ODataServiceFact } from './odata-fact-types.js';

const NS = 'API_SUPPLIERINVOICE_PROCESS_SRV';

export const SUPPLIER_INVOICE_FACTS: ODataServiceFact = {
  artifact: 'API_SUPPLIERINVOICE_PROCESS_SRV.edmx',
  namespace: NS,
  entitySets: {
    A_SupplierInvoice: {
      entityType: `${NS}.A_SupplierInvoiceType`,
      creatable: true,
      updatable: false,
      deletable: true,
      properties: {
        SupplierInvoice: str(10, KEY, READ_ONLY),
        FiscalYear: str(4, KEY, READ_ONLY),
        CompanyCode: str(4),
        DocumentDate: date(0),
        PostingDate: date(0),
        CreationDate: date(0, READ_ONLY),
        SupplierInvoiceIDByInvcgParty: str(16),
        InvoicingParty: str(10),
        DocumentCurrency: str(5),
        InvoiceGrossAmount: dec(14, 3),
        DocumentHeaderText: str(25),
        PaymentTerms: str(4),
        DueCalculationBaseDate: date(0),
        PaymentBlockingReason: str(1),
        AccountingDocumentType: str(2),
        SupplierInvoiceStatus: str(1),
        TaxIsCalculatedAutomatically: bool(),
        ReverseDocument: str(10, READ_ONLY),
        IsReversed: bool(READ_ONLY),
      },
      navigations: {
        to_SupplierInvoiceItemGLAcct: many('A_SupplierInvoiceItemGLAcct'),
        to_SuplrInvcItemPurOrdRef: many('A_SuplrInvcItemPurOrdRef'),
        to_SupplierInvoiceTax: many('A_SupplierInvoiceTax'),
      },
    },
    A_SupplierInvoiceItemGLAcct: {
      entityType: `${NS}.A_SupplierInvoiceItemGLAcctType`,
      creatable: false,
      updatable: false,
      deletable: false,
      properties: {
        SupplierInvoice: str(10, KEY, READ_ONLY),
        FiscalYear: str(4, KEY, READ_ONLY),
        SupplierInvoiceItem: str(4, KEY),
        CompanyCode: str(4),
        CostCenter: str(10),
        GLAccount: str(10),
        WBSElement: str(24),
        DocumentCurrency: str(5),
        SupplierInvoiceItemAmount: dec(14, 3),
        TaxCode: str(2),
        DebitCreditCode: str(1),
        SupplierInvoiceItemText: str(50),
      },
    },
    A_SuplrInvcItemPurOrdRef: {
      entityType: `${NS}.A_SuplrInvcItemPurOrdRefType`,
      creatable: false,
      updatable: false,
      deletable: false,
      properties: {
        SupplierInvoice: str(10, KEY, READ_ONLY),
        FiscalYear: str(4, KEY, READ_ONLY),
        SupplierInvoiceItem: str(6, KEY),
        PurchaseOrder: str(10),
        PurchaseOrderItem: str(5),
        TaxCode: str(2),
        DocumentCurrency: str(5),
        SupplierInvoiceItemAmount: dec(14, 3),
        PurchaseOrderQuantityUnit: str(3),
        QuantityInPurchaseOrderUnit: dec(13, 3),
        SupplierInvoiceItemText: str(50),
      },
    },
    A_SupplierInvoiceTax: {
      entityType: `${NS}.A_SupplierInvoiceTaxType`,
      creatable: false,
      updatable: false,
      deletable: false,
      properties: {
        SupplierInvoice: str(10, KEY, READ_ONLY),
        FiscalYear: str(4, KEY, READ_ONLY),
        TaxCode: str(2, KEY),
        SupplierInvoiceTaxCounter: str(6, KEY, READ_ONLY),
        DocumentCurrency: str(5),
        TaxAmount: dec(14, 3),
      },
    },
  },
  functionImports: {
    Cancel: {
      httpMethod: 'POST',
      returnType: `${NS}.CancelInvoiceExportParameters`,
      parameters: {
        PostingDate: { type: 'Edm.DateTime', optional: false },
        ReversalReason: { type: 'Edm.String', maxLength: 2, optional: false },
        FiscalYear: { type: 'Edm.String', maxLength: 4, optional: false },
        SupplierInvoice: { type: 'Edm.String', maxLength: 10, optional: false },
      },
    },
  },
};
