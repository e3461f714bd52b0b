/**
 * Posting to Business Central through API v2.0:
 * - a supplier invoice is a draft purchase invoice (`vendorInvoiceNumber` = our reference) with one
 *   G/L account line per invoice line (cost center and project as dimension set lines), checked
 *   against the totals Business Central computes, then `Microsoft.NAV.post`; a draft left by an
 *   interrupted attempt is deleted first, an invoice already posted with our reference is answered.
 * - a journal entry is posted through a journal batch of its own (code from our reference, so
 *   concurrent postings never post each other's lines): lines with `documentNumber` and
 *   `externalDocumentNumber` = our reference, then `Microsoft.NAV.post` on the batch, which stays
 *   (empty) as the entry's record for its links. Journal lines carry no currency in API v2.0: entries must be in the company's currency.
 */
import { Decimal } from 'decimal.js';
import { LedgerlinkError } from '../../canonical/errors.js';
import type { JsonObject } from '../../canonical/strict-json.js';
import type { ErpDocumentRef, ErpInvoiceLine, ErpJournalEntry, ErpSupplierInvoice } from '../ports/erp-port.js';
import type { BcClient } from './client.js';
import { amountOf, body, decimal, quote, text } from './translate.js';

export interface CompanyContext {
  readonly entity: string;
  /** `companies(<id>)`. */
  readonly path: string;
  /** The company's local currency (company information). */
  readonly currency: string;
}

export interface Dimensions {
  readonly costCenter: string;
  readonly project: string;
}

const invalid = (message: string, path: string): LedgerlinkError =>
  new LedgerlinkError('LL_ERR_VALIDATION', message, { details: [{ message, path }] });

async function addDimensions(
  client: BcClient,
  linePath: string,
  line: ErpInvoiceLine,
  dims: Dimensions,
): Promise<void> {
  const set: [string, string | undefined][] = [
    [dims.costCenter, line.costCenter],
    [dims.project, line.project],
  ];
  for (const [code, value] of set)
    if (value !== undefined && value !== '')
      await client.post(`${linePath}/dimensionSetLines`, { code, valueCode: value.toUpperCase() });
}

/** The purchase invoices carrying our reference for the vendor (drafts and posted ones). */
export async function invoicesWithReference(
  client: BcClient,
  company: CompanyContext,
  reference: string,
  vendorId?: string,
): Promise<JsonObject[]> {
  const byVendor = vendorId === undefined ? '' : ` and vendorNumber eq ${quote(vendorId)}`;
  return client.list(`${company.path}/purchaseInvoices`, `vendorInvoiceNumber eq ${quote(reference)}${byVendor}`);
}

export const isDraft = (invoice: JsonObject): boolean => text(invoice, 'status') === 'Draft';

export function invoiceRef(company: CompanyContext, invoice: JsonObject): ErpDocumentRef {
  return {
    kind: 'supplier_invoice',
    documentId: text(invoice, 'number'),
    fiscalYear: text(invoice, 'postingDate').slice(0, 4),
    companyCode: company.entity,
  };
}

export async function postSupplierInvoice(
  client: BcClient,
  company: CompanyContext,
  invoice: ErpSupplierInvoice,
  dims: Dimensions,
): Promise<ErpDocumentRef> {
  if (invoice.reference.length === 0 || invoice.reference.length > 35)
    throw invalid('the supplier invoice reference must have 1 to 35 characters', 'reference');
  const currency = invoice.gross.currency;
  for (const [i, line] of invoice.lines.entries())
    if (line.amount.currency !== currency) throw invalid(`line ${i + 1} is not in ${currency}`, `lines[${i}].amount`);
  for (const existing of await invoicesWithReference(client, company, invoice.reference, invoice.vendorId)) {
    if (!isDraft(existing)) return invoiceRef(company, existing);
    await client.delete(`${company.path}/purchaseInvoices(${text(existing, 'id')})`, text(existing, '@odata.etag'));
  }
  const draft = await client.post(
    `${company.path}/purchaseInvoices`,
    body({
      vendorNumber: invoice.vendorId,
      vendorInvoiceNumber: invoice.reference,
      invoiceDate: invoice.documentDate,
      postingDate: invoice.postingDate,
      currencyCode: currency === company.currency ? '' : currency,
    }),
  );
  const path = `${company.path}/purchaseInvoices(${text(draft, 'id')})`;
  try {
    for (const line of invoice.lines) {
      const created = await client.post(
        `${path}/purchaseInvoiceLines`,
        body({
          lineType: 'Account',
          lineObjectNumber: line.glAccount,
          description: (line.text ?? invoice.headerText ?? invoice.reference).slice(0, 100),
          quantity: decimal(line.side === 'D' ? '1' : '-1'),
          unitCost: decimal(new Decimal(line.amount.amount).abs().toString()),
          taxCode: line.taxCode,
        }),
      );
      await addDimensions(client, `${path}/purchaseInvoiceLines(${text(created, 'id')})`, line, dims);
    }
    const totals = await client.get(path);
    const computed = totals === null ? '' : amountOf(totals, 'totalAmountIncludingTax');
    if (!new Decimal(computed || '0').equals(new Decimal(invoice.gross.amount)))
      throw new LedgerlinkError(
        'LL_ERR_REMOTE_REJECTED',
        `Business Central computes ${computed} ${currency} including tax for invoice ${invoice.reference}; the invoice says ${invoice.gross.amount}`,
        { details: [{ message: `computed ${computed}, expected ${invoice.gross.amount}`, path: 'gross' }] },
      );
    await client.action(`${path}/Microsoft.NAV.post`);
  } catch (error) {
    // A refused draft is removed so that a retry starts clean (a draft is nothing posted).
    const current = await client.get(path).catch(() => null);
    if (current !== null && isDraft(current))
      await client.delete(path, text(current, '@odata.etag')).catch(() => undefined);
    throw error;
  }
  const posted = await client.get(path);
  if (posted === null)
    throw new LedgerlinkError('LL_ERR_REMOTE_TRANSIENT', `posted invoice ${invoice.reference} not found`);
  return invoiceRef(company, posted);
}

/** The batch code of an entry: Code[10] from our reference (its 'LL' and 8 characters). */
export const batchCodeOf = (reference: string): string =>
  reference
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 10)
    .toUpperCase();

export async function postJournalEntry(
  client: BcClient,
  company: CompanyContext,
  entry: ErpJournalEntry,
  dims: Dimensions,
): Promise<ErpDocumentRef> {
  if (entry.reference.length === 0 || entry.reference.length > 20)
    throw invalid('the journal entry reference must have 1 to 20 characters', 'reference');
  let balance = new Decimal(0);
  for (const [i, line] of entry.lines.entries()) {
    if (line.amount.currency !== company.currency)
      throw invalid(
        `Business Central journal lines post in the company's currency ${company.currency} only (API v2.0 journal lines have no currency); line ${i + 1} is in ${line.amount.currency}`,
        `lines[${i}].amount.currency`,
      );
    const amount = new Decimal(line.amount.amount);
    balance = balance.plus(line.side === 'D' ? amount : amount.negated());
  }
  if (!balance.isZero())
    throw new LedgerlinkError(
      'LL_ERR_JOURNAL_UNBALANCED',
      `journal entry ${entry.reference} is out of balance by ${balance.toFixed()}`,
    );
  const code = batchCodeOf(entry.reference);
  const journals = `${company.path}/journals`;
  let [journal] = await client.list(journals, `code eq ${quote(code)}`);
  if (journal === undefined) {
    journal = await client.post(journals, { code, displayName: `Ledgerlink ${entry.reference}` });
  } else {
    // Lines of an interrupted attempt: removed, then written again.
    for (const line of await client.list(`${journals}(${text(journal, 'id')})/journalLines`))
      await client.delete(
        `${journals}(${text(journal, 'id')})/journalLines(${text(line, 'id')})`,
        text(line, '@odata.etag'),
      );
  }
  const path = `${journals}(${text(journal, 'id')})`;
  const documentNumber = entry.reference.toUpperCase();
  for (const line of entry.lines) {
    const amount = new Decimal(line.amount.amount);
    const created = await client.post(
      `${path}/journalLines`,
      body({
        accountType: line.vendorId === undefined ? 'G/L Account' : 'Vendor',
        accountNumber: line.vendorId ?? line.glAccount,
        postingDate: entry.postingDate,
        documentNumber,
        externalDocumentNumber: entry.reference,
        amount: decimal((line.side === 'D' ? amount : amount.negated()).toString()),
        description: (line.text ?? entry.headerText ?? entry.reference).slice(0, 100),
      }),
    );
    await addDimensions(client, `${path}/journalLines(${text(created, 'id')})`, line, dims);
  }
  await client.action(`${path}/Microsoft.NAV.post`);
  // The emptied batch stays: it is where the entry's links are kept (attachments.ts).
  return {
    kind: 'journal_entry',
    documentId: documentNumber,
    fiscalYear: entry.postingDate.slice(0, 4),
    companyCode: company.entity,
  };
}

/** The journal entry posted with our reference: its G/L entries carry it as document number. */
export async function findJournalEntry(
  client: BcClient,
  company: CompanyContext,
  reference: string,
): Promise<ErpDocumentRef | null> {
  const documentNumber = reference.toUpperCase();
  const [entry] = await client.list(
    `${company.path}/generalLedgerEntries`,
    `documentNumber eq ${quote(documentNumber)}`,
  );
  return entry === undefined
    ? null
    : {
        kind: 'journal_entry',
        documentId: documentNumber,
        fiscalYear: text(entry, 'postingDate').slice(0, 4),
        companyCode: company.entity,
      };
}
