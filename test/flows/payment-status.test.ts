/**
 * Payment status end to end over real HTTP, on both stores: documents the hub posted are cleared by a
 * payment run in the ERP simulator, and the poller on cleared vendor items brings the payment back.
 * A procurement invoice → a "paid" integration history record on the invoice in procurement; an
 * expense report → a payment confirmation on the expense platform; both posting runs get paid_at,
 * each payment run paidAt. An item the hub never posted finishes unmatched, without an exception.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { storeKinds } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';
import { FIXTURE, POLLER as EXPENSE_POLL } from './expense-hub.js';
import {
  invoice,
  PAYMENT_POLL,
  startInvoiceHub,
  stateOf,
  supplier,
  type InvoiceHub,
  type RunRow,
} from './invoice-hub.js';

const TODAY = new Date().toISOString().slice(0, 10);
const PAID_AT = Date.parse(`${TODAY}T00:00:00Z`);

for (const kind of storeKinds) {
  describe(`payment status [${kind}]`, () => {
    let hub: InvoiceHub;
    /** The ERP document (`number/year`) a run posted. */
    const erpDocumentOf = async (run: RunRow): Promise<{ accountingDocument: string; fiscalYear: string }> => {
      const posted = (await hub.effectsOf(run.id)).find(
        (e) => e.system === 'erp' && e.step === 'post' && e.remote_id !== null,
      )!;
      const [document] = (await hub.estate.documents('erp', posted.idempotency_key)).filter(
        (d) => d.kind === 'supplier_invoice',
      );
      const [accountingDocument, fiscalYear] = document!.id.split('/');
      return { accountingDocument: accountingDocument!, fiscalYear: fiscalYear! };
    };
    const payAndPoll = async (
      companyCode: string,
      document: { accountingDocument: string; fiscalYear: string },
    ): Promise<RunRow> => {
      await hub.estate.sim('erp', '/_sim/seed', { payments: [{ ...document, companyCode, clearingDate: TODAY }] });
      await hub.f.app.engine.pollNow(PAYMENT_POLL);
      const [run] = await hub.settled(
        'payment-status',
        `${companyCode}:${document.accountingDocument}:${document.fiscalYear}`,
        'succeeded',
      );
      return run!;
    };

    before(async () => {
      hub = await startInvoiceHub(kind, 'payment-status', {
        expensePosting: {
          trigger: { webhook: true, pollIntervalMs: 3_600_000 },
          cardVendors: { '1010': '17500001', '1710': '17500001', '2910': '17500001' },
          companyPaidClearingAccount: '19100000',
          inputTaxAccount: '15410000',
        },
      });
    });
    after(async () => {
      await hub?.close();
    });

    test('a paid procurement invoice: payment recorded on the invoice in procurement, the posting run paid', async () => {
      await hub.estate.sim('procurement', '/_sim/seed', {
        suppliers: [supplier(9111, 'Moselstahl Handel GmbH', '17300001')],
        invoices: [
          invoice(
            9401,
            'RE-9401',
            9111,
            [{ quantity: '3', price: '50.00', total: '150.00', gl: '6100', cc: 'CC200' }],
            '28.50',
            '178.50',
            '2025-06-05T10:00:00Z',
          ),
        ],
      });
      await hub.approved(9401, '2025-06-05T10:00:00Z', 'coupa-9401-1');
      const [posting] = await hub.settled('invoice-posting', '9401', 'succeeded');
      const document = await erpDocumentOf(posting!);

      const payment = await payAndPoll('1010', document);
      assert.deepEqual(stateOf(payment)['outcome'], 'paid');
      assert.deepEqual(
        [payment.paid_at, payment.entity, payment.amount, payment.currency],
        [PAID_AT, '1010', '178.50', 'EUR'],
      );
      const [paid] = await hub.runsOf('invoice-posting', '9401');
      assert.equal(paid!.paid_at, PAID_AT);
      const invoiceInProcurement = (await hub.estate.documents('procurement', '9401')).find(
        (d) => d.kind === 'payment_confirmation',
      );
      assert.deepEqual(invoiceInProcurement?.raw, { invoice: 9401, paid: true, 'payment-date': `${TODAY}T00:00:00Z` });
      const records = (await hub.estate.documents('procurement', '9401')).map(
        (d) => d.raw as { status: string; responses: { 'response-message': string }[] },
      );
      const record = records.find((r) => r.status === 'paid');
      assert.match(
        record?.responses[0]?.['response-message'] ?? '',
        new RegExp(
          `Paid 178.50 EUR on ${TODAY}: erp clearing document \\d+ for supplier invoice ${document.accountingDocument}/${document.fiscalYear}`,
        ),
      );

      // The next payment run reads the same day again: the item is not processed twice.
      await hub.f.app.engine.pollNow(PAYMENT_POLL);
      assert.equal(
        (await hub.runsOf('payment-status', `1010:${document.accountingDocument}:${document.fiscalYear}`)).length,
        1,
      );
      assert.equal(
        (await hub.estate.documents('procurement', '9401')).filter(
          (d) => (d.raw as { status: string }).status === 'paid',
        ).length,
        1,
      );
    });

    test('a paid expense report: the payment confirmation reaches the expense platform, the posting run paid', async () => {
      await hub.f.app.engine.pollNow(EXPENSE_POLL);
      const [posting] = await hub.settled('expense-posting', FIXTURE.vat, 'succeeded');
      const document = await erpDocumentOf(posting!);
      const payment = await payAndPoll('1010', document);
      assert.deepEqual(stateOf(payment)['outcome'], 'paid');
      assert.equal(payment.paid_at, PAID_AT);
      const confirmations = await waitFor('payment confirmation', async () => {
        const found = (await hub.estate.documents('expense', FIXTURE.vat)).filter(
          (d) => d.kind === 'payment_confirmation',
        );
        return found.length > 0 ? found : undefined;
      });
      assert.equal(confirmations.length, 1);
      assert.deepEqual([confirmations[0]!.currency, confirmations[0]!.lines[0]!.amount], ['EUR', '10.00']);
      const [paid] = await hub.runsOf('expense-posting', FIXTURE.vat);
      assert.equal(paid!.paid_at, PAID_AT);
    });

    test("a card report: the card issuer's item cleared confirms nothing; the employee's item cleared confirms the report once", async () => {
      await hub.f.app.engine.pollNow(EXPENSE_POLL);
      const [posting] = await hub.settled('expense-posting', FIXTURE.card, 'succeeded');
      const posted = (await hub.effectsOf(posting!.id)).filter((e) => e.system === 'erp' && e.step === 'post');
      const documents = (await Promise.all(posted.map((e) => hub.estate.documents('erp', e.idempotency_key)))).flat();
      // Supplier invoices are numbered `<number>/<year>`, journal entries `<number>/<company code>/<year>`.
      const idOf = (kind: string): { accountingDocument: string; fiscalYear: string; companyCode: string } => {
        const parts = documents.find((d) => d.kind === kind)!.id.split('/');
        return {
          accountingDocument: parts[0]!,
          fiscalYear: parts[parts.length - 1]!,
          companyCode: parts.length === 3 ? parts[1]! : posting!.entity!,
        };
      };
      const confirmations = async () =>
        (await hub.estate.documents('expense', FIXTURE.card)).filter((d) => d.kind === 'payment_confirmation');

      const cardJournal = idOf('journal_entry');
      const card = await payAndPoll(cardJournal.companyCode, cardJournal);
      assert.equal(stateOf(card)['outcome'], 'settled_other_party');
      assert.equal(card.paid_at, null);
      assert.deepEqual(await confirmations(), []);

      const employeeInvoice = idOf('supplier_invoice');
      const employee = await payAndPoll(employeeInvoice.companyCode, employeeInvoice);
      assert.equal(stateOf(employee)['outcome'], 'paid');
      const confirmed = await waitFor('payment confirmation', async () => {
        const found = await confirmations();
        return found.length > 0 ? found : undefined;
      });
      assert.deepEqual(
        confirmed.map((c) => c.lines[0]!.amount),
        ['23.00'],
        'the out-of-pocket postage, not the card charge',
      );
    });

    test('an item the hub never posted is recorded as unmatched, without an exception', async () => {
      const erp = hub.f.app.connectors.erp!.port;
      const ref = await erp.postSupplierInvoice({
        reference: 'EXT-7001',
        companyCode: '1010',
        vendorId: '17300001',
        documentDate: TODAY,
        postingDate: TODAY,
        gross: { amount: '100.00', currency: 'EUR' },
        lines: [
          { glAccount: '61003000', side: 'D', amount: { amount: '100.00', currency: 'EUR' }, costCenter: '10101101' },
        ],
        taxes: [],
      });
      const payment = await payAndPoll('1010', { accountingDocument: ref.documentId, fiscalYear: ref.fiscalYear });
      const state = stateOf(payment);
      assert.equal(state['outcome'], 'unmatched');
      assert.match(String(state['reason']), /reference "EXT-7001"\) was not posted by the hub/);
      assert.equal(payment.paid_at, null);
      assert.equal((await hub.exceptionsOf(payment.id)).length, 0);
    });
  });
}
