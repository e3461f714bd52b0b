/**
 * A second ERP through the same flows, on both stores: company code 1010 is held by Business Central
 * (its simulator, API v2.0), 1710 and 2910 stay on SAP S/4HANA, chosen in the configuration alone.
 * A procurement invoice and an expense report of 1010 post balanced to Business Central (nothing to
 * SAP), master data comes from both ERPs, each for its entities, and payments come back from Business
 * Central's vendor ledger entries: the invoice paid in procurement, the report confirmed as paid.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Decimal } from 'decimal.js';
import { startBusinessCentral, type BusinessCentralEstate } from '../helpers/business-central.js';
import type { SimDocument } from '../helpers/estate.js';
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

function balanced(document: SimDocument): string {
  return document.lines
    .reduce((sum, l) => (l.side === 'D' ? sum.plus(l.amount) : sum.minus(l.amount)), new Decimal(0))
    .toFixed(2);
}

for (const kind of storeKinds) {
  describe(`Business Central as the ERP of company code 1010 [${kind}]`, () => {
    let hub: InvoiceHub;
    let bc: BusinessCentralEstate;
    /** The Business Central documents a run posted (by the references of its ERP posts). */
    const bcDocumentsOf = async (run: RunRow): Promise<SimDocument[]> => {
      const posts = (await hub.effectsOf(run.id)).filter((e) => e.system === 'erp' && e.step === 'post');
      assert.ok(posts.length > 0, 'posted to the ERP');
      return (await Promise.all(posts.map((e) => bc.documents(e.idempotency_key)))).flat();
    };
    /** Pays the posted document in Business Central and polls: the payment-status run of the cleared item. */
    const payAndPoll = async (documentNumber: string): Promise<RunRow> => {
      await bc.seed({ payments: [{ company: 'LL-DE', documentNumber, date: TODAY }] });
      await hub.f.app.engine.pollNow(PAYMENT_POLL);
      const documentId = await waitFor(`payment-status run of ${documentNumber}`, async () => {
        const row = await hub.f.app.store.db
          .selectFrom('runs')
          .select('document_id')
          .where('flow', '=', 'payment-status')
          .where('document_id', 'like', `1010:${documentNumber}:%`)
          .executeTakeFirst();
        return row?.document_id;
      });
      const [run] = await hub.settled('payment-status', documentId, 'succeeded');
      return run!;
    };

    before(async () => {
      bc = await startBusinessCentral();
      hub = await startInvoiceHub(
        kind,
        'business-central',
        {
          expensePosting: {
            trigger: { webhook: true, pollIntervalMs: 3_600_000 },
            cardVendors: { '1010': '17500001', '1710': '17500001', '2910': '17500001' },
            companyPaidClearingAccount: '19100000',
            inputTaxAccount: '15410000',
          },
        },
        { bc: bc.system({ '1010': 'LL-DE' }) },
      );
    });
    after(async () => {
      await hub?.close();
      await bc?.stop();
    });

    test('master data: 1010 from Business Central, 1710 and 2910 from SAP', async () => {
      const snapshot = await hub.f.app.connectors.erp!.port.readMasterData(null);
      assert.deepEqual(snapshot.legalEntities.map((e) => [e.companyCode, e.id.split(':')[0]]).sort(), [
        ['1010', 'business-central'],
        ['1710', 'sap-s4hana'],
        ['2910', 'sap-s4hana'],
      ]);
      assert.ok(snapshot.costCenters.some((c) => c.companyCode === '1010' && c.id.startsWith('business-central:')));
      assert.ok(!snapshot.glAccounts.some((a) => a.companyCode === '1010' && a.id.startsWith('sap-s4hana:')));
    });

    test('a procurement invoice of 1010 posts balanced to Business Central, and its payment comes back', async () => {
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
      const [document, ...more] = await bcDocumentsOf(posting!);
      assert.deepEqual(more, [], 'one Business Central document');
      assert.equal(document!.kind, 'supplier_invoice');
      assert.equal(balanced(document!), '0.00');
      assert.deepEqual(
        document!.lines.find((l) => l.side === 'C'),
        { account: '21100000', side: 'C', amount: '178.50', partner: '17300001' },
      );
      const inSap = (await hub.estate.documents('erp')).filter((d) => d.companyCode === '1010');
      assert.deepEqual(inSap, [], 'nothing of 1010 posted to SAP');

      const payment = await payAndPoll(document!.id);
      assert.equal(stateOf(payment)['outcome'], 'paid');
      assert.deepEqual(
        [payment.paid_at, payment.entity, payment.amount, payment.currency],
        [PAID_AT, '1010', '178.50', 'EUR'],
      );
      const [paid] = await hub.runsOf('invoice-posting', '9401');
      assert.equal(paid!.paid_at, PAID_AT);
      const inProcurement = (await hub.estate.documents('procurement', '9401')).find(
        (d) => d.kind === 'payment_confirmation',
      );
      assert.deepEqual(inProcurement?.raw, { invoice: 9401, paid: true, 'payment-date': `${TODAY}T00:00:00Z` });
    });

    test('an expense report of 1010 posts a balanced to Business Central, and its payment is confirmed', async () => {
      await hub.f.app.engine.pollNow(EXPENSE_POLL);
      const [posting] = await hub.settled('expense-posting', FIXTURE.vat, 'succeeded');
      const documents = await bcDocumentsOf(posting!);
      assert.ok(documents.length > 0);
      for (const document of documents) assert.equal(balanced(document), '0.00', `${document.id} balanced`);
      // The report is paid to the employee vendor: a journal entry or a supplier invoice crediting them.
      const employeeItem = documents.find((d) => d.lines.some((l) => l.side === 'C' && l.partner === '49038128'));
      assert.ok(employeeItem !== undefined, JSON.stringify(documents.map((d) => [d.kind, d.id, d.lines])));
      const payment = await payAndPoll(employeeItem.id);
      assert.equal(stateOf(payment)['outcome'], 'paid');
      const confirmations = await waitFor('payment confirmation', async () => {
        const found = (await hub.estate.documents('expense', FIXTURE.vat)).filter(
          (d) => d.kind === 'payment_confirmation',
        );
        return found.length > 0 ? found : undefined;
      });
      assert.equal(confirmations.length, 1);
      const [paid] = await hub.runsOf('expense-posting', FIXTURE.vat);
      assert.equal(paid!.paid_at, PAID_AT);
    });
  });
}
