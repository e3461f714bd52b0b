/**
 * What the attach step links, without a bench: the approval evidence description within the ERP's
 * 255 characters (first approvals and the last one kept, the middle counted), which source links
 * can be linked and which are listed as skipped, and the source pages built from the configuration.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ApprovalEvidence, ExpenseReport, SupplierInvoice } from '../../src/canonical/model/index.js';
import { expensePages, invoicePageUrl } from '../../src/composition/evidence-pages.js';
import { expenseEvidence, invoiceEvidence, LINK_TEXT_LIMIT } from '../../src/flows/evidence/posting-evidence.js';
import { expectCodedError } from '../helpers/coded-errors.js';

const approval = (name: string, at: string): ApprovalEvidence => ({
  approverId: name.toLowerCase().replace(/\W/g, ''),
  approverName: name,
  approvedAt: at,
  step: 'approval',
  policy: 'approval chain',
});

const invoice = (approvals: ApprovalEvidence[], attachments: SupplierInvoice['attachments']): SupplierInvoice =>
  ({ id: '77', invoiceNumber: 'RE-77', approvals, attachments }) as unknown as SupplierInvoice;

describe('posting evidence', () => {
  test('approvals oldest first; too many for 255 characters keep the first ones and the last, the middle counted', () => {
    const approvals = Array.from({ length: 12 }, (_, i) =>
      approval(
        `Approver Number ${String(i + 1).padStart(2, '0')} Of The Finance Chain`,
        `2025-05-${String(30 - i).padStart(2, '0')}T08:00:00Z`,
      ),
    );
    const plan = invoiceEvidence(invoice(approvals, []), {
      system: 'procurement',
      pageUrl: 'https://coupa.example.com/invoices/77',
    });
    const [evidence] = plan.links;
    assert.ok(evidence !== undefined && evidence.description.length <= LINK_TEXT_LIMIT, evidence?.description);
    assert.match(
      evidence.description,
      /^Invoice RE-77 approved in procurement by Approver Number 12 Of The Finance Chain 2025-05-19 08:00 UTC; /,
    );
    assert.match(evidence.description, /; … \d+ more; Approver Number 01 Of The Finance Chain 2025-05-30 08:00 UTC$/);
    const short = invoiceEvidence(
      invoice([approval('Carla Finance', '2025-05-30T16:30:00Z'), approval('Ben Buyer', '2025-05-29T08:00:00Z')], []),
      { system: 'procurement', pageUrl: 'https://coupa.example.com/invoices/77' },
    );
    assert.equal(
      short.links[0]?.description,
      'Invoice RE-77 approved in procurement by Ben Buyer 2025-05-29 08:00 UTC; Carla Finance 2025-05-30 16:30 UTC',
    );
  });

  test('only http(s) URLs the ERP can hold are linked, each once; the rest are listed as skipped with the reason', () => {
    const long = `https://files.example.com/${'x'.repeat(240)}`;
    const plan = invoiceEvidence(
      invoice(
        [],
        [
          { kind: 'invoice_image', uri: 'https://files.example.com/RE-77.pdf' },
          { kind: 'other', uri: 'https://files.example.com/RE-77.pdf', name: 'same scan again' },
          { kind: 'other', uri: 'https://files.example.com/delivery-note.pdf', name: 'Delivery note' },
          { kind: 'other', uri: long },
          { kind: 'other', uri: 'ftp://files.example.com/old.tif' },
        ],
      ),
      { system: 'procurement' },
    );
    assert.deepEqual(
      plan.links.map((l) => [l.purpose, l.url, l.description]),
      [
        ['attachment', 'https://files.example.com/RE-77.pdf', 'Invoice image RE-77'],
        ['attachment', 'https://files.example.com/delivery-note.pdf', 'Delivery note'],
      ],
    );
    assert.deepEqual(
      plan.skipped.map((s) => [s.uri, s.reason]),
      [
        ['procurement:invoice:77', 'no page URL for invoices of procurement'],
        [long, 'longer than the 255 characters the ERP keeps of a URL'],
        ['ftp://files.example.com/old.tif', 'not an http(s) URL'],
      ],
    );
  });

  test('an expense report without page templates links nothing and says why; with them, the report page and the receipts', () => {
    const report = {
      id: 'R-1',
      submittedAt: '2025-03-01T09:00:00Z',
      approvedAt: '2025-03-02T10:15:00Z',
      entries: [
        {
          expenseType: 'TAXI',
          transactionDate: '2025-02-27',
          amount: { amount: '12.50', currency: 'EUR' },
          attachments: [{ kind: 'receipt', uri: 'urn:concur:e-receipt:ER 9', name: 'e-receipt ER 9' }],
        },
      ],
    } as unknown as ExpenseReport;
    const none = expenseEvidence(report, { system: 'expense', pages: {} });
    assert.deepEqual(none.links, []);
    assert.deepEqual(
      none.skipped.map((s) => s.reason),
      ['no reportUrlTemplate configured for expense', 'no receiptUrlTemplate configured for expense'],
    );
    const pages = expensePages('expense', {
      kind: 'concur',
      baseUrl: 'https://concur.example.com/',
      options: {
        reportUrlTemplate: '/ui/reports/{reportId}',
        receiptUrlTemplate: 'https://img.example.com/r?id={receiptId}',
      },
    });
    const plan = expenseEvidence(report, { system: 'expense', pages });
    assert.deepEqual(
      plan.links.map((l) => [l.url, l.description]),
      [
        [
          'https://concur.example.com/ui/reports/R-1',
          'Expense report R-1 (expense): approved for payment 2025-03-02 10:15 UTC, submitted 2025-03-01 09:00 UTC; the platform names no approver',
        ],
        ['https://img.example.com/r?id=ER%209', 'e-receipt ER 9 of TAXI 2025-02-27 12.50 EUR'],
      ],
    );
  });

  test('page URLs from the configuration: a procurement invoice page, and templates checked', () => {
    assert.equal(
      invoicePageUrl({ kind: 'coupa', baseUrl: 'https://acme.coupahost.com/' })?.('9/1'),
      'https://acme.coupahost.com/invoices/9%2F1',
    );
    assert.deepEqual(expensePages('expense', { kind: 'concur' }), {});
    expectCodedError('LL_ERR_CONFIG_INVALID', () =>
      expensePages('expense', { kind: 'concur', options: { reportUrlTemplate: '/ui/reports/{reportId}' } }),
    );
    expectCodedError('LL_ERR_CONFIG_INVALID', () =>
      expensePages('expense', {
        kind: 'concur',
        baseUrl: 'https://x.example.com',
        options: { receiptUrlTemplate: 'https://x.example.com/receipts' },
      }),
    );
  });
});
