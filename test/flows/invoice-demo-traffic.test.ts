/**
 * The demo traffic's invoice scenario through the whole hub, on both stores: an approved PO invoice
 * the generator seeds into procurement is polled and posted to the ERP, the generator's payment run
 * clears it, and the payment comes back (the posting run paid).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TrafficGenerator } from '../../src/demo/traffic-generator.js';
import { storeKinds } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';
import { INVOICE_POLL, PAYMENT_POLL, startInvoiceHub, type InvoiceHub } from './invoice-hub.js';

/** A random source that answers the given values, then 0.5: the tick picks an invoice within tolerance. */
function scripted(values: readonly number[]): () => number {
  let i = 0;
  return () => values[i++] ?? 0.5;
}

for (const kind of storeKinds) {
  describe(`demo traffic invoices [${kind}]`, () => {
    let hub: InvoiceHub;
    before(async () => {
      hub = await startInvoiceHub(kind, 'invoice-traffic');
    });
    after(async () => {
      await hub?.close();
    });

    test('a generated PO invoice is posted, cleared by the payment run, and its payment comes back', async () => {
      const traffic = new TrafficGenerator({
        simulators: Object.values(hub.estate.simulators),
        hubUrl: hub.f.url,
        expenseSystem: 'expense',
        serviceToken: 'unused',
        random: scripted([0.8, 0.9, 0.1, 0.1, 0.1, 0.3, 0.2, 0.2]),
      });
      await traffic.tick();
      assert.equal(traffic.counts.supplierInvoices, 1);
      await hub.f.app.engine.pollNow(INVOICE_POLL);
      const db = hub.f.app.store.db;
      const posting = await waitFor(
        'the generated invoice posted',
        async () => {
          const row = await db
            .selectFrom('runs')
            .select(['id', 'status', 'document_id'])
            .where('flow', '=', 'invoice-posting')
            .executeTakeFirst();
          return row?.status === 'succeeded' ? row : undefined;
        },
        30_000,
      );
      await traffic.paymentRun();
      assert.equal(traffic.counts.itemsCleared, 1);
      await hub.f.app.engine.pollNow(PAYMENT_POLL);
      const paid = await waitFor(
        'the posting run paid',
        async () => {
          const row = await db.selectFrom('runs').select(['paid_at']).where('id', '=', posting.id).executeTakeFirst();
          return row?.paid_at === null || row === undefined ? undefined : row;
        },
        30_000,
      );
      assert.equal(paid.paid_at, Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`));
      // A second payment run finds nothing new to clear.
      await traffic.paymentRun();
      assert.equal(traffic.counts.paymentRuns, 1);
    });
  });
}
