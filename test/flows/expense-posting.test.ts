/**
 * Expense posting end to end over real HTTP on both stores: the four published FIS sample reports
 * are polled from the expense simulator, posted to the ERP simulator as the fixtures' README
 * describes (accounts by the demo mapping, amounts exact, the payee on its line) and confirmed back.
 * Each ERP document carries, as URL attachments, the approval evidence (approved for payment and
 * submitted times: FIS names no approver) on a link to the report's page, and the receipt images.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { storeKinds } from '../helpers/stores.js';
import { FIXTURE, lineSummary, POLLER, startExpenseBench, type ExpenseBench } from './expense-hub.js';

for (const kind of storeKinds) {
  describe(`expense posting of the FIS sample reports (${kind})`, () => {
    let bench: ExpenseBench;
    before(async () => {
      bench = await startExpenseBench(kind, 'expense-fixtures');
      await bench.hub.app.engine.pollNow(POLLER);
      for (const id of Object.values(FIXTURE)) await bench.waitStatus(id, 'succeeded');
    });
    after(async () => bench?.close());

    test('2.1 simple VAT: a supplier invoice to the employee, expense net of reclaim, input VAT on V1', async () => {
      const [invoice, ...more] = await bench.erpDocuments(FIXTURE.vat);
      assert.equal(more.length, 0);
      assert.equal(invoice?.kind, 'supplier_invoice');
      assert.equal(invoice.companyCode, '1010');
      assert.equal(invoice.currency, 'EUR');
      assert.deepEqual(lineSummary(invoice), [
        '15410000 D 1.60 - V1 -',
        '21100000 C 10.00 - - 17400001',
        '61008000 D 8.40 10101101 V1 -',
      ]);
      const raw = invoice.raw as Record<string, unknown>;
      assert.equal(raw['DocumentHeaderText'], 'ER F071FADEA6B142DD884A');
      const items = (raw['to_SupplierInvoiceItemGLAcct'] as { results: { SupplierInvoiceItemText: string }[] }).results;
      assert.match(
        items[0]!.SupplierInvoiceItemText,
        /rcpt 3743278630A334AD813CF3C274E777C7/,
        'the receipt image is named on the line',
      );
      const run = await bench.runOf(FIXTURE.vat);
      assert.match(run?.mappingVersion ?? '', /^demo@[0-9a-f]{12}$/);

      const expense = bench.estate.simulators.expense.url;
      assert.deepEqual(
        invoice.attachments?.map((a) => [a.url, a.description]),
        [
          [
            `${expense}/ui/reports/F071FADEA6B142DD884A`,
            'Expense report F071FADEA6B142DD884A (expense): approved for payment 2019-06-05 22:35 UTC, submitted 2019-06-05 22:35 UTC; the platform names no approver',
          ],
          [
            `${expense}/ui/receipts/3743278630A334AD813CF3C274E777C7`,
            'receipt 3743278630A334AD813CF3C274E777C7 of LNDRY 2019-06-05 10.00 EUR',
          ],
        ],
      );
      for (const link of invoice.attachments ?? []) assert.equal((await fetch(link.url!)).status, 200, link.url);
    });

    test('1.1 company paid: a journal entry, taxi and train debited, the named clearing account credited', async () => {
      const docs = await bench.erpDocuments(FIXTURE.companyPaid);
      assert.deepEqual(
        docs.map((d) => [d.kind, d.companyCode, d.currency]),
        [['journal_entry', '1710', 'USD']],
      );
      assert.deepEqual(lineSummary(docs[0]!), [
        '19100000 C 30.00 - - -',
        '61008000 D 10.00 17101101 - -',
        '61008000 D 20.00 17101101 - -',
      ]);
      assert.deepEqual(
        docs[0]!.attachments?.map((a) => a.description),
        [
          'Expense report B1041655B4CE4171BDAA (expense): approval time not given, submitted 2016-03-24 16:44 UTC; the platform names no approver',
        ],
      );
    });

    test('4.1 allocations: breakfast split over two cost centers, one clearing credit for the total', async () => {
      const docs = await bench.erpDocuments(FIXTURE.split);
      assert.equal(docs.length, 1);
      assert.deepEqual(lineSummary(docs[0]!), [
        '19100000 C 325.00 - - -',
        '61008000 D 12.50 17101101 - -',
        '61008000 D 12.50 17101201 - -',
        '61008000 D 250.00 17101101 - -',
        '61008000 D 50.00 17101101 - -',
      ]);
    });

    test('6.1.2 card and cash: the card charge against the card vendor, postage owed to the employee', async () => {
      const docs = await bench.erpDocuments(FIXTURE.card);
      const card = docs.find((d) => d.kind === 'journal_entry');
      const invoice = docs.find((d) => d.kind === 'supplier_invoice');
      assert.equal(docs.length, 2);
      assert.deepEqual(lineSummary(card!), ['21100000 C 56.10 - - 17500001', '61008000 D 56.10 17101201 - -']);
      assert.deepEqual(lineSummary(invoice!), ['21100000 C 23.00 - - 17400004', '61003000 D 23.00 17101201 - -']);
      for (const doc of docs) {
        assert.deepEqual(
          doc.attachments?.map((a) => a.url),
          [`${bench.estate.simulators.expense.url}/ui/reports/CDFDE0F4CACE4426A913`],
          `${doc.kind} carries the evidence`,
        );
        assert.match(
          doc.attachments?.[0]?.description ?? '',
          /approved for payment 2016-06-24 22:49 UTC, submitted 2016-06-24 22:49 UTC/,
        );
      }
    });

    test('every report is confirmed to the expense platform with its ERP document numbers, and its facts recorded', async () => {
      for (const id of Object.values(FIXTURE)) {
        const [confirmation, ...more] = await bench.confirmations(id);
        assert.equal(more.length, 0, `${id} confirmed once`);
        const raw = confirmation?.raw as {
          overallPostingStatusCode: string;
          postingDocs: { documentNumber: string; companyId: string }[];
        };
        assert.equal(raw.overallPostingStatusCode, 'success');
        const erp = await bench.erpDocuments(id);
        assert.deepEqual(
          raw.postingDocs.map((p) => p.documentNumber).sort(),
          erp.map((d) => d.id.split('/')[0]).sort(),
        );
      }
      const row = await bench.hub.app.store.db
        .selectFrom('runs')
        .select(['entity', 'amount', 'currency', 'approved_at', 'posted_at', 'mapping_version'])
        .where('document_id', '=', FIXTURE.vat)
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        [row.entity, row.amount, row.currency, Number(row.approved_at)],
        ['1010', '10.00', 'EUR', Date.parse('2019-06-05T22:35:06.433Z')],
      );
      assert.ok(row.posted_at !== null && row.mapping_version !== null);
    });
  });
}
