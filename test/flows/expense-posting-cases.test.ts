/**
 * Expense posting beyond the four published samples, end to end over real HTTP on both stores:
 * non-deductible and partly deductible VAT, GST and QST on one entry, a per diem above the legal
 * rate, a foreign-currency entry, an itemised hotel bill with a personal item, a cash credit and a
 * report where credits exceed expenses, a company card refund, and personal items on the company
 * card. Each document goes into the expense simulator's READY queue and is announced by webhook;
 * every case asserts the exact balanced posting in the ERP simulator and the confirmation back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Decimal } from 'decimal.js';
import type { SimDocument } from '../helpers/estate.js';
import { storeKinds } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';
import { CASES } from './expense-cases-documents.js';
import { deliverWebhook, lineSummary, startExpenseBench, type ExpenseBench, type RunDetail } from './expense-hub.js';

type Case = keyof typeof CASES;

const idOf = (name: Case): string => (JSON.parse(CASES[name]) as { id: string }).id;

/** A Canadian company code in Quebec, its cost center, GST and QST input tax codes, and an employee with their vendor. */
const CANADA = {
  erp: {
    add: {
      companyCodes: [
        { companyCode: '1210', name: 'Ledgerlink Demo CA', city: 'Montreal', country: 'CA', currency: 'CAD' },
      ],
      costCenters: [{ costCenter: '12101101', companyCode: '1210', name: 'Finance CA', validFrom: '2023-01-01' }],
      taxCodes: [
        { country: 'CA', taxCode: 'C5', name: 'Input GST 5 %', rate: '5.000' },
        { country: 'CA', taxCode: 'Q9', name: 'Input QST 9.975 %', rate: '9.975' },
      ],
      suppliers: [
        {
          id: '17400005',
          name: 'Camille Tremblay',
          country: 'CA',
          vat: '',
          taxNumber: '',
          iban: '',
          bankNumber: '',
          account: '',
          swift: '',
          companyCodes: ['1210'],
          reference: '12100001',
        },
      ],
    },
  },
  directory: {
    users: [
      {
        userName: 'camille.tremblay',
        givenName: 'Camille',
        familyName: 'Tremblay',
        employeeNumber: '12100001',
        costCenter: '12101101',
        organization: '1210',
        division: 'Americas',
        active: true,
      },
    ],
  },
};

/** Debits equal credits in the document. */
function assertBalanced(document: SimDocument): void {
  const total = (side: 'D' | 'C'): string =>
    document.lines
      .filter((l) => l.side === side)
      .reduce((acc, l) => acc.plus(l.amount), new Decimal(0))
      .toFixed(2);
  assert.equal(total('D'), total('C'), `${document.kind} ${document.id} balances`);
}

for (const kind of storeKinds) {
  describe(`expense posting cases beyond the samples (${kind})`, () => {
    let bench: ExpenseBench;
    const settled = new Map<Case, RunDetail>();
    const posted = new Map<Case, SimDocument[]>();

    /** The one ERP document a case posted, checked to balance. */
    const onlyPosting = (name: Case): SimDocument => {
      const run = settled.get(name);
      assert.equal(run?.status, 'succeeded', `${name}: ${JSON.stringify(run?.exceptions.map((x) => x.message))}`);
      const docs = posted.get(name) ?? [];
      assert.equal(docs.length, 1, `${name} posts one ERP document`);
      assertBalanced(docs[0]!);
      return docs[0]!;
    };

    before(async () => {
      bench = await startExpenseBench(kind, 'expense-cases');
      await bench.estate.sim('erp', '/_sim/seed', CANADA.erp);
      await bench.estate.sim('directory', '/_sim/seed', CANADA.directory);
      const names = Object.keys(CASES) as Case[];
      for (const name of names) {
        const response = await fetch(`${bench.estate.simulators.expense.url}/_sim/fis/documents`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: CASES[name],
        });
        assert.equal(response.status, 201, await response.text());
        assert.equal(await deliverWebhook(bench, idOf(name), `delivery-${idOf(name)}`), 202);
      }
      // Each run ends posted or held by an exception; each case's test says which.
      for (const name of names) {
        const run = await waitFor(
          `run of ${name} settled`,
          async () => {
            const found = await bench.runOf(idOf(name));
            return found?.status === 'succeeded' || found?.status === 'exception' ? found : undefined;
          },
          30_000,
        );
        settled.set(name, run);
        posted.set(name, await bench.erpDocuments(idOf(name)));
      }
    });
    after(async () => bench?.close());

    test('non-deductible VAT: the gross is expense, no input tax line, no tax code; the employee credited', async () => {
      const invoice = onlyPosting('nonDeductible');
      assert.equal(invoice.kind, 'supplier_invoice');
      assert.deepEqual(lineSummary(invoice), [
        '21100000 C 33.80 - - 17400001',
        '61008000 D 10.00 10101101 - -',
        '61008000 D 23.80 10101101 - -',
      ]);
      assert.deepEqual(
        (invoice.raw as { to_SupplierInvoiceTax: { results: unknown[] } }).to_SupplierInvoiceTax.results,
        [],
      );
    });

    test('partly deductible VAT: expense net of reclaim, only the reclaimable part as input tax, on the partly deductible tax code', async () => {
      const invoice = onlyPosting('partlyDeductible');
      assert.equal(invoice.kind, 'supplier_invoice');
      assert.deepEqual(lineSummary(invoice), [
        '15410000 D 9.50 - VP -',
        '21100000 C 119.00 - - 17400001',
        '61008000 D 109.50 10101101 VP -',
      ]);
    });

    test('GST and QST on one entry: a journal entry with one input tax line per jurisdiction, each its own tax code', async () => {
      const entry = onlyPosting('severalJurisdictions');
      assert.deepEqual([entry.kind, entry.companyCode, entry.currency], ['journal_entry', '1210', 'CAD']);
      assert.deepEqual(lineSummary(entry), [
        '15410000 D 5.00 - C5 -',
        '15410000 D 9.98 - Q9 -',
        '21100000 C 114.98 - - 17400005',
        '61008000 D 100.00 12101101 - -',
      ]);
    });

    test('per diem above the legal rate: the allowance and the overage on their own GL accounts, the employee credited', async () => {
      const invoice = onlyPosting('perDiem');
      assert.equal(invoice.kind, 'supplier_invoice');
      assert.deepEqual(lineSummary(invoice), [
        '21100000 C 40.00 - - 17400001',
        '61008000 D 28.00 10101101 - -',
        '61008100 D 12.00 10101101 - -',
      ]);
    });

    test('foreign currency: posted in the report currency as the journal gives it; the rate and the amount spent kept on the entry', async () => {
      const invoice = onlyPosting('foreignCurrency');
      assert.deepEqual([invoice.kind, invoice.currency], ['supplier_invoice', 'EUR']);
      assert.deepEqual(lineSummary(invoice), ['21100000 C 210.50 - - 17400001', '61008000 D 210.50 10101101 - -']);
      const run = await bench.runOf(idOf('foreignCurrency'));
      const entry = (
        run?.state['document'] as {
          report: { entries: { exchangeRate?: string; originalAmount?: unknown; amount: unknown }[] };
        }
      ).report.entries[0];
      assert.deepEqual(
        [entry?.exchangeRate, entry?.originalAmount, entry?.amount],
        ['1.0525', { amount: '200.00', currency: 'CHF' }, { amount: '210.50', currency: 'EUR' }],
      );
    });

    test('itemised hotel bill: room and room tax posted, the personal minibar item (not in the journal) left out', async () => {
      const invoice = onlyPosting('itemised');
      assert.deepEqual([invoice.kind, invoice.companyCode, invoice.currency], ['supplier_invoice', '1710', 'USD']);
      assert.deepEqual(lineSummary(invoice), [
        '21100000 C 172.50 - - 17400003',
        '61008000 D 150.00 17101101 - -',
        '61008000 D 22.50 17101101 - -',
      ]);
    });

    test('a cash credit in a report still owed to the employee: the credit is a credit item of the supplier invoice', async () => {
      const invoice = onlyPosting('cashCredit');
      assert.equal(invoice.kind, 'supplier_invoice');
      assert.deepEqual(lineSummary(invoice), [
        '15410000 D 1.60 - V1 -',
        '21100000 C 6.00 - - 17400001',
        '61008000 C 4.00 10101101 - -',
        '61008000 D 8.40 10101101 V1 -',
      ]);
    });

    test('credits exceeding expenses: a journal entry debiting the employee vendor for what they owe', async () => {
      const entry = onlyPosting('negativeReport');
      assert.equal(entry.kind, 'journal_entry');
      assert.deepEqual(lineSummary(entry), [
        '15410000 D 1.60 - V1 -',
        '21100000 D 15.00 - - 17400001',
        '61008000 C 25.00 10101101 - -',
        '61008000 D 8.40 10101101 V1 -',
      ]);
    });

    test('company card credit: the card vendor debited, the expense credited', async () => {
      const entry = onlyPosting('cardCredit');
      assert.deepEqual([entry.kind, entry.companyCode], ['journal_entry', '1710']);
      assert.deepEqual(lineSummary(entry), ['21100000 D 56.10 - - 17500001', '61008000 C 56.10 17101201 - -']);
    });

    test('personal items on the company card: the employee vendor debited and the card vendor credited for them, beside the business charge', async () => {
      const entry = onlyPosting('personalOnCard');
      assert.equal(entry.kind, 'journal_entry');
      assert.deepEqual(lineSummary(entry), [
        '21100000 C 25.00 - - 17500001',
        '21100000 C 56.10 - - 17500001',
        '21100000 D 25.00 - - 17400004',
        '61008000 D 56.10 17101201 - -',
      ]);
    });

    test('every case is confirmed to the expense platform once, with the numbers of its ERP documents', async () => {
      for (const name of Object.keys(CASES) as Case[]) {
        assert.equal(settled.get(name)?.status, 'succeeded', name);
        const [confirmation, ...more] = await bench.confirmations(idOf(name));
        assert.equal(more.length, 0, `${name} confirmed once`);
        const raw = confirmation?.raw as {
          overallPostingStatusCode: string;
          postingDocs: { documentNumber: string; companyId: string }[];
        };
        assert.equal(raw.overallPostingStatusCode, 'success', name);
        const erp = posted.get(name) ?? [];
        assert.deepEqual(
          raw.postingDocs.map((p) => [p.documentNumber, p.companyId]).sort(),
          erp.map((d) => [d.id.split('/')[0], d.companyCode]).sort(),
          name,
        );
      }
    });
  });
}
