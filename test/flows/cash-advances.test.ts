/**
 * Cash advances end to end over real HTTP on both stores: an advance issued in the expense platform
 * becomes one supplier invoice to the employee vendor (posted once however often it is delivered),
 * and reports applying an advance below and above the payout get a journal entry settling the
 * advance against the employee vendor beside their supplier invoice. An application of a
 * transaction type the contract does not describe is a validation exception, nothing posted.
 */
import assert from 'node:assert/strict';
import { Decimal } from 'decimal.js';
import { after, before, describe, test } from 'node:test';
import {
  cashAdvanceApplication,
  issuedCashAdvanceDocument,
} from '../../src/connectors/concur/simulator/fis-cash-advance-samples.js';
import type { SimDocument } from '../helpers/estate.js';
import { storeKinds } from '../helpers/stores.js';
import {
  deliverWebhook,
  lineSummary,
  startExpenseBench,
  variantOfVatReport,
  type ExpenseBench,
} from './expense-hub.js';

const EMPLOYEE = '49038128';
const EMPLOYEE_VENDOR = '17400001';
const ADVANCE_POLLER = 'cash-advance-posting:ready';

/** The 2.1 sample report (one laundry entry, German VAT, owed to the employee) for 200.00 EUR, applying the given advances. */
function reportOf200(id: string, applications: readonly string[], returned = '0'): unknown {
  return JSON.parse(
    variantOfVatReport(id, [
      ['"totalApprovedAmount": 10', '"totalApprovedAmount": 200'],
      ['"entryApprovedAmount": 10', '"entryApprovedAmount": 200'],
      ['"amountGross": 10', '"amountGross": 200'],
      ['"amountNetOfReclaim": 8.4', '"amountNetOfReclaim": 168.07'],
      ['"amountNetOfTax": 8.4', '"amountNetOfTax": 168.07'],
      ['"amountTax": 1.6', '"amountTax": 31.93'],
      ['"amountReclaim": 1.6', '"amountReclaim": 31.93'],
      ['"cashAdvanceReturnsAmount": 0', `"cashAdvanceReturnsAmount": ${returned}`],
      ['"cashAdvanceApplication": []', `"cashAdvanceApplication": [${applications.join(',')}]`],
    ]),
  ) as unknown;
}

async function deliverAdvance(bench: ExpenseBench, documentId: string, deliveryId: string): Promise<number> {
  const response = await fetch(`${bench.hub.url}/v1/events/expense`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': deliveryId, ...bench.hub.auth },
    body: JSON.stringify({ type: 'cash_advance.issued', documentId }),
  });
  await response.text();
  return response.status;
}

/** What the employee vendor's items net to over the documents: positive a debit (the employee owes), negative a credit. */
function vendorNet(documents: readonly SimDocument[]): string {
  let net = new Decimal(0);
  for (const line of documents.flatMap((d) => d.lines).filter((l) => l.partner === EMPLOYEE_VENDOR))
    net = line.side === 'D' ? net.plus(line.amount) : net.minus(line.amount);
  return net.toFixed(2);
}

async function postingDocs(bench: ExpenseBench, documentId: string): Promise<string[]> {
  const confirmations = await bench.confirmations(documentId);
  assert.equal(confirmations.length, 1, `${documentId} confirmed once`);
  const raw = confirmations[0]!.raw as { overallPostingStatusCode: string; postingDocs: { documentNumber: string }[] };
  assert.equal(raw.overallPostingStatusCode, 'success');
  return raw.postingDocs.map((p) => p.documentNumber).sort();
}

for (const kind of storeKinds) {
  describe(`cash advances (${kind})`, () => {
    let bench: ExpenseBench;
    before(async () => {
      bench = await startExpenseBench(kind, 'cash-advances');
    });
    after(async () => bench?.close());

    test('an issued advance: one supplier invoice to the employee vendor debiting the clearing account, confirmed; delivered three times, posted once', async () => {
      const id = 'advance-issued-0001';
      const body = issuedCashAdvanceDocument({
        documentId: id,
        cashAdvanceId: 'FE884EE31617CF4CABE36C7FC44512A1',
        employeeId: EMPLOYEE,
        amount: '150',
        currency: 'EUR',
        name: 'Cash Advance Testing 3',
      });
      await bench.estate.sim('expense', '/_sim/fis/documents', JSON.parse(body));
      assert.equal(await deliverAdvance(bench, id, 'advance-delivery-1'), 202);
      assert.equal(await deliverAdvance(bench, id, 'advance-delivery-2'), 202);
      await bench.hub.app.engine.pollNow(ADVANCE_POLLER);
      const run = await bench.waitStatus(id, 'succeeded', 'cash-advance-posting');
      assert.equal(
        (await bench.hub.app.engine.listRuns({ flow: 'cash-advance-posting', documentId: id })).runs.length,
        1,
      );
      assert.deepEqual(
        (await bench.hub.app.engine.listRuns({ flow: 'expense-posting', documentId: id })).runs,
        [],
        'not an expense report',
      );
      const [invoice, ...more] = await bench.erpDocuments(id, 'cash-advance-posting');
      assert.equal(more.length, 0);
      assert.deepEqual([invoice?.kind, invoice?.companyCode, invoice?.currency], ['supplier_invoice', '1010', 'EUR']);
      assert.deepEqual(lineSummary(invoice!), ['13600000 D 150.00 - - -', `21100000 C 150.00 - - ${EMPLOYEE_VENDOR}`]);
      assert.equal((await bench.estate.documents('erp', invoice!.reference ?? '')).length, 1, 'posted once in the ERP');
      assert.equal((invoice!.raw as Record<string, unknown>)['DocumentHeaderText'], 'CA FE884EE31617CF4CABE36C');
      assert.deepEqual(await postingDocs(bench, id), [invoice!.id.split('/')[0]]);
      assert.deepEqual(
        run.effects.filter((e) => e.system === 'erp').map((e) => e.step),
        ['post'],
      );
      const row = await bench.hub.app.store.db
        .selectFrom('runs')
        .select(['entity', 'amount', 'currency'])
        .where('id', '=', run.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual([row.entity, row.amount, row.currency], ['1010', '150.00', 'EUR']);
    });

    test('a report of 200 applying an advance of 50: supplier invoice 200 to the employee, journal Dr employee 50 / Cr clearing 50, both confirmed', async () => {
      const id = 'advance-applied-below-0001';
      await bench.estate.sim(
        'expense',
        '/_sim/fis/documents',
        reportOf200(id, [cashAdvanceApplication('FE884EE31617CF4CABE36C7FC44512A1', '-50')], '5'),
      );
      assert.equal(await deliverWebhook(bench, id, 'advance-below-1'), 202);
      const run = await bench.waitStatus(id, 'succeeded');
      const documents = await bench.erpDocuments(id);
      const invoice = documents.find((d) => d.kind === 'supplier_invoice');
      const journal = documents.find((d) => d.kind === 'journal_entry');
      assert.equal(documents.length, 2);
      assert.deepEqual(lineSummary(invoice!), [
        '15410000 D 31.93 - V1 -',
        `21100000 C 200.00 - - ${EMPLOYEE_VENDOR}`,
        '61008000 D 168.07 10101101 V1 -',
      ]);
      assert.deepEqual(lineSummary(journal!), ['13600000 C 50.00 - - -', `21100000 D 50.00 - - ${EMPLOYEE_VENDOR}`]);
      assert.equal(vendorNet(documents), '-150.00', 'the employee is still owed 150.00');
      assert.deepEqual(await postingDocs(bench, id), documents.map((d) => d.id.split('/')[0]).sort());
      assert.deepEqual(
        run.state['cashAdvanceReturns'],
        { amount: '5.00', currency: 'EUR' },
        'returned cash recorded, not posted',
      );
      assert.deepEqual(run.effects.filter((e) => e.system === 'erp' && e.step === 'post').length, 2);
    });

    test('an advance of 300 applied to a report of 200: the journal settles 300, so the employee vendor nets to a debit of 100', async () => {
      const id = 'advance-applied-above-0001';
      // No clearing account code on the application: the configured cashAdvanceClearingAccount.
      await bench.estate.sim(
        'expense',
        '/_sim/fis/documents',
        reportOf200(id, [cashAdvanceApplication('6A107A548D1B4B49BBF370DF02EC890D', '-300', null)]),
      );
      assert.equal(await deliverWebhook(bench, id, 'advance-above-1'), 202);
      await bench.waitStatus(id, 'succeeded');
      const documents = await bench.erpDocuments(id);
      assert.deepEqual(documents.map((d) => d.kind).sort(), ['journal_entry', 'supplier_invoice']);
      assert.deepEqual(lineSummary(documents.find((d) => d.kind === 'supplier_invoice')!), [
        '15410000 D 31.93 - V1 -',
        `21100000 C 200.00 - - ${EMPLOYEE_VENDOR}`,
        '61008000 D 168.07 10101101 V1 -',
      ]);
      assert.deepEqual(lineSummary(documents.find((d) => d.kind === 'journal_entry')!), [
        '13600000 C 300.00 - - -',
        `21100000 D 300.00 - - ${EMPLOYEE_VENDOR}`,
      ]);
      assert.equal(vendorNet(documents), '100.00', 'the employee owes the company 100.00');
      assert.equal((await postingDocs(bench, id)).length, 2);
    });

    test('an application or an advance of a transaction type the contract does not describe is a validation exception; nothing is posted', async () => {
      const report = 'advance-type-3-0001';
      await bench.estate.sim(
        'expense',
        '/_sim/fis/documents',
        reportOf200(report, [cashAdvanceApplication('CA-3', '-50', '12345', 3)]),
      );
      assert.equal(await deliverWebhook(bench, report, 'advance-type-3'), 202);
      const failed = await bench.waitStatus(report, 'exception');
      assert.deepEqual(
        failed.exceptions.map((x) => [x.class, x.owner, x.code]),
        [['validation', 'finance-ops', 'LL_ERR_VALIDATION']],
      );
      assert.match(
        failed.exceptions[0]!.message,
        /cash advance transaction type 3 at document\.cashAdvanceApplication\[0\]\.cashAdvanceTransactionType is not 2 \(applied to a report\)/,
      );
      assert.equal((await bench.erpDocuments(report)).length, 0);

      const advance = 'advance-type-2-0001';
      await bench.estate.sim(
        'expense',
        '/_sim/fis/documents',
        JSON.parse(
          issuedCashAdvanceDocument({
            documentId: advance,
            employeeId: EMPLOYEE,
            amount: '80',
            currency: 'EUR',
            transactionType: 2,
          }),
        ),
      );
      assert.equal(await deliverAdvance(bench, advance, 'advance-type-2'), 202);
      const refused = await bench.waitStatus(advance, 'exception', 'cash-advance-posting');
      assert.deepEqual(
        refused.exceptions.map((x) => [x.class, x.owner, x.code]),
        [['validation', 'finance-ops', 'LL_ERR_VALIDATION']],
      );
      assert.match(
        refused.exceptions[0]!.message,
        /transaction type 2 at document\.cashAdvanceData\.transactionType is not 1 \(issued\)/,
      );
      assert.equal((await bench.erpDocuments(advance, 'cash-advance-posting')).length, 0);
      assert.equal(
        (await bench.estate.documents('erp')).filter((d) =>
          d.lines.some((l) => l.amount === '80' || l.amount === '80.00'),
        ).length,
        0,
        'nothing posted for it',
      );
    });
  });
}
