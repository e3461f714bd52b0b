/**
 * A procurement invoice posted, then sent back in procurement, corrected and approved again (a new
 * `updated-at`, unexported), end to end on both stores over the Coupa and SAP simulators: the new
 * version reverses the supplier invoice the first version posted (SAP `Cancel`, linked in the run's
 * state) and posts the new amount under its own reference, so the ERP holds exactly the new amount;
 * the evidence is linked on the new document and the invoice is exported again. The same content
 * approved again posts nothing and reverses nothing.
 */
import assert from 'node:assert/strict';
import { Decimal } from 'decimal.js';
import { after, before, describe, test } from 'node:test';
import type { SimDocument } from '../helpers/estate.js';
import { storeKinds } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';
import { invoice, startInvoiceHub, stateOf, supplier, type InvoiceHub, type RunRow } from './invoice-hub.js';

const FLOW = 'invoice-posting';

/** A non-PO freight invoice of supplier 9101 (ERP vendor 17300001): net, tax, gross. */
const freight = (id: number, net: string, tax: string, gross: string, updatedAt: string) =>
  invoice(
    id,
    `RE-${id}`,
    9101,
    [{ quantity: '1', price: net, total: net, gl: '6200', cc: 'CC200' }],
    tax,
    gross,
    updatedAt,
  );

/** Debit minus credit per account over the documents. */
function balances(documents: readonly SimDocument[]): Record<string, string> {
  const out = new Map<string, Decimal>();
  for (const d of documents)
    for (const l of d.lines)
      out.set(
        l.account,
        (out.get(l.account) ?? new Decimal(0)).plus(l.side === 'D' ? l.amount : new Decimal(l.amount).neg()),
      );
  return Object.fromEntries([...out].filter(([, v]) => !v.isZero()).map(([k, v]) => [k, v.toFixed(2)]));
}

for (const kind of storeKinds) {
  describe(`reopened invoices [${kind}]`, () => {
    let hub: InvoiceHub;
    before(async () => {
      hub = await startInvoiceHub(kind, 'reopened-invoice');
      await hub.estate.sim('procurement', '/_sim/seed', {
        suppliers: [supplier(9101, 'Rheinkraft Werkzeuge GmbH', '17300001')],
      });
    });
    after(async () => hub?.close());

    const runOfVersion = (documentId: string, version: number) =>
      waitFor(
        `invoice ${documentId} run ${version} settled`,
        async () => {
          const runs = await hub.runsOf(FLOW, documentId);
          return runs.length >= version && runs.every((r) => ['succeeded', 'exception'].includes(r.status))
            ? runs
            : undefined;
        },
        30_000,
      );

    /** Every ERP document the runs wrote through their post effects (reversals are found under the reversed invoice's reference). */
    async function erpDocumentsOf(runs: readonly RunRow[]): Promise<SimDocument[]> {
      const keys = new Set<string>();
      for (const run of runs)
        for (const e of await hub.effectsOf(run.id))
          if (e.system === 'erp' && e.step === 'post') keys.add(e.idempotency_key);
      const found = (await Promise.all([...keys].map((key) => hub.estate.documents('erp', key)))).flat();
      return [...new Map(found.map((d) => [`${d.kind} ${d.id}`, d])).values()];
    }

    test('corrected after posting: the earlier supplier invoice is reversed, exactly the new amount stays in the ERP, the reversal linked', async () => {
      await hub.estate.sim('procurement', '/_sim/seed', {
        invoices: [freight(9401, '100.00', '19.00', '119.00', '2025-06-01T10:00:00Z')],
      });
      await hub.approved(9401, '2025-06-01T10:00:00Z', 'coupa-9401-1');
      const [first] = await runOfVersion('9401', 1);
      assert.equal(first!.status, 'succeeded', JSON.stringify(await hub.exceptionsOf(first!.id)));
      const firstDocument = String(stateOf(first!)['erpDocument']);

      // Sent back in procurement after export, corrected to 150.00 + 28.50 tax, approved again.
      await hub.estate.sim('procurement', '/_sim/seed', {
        invoices: [freight(9401, '150.00', '28.50', '178.50', '2025-06-03T10:00:00Z')],
      });
      await hub.approved(9401, '2025-06-03T10:00:00Z', 'coupa-9401-2');
      const runs = await runOfVersion('9401', 2);
      const second = runs.find((r) => r.id !== first!.id)!;
      assert.equal(second.status, 'succeeded', JSON.stringify(await hub.exceptionsOf(second.id)));

      const state = stateOf(second);
      const supersedes = state['supersedes'] as {
        runId: string;
        version: string;
        reversals: {
          reversed: { documentNumber: string; fiscalYear: string };
          by: { documentNumber: string };
          method: string;
        }[];
      };
      assert.deepEqual([supersedes.runId, supersedes.version], [first!.id, '2025-06-01T10:00:00Z']);
      assert.equal(supersedes.reversals.length, 1);
      const [reversal] = supersedes.reversals;
      assert.equal(`${reversal!.reversed.documentNumber}/${reversal!.reversed.fiscalYear}`, firstDocument);
      assert.equal(reversal!.method, 'erp_reversal');
      assert.notEqual(state['erpDocument'], firstDocument);

      const documents = await erpDocumentsOf([first!, second]);
      assert.deepEqual(documents.map((d) => d.kind).sort(), ['reversal', 'supplier_invoice', 'supplier_invoice']);
      const inErp = documents.find((d) => d.kind === 'reversal')!;
      assert.equal((inErp.raw as { reverses: string }).reverses, firstDocument);
      const newInvoice = documents.find((d) => d.kind === 'supplier_invoice' && d.id === state['erpDocument'])!;
      // Net in the ERP: exactly the corrected invoice.
      assert.deepEqual(balances(documents), balances([newInvoice]));
      assert.deepEqual(balances(documents), { '15410000': '28.50', '21100000': '-178.50', '61003000': '150.00' });
      // The evidence on the new supplier invoice; the invoice exported again.
      const attached = state['attached'] as { linked: { document: string; url: string }[] };
      assert.ok(attached.linked.length > 0);
      assert.equal(state['exported'], true);
      assert.equal((await hub.f.app.connectors.procurement!.port.invoiceById('9401'))?.exported, true);
      assert.ok((newInvoice.attachments?.length ?? 0) > 0, 'the evidence is on the new supplier invoice');

      // Reconciliation shows the chain and counts only the new supplier invoice.
      const answer = await fetch(`${hub.f.url}/v1/reconciliations`, {
        method: 'POST',
        headers: { ...hub.f.auth, 'content-type': 'application/json' },
        body: JSON.stringify({ from: '2025-05-01', to: '2025-05-31', processes: ['invoice-posting'] }),
      });
      assert.equal(answer.status, 201, await answer.clone().text());
      const rec = (await answer.json()) as {
        duplicated: { documentId: string }[];
        reversed: { documentId: string; chain: { version: string; superseded: boolean; reversals: string[] }[] }[];
      };
      assert.deepEqual(
        rec.duplicated.filter((d) => d.documentId === '9401'),
        [],
      );
      assert.deepEqual(
        rec.reversed.find((r) => r.documentId === '9401')?.chain.map((c) => [c.version, c.superseded, c.reversals]),
        [
          ['2025-06-01T10:00:00Z', true, []],
          ['2025-06-03T10:00:00Z', false, [`${reversal!.by.documentNumber}/${reversal!.reversed.fiscalYear}`]],
        ],
      );
    });

    test('approved again unchanged: the earlier supplier invoice is taken over, nothing reversed or posted', async () => {
      await hub.estate.sim('procurement', '/_sim/seed', {
        invoices: [freight(9402, '40.00', '7.60', '47.60', '2025-06-01T10:00:00Z')],
      });
      await hub.approved(9402, '2025-06-01T10:00:00Z', 'coupa-9402-1');
      const [first] = await runOfVersion('9402', 1);
      await hub.estate.sim('procurement', '/_sim/seed', {
        invoices: [freight(9402, '40.00', '7.60', '47.60', '2025-06-02T10:00:00Z')],
      });
      await hub.approved(9402, '2025-06-02T10:00:00Z', 'coupa-9402-2');
      const runs = await runOfVersion('9402', 2);
      const second = runs.find((r) => r.id !== first!.id)!;
      assert.equal(second.status, 'succeeded', JSON.stringify(await hub.exceptionsOf(second.id)));
      assert.equal(stateOf(second)['erpDocument'], stateOf(first!)['erpDocument']);
      assert.equal(stateOf(second)['supersedes'], undefined);
      const erpWrites = (await hub.effectsOf(second.id)).filter((e) => e.system === 'erp');
      assert.deepEqual(erpWrites, []);
    });
  });
}
