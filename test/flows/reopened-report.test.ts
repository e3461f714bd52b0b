/**
 * A report posted, recalled in the expense platform and resubmitted with a changed amount, end to
 * end on both stores over the simulators: revision 2 reverses the supplier invoice revision 1 posted
 * (SAP `Cancel`, the reversal linked in the run's state and in the ERP) and posts the new amount, so
 * the ERP holds exactly the new amount; the evidence links are on the new document; the platform
 * gets the new document number. The same content resubmitted is not posted again.
 */
import assert from 'node:assert/strict';
import { Decimal } from 'decimal.js';
import { after, before, describe, test } from 'node:test';
import type { SimDocument } from '../helpers/estate.js';
import { storeKinds } from '../helpers/stores.js';
import { startExpenseBench, variantOfVatReport, type ExpenseBench, type RunDetail } from './expense-hub.js';

/** Report 2.1 (laundry 10.00 EUR, German VAT 1.60) at 12.00 EUR: net 10.08, VAT 1.92. */
const TWELVE: readonly (readonly [string, string])[] = [
  ['"totalApprovedAmount": 10,', '"totalApprovedAmount": 12,'],
  ['"entryApprovedAmount": 10,', '"entryApprovedAmount": 12,'],
  ['"reportEntryTransactionAmount": 10,', '"reportEntryTransactionAmount": 12,'],
  ['"amountGross": 10,', '"amountGross": 12,'],
  ['"amountNetOfReclaim": 8.4,', '"amountNetOfReclaim": 10.08,'],
  ['"amountNetOfTax": 8.4,', '"amountNetOfTax": 10.08,'],
  ['"amountTax": 1.6,', '"amountTax": 1.92,'],
  ['"amountReclaim": 1.6,', '"amountReclaim": 1.92,'],
];

interface Reversal {
  readonly reversed: { kind: string; documentNumber: string; fiscalYear: string };
  readonly by: { documentNumber: string; fiscalYear: string };
  readonly method: string;
}

async function deliver(bench: ExpenseBench, documentId: string, version: string): Promise<void> {
  const response = await fetch(`${bench.hub.url}/v1/events/expense`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': `${documentId}-${version}`, ...bench.hub.auth },
    body: JSON.stringify({ type: 'expense_report.approved', documentId, version }),
  });
  await response.text();
  assert.equal(response.status, 202);
}

async function runOfVersion(bench: ExpenseBench, documentId: string, version: string): Promise<RunDetail> {
  for (let i = 0; i < 300; i++) {
    const summary = (await bench.hub.app.engine.listRuns({ flow: 'expense-posting', documentId })).runs.find(
      (r) => r.version === version,
    );
    if (summary !== undefined && ['succeeded', 'exception'].includes(summary.status))
      return (await bench.hub.app.engine.getRun(summary.id)) as unknown as RunDetail;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run of ${documentId} version ${version} did not finish`);
}

/** Every ERP document any run of the report wrote (by the references of its post effects). */
async function erpDocumentsOf(bench: ExpenseBench, runs: readonly RunDetail[]): Promise<SimDocument[]> {
  const keys = new Set(
    runs.flatMap((r) => r.effects.filter((e) => e.system === 'erp' && e.step === 'post')).map((e) => e.idempotencyKey),
  );
  const found = (await Promise.all([...keys].map((key) => bench.estate.documents('erp', key)))).flat();
  return [...new Map(found.map((d) => [`${d.kind} ${d.id}`, d])).values()];
}

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
  describe(`reopened expense reports (${kind})`, () => {
    let bench: ExpenseBench;
    before(async () => {
      bench = await startExpenseBench(kind, 'reopened-report', {
        engine: { pollIntervalMs: 20, leaseMs: 5_000, maxAttempts: 50, backoff: { baseMs: 20, capMs: 100 } },
      });
    });
    after(async () => bench?.close());

    test('recalled and resubmitted with a changed amount: the earlier invoice is reversed, exactly the new amount stays in the ERP, the reversal linked', async () => {
      const id = 'reopened-0001';
      await bench.estate.sim('expense', '/_sim/fis/documents', JSON.parse(variantOfVatReport(id)));
      await deliver(bench, id, '1');
      const first = await runOfVersion(bench, id, '1');
      assert.equal(first.status, 'succeeded', JSON.stringify(first.exceptions));
      const [posted] = first.state['erpDocuments'] as { documentNumber: string; fiscalYear: string }[];

      // Recalled by the employee in the platform, corrected to 12.00 and resubmitted as revision 2.
      await bench.estate.sim('expense', '/_sim/seed', { recall: [id] });
      await bench.estate.sim(
        'expense',
        '/_sim/fis/documents',
        JSON.parse(variantOfVatReport(id, [...TWELVE, ['"revisionNumber": "1"', '"revisionNumber": "2"']])),
      );
      await deliver(bench, id, '2');
      const second = await runOfVersion(bench, id, '2');
      assert.equal(second.status, 'succeeded', JSON.stringify(second.exceptions));

      const supersedes = second.state['supersedes'] as { runId: string; version: string; reversals: Reversal[] };
      assert.deepEqual([supersedes.runId, supersedes.version], [first.id, '1']);
      assert.equal(supersedes.reversals.length, 1);
      const [reversal] = supersedes.reversals;
      assert.deepEqual(
        [reversal!.reversed.kind, reversal!.reversed.documentNumber, reversal!.method],
        ['supplier_invoice', posted!.documentNumber, 'erp_reversal'],
      );

      const documents = await erpDocumentsOf(bench, [first, second]);
      assert.deepEqual(documents.map((d) => d.kind).sort(), ['reversal', 'supplier_invoice', 'supplier_invoice']);
      const inErp = documents.find((d) => d.kind === 'reversal');
      assert.equal(inErp?.id, `${reversal!.by.documentNumber}/${reversal!.by.fiscalYear}`);
      assert.equal(
        (inErp?.raw as { reverses: string }).reverses,
        `${posted!.documentNumber}/${posted!.fiscalYear}`,
        'the reversal names the invoice it reverses',
      );
      assert.deepEqual(balances(documents), { '61008000': '10.08', '15410000': '1.92', '21100000': '-12.00' });

      const [replacement] = second.state['erpDocuments'] as { documentNumber: string }[];
      const newInvoice = documents.find((d) => d.id.startsWith(`${replacement!.documentNumber}/`));
      assert.equal(newInvoice?.kind, 'supplier_invoice');
      assert.equal(newInvoice?.attachments?.length, 2, 'the approval evidence and the receipt are on the new invoice');

      const confirmations = (await bench.confirmations(id)).map(
        (c) => c.raw as { overallPostingStatusCode: string; postingDocs: { documentNumber: string }[] },
      );
      assert.deepEqual(
        confirmations.map((c) => [c.overallPostingStatusCode, c.postingDocs.map((p) => p.documentNumber)]),
        [
          ['success', [posted!.documentNumber]],
          ['success', [replacement!.documentNumber]],
        ],
      );
      // Reconciliation shows the chain and counts only what revision 2 posted.
      const reconciliation = await fetch(`${bench.hub.url}/v1/reconciliations`, {
        method: 'POST',
        headers: { ...bench.hub.auth, 'content-type': 'application/json' },
        body: JSON.stringify({ from: '2019-06-01', to: '2019-06-30', processes: ['expense-posting'] }),
      });
      assert.equal(reconciliation.status, 201, await reconciliation.clone().text());
      const rec = (await reconciliation.json()) as {
        duplicated: { documentId: string }[];
        amountMismatches: { documentId: string }[];
        reversed: {
          documentId: string;
          chain: { version: string; posted: string[]; reversals: string[]; superseded: boolean }[];
        }[];
      };
      assert.deepEqual(
        rec.duplicated.filter((d) => d.documentId === id),
        [],
      );
      assert.deepEqual(
        rec.amountMismatches.filter((d) => d.documentId === id),
        [],
      );
      const chain = rec.reversed.find((r) => r.documentId === id)?.chain;
      assert.deepEqual(
        chain?.map((c) => [c.version, c.superseded, c.posted.length, c.reversals]),
        [
          ['1', true, 1, []],
          ['2', false, 1, [`${reversal!.by.documentNumber}/${reversal!.by.fiscalYear}`]],
        ],
      );
    });

    test('resubmitted unchanged after posting: nothing is reversed or posted again', async () => {
      const id = 'reopened-same-0001';
      await bench.estate.sim('expense', '/_sim/fis/documents', JSON.parse(variantOfVatReport(id)));
      await deliver(bench, id, '1');
      const first = await runOfVersion(bench, id, '1');
      assert.equal(first.status, 'succeeded');
      await bench.estate.sim('expense', '/_sim/seed', { recall: [id] });
      await bench.estate.sim(
        'expense',
        '/_sim/fis/documents',
        JSON.parse(variantOfVatReport(id, [['"revisionNumber": "1"', '"revisionNumber": "2"']])),
      );
      await deliver(bench, id, '2');
      const second = await runOfVersion(bench, id, '2');
      assert.equal(second.status, 'succeeded', JSON.stringify(second.exceptions));
      assert.deepEqual(second.state['erpDocuments'], first.state['erpDocuments']);
      assert.equal(second.state['supersedes'], undefined);
      const documents = await erpDocumentsOf(bench, [first, second]);
      assert.deepEqual(
        documents.map((d) => d.kind),
        ['supplier_invoice'],
      );
    });
  });
}
