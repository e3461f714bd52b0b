/**
 * What the simulator does when a purchase invoice or a journal batch is posted (`Microsoft.NAV.post`)
 * and when a payment run pays a vendor: checks as Business Central posting refuses (nothing to post,
 * a vendor blocked for all transactions, an invoice number already used for the vendor, a posting date
 * in a locked period, a document out of balance, an unknown or blocked account, an unknown dimension
 * value), then G/L entries, vendor ledger entries and the document in the one `/_sim/documents` shape.
 */
import { Decimal } from 'decimal.js';
import type { SimDocumentLine, SimDocuments } from '../../sim-kit/documents.js';
import { refuse, type BcRecord } from './bc-odata.js';
import {
  COST_CENTER_DIMENSION,
  newId,
  now,
  PAYABLES_ACCOUNT,
  PROJECT_DIMENSION,
  PURCHASE_VAT_ACCOUNT,
  table,
  type CompanyState,
} from './bc-state.js';

const dec = (v: unknown): Decimal => new Decimal(typeof v === 'number' || typeof v === 'string' ? v : 0);
const fixed = (d: Decimal): number => Number(d.toFixed(2));
const dialog = (message: string): never => refuse(400, 'Application_DialogException', message);

/** The dimension codes and values on a line (its dimension set lines). */
export function dimensionsOf(company: CompanyState, parentId: string): Map<string, string> {
  return new Map(
    table(company, 'dimensionSetLines')
      .filter((d) => d['parentId'] === parentId)
      .map((d) => [String(d['code']), String(d['valueCode'])]),
  );
}

/** Recomputes an invoice's line and document amounts (tax per tax group on the group's total). */
export function recalculateInvoice(company: CompanyState, invoice: BcRecord): void {
  const lines = table(company, 'purchaseInvoiceLines').filter((l) => l['documentId'] === invoice['id']);
  const base = new Map<string, Decimal>();
  let net = new Decimal(0);
  for (const line of lines) {
    const amount = dec(line['quantity']).times(dec(line['unitCost'])).toDecimalPlaces(2);
    const rate = dec(company.taxRates.get(String(line['taxCode'] ?? '')) ?? '0');
    const tax = amount.times(rate).dividedBy(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    Object.assign(line, {
      amountExcludingTax: fixed(amount),
      taxPercent: rate.toNumber(),
      totalTaxAmount: fixed(tax),
      amountIncludingTax: fixed(amount.plus(tax)),
      netAmount: fixed(amount),
      netTaxAmount: fixed(tax),
      netAmountIncludingTax: fixed(amount.plus(tax)),
    });
    const code = String(line['taxCode'] ?? '');
    base.set(code, (base.get(code) ?? new Decimal(0)).plus(amount));
    net = net.plus(amount);
  }
  const tax = [...base].reduce(
    (sum, [code, amount]) =>
      sum.plus(
        amount
          .times(dec(company.taxRates.get(code) ?? '0'))
          .dividedBy(100)
          .toDecimalPlaces(2),
      ),
    new Decimal(0),
  );
  Object.assign(invoice, {
    totalAmountExcludingTax: fixed(net),
    totalTaxAmount: fixed(tax),
    totalAmountIncludingTax: fixed(net.plus(tax)),
    lastModifiedDateTime: now(),
  });
}

function checkPostingDate(company: CompanyState, date: unknown): string {
  const day = typeof date === 'string' && date !== '' ? date : dialog('Posting Date must have a value.');
  if (company.closedPeriods.has(day.slice(0, 7)))
    dialog(`Posting Date ${day} is not within your range of allowed posting dates.`);
  return day;
}

function account(company: CompanyState, number: string): BcRecord {
  const found = table(company, 'accounts').find((a) => a['number'] === number);
  if (found === undefined)
    refuse(
      400,
      'Internal_InvalidTableRelation',
      `The field Account No. contains a value (${number}) that cannot be found in the related table (G/L Account).`,
    );
  if (found!['blocked'] === true)
    refuse(
      400,
      'Application_FieldValidationException',
      `Blocked must be equal to 'No' in G/L Account: No.=${number}. Current value is 'Yes'.`,
    );
  return found!;
}

function vendor(company: CompanyState, number: string): BcRecord {
  const found = table(company, 'vendors').find((v) => v['number'] === number);
  if (found === undefined)
    refuse(
      400,
      'Internal_InvalidTableRelation',
      `The field Account No. contains a value (${number}) that cannot be found in the related table (Vendor).`,
    );
  if (found!['blocked'] === 'All')
    dialog(`You cannot post this type of document when Vendor ${number} is blocked with type All`);
  return found!;
}

function simLine(
  company: CompanyState,
  parentId: string,
  line: Omit<SimDocumentLine, 'costCenter' | 'project'>,
): SimDocumentLine {
  const dims = dimensionsOf(company, parentId);
  const costCenter = dims.get(COST_CENTER_DIMENSION);
  const project = dims.get(PROJECT_DIMENSION);
  return {
    ...line,
    ...(costCenter === undefined ? {} : { costCenter }),
    ...(project === undefined ? {} : { project }),
  };
}

function glEntry(
  company: CompanyState,
  documentNumber: string,
  documentType: string,
  date: string,
  accountNumber: string,
  amount: Decimal,
  description: string,
): void {
  const acc = table(company, 'accounts').find((a) => a['number'] === accountNumber);
  table(company, 'generalLedgerEntries').push({
    id: newId(),
    entryNumber: company.counters.entry++,
    postingDate: date,
    documentNumber,
    documentType,
    accountId: String(acc?.['id'] ?? ''),
    accountNumber,
    description,
    debitAmount: amount.isPositive() ? fixed(amount) : 0,
    creditAmount: amount.isNegative() ? fixed(amount.negated()) : 0,
    lastModifiedDateTime: now(),
  });
}

function vendorEntry(
  company: CompanyState,
  fields: {
    documentType: string;
    documentNumber: string;
    external: string;
    vendorNumber: string;
    date: string;
    amount: Decimal;
    currency: string;
    description: string;
    open: boolean;
  },
): BcRecord {
  const entry: BcRecord = {
    entryNumber: company.counters.vendorEntry++,
    documentType: fields.documentType,
    description: fields.description,
    postingDate: fields.date,
    documentNumber: fields.documentNumber,
    externalDocumentNumber: fields.external,
    vendorNumber: fields.vendorNumber,
    open: fields.open,
    currencyCode: fields.currency,
    lastModifiedDateTime: now(),
    amount: fixed(fields.amount),
    debitAmount: fields.amount.isPositive() ? fixed(fields.amount) : 0,
    creditAmount: fields.amount.isNegative() ? fixed(fields.amount.negated()) : 0,
  };
  table(company, 'vendorLedgerEntries').push(entry);
  return entry;
}

/** Posts a draft purchase invoice: it keeps its id, gets a posted number and status Open. */
export function postPurchaseInvoice(company: CompanyState, invoice: BcRecord, documents: SimDocuments): void {
  if (invoice['status'] !== 'Draft') dialog(`The purchase invoice ${String(invoice['number'])} is already posted.`);
  const lines = table(company, 'purchaseInvoiceLines').filter((l) => l['documentId'] === invoice['id']);
  if (lines.length === 0) dialog('There is nothing to post.');
  const date = checkPostingDate(company, invoice['postingDate']);
  const vendorNumber = String(invoice['vendorNumber']);
  vendor(company, vendorNumber);
  const external = String(invoice['vendorInvoiceNumber'] ?? '');
  if (external === '') dialog('Vendor Invoice No. must have a value in Purchase Header.');
  const used = table(company, 'vendorLedgerEntries').some(
    (e) =>
      e['vendorNumber'] === vendorNumber && e['documentType'] === 'Invoice' && e['externalDocumentNumber'] === external,
  );
  if (used) dialog(`Purchase Invoice ${external} already exists for this vendor.`);
  for (const line of lines) {
    if (line['lineType'] === 'Account') account(company, String(line['lineObjectNumber']));
    for (const [code, value] of dimensionsOf(company, String(line['id']))) checkDimension(company, code, value);
  }
  recalculateInvoice(company, invoice);
  const number = `PPI-${company.counters.posted++}`;
  const currency = String(invoice['currencyCode'] ?? '');
  const gross = dec(invoice['totalAmountIncludingTax']);
  const simLines: SimDocumentLine[] = [];
  for (const line of lines) {
    const amount = dec(line['amountExcludingTax']);
    const accountNumber = String(line['lineObjectNumber']);
    glEntry(company, number, 'Invoice', date, accountNumber, amount, String(line['description'] ?? ''));
    const taxCode = String(line['taxCode'] ?? '');
    simLines.push(
      simLine(company, String(line['id']), {
        account: accountNumber,
        side: amount.isNegative() ? 'C' : 'D',
        amount: amount.abs().toFixed(2),
        ...(taxCode === '' ? {} : { taxCode }),
      }),
    );
  }
  const tax = dec(invoice['totalTaxAmount']);
  if (!tax.isZero()) {
    glEntry(company, number, 'Invoice', date, PURCHASE_VAT_ACCOUNT, tax, 'Purchase VAT');
    simLines.push({ account: PURCHASE_VAT_ACCOUNT, side: tax.isNegative() ? 'C' : 'D', amount: tax.abs().toFixed(2) });
  }
  glEntry(company, number, 'Invoice', date, PAYABLES_ACCOUNT, gross.negated(), `Invoice ${external}`);
  simLines.push({ account: PAYABLES_ACCOUNT, side: 'C', amount: gross.toFixed(2), partner: vendorNumber });
  vendorEntry(company, {
    documentType: 'Invoice',
    documentNumber: number,
    external,
    vendorNumber,
    date,
    amount: gross.negated(),
    currency,
    description: `Invoice ${external}`,
    open: true,
  });
  Object.assign(invoice, { number, status: 'Open', lastModifiedDateTime: now() });
  documents.add({
    kind: 'supplier_invoice',
    id: number,
    reference: external,
    companyCode: company.seed.name,
    currency: currency === '' ? company.seed.currency : currency,
    lines: simLines,
    raw: { ...invoice, purchaseInvoiceLines: lines },
  });
}

export function checkDimension(company: CompanyState, code: string, value: string): void {
  const dimension = table(company, 'dimensions').find((d) => d['code'] === code);
  const known =
    dimension !== undefined &&
    table(company, 'dimensionValues').some((v) => v['dimensionId'] === dimension['id'] && v['code'] === value);
  if (!known)
    refuse(400, 'Internal_InvalidTableRelation', `The dimension value ${value} of dimension ${code} does not exist.`);
}

/** Posts every line of a journal batch: each document number must balance (amounts sum to zero). */
export function postJournal(company: CompanyState, journal: BcRecord, documents: SimDocuments): void {
  const rows = table(company, 'journalLines');
  const lines = rows.filter((l) => l['journalId'] === journal['id']);
  if (lines.length === 0) dialog('There is nothing to post.');
  const byDocument = new Map<string, BcRecord[]>();
  for (const line of lines) {
    const documentNumber = String(line['documentNumber'] ?? '');
    if (documentNumber === '') dialog('Document No. must have a value in Gen. Journal Line.');
    byDocument.set(documentNumber, [...(byDocument.get(documentNumber) ?? []), line]);
  }
  for (const [documentNumber, group] of byDocument) {
    const balance = group.reduce((sum, l) => sum.plus(dec(l['amount'])), new Decimal(0));
    if (!balance.isZero())
      dialog(
        `Document No. ${documentNumber} is out of balance by ${balance.toFixed(2)}. Please check that Posting Date, Document Type, Document No. and Currency Code are correct for each line.`,
      );
    for (const line of group) {
      checkPostingDate(company, line['postingDate']);
      if (line['accountType'] === 'Vendor') vendor(company, String(line['accountNumber']));
      else account(company, String(line['accountNumber']));
      for (const [code, value] of dimensionsOf(company, String(line['id']))) checkDimension(company, code, value);
    }
  }
  for (const [documentNumber, group] of byDocument) {
    const simLines: SimDocumentLine[] = [];
    let external = '';
    for (const line of group) {
      const amount = dec(line['amount']);
      const date = String(line['postingDate']);
      const isVendor = line['accountType'] === 'Vendor';
      const number = String(line['accountNumber']);
      external = String(line['externalDocumentNumber'] ?? '') || external;
      glEntry(
        company,
        documentNumber,
        ' ',
        date,
        isVendor ? PAYABLES_ACCOUNT : number,
        amount,
        String(line['description'] ?? ''),
      );
      if (isVendor)
        vendorEntry(company, {
          documentType: ' ',
          documentNumber,
          external: String(line['externalDocumentNumber'] ?? ''),
          vendorNumber: number,
          date,
          amount,
          currency: '',
          description: String(line['description'] ?? ''),
          open: true,
        });
      simLines.push(
        simLine(company, String(line['id']), {
          account: isVendor ? PAYABLES_ACCOUNT : number,
          side: amount.isNegative() ? 'C' : 'D',
          amount: amount.abs().toFixed(2),
          ...(isVendor ? { partner: number } : {}),
        }),
      );
    }
    documents.add({
      kind: 'journal_entry',
      id: documentNumber,
      reference: documentNumber,
      companyCode: company.seed.name,
      currency: company.seed.currency,
      lines: simLines,
      raw: { journal: journal['code'], externalDocumentNumber: external, journalLines: group },
    });
  }
  const posted = new Set(lines.map((l) => l['id']));
  const ids = new Set(lines.map((l) => String(l['id'])));
  const kept = rows.filter((l) => !posted.has(l['id']));
  rows.splice(0, rows.length, ...kept);
  const dims = table(company, 'dimensionSetLines');
  dims.splice(0, dims.length, ...dims.filter((d) => !ids.has(String(d['parentId']))));
}

/** A payment run: closes the open vendor ledger entries of the document and books the payment. */
export function payDocument(company: CompanyState, documentNumber: string, date: string): boolean {
  const open = table(company, 'vendorLedgerEntries').filter(
    (e) => e['documentNumber'] === documentNumber && e['open'] === true,
  );
  for (const entry of open) {
    const amount = dec(entry['amount']).negated();
    Object.assign(entry, { open: false, lastModifiedDateTime: now() });
    vendorEntry(company, {
      documentType: 'Payment',
      documentNumber: `PAY-${documentNumber}`,
      external: '',
      vendorNumber: String(entry['vendorNumber']),
      date,
      amount,
      currency: String(entry['currencyCode']),
      description: `Payment of ${documentNumber}`,
      open: false,
    });
    glEntry(
      company,
      `PAY-${documentNumber}`,
      'Payment',
      date,
      PAYABLES_ACCOUNT,
      amount,
      `Payment of ${documentNumber}`,
    );
    glEntry(
      company,
      `PAY-${documentNumber}`,
      'Payment',
      date,
      '11001000',
      amount.negated(),
      `Payment of ${documentNumber}`,
    );
  }
  const invoice = table(company, 'purchaseInvoices').find((i) => i['number'] === documentNumber);
  if (invoice !== undefined && open.length > 0) Object.assign(invoice, { status: 'Paid', lastModifiedDateTime: now() });
  return open.length > 0;
}
