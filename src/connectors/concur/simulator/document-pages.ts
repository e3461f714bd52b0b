/**
 * Stand-ins for the expense platform's web pages, so the links the hub puts on ERP postings open
 * something in the demo: `GET /ui/reports/:reportId` (a report's summary: employee, submission and
 * approval for payment, entries) and `GET /ui/receipts/:receiptId` (a small receipt document for an
 * entry's `entryReceiptId` or `entryElectronicReceiptId`). Not Concur URLs: a tenant's report and
 * receipt pages are configured with `reportUrlTemplate` and `receiptUrlTemplate`. No login is asked;
 * an unknown id is a 404.
 */
import type { SimRequest, SimResponse } from '../../sim-kit/sim-server.js';
import { field, list, text, type FisValue } from './fis-json.js';
import type { FisQueue } from './fis-queue.js';
import { decimalText } from './implied-lines.js';

const escape = (value: string): string => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, rows: readonly (readonly [string, string])[]): SimResponse {
  const body = rows.map(([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(v)}</td></tr>`).join('');
  return {
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><h1>${escape(title)}</h1><table>${body}</table></body></html>`,
  };
}

function notFound(what: string): SimResponse {
  return {
    status: 404,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<!doctype html><html><body><h1>${escape(what)} not found</h1></body></html>`,
  };
}

const entriesOf = (document: FisValue): FisValue[] => list(field(document, 'expenseEntry'));
const entryLine = (entry: FisValue, currency: string): string =>
  `${text(field(entry, 'expenseTypeName')) ?? text(field(entry, 'expenseTypeCode')) ?? ''} ${(text(field(entry, 'entryDate')) ?? '').slice(0, 10)} ${decimalText(field(entry, 'entryApprovedAmount')) ?? ''} ${currency}`.trim();

export function reportPage(queue: FisQueue, request: SimRequest): SimResponse {
  const reportId = request.params['reportId'] ?? '';
  const found = queue.all().find((d) => text(field(field(d.document, 'report'), 'reportId')) === reportId);
  if (found === undefined) return notFound(`Expense report ${reportId}`);
  const report = field(found.document, 'report');
  const currency = text(field(report, 'employeeCurrencyAlphaCode')) ?? '';
  const employee = field(found.document, 'employee');
  return page(`Expense report ${reportId}`, [
    ['Name', text(field(report, 'reportName')) ?? ''],
    [
      'Employee',
      `${text(field(employee, 'employeeFirstName')) ?? ''} ${text(field(employee, 'employeeLastName')) ?? ''} (${text(field(employee, 'employeeId')) ?? ''})`.trim(),
    ],
    ['Submitted', text(field(report, 'reportSubmitDate')) ?? ''],
    ['Approved for payment', text(field(report, 'reportPaymentProcessingDate')) ?? ''],
    ['Total', `${decimalText(field(report, 'totalApprovedAmount')) ?? ''} ${currency}`],
    ['Status', found.status],
    ...entriesOf(found.document).map((entry, i): [string, string] => [`Entry ${i + 1}`, entryLine(entry, currency)]),
  ]);
}

export function receiptPage(queue: FisQueue, request: SimRequest): SimResponse {
  const receiptId = request.params['receiptId'] ?? '';
  for (const doc of queue.all()) {
    const entry = entriesOf(doc.document).find(
      (e) => text(field(e, 'entryReceiptId')) === receiptId || text(field(e, 'entryElectronicReceiptId')) === receiptId,
    );
    if (entry === undefined) continue;
    const report = field(doc.document, 'report');
    return page(`Receipt ${receiptId}`, [
      ['Expense report', text(field(report, 'reportId')) ?? doc.id],
      ['Entry', entryLine(entry, text(field(report, 'employeeCurrencyAlphaCode')) ?? '')],
      ['Vendor', text(field(entry, 'entryVendorDescription')) ?? ''],
      ['Location', text(field(entry, 'entryLocationName')) ?? ''],
    ]);
  }
  return notFound(`Receipt ${receiptId}`);
}
