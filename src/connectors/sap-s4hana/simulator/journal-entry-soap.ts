/**
 * Journal entry posting by SOAP (`JournalEntryBulkCreateRequest`, namespace
 * http://sap.com/xi/SAPSCORE/SFIN), as `JOURNALENTRYCREATEREQUESTCONFI.wsdl` describes it: the
 * `SOAPAction` must be the WSDL's, and the request must fit the WSDL's schema (journal-entry-validation.ts:
 * element names and order, lengths, `currencyCode` on every amount); otherwise the answer is a SOAP
 * fault (HTTP 500, faultcode `soap-env:Client`). The XML is parsed with entities off and a DOCTYPE
 * refused (SOAP fault). Input tax comes as `ProductTaxItem`s, posted to the input tax account. Each entry is confirmed in `JournalEntryBulkCreateConfirmation` with a log; a rejected entry
 * still answers HTTP 200, with `AccountingDocument` 0000000000 and severity-3 log items (closed
 * period, unknown account, lines not balancing, …). An entry whose original reference
 * (OriginalReferenceDocumentType + OriginalReferenceDocument + OriginalReferenceDocumentLogicalSystem,
 * SAP's reference key of the accounting document) was already posted in the company code is refused
 * the same way: the exact SAP message for this is not in the contract file [gap], the behaviour the
 * hub's lookup-before-create relies on is.
 */
import { Decimal } from 'decimal.js';
import { XMLParser } from 'fast-xml-parser';
import type { SimDocuments } from '../../sim-kit/documents.js';
import type { SimRequest, SimResponse } from '../../sim-kit/sim-server.js';
import { JOURNAL_ENTRY_SOAP_FACTS } from '../contract-facts/index.js';
import { journalEntryRequestProblem } from './journal-entry-validation.js';
import { simDocumentLines, type JournalLine, type SapState } from './sap-state.js';

export const JOURNAL_ENTRY_PATH = JOURNAL_ENTRY_SOAP_FACTS.path;
const NS = JOURNAL_ENTRY_SOAP_FACTS.namespace;
const INPUT_TAX_ACCOUNT = '15410000';
const DECIMAL = /^-?\d+(\.\d+)?$/;

type Node = Record<string, unknown>;

const parser = new XMLParser({
  processEntities: false,
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ['JournalEntryCreateRequest', 'Item', 'CreditorItem', 'ProductTaxItem'].includes(name),
});

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function soapFault(message: string): SimResponse {
  return {
    status: 500,
    headers: { 'content-type': 'text/xml; charset=utf-8' },
    body: `<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/"><soap-env:Header/><soap-env:Body><soap-env:Fault><faultcode>soap-env:Client</faultcode><faultstring xml:lang="en">${escapeXml(message)}</faultstring></soap-env:Fault></soap-env:Body></soap-env:Envelope>`,
  };
}

function text(node: unknown): string {
  if (typeof node === 'string') return node;
  if (node !== null && typeof node === 'object' && '#text' in node) return String((node as Node)['#text']);
  return '';
}

interface Outcome {
  readonly document: string;
  readonly companyCode: string;
  readonly fiscalYear: string;
  readonly notes: readonly { severity: number; note: string }[];
}

export function journalEntryRoute(state: SapState, documents: SimDocuments) {
  return (request: SimRequest): SimResponse => {
    if (/<!DOCTYPE|<!ENTITY/i.test(request.body)) return soapFault('DOCTYPE and entity declarations are not accepted');
    const action = String(request.headers['soapaction'] ?? '').replace(/^"|"$/g, '');
    if (action !== JOURNAL_ENTRY_SOAP_FACTS.soapAction)
      return soapFault(`SOAPAction '${action}' is not an operation of ${JOURNAL_ENTRY_SOAP_FACTS.portType}`);
    const problem = journalEntryRequestProblem(request.body);
    if (problem !== undefined) return soapFault(`The request does not match the service's schema: ${problem}`);
    let parsed: Node;
    try {
      parsed = parser.parse(request.body) as Node;
    } catch (error) {
      return soapFault(`XML is not well formed: ${error instanceof Error ? error.message : String(error)}`);
    }
    const bulk = ((parsed['Envelope'] as Node | undefined)?.['Body'] as Node | undefined)?.[
      'JournalEntryBulkCreateRequest'
    ] as Node | undefined;
    if (bulk === undefined) return soapFault('Body carries no JournalEntryBulkCreateRequest');
    const requests = (bulk['JournalEntryCreateRequest'] as Node[] | undefined) ?? [];
    const confirmations = requests.map((entry) => post(state, documents, entry));
    const body = confirmations.map((o, i) => {
      const max = Math.max(1, ...o.notes.map((n) => n.severity));
      const header = (requests[i]?.['MessageHeader'] as Node | undefined) ?? {};
      return (
        `<JournalEntryCreateConfirmation><MessageHeader><ReferenceID>${escapeXml(text(header['ID']))}</ReferenceID><CreationDateTime>${new Date().toISOString()}</CreationDateTime></MessageHeader>` +
        `<JournalEntryCreateConfirmation><AccountingDocument>${o.document}</AccountingDocument><CompanyCode>${escapeXml(o.companyCode)}</CompanyCode><FiscalYear>${o.fiscalYear}</FiscalYear></JournalEntryCreateConfirmation>` +
        `<Log><MaximumLogItemSeverityCode>${max}</MaximumLogItemSeverityCode>${o.notes.map((n) => `<Item><TypeID>${n.severity === 3 ? '001(RW)' : '605(RW)'}</TypeID><SeverityCode>${n.severity}</SeverityCode><Note>${escapeXml(n.note)}</Note></Item>`).join('')}</Log></JournalEntryCreateConfirmation>`
      );
    });
    const header = (bulk['MessageHeader'] as Node | undefined) ?? {};
    const worst = Math.max(1, ...confirmations.flatMap((c) => c.notes.map((n) => n.severity)));
    const bulkLog = `<Log><MaximumLogItemSeverityCode>${worst}</MaximumLogItemSeverityCode></Log>`;
    return {
      status: 200,
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      committed: confirmations.some((c) => c.document !== '0000000000'),
      body: `<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/"><soap-env:Header/><soap-env:Body><n0:JournalEntryBulkCreateConfirmation xmlns:n0="${NS}"><MessageHeader><ReferenceID>${escapeXml(text(header['ID']))}</ReferenceID><CreationDateTime>${new Date().toISOString()}</CreationDateTime></MessageHeader>${body.join('')}${bulkLog}</n0:JournalEntryBulkCreateConfirmation></soap-env:Body></soap-env:Envelope>`,
    };
  };
}

function post(state: SapState, documents: SimDocuments, request: Node): Outcome {
  const entry = (request['JournalEntry'] as Node | undefined) ?? {};
  const companyCode = text(entry['CompanyCode']);
  const postingDate = text(entry['PostingDate']);
  const documentDate = text(entry['DocumentDate']) || postingDate;
  const reference = text(entry['DocumentReferenceID']) || text(entry['OriginalReferenceDocument']);
  const fail = (note: string, fiscalYear = '0000'): Outcome => ({
    document: '0000000000',
    companyCode,
    fiscalYear,
    notes: [{ severity: 3, note }],
  });
  const company = state.companyCode(companyCode);
  if (company === undefined) return fail(`Company code ${companyCode} does not exist`);
  if (!/^\d{4}-\d\d-\d\d$/.test(postingDate)) return fail('Enter a posting date (YYYY-MM-DD)');
  const period = state.period(companyCode, postingDate);
  const fiscalYear = String(period.fiscalYear);
  const originalReference = text(entry['OriginalReferenceDocument']);
  const referenceKey = [
    companyCode,
    text(entry['OriginalReferenceDocumentType']) || 'BKPFF',
    originalReference,
    text(entry['OriginalReferenceDocumentLogicalSystem']),
  ].join('|');
  if (!period.open)
    return fail(`Posting period ${String(period.period).padStart(3, '0')} ${fiscalYear} is not open`, fiscalYear);
  const earlier = originalReference === '' ? undefined : state.journalReferences.get(referenceKey);
  if (earlier !== undefined)
    return fail(
      `Reference document ${originalReference} was already posted as accounting document ${earlier} in company code ${companyCode}`,
      fiscalYear,
    );
  const lines: JournalLine[] = [];
  const totals = new Map<string, Decimal>();
  const items = [
    ...((entry['Item'] as Node[] | undefined) ?? []).map((i) => ({ i, creditor: false, tax: false })),
    ...((entry['CreditorItem'] as Node[] | undefined) ?? []).map((i) => ({ i, creditor: true, tax: false })),
    ...((entry['ProductTaxItem'] as Node[] | undefined) ?? []).map((i) => ({ i, creditor: false, tax: true })),
  ];
  if (items.length < 2) return fail('A journal entry needs at least two items', fiscalYear);
  for (const { i: item, creditor, tax } of items) {
    const amountNode = item['AmountInTransactionCurrency'];
    const amountText = text(amountNode);
    const currency = (amountNode as Node | undefined)?.['@_currencyCode'];
    if (!DECIMAL.test(amountText) || typeof currency !== 'string')
      return fail(`Item ${text(item['ReferenceDocumentItem'])}: amount with currencyCode required`, fiscalYear);
    const amount = new Decimal(amountText);
    totals.set(currency, (totals.get(currency) ?? new Decimal(0)).plus(amount));
    const supplier = creditor ? text(item['Creditor']) : undefined;
    let glAccount = tax ? INPUT_TAX_ACCOUNT : text(item['GLAccount']);
    if (supplier !== undefined) {
      const company = (
        (state.partner(supplier)?.['to_Supplier'] as Node | null | undefined)?.['to_SupplierCompany'] as
          Node[] | undefined
      )?.find((c) => c['CompanyCode'] === companyCode);
      if (company === undefined)
        return fail(`Supplier ${supplier} is not defined in company code ${companyCode}`, fiscalYear);
      glAccount = String(company['ReconciliationAccount']);
    }
    const account = state.glAccount(glAccount);
    if (account === undefined)
      return fail(`G/L account ${glAccount} does not exist in chart of accounts YCOA`, fiscalYear);
    if (account['AccountIsBlockedForPosting'] === true)
      return fail(`G/L account ${glAccount} is blocked for posting`, fiscalYear);
    const assignment = item['AccountAssignment'] as Node | undefined;
    const costCenter = text(assignment?.['CostCenter']);
    if (costCenter !== '' && state.costCenter(costCenter, postingDate) === undefined)
      return fail(`Cost center A000/${costCenter} is not valid on ${postingDate}`, fiscalYear);
    const wbsElement = text(assignment?.['WBSElement']);
    if (wbsElement !== '' && state.wbsElement(wbsElement)?.['ProcessingStatus'] !== '10')
      return fail(`WBS element ${wbsElement} does not allow postings`, fiscalYear);
    const taxCode = tax ? text(item['TaxCode']) : text((item['Tax'] as Node | undefined)?.['TaxCode']);
    lines.push({
      glAccount,
      amount: amount.abs().toFixed(),
      side: amount.isNegative() ? 'H' : 'S',
      ...(supplier === undefined ? {} : { supplier }),
      ...(costCenter === '' ? {} : { costCenter }),
      ...(wbsElement === '' ? {} : { wbsElement }),
      ...(taxCode === '' ? {} : { taxCode }),
      text: text(item[tax ? 'ProductiveTaxText' : 'DocumentItemText']),
    });
  }
  for (const [currency, total] of totals) {
    if (!total.isZero())
      return fail(`Balance in transaction currency ${currency} is not zero: ${total.toFixed()}`, fiscalYear);
  }
  const currency = [...totals.keys()][0] ?? String(company['Currency']);
  const document = state.next('journal');
  if (originalReference !== '') state.journalReferences.set(referenceKey, document);
  state.postItems(
    {
      companyCode,
      fiscalYear,
      document,
      type: text(entry['AccountingDocumentType']) || 'SA',
      postingDate,
      documentDate,
      reference,
      currency,
    },
    lines,
  );
  documents.add({
    kind: 'journal_entry',
    id: `${document}/${companyCode}/${fiscalYear}`,
    reference,
    companyCode,
    currency,
    lines: simDocumentLines(lines),
    raw: entry,
  });
  return {
    document,
    companyCode,
    fiscalYear,
    notes: [{ severity: 1, note: `Document ${document} was posted in company code ${companyCode}` }],
  };
}
