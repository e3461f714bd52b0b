/**
 * API_SUPPLIERINVOICE_PROCESS_SRV: `A_SupplierInvoice` deep insert with `to_SupplierInvoiceItemGLAcct`
 * (and `to_SuplrInvcItemPurOrdRef`, `to_SupplierInvoiceTax`), reads by `$filter` (the reference lookup). Rejections as SAP answers
 * them: a reference (`SupplierInvoiceIDByInvcgParty`, 16 chars) already used for the same invoicing
 * party, a posting date in a closed period, gross amount not matching items plus tax, unknown or
 * blocked master data. What the metadata refuses (unknown or read-only properties, a
 * `SupplierInvoiceItem` longer than 4 characters on a G/L item or 6 on a PO reference item, a
 * `DebitCreditCode` on a PO reference item, which has none, amounts that are not Edm.Decimal strings
 * of precision 14, scale 3) is refused before this code runs (odata-contract-checks.ts). A PO reference
 * item is a debit (a credit against an order is a credit memo, not modelled). The simulator holds no
 * purchase orders: a PO reference item needs a purchase order and item number and is posted to GR/IR
 * clearing, as an invoice against a goods receipt is.
 */
import { Decimal } from 'decimal.js';
import type { SimDocuments } from '../../sim-kit/documents.js';
import type { SimRequest, SimResponse } from '../../sim-kit/sim-server.js';
import { collection, created, isoDateOf, odataError, sapDate, type Entity, type EntitySet } from './odata-envelope.js';
import { SUPPLIER_INVOICE_FACTS } from '../contract-facts/supplier-invoice-facts.js';
import { simDocumentLines, type JournalLine, type SapState } from './sap-state.js';
import { cancelSupplierInvoice } from './supplier-invoice-cancel.js';

export const INVOICE_SERVICE = '/sap/opu/odata/sap/API_SUPPLIERINVOICE_PROCESS_SRV';
const SET: EntitySet = {
  service: INVOICE_SERVICE,
  name: 'A_SupplierInvoice',
  type: 'API_SUPPLIERINVOICE_PROCESS_SRV.A_SupplierInvoiceType',
  key: (e) => `SupplierInvoice='${String(e['SupplierInvoice'])}',FiscalYear='${String(e['FiscalYear'])}'`,
  navigationTypes: {
    to_SupplierInvoiceItemGLAcct: 'API_SUPPLIERINVOICE_PROCESS_SRV.A_SupplierInvoiceItemGLAcctType',
    to_SuplrInvcItemPurOrdRef: 'API_SUPPLIERINVOICE_PROCESS_SRV.A_SuplrInvcItemPurOrdRefType',
    to_SupplierInvoiceTax: 'API_SUPPLIERINVOICE_PROCESS_SRV.A_SupplierInvoiceTaxType',
  },
  contract: { service: SUPPLIER_INVOICE_FACTS, set: SUPPLIER_INVOICE_FACTS.entitySets['A_SupplierInvoice']! },
};
const DECIMAL = /^-?\d+(\.\d+)?$/;
const INPUT_TAX_ACCOUNT = '15410000';
/** Where PO reference items are posted (the simulator does not derive the order's account assignment). */
export const GR_IR_CLEARING_ACCOUNT = '21910000';

export function supplierInvoiceRoute(state: SapState, documents: SimDocuments) {
  return (request: SimRequest, segment: string): SimResponse => {
    if (segment === 'Cancel') return cancelSupplierInvoice(request, state, documents);
    if (segment !== 'A_SupplierInvoice')
      return odataError(404, '/IWBEP/CM_MGW_RT/020', `Resource not found for segment '${segment}'`);
    if (request.method === 'GET') return collection(request, SET, state.invoices, { pageSize: state.pageSize });
    if (request.method === 'POST') return create(request, state, documents);
    return odataError(405, '/IWBEP/CM_MGW_RT/021', `Method ${request.method} not allowed on A_SupplierInvoice`);
  };
}

function reject(code: string, message: string, property?: string): SimResponse {
  return odataError(400, code, message, property === undefined ? [] : [{ code, message, propertyref: property }]);
}

function results(value: unknown): Entity[] {
  const list = (value as { results?: unknown } | undefined)?.results;
  return Array.isArray(list) ? (list as Entity[]) : [];
}

function amount(value: unknown): Decimal | undefined {
  return typeof value === 'string' && DECIMAL.test(value) ? new Decimal(value) : undefined;
}

function create(request: SimRequest, state: SapState, documents: SimDocuments): SimResponse {
  let body: Entity;
  try {
    body = JSON.parse(request.body) as Entity;
  } catch {
    return reject('/IWBEP/CM_MGW_RT/002', 'The request body is not valid JSON');
  }
  const companyCode = String(body['CompanyCode'] ?? '');
  const company = state.companyCode(companyCode);
  if (company === undefined) return reject('F5/165', `Company code ${companyCode} does not exist`, 'CompanyCode');
  const reference = String(body['SupplierInvoiceIDByInvcgParty'] ?? '');
  if (reference === '' || reference.length > 16)
    return reject(
      '/IWBEP/CM_MGW_RT/001',
      'Property SupplierInvoiceIDByInvcgParty has an invalid value (1 to 16 characters)',
      'SupplierInvoiceIDByInvcgParty',
    );
  const party = String(body['InvoicingParty'] ?? '');
  const partner = state.partner(party);
  const supplierCompany = (
    (partner?.['to_Supplier'] as Entity | null | undefined)?.['to_SupplierCompany'] as Entity[] | undefined
  )?.find((c) => c['CompanyCode'] === companyCode);
  if (partner === undefined || supplierCompany === undefined)
    return reject('M8/152', `Supplier ${party} is not defined for company code ${companyCode}`, 'InvoicingParty');
  if (supplierCompany['SupplierIsBlockedForPosting'] === true)
    return reject(
      'M8/321',
      `Supplier ${party} is blocked for posting in company code ${companyCode}`,
      'InvoicingParty',
    );
  const postingDate = isoDateOf(body['PostingDate']);
  const documentDate = isoDateOf(body['DocumentDate']);
  if (postingDate === undefined || documentDate === undefined)
    return reject('/IWBEP/CM_MGW_RT/001', 'PostingDate and DocumentDate must be Edm.DateTime values', 'PostingDate');
  const currency = String(body['DocumentCurrency'] ?? '');
  const gross = amount(body['InvoiceGrossAmount']);
  if (gross === undefined || currency === '')
    return reject(
      '/IWBEP/CM_MGW_RT/001',
      'InvoiceGrossAmount must be an Edm.Decimal string and DocumentCurrency set',
      'InvoiceGrossAmount',
    );
  const duplicate = state.invoices.find(
    (i) =>
      i['InvoicingParty'] === party && i['SupplierInvoiceIDByInvcgParty'] === reference && i['IsReversed'] !== true,
  );
  if (duplicate !== undefined) {
    return reject(
      'M8/108',
      `Check if invoice already entered under accounting document ${String(duplicate['SupplierInvoice'])} ${String(duplicate['FiscalYear'])}`,
      'SupplierInvoiceIDByInvcgParty',
    );
  }
  const period = state.period(companyCode, postingDate);
  if (!period.open)
    return reject(
      'F5/201',
      `Posting period ${String(period.period).padStart(3, '0')} ${period.fiscalYear} is not open`,
      'PostingDate',
    );

  const lines: JournalLine[] = [];
  let net = new Decimal(0);
  const itemsIn = results(body['to_SupplierInvoiceItemGLAcct']);
  const orderItemsIn = results(body['to_SuplrInvcItemPurOrdRef']);
  if (itemsIn.length === 0 && orderItemsIn.length === 0) return reject('M8/291', 'Enter at least one G/L account item');
  for (const [index, item] of orderItemsIn.entries()) {
    const value = amount(item['SupplierInvoiceItemAmount']);
    if (value === undefined)
      return reject(
        '/IWBEP/CM_MGW_RT/001',
        `PO item ${index + 1}: SupplierInvoiceItemAmount must be an Edm.Decimal string`,
        'SupplierInvoiceItemAmount',
      );
    const order = String(item['PurchaseOrder'] ?? '');
    const orderItem = String(item['PurchaseOrderItem'] ?? '');
    if (order === '' || orderItem === '')
      return reject('M8/035', `PO item ${index + 1}: enter a purchase order and item`, 'PurchaseOrder');
    const side = 'S';
    net = net.plus(value);
    const taxCode = typeof item['TaxCode'] === 'string' && item['TaxCode'] !== '' ? { taxCode: item['TaxCode'] } : {};
    lines.push({
      glAccount: GR_IR_CLEARING_ACCOUNT,
      amount: value.toFixed(),
      side,
      ...taxCode,
      text: `PO ${order} ${orderItem}`,
    });
  }
  for (const [index, item] of itemsIn.entries()) {
    const value = amount(item['SupplierInvoiceItemAmount']);
    if (value === undefined)
      return reject(
        '/IWBEP/CM_MGW_RT/001',
        `Item ${index + 1}: SupplierInvoiceItemAmount must be an Edm.Decimal string`,
        'SupplierInvoiceItemAmount',
      );
    const account = state.glAccount(item['GLAccount']);
    if (account === undefined)
      return reject(
        'FH/010',
        `G/L account ${String(item['GLAccount'])} does not exist in chart of accounts YCOA`,
        'GLAccount',
      );
    if (account['AccountIsBlockedForPosting'] === true)
      return reject('F5/351', `G/L account ${String(item['GLAccount'])} is blocked for posting`, 'GLAccount');
    const costCenter = item['CostCenter'];
    if (
      typeof costCenter === 'string' &&
      costCenter !== '' &&
      state.costCenter(costCenter, postingDate) === undefined
    ) {
      return reject('KI/235', `Cost center A000/${costCenter} is not valid on ${postingDate}`, 'CostCenter');
    }
    const wbs = item['WBSElement'];
    if (typeof wbs === 'string' && wbs !== '' && state.wbsElement(wbs)?.['ProcessingStatus'] !== '10') {
      return reject('BS/013', `WBS element ${wbs} does not allow postings`, 'WBSElement');
    }
    const side = item['DebitCreditCode'] === 'H' ? 'H' : 'S';
    net = side === 'S' ? net.plus(value) : net.minus(value);
    lines.push({
      glAccount: String(item['GLAccount']),
      amount: value.toFixed(),
      side,
      ...(typeof costCenter === 'string' && costCenter !== '' ? { costCenter } : {}),
      ...(typeof wbs === 'string' && wbs !== '' ? { wbsElement: wbs } : {}),
      ...(typeof item['TaxCode'] === 'string' && item['TaxCode'] !== '' ? { taxCode: item['TaxCode'] } : {}),
      text: String(item['SupplierInvoiceItemText'] ?? ''),
    });
  }
  const taxesIn = results(body['to_SupplierInvoiceTax']);
  let tax = new Decimal(0);
  for (const entry of taxesIn) {
    const value = amount(entry['TaxAmount']);
    if (value === undefined)
      return reject('/IWBEP/CM_MGW_RT/001', 'TaxAmount must be an Edm.Decimal string', 'TaxAmount');
    tax = tax.plus(value);
    if (!value.isZero())
      lines.push({
        glAccount: INPUT_TAX_ACCOUNT,
        amount: value.toFixed(),
        side: 'S',
        taxCode: String(entry['TaxCode'] ?? ''),
      });
  }
  if (!net.plus(tax).equals(gross)) {
    return reject(
      'M8/534',
      `Balance not zero: gross amount ${gross.toFixed()} ${currency}, items and tax ${net.plus(tax).toFixed()} ${currency}`,
      'InvoiceGrossAmount',
    );
  }

  const invoiceNumber = state.next('invoice');
  const fiscalYear = String(period.fiscalYear);
  const reconciliation = String(supplierCompany['ReconciliationAccount']);
  lines.unshift({ glAccount: reconciliation, amount: gross.toFixed(), side: 'H', supplier: party, text: reference });
  const invoice: Entity = {
    SupplierInvoice: invoiceNumber,
    FiscalYear: fiscalYear,
    CompanyCode: companyCode,
    DocumentDate: sapDate(documentDate),
    PostingDate: sapDate(postingDate),
    CreationDate: sapDate(new Date().toISOString().slice(0, 10)),
    SupplierInvoiceIDByInvcgParty: reference,
    InvoicingParty: party,
    DocumentCurrency: currency,
    InvoiceGrossAmount: gross.toFixed(),
    PaymentTerms: String(body['PaymentTerms'] ?? supplierCompany['PaymentTerms'] ?? ''),
    DueCalculationBaseDate: body['DueCalculationBaseDate'] ?? sapDate(documentDate),
    AccountingDocumentType: String(body['AccountingDocumentType'] ?? 'RE'),
    SupplierInvoiceStatus: '5',
    TaxIsCalculatedAutomatically: body['TaxIsCalculatedAutomatically'] === true,
    DocumentHeaderText: String(body['DocumentHeaderText'] ?? ''),
    PaymentBlockingReason: String(body['PaymentBlockingReason'] ?? ''),
    ReverseDocument: '',
    IsReversed: false,
    to_SupplierInvoiceItemGLAcct: itemsIn.map((item, i) => ({
      SupplierInvoice: invoiceNumber,
      FiscalYear: fiscalYear,
      SupplierInvoiceItem: String(item['SupplierInvoiceItem'] ?? String(i + 1).padStart(4, '0')),
      CompanyCode: companyCode,
      GLAccount: String(item['GLAccount']),
      CostCenter: String(item['CostCenter'] ?? ''),
      WBSElement: String(item['WBSElement'] ?? ''),
      DocumentCurrency: currency,
      SupplierInvoiceItemAmount: new Decimal(String(item['SupplierInvoiceItemAmount'])).toFixed(),
      DebitCreditCode: item['DebitCreditCode'] === 'H' ? 'H' : 'S',
      TaxCode: String(item['TaxCode'] ?? ''),
      SupplierInvoiceItemText: String(item['SupplierInvoiceItemText'] ?? ''),
    })),
    to_SuplrInvcItemPurOrdRef: orderItemsIn.map((item, i) => ({
      SupplierInvoice: invoiceNumber,
      FiscalYear: fiscalYear,
      SupplierInvoiceItem: String(item['SupplierInvoiceItem'] ?? String(itemsIn.length + i + 1).padStart(6, '0')),
      PurchaseOrder: String(item['PurchaseOrder']),
      PurchaseOrderItem: String(item['PurchaseOrderItem']),
      DocumentCurrency: currency,
      SupplierInvoiceItemAmount: new Decimal(String(item['SupplierInvoiceItemAmount'])).toFixed(),
      QuantityInPurchaseOrderUnit: String(item['QuantityInPurchaseOrderUnit'] ?? '0'),
      PurchaseOrderQuantityUnit: String(item['PurchaseOrderQuantityUnit'] ?? ''),
      SupplierInvoiceItemText: String(item['SupplierInvoiceItemText'] ?? ''),
      TaxCode: String(item['TaxCode'] ?? ''),
    })),
    to_SupplierInvoiceTax: taxesIn.map((t, i) => ({
      SupplierInvoice: invoiceNumber,
      FiscalYear: fiscalYear,
      TaxCode: String(t['TaxCode'] ?? ''),
      SupplierInvoiceTaxCounter: String(i + 1).padStart(6, '0'),
      TaxAmount: String(t['TaxAmount']),
      DocumentCurrency: currency,
    })),
  };
  state.invoices.push(invoice);
  state.postItems(
    {
      companyCode,
      fiscalYear,
      document: invoiceNumber,
      type: String(invoice['AccountingDocumentType']),
      postingDate,
      documentDate,
      reference,
      currency,
    },
    lines,
  );
  documents.add({
    kind: 'supplier_invoice',
    id: `${invoiceNumber}/${fiscalYear}`,
    reference,
    companyCode,
    currency,
    lines: simDocumentLines(lines),
    raw: body,
  });
  return created(request, SET, invoice, 'to_SupplierInvoiceItemGLAcct,to_SuplrInvcItemPurOrdRef,to_SupplierInvoiceTax');
}
