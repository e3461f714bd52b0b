/**
 * SAP shapes to and from the port's types: OData dates, master data into canonical objects, vendors,
 * supplier invoice deep insert bodies, journal entry SOAP envelopes and their confirmation logs.
 * Amounts stay decimal strings throughout.
 */
import { XMLParser } from 'fast-xml-parser';
import type { CostCenter, GlAccount, LegalEntity, Project, TaxCode } from '../../canonical/model/master-data.js';
import type { PlainJson } from '../../canonical/strict-json.js';
import type {
  CostObjectPosting,
  ErpJournalEntry,
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

/** `datetimeoffset'…'` literal for `$filter`. */
export function sinceFilter(field: string, since: string | null): string | undefined {
  return since === null ? undefined : `${field} ge datetimeoffset'${new Date(since).toISOString().slice(0, 19)}Z'`;
}

/** The newest `LastChangeDateTime` (RFC 3339, whole seconds) among the entities, if any carries one. */
export function newestChange(entities: readonly ODataEntity[]): string | undefined {
  let newest: number | undefined;
  for (const e of entities) {
    const match = /^\/Date\((-?\d+)/.exec(typeof e['LastChangeDateTime'] === 'string' ? e['LastChangeDateTime'] : '');
    if (match === null) continue;
    const ms = Number(match[1]);
    if (newest === undefined || ms > newest) newest = ms;
  }
  return newest === undefined ? undefined : new Date(newest).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A journal entry item on a cost center or WBS element; undefined for items on neither. */
export function costObjectPosting(i: ODataEntity): CostObjectPosting | undefined {
  const costCenter = str(i, 'CostCenter');
  const project = str(i, 'WBSElement');
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

export function legalEntity(e: ODataEntity): LegalEntity {
  const vat = str(e, 'VATRegistration');
  return {
    id: `${SYSTEM}:cc:${str(e, 'CompanyCode')}`,
    refs: { [SYSTEM]: str(e, 'CompanyCode') },
    companyCode: str(e, 'CompanyCode'),
    name: str(e, 'CompanyCodeName'),
    country: str(e, 'Country'),
    currency: str(e, 'Currency'),
    ...(vat === '' ? {} : { vatNumber: vat }),
    active: true,
  };
}

/** GL accounts of the chart apply to every company code on it. */
export function glAccounts(e: ODataEntity, companyCodes: readonly string[]): GlAccount[] {
  const type = str(e, 'GLAccountType');
  return companyCodes.map((companyCode) => ({
    id: `${SYSTEM}:gl:${companyCode}:${str(e, 'GLAccount')}`,
    refs: { [SYSTEM]: str(e, 'GLAccount') },
    companyCode,
    number: str(e, 'GLAccount'),
    name: str(e, 'GLAccountLongName') || str(e, 'GLAccountName') || str(e, 'GLAccount'),
    type: type === 'X' ? 'asset' : type === 'N' ? 'revenue' : 'expense',
    postingAllowed: e['AccountIsBlockedForPosting'] !== true,
    requiresCostObject: type === 'P',
    blocked: e['AccountIsBlockedForPosting'] === true || e['AccountIsMarkedForDeletion'] === true,
  }));
}

export function costCenter(e: ODataEntity): CostCenter {
  const to = isoDate(e['ValidityEndDate']);
  return {
    id: `${SYSTEM}:cc:${str(e, 'ControllingArea')}:${str(e, 'CostCenter')}:${to}`,
    refs: { [SYSTEM]: str(e, 'CostCenter') },
    companyCode: str(e, 'CompanyCode'),
    code: str(e, 'CostCenter'),
    name: str(e, 'CostCenterName') || str(e, 'CostCenter'),
    validFrom: isoDate(e['ValidityStartDate']),
    ...(to === '' || to === '9999-12-31' ? {} : { validTo: to }),
    blocked: e['IsBlockedForPrimaryCostPosting'] === true,
  };
}

export function projects(e: ODataEntity): Project[] {
  const elements = (e['to_EnterpriseProjectElement'] as { results?: ODataEntity[] } | null | undefined)?.results ?? [];
  return elements.map((el) => {
    const status = str(el, 'ProcessingStatus');
    return {
      id: `${SYSTEM}:wbs:${str(el, 'ProjectElement')}`,
      refs: { [SYSTEM]: str(el, 'ProjectElement') },
      companyCode: str(e, 'CompanyCode'),
      projectCode: str(e, 'Project'),
      wbsElement: str(el, 'ProjectElement'),
      name: str(el, 'ProjectElementDescription') || str(el, 'ProjectElement'),
      postingAllowed: status === '10',
      status: status === '10' ? 'released' : status === '42' ? 'closed' : 'planned',
    };
  });
}

export function taxCodes(e: ODataEntity, companyCodesByCountry: ReadonlyMap<string, readonly string[]>): TaxCode[] {
  const rate =
    str(e, 'TaxRate')
      .replace(/(\.\d*?)0+$/, '$1')
      .replace(/\.$/, '') || '0';
  return (companyCodesByCountry.get(str(e, 'Country')) ?? []).map((companyCode) => ({
    id: `${SYSTEM}:tax:${companyCode}:${str(e, 'TaxCode')}`,
    refs: { [SYSTEM]: str(e, 'TaxCode') },
    companyCode,
    code: str(e, 'TaxCode'),
    country: str(e, 'Country'),
    description: str(e, 'TaxCodeName'),
    kind: str(e, 'TaxType') === 'A' ? 'output' : rate === '0' ? 'exempt' : 'input',
    ratePercent: rate,
    deductiblePercent: '100',
  }));
}

export function vendor(partner: ODataEntity): ErpVendor {
  const supplier = (partner['to_Supplier'] ?? {}) as ODataEntity;
  const companies = ((supplier['to_SupplierCompany'] as { results?: ODataEntity[] } | undefined)?.results ?? []).map(
    (c) => str(c, 'CompanyCode'),
  );
  const banks = (partner['to_BusinessPartnerBank'] as { results?: ODataEntity[] } | undefined)?.results ?? [];
  const taxNumbers = [str(supplier, 'VATRegistration'), str(supplier, 'TaxNumber1')].filter((t) => t !== '');
  const taxes = (partner['to_BusinessPartnerTax'] as { results?: ODataEntity[] } | undefined)?.results ?? [];
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

export function newVendorBody(v: NewVendor): PlainJson {
  return {
    BusinessPartnerCategory: '2',
    BusinessPartnerGrouping: 'BPEX',
    OrganizationBPName1: v.name.slice(0, 40),
    ...(v.name.length > 40 ? { OrganizationBPName2: v.name.slice(40, 80) } : {}),
    BusinessPartnerIDByExtSystem: v.reference.slice(0, 20),
    to_BusinessPartnerRole: { results: [{ BusinessPartnerRole: 'FLVN00' }, { BusinessPartnerRole: 'FLVN01' }] },
    to_BusinessPartnerBank: {
      results: v.bankAccounts.map((b) => ({
        BankCountryKey: b.iban.slice(0, 2),
        IBAN: b.iban,
        ...(b.bic === undefined ? {} : { SWIFTCode: b.bic }),
        BankAccountHolderName: b.holderName ?? v.name,
      })),
    },
    to_BusinessPartnerTax: {
      results: v.vatNumber === undefined ? [] : [{ BPTaxType: `${v.country}0`, BPTaxNumber: v.vatNumber }],
    },
    to_Supplier: {
      ...(v.taxNumber === undefined ? {} : { TaxNumber1: v.taxNumber }),
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
          SupplierInvoiceItem: String(n + 1).padStart(6, '0'),
          CompanyCode: i.companyCode,
          GLAccount: l.glAccount,
          DocumentCurrency: l.amount.currency,
          SupplierInvoiceItemAmount: l.amount.amount,
          DebitCreditCode: l.side === 'D' ? 'S' : 'H',
          ...(l.costCenter === undefined ? {} : { CostCenter: l.costCenter }),
          ...(l.project === undefined ? {} : { WBSElement: l.project }),
          ...(l.taxCode === undefined ? {} : { TaxCode: l.taxCode }),
          ...(l.text === undefined ? {} : { SupplierInvoiceItemText: l.text }),
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

/** Lines invoiced against a purchase order item, numbered after the G/L account items. */
function purchaseOrderItems(i: ErpSupplierInvoice): PlainJson[] {
  const first = i.lines.filter((l) => l.purchaseOrder === undefined).length;
  return i.lines
    .flatMap((l) => (l.purchaseOrder === undefined ? [] : [{ line: l, po: l.purchaseOrder }]))
    .map(({ line, po }, n) => ({
      SupplierInvoiceItem: String(first + n + 1).padStart(6, '0'),
      PurchaseOrder: po.purchaseOrder,
      PurchaseOrderItem: po.purchaseOrderItem,
      DocumentCurrency: line.amount.currency,
      SupplierInvoiceItemAmount: line.amount.amount,
      DebitCreditCode: line.side === 'D' ? 'S' : 'H',
      ...(po.quantity === undefined ? {} : { QuantityInPurchaseOrderUnit: po.quantity }),
      ...(po.unitOfMeasure === undefined ? {} : { PurchaseOrderQuantityUnit: po.unitOfMeasure }),
      ...(line.taxCode === undefined ? {} : { TaxCode: line.taxCode }),
    }));
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

const esc = (t: string): string =>
  t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function journalEntryEnvelope(entry: ErpJournalEntry, messageId: string, now: string): string {
  const items = entry.lines.map((l, n) => {
    const signed =
      l.side === 'C'
        ? l.amount.amount.startsWith('-')
          ? l.amount.amount.slice(1)
          : `-${l.amount.amount}`
        : l.amount.amount;
    const amount = `<AmountInTransactionCurrency currencyCode="${esc(l.amount.currency)}">${esc(signed)}</AmountInTransactionCurrency>`;
    if (l.vendorId !== undefined)
      return `<CreditorItem><ReferenceDocumentItem>${n + 1}</ReferenceDocumentItem><Creditor>${esc(l.vendorId)}</Creditor>${amount}</CreditorItem>`;
    return `<Item><ReferenceDocumentItem>${n + 1}</ReferenceDocumentItem><GLAccount>${esc(l.glAccount)}</GLAccount>${amount}${l.text === undefined ? '' : `<DocumentItemText>${esc(l.text)}</DocumentItemText>`}${l.taxCode === undefined ? '' : `<Tax><TaxCode>${esc(l.taxCode)}</TaxCode></Tax>`}${l.costCenter === undefined ? '' : `<AccountAssignment><CostCenter>${esc(l.costCenter)}</CostCenter></AccountAssignment>`}</Item>`;
  });
  const header = `<MessageHeader><ID>${esc(messageId)}</ID><CreationDateTime>${now}</CreationDateTime></MessageHeader>`;
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sfin="http://sap.com/xi/SAPSCORE/SFIN"><soapenv:Header/><soapenv:Body><sfin:JournalEntryBulkCreateRequest>${header}<JournalEntryCreateRequest>${header}<JournalEntry><OriginalReferenceDocumentType>BKPFF</OriginalReferenceDocumentType><OriginalReferenceDocument>${esc(entry.reference)}</OriginalReferenceDocument><OriginalReferenceDocumentLogicalSystem>LEDGERLINK</OriginalReferenceDocumentLogicalSystem><BusinessTransactionType>RFBU</BusinessTransactionType><AccountingDocumentType>${esc(entry.documentType ?? 'SA')}</AccountingDocumentType><DocumentReferenceID>${esc(entry.reference)}</DocumentReferenceID>${entry.headerText === undefined ? '' : `<DocumentHeaderText>${esc(entry.headerText)}</DocumentHeaderText>`}<CreatedByUser>LEDGERLINK</CreatedByUser><CompanyCode>${esc(entry.companyCode)}</CompanyCode><DocumentDate>${entry.documentDate}</DocumentDate><PostingDate>${entry.postingDate}</PostingDate>${items.join('')}</JournalEntry></JournalEntryCreateRequest></sfin:JournalEntryBulkCreateRequest></soapenv:Body></soapenv:Envelope>`;
}

const xml = new XMLParser({
  processEntities: false,
  removeNSPrefix: true,
  parseTagValue: false,
  ignoreAttributes: true,
  isArray: (name) => name === 'Item' || name === 'JournalEntryCreateConfirmation',
});

export interface JournalConfirmation {
  readonly accountingDocument: string;
  readonly companyCode: string;
  readonly fiscalYear: string;
  readonly maxSeverity: number;
  readonly notes: readonly string[];
}

/** The first confirmation of a bulk answer; DOCTYPE refused. */
export function journalConfirmation(text: string): JournalConfirmation | undefined {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return undefined;
  type N = Record<string, unknown>;
  const root = xml.parse(text) as N;
  const bulk = ((root['Envelope'] as N | undefined)?.['Body'] as N | undefined)?.[
    'JournalEntryBulkCreateConfirmation'
  ] as N | undefined;
  const first = (bulk?.['JournalEntryCreateConfirmation'] as N[] | undefined)?.[0];
  if (first === undefined) return undefined;
  const inner = (first['JournalEntryCreateConfirmation'] as N[] | undefined)?.[0] ?? {};
  const log = (first['Log'] as N | undefined) ?? {};
  const items = (log['Item'] as N[] | undefined) ?? [];
  return {
    accountingDocument: String(inner['AccountingDocument'] ?? ''),
    companyCode: String(inner['CompanyCode'] ?? ''),
    fiscalYear: String(inner['FiscalYear'] ?? ''),
    maxSeverity: Number(log['MaximumLogItemSeverityCode'] ?? 0),
    notes: items.map((i) => `${String(i['SeverityCode'] ?? '')}: ${String(i['Note'] ?? '')}`),
  };
}
