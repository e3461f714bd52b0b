/**
 * The journal entry SOAP exchange as `JOURNALENTRYCREATEREQUESTCONFI.wsdl` describes it (facts in
 * contract-facts/journal-entry-soap-facts.ts): the request envelope with the journal entry's elements
 * in the schema's order (header fields, then every G/L `Item`, every `CreditorItem`, every input tax
 * line as `ProductTaxItem` with its tax base), texts cut to the schema's lengths; the confirmation's document number and log; and a SOAP fault read by its
 * content (a `Client` fault is the request's fault, a rejection; anything else may pass).
 */
import { XMLParser } from 'fast-xml-parser';
import { LedgerlinkError } from '../../canonical/errors.js';
import type { HttpResponse } from '../http/http-types.js';
import type { ErpJournalEntry } from '../ports/erp-port.js';
import { JOURNAL_ENTRY_SOAP_FACTS, sequenceOf } from './contract-facts/index.js';

const SYSTEM = 'sap-s4hana';
export const JOURNAL_ENTRY_ACTION = JOURNAL_ENTRY_SOAP_FACTS.soapAction;
export const JOURNAL_ENTRY_PATH = JOURNAL_ENTRY_SOAP_FACTS.path.replace(/^\//, '');

const esc = (t: string): string =>
  t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The schema's length of an element of a kept sequence (the whole text when none is kept). */
function cut(typeName: string, element: string, value: string): string {
  const limit = sequenceOf(typeName)?.find((e) => e.name === element)?.maxLength;
  return limit === undefined ? value : value.slice(0, limit);
}

const HEADER = 'JournalEntryCreateRequestJournalEntry';
const ITEM = 'JournalEntryCreateRequestJournalEntryItem';
const CREDITOR = 'JournalEntryCreateRequestJournalEntryCreditorItem';

function tag(name: string, value: string | undefined): string {
  return value === undefined || value === '' ? '' : `<${name}>${esc(value)}</${name}>`;
}

/** The amount as the schema's `Amount`: signed (credits negative), with its `currencyCode`. */
function amountElement(name: string, side: 'D' | 'C', money: { amount: string; currency: string }): string {
  const signed =
    side === 'C' ? (money.amount.startsWith('-') ? money.amount.slice(1) : `-${money.amount}`) : money.amount;
  return `<${name} currencyCode="${esc(money.currency)}">${esc(signed)}</${name}>`;
}

/** One entry to post, with the ID of its own message header (the confirmation's `ReferenceID`). */
export interface JournalEntryMessage {
  readonly entry: ErpJournalEntry;
  readonly messageId: string;
}

/** One entry alone in a bulk request whose header has the entry's message ID. */
export function journalEntryEnvelope(entry: ErpJournalEntry, messageId: string, now: string): string {
  return journalEntriesEnvelope([{ entry, messageId }], messageId, now);
}

/**
 * The `JournalEntryBulkCreateRequest` of several entries (the WSDL takes `JournalEntryCreateRequest`
 * unbounded), each with its own message header; the tenant confirms each on its own.
 */
export function journalEntriesEnvelope(messages: readonly JournalEntryMessage[], bulkId: string, now: string): string {
  const header = (id: string): string =>
    `<MessageHeader><ID>${esc(id)}</ID><CreationDateTime>${now}</CreationDateTime></MessageHeader>`;
  const requests = messages
    .map(
      (m) =>
        `<JournalEntryCreateRequest>${header(m.messageId)}${journalEntryElement(m.entry)}</JournalEntryCreateRequest>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sfin="${JOURNAL_ENTRY_SOAP_FACTS.namespace}"><soapenv:Header/><soapenv:Body><sfin:${JOURNAL_ENTRY_SOAP_FACTS.request.element}>${header(bulkId)}${requests}</sfin:${JOURNAL_ENTRY_SOAP_FACTS.request.element}></soapenv:Body></soapenv:Envelope>`;
}

function journalEntryElement(entry: ErpJournalEntry): string {
  const glItems: string[] = [];
  const creditorItems: string[] = [];
  const taxItems: string[] = [];
  entry.lines.forEach((l, n) => {
    const amount = amountElement('AmountInTransactionCurrency', l.side, l.amount);
    const itemNumber = String(n + 1);
    if (l.taxBase !== undefined && l.taxCode !== undefined && l.vendorId === undefined) {
      // Input tax: a ProductTaxItem with its code and base; the ERP finds the tax account from the code.
      taxItems.push(
        `<ProductTaxItem>${tag('ReferenceDocumentItem', itemNumber)}${tag('TaxCode', l.taxCode)}${amount}${amountElement('TaxBaseAmountInTransCrcy', l.side, l.taxBase)}</ProductTaxItem>`,
      );
      return;
    }
    if (l.vendorId !== undefined) {
      creditorItems.push(
        `<CreditorItem>${tag('ReferenceDocumentItem', itemNumber)}${tag('Creditor', l.vendorId)}${amount}${tag('DocumentItemText', l.text === undefined ? undefined : cut(CREDITOR, 'DocumentItemText', l.text))}</CreditorItem>`,
      );
      return;
    }
    const assignment =
      l.costCenter === undefined && l.project === undefined
        ? ''
        : `<AccountAssignment>${tag('CostCenter', l.costCenter)}${tag('WBSElement', l.project)}</AccountAssignment>`;
    glItems.push(
      `<Item>${tag('ReferenceDocumentItem', itemNumber)}${tag('GLAccount', l.glAccount)}${amount}${tag('DocumentItemText', l.text === undefined ? undefined : cut(ITEM, 'DocumentItemText', l.text))}${l.taxCode === undefined ? '' : `<Tax>${tag('TaxCode', l.taxCode)}</Tax>`}${assignment}</Item>`,
    );
  });
  return (
    `<JournalEntry><OriginalReferenceDocumentType>BKPFF</OriginalReferenceDocumentType>` +
    tag('OriginalReferenceDocument', entry.reference) +
    `<OriginalReferenceDocumentLogicalSystem>LEDGERLINK</OriginalReferenceDocumentLogicalSystem>` +
    `<BusinessTransactionType>RFBU</BusinessTransactionType>` +
    tag('AccountingDocumentType', entry.documentType ?? 'SA') +
    tag('DocumentReferenceID', entry.reference) +
    tag(
      'DocumentHeaderText',
      entry.headerText === undefined ? undefined : cut(HEADER, 'DocumentHeaderText', entry.headerText),
    ) +
    `<CreatedByUser>LEDGERLINK</CreatedByUser>` +
    tag('CompanyCode', entry.companyCode) +
    tag('DocumentDate', entry.documentDate) +
    tag('PostingDate', entry.postingDate) +
    glItems.join('') +
    creditorItems.join('') +
    taxItems.join('') +
    `</JournalEntry>`
  );
}

const xml = new XMLParser({
  processEntities: false,
  removeNSPrefix: true,
  parseTagValue: false,
  ignoreAttributes: true,
  isArray: (name) => name === 'Item' || name === 'JournalEntryCreateConfirmation',
});

export interface JournalConfirmation {
  /** The `ReferenceID` of the confirmation's message header: the request's message ID. */
  readonly referenceId: string;
  readonly accountingDocument: string;
  readonly companyCode: string;
  readonly fiscalYear: string;
  readonly maxSeverity: number;
  readonly notes: readonly string[];
}

type N = Record<string, unknown>;

/** The first confirmation of a bulk answer; DOCTYPE refused. */
export function journalConfirmation(text: string): JournalConfirmation | undefined {
  return journalConfirmations(text)?.[0];
}

/** Every confirmation of a bulk answer in order; undefined when the text is not one (DOCTYPE refused). */
export function journalConfirmations(text: string): JournalConfirmation[] | undefined {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return undefined;
  const root = xml.parse(text) as N;
  const bulk = ((root['Envelope'] as N | undefined)?.['Body'] as N | undefined)?.[
    JOURNAL_ENTRY_SOAP_FACTS.confirmation.element
  ] as N | undefined;
  const confirmations = bulk?.['JournalEntryCreateConfirmation'] as N[] | undefined;
  if (confirmations === undefined || confirmations.length === 0) return undefined;
  return confirmations.map((one) => {
    const inner = (one['JournalEntryCreateConfirmation'] as N[] | undefined)?.[0] ?? {};
    const log = (one['Log'] as N | undefined) ?? {};
    const items = (log['Item'] as N[] | undefined) ?? [];
    return {
      referenceId: String((one['MessageHeader'] as N | undefined)?.['ReferenceID'] ?? ''),
      accountingDocument: String(inner['AccountingDocument'] ?? ''),
      companyCode: String(inner['CompanyCode'] ?? ''),
      fiscalYear: String(inner['FiscalYear'] ?? ''),
      maxSeverity: Number(log['MaximumLogItemSeverityCode'] ?? 0),
      notes: items.map((i) => `${String(i['SeverityCode'] ?? '')}: ${String(i['Note'] ?? '')}`),
    };
  });
}

/**
 * A SOAP 1.1 fault (HTTP 500) read by its content: `faultcode` `Client` (the request is wrong: schema,
 * SOAPAction, DOCTYPE) is LL_ERR_REMOTE_REJECTED and never retried; a `Server` fault or any other 5xx is
 * left to the shared classification (transient).
 */
export function classifySoapFault(response: HttpResponse, body: string): LedgerlinkError | undefined {
  if (response.status !== 500 || /<!DOCTYPE|<!ENTITY/i.test(body)) return undefined;
  let fault: N | undefined;
  try {
    const root = xml.parse(body) as N;
    fault = ((root['Envelope'] as N | undefined)?.['Body'] as N | undefined)?.['Fault'] as N | undefined;
  } catch {
    return undefined;
  }
  const code = String(fault?.['faultcode'] ?? '');
  if (fault === undefined || !/(^|:)Client(\.|$)/.test(code)) return undefined;
  const message = String(fault['faultstring'] ?? '').slice(0, 500);
  return new LedgerlinkError('LL_ERR_REMOTE_REJECTED', `${SYSTEM} refused the SOAP request: ${message}`, {
    details: [{ message, sapCode: code, status: response.status, system: SYSTEM }],
  });
}
