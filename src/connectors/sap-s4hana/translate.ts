/**
 * SAP shapes to and from the port's types: OData dates, vendors (business partner deep insert with tax
 * numbers as `A_BusinessPartnerTaxNumber`), supplier invoice deep insert bodies, cleared items and cost
 * object actuals of `A_OperationalAcctgDocItemCube`. Lengths and read-only properties follow the
 * contract facts (contract-facts/); master data is in master-data-read.ts, the journal entry SOAP
 * exchange in journal-entry-envelope.ts. Amounts stay decimal strings throughout.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import type { PlainJson } from '../../canonical/strict-json.js';
import type {
  CostObjectPosting,
  ErpSupplierInvoice,
  ErpVendor,
  NewVendor,
  PaymentStatus,
  VendorChanges,
} from '../ports/erp-port.js';
import type { ODataEntity } from './client.js';

const SYSTEM = 'sap-s4hana';
const str = (e: ODataEntity, key: string): string => {
  const value = e[key];
  return typeof value === 'string' ? value : '';
};

/** `YYYY-MM-DD` of `/Date(ms)/`. */
export function isoDate(value: PlainJson | undefined): string {
  const match = typeof value === 'string' ? /^\/Date\((-?\d+)/.exec(value) : null;
  return match === null ? '' : new Date(Number(match[1])).toISOString().slice(0, 10);
}

export function odataDate(iso: string): string {
  return `/Date(${Date.parse(`${iso}T00:00:00Z`)})/`;
}

/**
 * An accounting document item on a cost center or WBS element; undefined for items on neither. The item
 * names a WBS element by its internal ID only: `wbsElements` maps it to the element's ID.
 */
export function costObjectPosting(
  i: ODataEntity,
  wbsElements: ReadonlyMap<string, string>,
): CostObjectPosting | undefined {
  const costCenter = str(i, 'CostCenter');
  const internal = str(i, 'WBSElementInternalID').replace(/^0+$/, '');
  const project = internal === '' ? '' : (wbsElements.get(str(i, 'WBSElementInternalID')) ?? '');
  if (costCenter === '' && project === '') return undefined;
  return {
    companyCode: str(i, 'CompanyCode'),
    fiscalYear: Number(str(i, 'FiscalYear')),
    postingDate: isoDate(i['PostingDate']),
    glAccount: str(i, 'GLAccount'),
    ...(costCenter === '' ? {} : { costCenter }),
    ...(project === '' ? {} : { project }),
    amount: { amount: str(i, 'AmountInTransactionCurrency'), currency: str(i, 'TransactionCurrency') },
  };
}

export function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function vendor(partner: ODataEntity): ErpVendor {
  const supplier = (partner['to_Supplier'] ?? {}) as ODataEntity;
  const companies = ((supplier['to_SupplierCompany'] as { results?: ODataEntity[] } | undefined)?.results ?? []).map(
    (c) => str(c, 'CompanyCode'),
  );
  const banks = (partner['to_BusinessPartnerBank'] as { results?: ODataEntity[] } | undefined)?.results ?? [];
  const taxes = (partner['to_BusinessPartnerTax'] as { results?: ODataEntity[] } | undefined)?.results ?? [];
  const taxNumbers = [
    ...new Set(
      [
        ...taxes.map((x) => str(x, 'BPTaxNumber')),
        str(supplier, 'VATRegistration'),
        str(supplier, 'TaxNumber1'),
      ].filter((t) => t !== ''),
    ),
  ];
  // The business partner's address is not read; the tax registration or bank country stands for it.
  const country = [
    ...taxes.map((x) => str(x, 'BPTaxType').slice(0, 2)),
    ...banks.map((b) => str(b, 'BankCountryKey')),
  ].find((c) => /^[A-Z]{2}$/.test(c));
  const reference = str(partner, 'BusinessPartnerIDByExtSystem');
  const metadata = partner['__metadata'];
  const etag =
    metadata !== null && typeof metadata === 'object' && !Array.isArray(metadata) ? metadata['etag'] : undefined;
  return {
    vendorId: str(partner, 'BusinessPartner'),
    name: str(partner, 'BusinessPartnerFullName'),
    taxNumbers,
    ibans: banks.map((b) => str(b, 'IBAN')).filter((i) => i !== ''),
    companyCodes: companies,
    blocked:
      partner['BusinessPartnerIsBlocked'] === true ||
      supplier['PostingIsBlocked'] === true ||
      supplier['PaymentIsBlockedForSupplier'] === true,
    ...(country === undefined ? {} : { country }),
    ...(reference === '' ? {} : { reference }),
    ...(typeof etag === 'string' && etag !== '' ? { version: etag } : {}),
  };
}

/** The PATCH body of `A_BusinessPartner` for the changes (names split at 40 characters as on create). */
export function vendorChangesBody(c: VendorChanges): { [key: string]: PlainJson } {
  return {
    ...(c.name === undefined
      ? {}
      : { OrganizationBPName1: c.name.slice(0, 40), OrganizationBPName2: c.name.slice(40, 80) }),
    ...(c.blocked === undefined ? {} : { BusinessPartnerIsBlocked: c.blocked }),
    ...(c.reference === undefined ? {} : { BusinessPartnerIDByExtSystem: c.reference.slice(0, 20) }),
  };
}

/**
 * The deep insert of a supplier business partner. Tax numbers go to `A_BusinessPartnerTaxNumber`
 * (`A_Supplier.TaxNumber1` and `VATRegistration` are read-only): the VAT number as tax type
 * `<country>0`, another tax number as `<country>1` (the tax types are the tenant's configuration; not
 * in the contract). `SWIFTCode` is read-only (SAP derives it from the bank key), so a BIC is not sent.
 */
export function newVendorBody(v: NewVendor): PlainJson {
  const name = v.name.slice(0, 80);
  // An employee is a person (category 1); the supplier roles make them payable. The employee role
  // BUP003 is not sent: SAP keeps it for workforce replication (see the simulator's refusal).
  const naming =
    v.person === undefined
      ? {
          BusinessPartnerCategory: '2',
          OrganizationBPName1: name.slice(0, 40),
          ...(name.length > 40 ? { OrganizationBPName2: name.slice(40, 80) } : {}),
        }
      : {
          BusinessPartnerCategory: '1',
          FirstName: v.person.firstName.slice(0, 40),
          LastName: v.person.lastName.slice(0, 40),
        };
  return {
    ...naming,
    BusinessPartnerGrouping: 'BPEX',
    BusinessPartnerIDByExtSystem: v.reference.slice(0, 20),
    to_BusinessPartnerRole: { results: [{ BusinessPartnerRole: 'FLVN00' }, { BusinessPartnerRole: 'FLVN01' }] },
    to_BusinessPartnerBank: {
      results: v.bankAccounts.map((b) => ({
        BankCountryKey: b.iban.slice(0, 2),
        IBAN: b.iban,
        BankAccountHolderName: (b.holderName ?? v.name).slice(0, 60),
      })),
    },
    to_BusinessPartnerTax: {
      results: [
        ...(v.vatNumber === undefined ? [] : [{ BPTaxType: `${v.country}0`, BPTaxNumber: v.vatNumber }]),
        ...(v.taxNumber === undefined ? [] : [{ BPTaxType: `${v.country}1`, BPTaxNumber: v.taxNumber }]),
      ],
    },
    to_Supplier: {
      to_SupplierCompany: {
        results: v.companyCodes.map((c) => ({
          CompanyCode: c.companyCode,
          ReconciliationAccount: c.reconciliationAccount,
          PaymentTerms: c.paymentTerms ?? '0001',
        })),
      },
    },
  };
}

export function supplierInvoiceBody(i: ErpSupplierInvoice): PlainJson {
  return {
    CompanyCode: i.companyCode,
    DocumentDate: odataDate(i.documentDate),
    PostingDate: odataDate(i.postingDate),
    SupplierInvoiceIDByInvcgParty: i.reference,
    InvoicingParty: i.vendorId,
    DocumentCurrency: i.gross.currency,
    InvoiceGrossAmount: i.gross.amount,
    TaxIsCalculatedAutomatically: false,
    ...(i.headerText === undefined ? {} : { DocumentHeaderText: i.headerText.slice(0, 25) }),
    to_SupplierInvoiceItemGLAcct: {
      results: i.lines
        .filter((l) => l.purchaseOrder === undefined)
        .map((l, n) => ({
          SupplierInvoiceItem: String(n + 1).padStart(4, '0'),
          CompanyCode: i.companyCode,
          GLAccount: l.glAccount,
          DocumentCurrency: l.amount.currency,
          SupplierInvoiceItemAmount: l.amount.amount,
          DebitCreditCode: l.side === 'D' ? 'S' : 'H',
          ...(l.costCenter === undefined ? {} : { CostCenter: l.costCenter }),
          ...(l.project === undefined ? {} : { WBSElement: l.project }),
          ...(l.taxCode === undefined ? {} : { TaxCode: l.taxCode }),
          ...(l.text === undefined ? {} : { SupplierInvoiceItemText: l.text.slice(0, 50) }),
        })),
    },
    to_SuplrInvcItemPurOrdRef: { results: purchaseOrderItems(i) },
    to_SupplierInvoiceTax: {
      results: i.taxes.map((t) => ({
        TaxCode: t.taxCode,
        DocumentCurrency: t.amount.currency,
        TaxAmount: t.amount.amount,
      })),
    },
  };
}

/**
 * Lines invoiced against a purchase order item, numbered after the G/L account items (item numbers of
 * 6 characters here, 4 on G/L items). A PO reference item has no `DebitCreditCode`: it is always a
 * debit, so a credit line against an order (a credit memo) is refused before sending.
 */
function purchaseOrderItems(i: ErpSupplierInvoice): PlainJson[] {
  const first = i.lines.filter((l) => l.purchaseOrder === undefined).length;
  return i.lines
    .flatMap((l) => (l.purchaseOrder === undefined ? [] : [{ line: l, po: l.purchaseOrder }]))
    .map(({ line, po }, n) => {
      if (line.side !== 'D') {
        throw new LedgerlinkError(
          'LL_ERR_VALIDATION',
          'a credit line against a purchase order (a credit memo) cannot be posted as a supplier invoice item',
          { details: [{ message: `${po.purchaseOrder}/${po.purchaseOrderItem}`, path: 'lines', system: SYSTEM }] },
        );
      }
      return {
        SupplierInvoiceItem: String(first + n + 1).padStart(6, '0'),
        PurchaseOrder: po.purchaseOrder,
        PurchaseOrderItem: po.purchaseOrderItem,
        DocumentCurrency: line.amount.currency,
        SupplierInvoiceItemAmount: line.amount.amount,
        ...(po.quantity === undefined ? {} : { QuantityInPurchaseOrderUnit: po.quantity }),
        ...(po.unitOfMeasure === undefined ? {} : { PurchaseOrderQuantityUnit: po.unitOfMeasure }),
        ...(line.taxCode === undefined ? {} : { TaxCode: line.taxCode }),
        ...(line.text === undefined ? {} : { SupplierInvoiceItemText: line.text.slice(0, 50) }),
      };
    });
}

export function paymentStatus(e: ODataEntity): PaymentStatus {
  const amount = str(e, 'AmountInTransactionCurrency');
  return {
    companyCode: str(e, 'CompanyCode'),
    fiscalYear: str(e, 'FiscalYear'),
    accountingDocument: str(e, 'AccountingDocument'),
    reference: str(e, 'DocumentReferenceID'),
    vendorId: str(e, 'Supplier'),
    amount: { amount: amount.startsWith('-') ? amount.slice(1) : amount, currency: str(e, 'TransactionCurrency') },
    clearingDocument: str(e, 'ClearingAccountingDocument'),
    clearingDate: isoDate(e['ClearingDate']),
  };
}
