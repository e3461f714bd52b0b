/**
 * Every published SAP Concur FIS example document through the demo estate, on both stores: the
 * examples held in the expense platform as published (ids, amounts, dates and status), the hub with
 * the demo configuration and mapping set run until idle. Each expense report READY for the hub is
 * posted exactly once (one run, each ERP document created once), balanced in its currency and
 * confirmed to the platform; each issued cash advance is posted by the cash advance flow, one supplier
 * invoice to the employee vendor, confirmed. The examples published as already taken by another ERP
 * system (2.3 acknowledged, 2.4 posting confirmed, by Q16CLNT500) are not in the READY queue: the hub
 * leaves them alone. What happened to each example is printed.
 * The examples come from test/helpers/published-fis-examples.ts (the vendor repository's mirror, else
 * the four shared fixtures); the test is skipped when neither is there.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EXAMPLES_MIRROR, PUBLISHED_EXAMPLE_COUNT, publishedExamples } from '../helpers/published-fis-examples.js';
import { storeKinds } from '../helpers/stores.js';
import {
  balancePerCurrency,
  exampleDocuments,
  flowOf,
  outcomeLine,
  startExamplesHub,
  type ExampleDocument,
  type ExamplesHub,
} from './published-examples-hub.js';

const { source, files } = publishedExamples();
const examples = exampleDocuments(files);
/** Documents published twice (3.1 and 6.1.4, 1.1 and 6.1.1 show the same FIS document): one run, one posting. */
const distinct = [...new Map(examples.map((e) => [e.documentId, e])).values()];
const isReady = (e: ExampleDocument): boolean => e.status === 'READY';
const ready = distinct.filter(isReady);
const takenElsewhere = distinct.filter((e) => !isReady(e));

for (const kind of storeKinds) {
  describe(`the published FIS examples through the demo estate [${kind}]`, () => {
    let hub: ExamplesHub | undefined;
    let moving: string[] = [];
    before(async () => {
      if (files.length === 0) return;
      hub = await startExamplesHub(kind, files);
      moving = await hub.runUntilIdle(ready);
    });
    after(async () => hub?.close());

    test('each example READY for the hub is posted exactly once, balanced per currency and confirmed', async (t) => {
      if (hub === undefined) {
        t.skip('no published examples (neither the mirror of the vendor repository nor the shared fixtures)');
        return;
      }
      const { bench } = hub;
      t.diagnostic(`${files.length} example files, ${distinct.length} documents, from ${source}`);
      if (source === EXAMPLES_MIRROR) {
        assert.equal(files.length, PUBLISHED_EXAMPLE_COUNT);
        assert.deepEqual(
          [distinct.length, ready.filter((e) => e.docType === 'cashadvance').length, takenElsewhere.length],
          [27, 3, 2],
          'two documents published twice; three cash advances; two taken by another ERP system',
        );
      }
      const failures: string[] = [];
      for (const doc of examples) {
        const flow = flowOf(doc);
        const run = await bench.runOf(doc.documentId, flow);
        const line = outcomeLine(doc, run, await bench.erpDocuments(doc.documentId, flow));
        t.diagnostic(isReady(doc) ? line : `${line} (published ${doc.status} by ${doc.erpSystemId ?? 'no system'})`);
        if (isReady(doc) && run?.status !== 'succeeded') failures.push(line);
      }
      assert.deepEqual(moving, [], 'the hub idle');
      assert.deepEqual(failures, [], 'every READY example posted');
      for (const doc of ready) {
        const flow = flowOf(doc);
        const { runs } = await bench.hub.app.engine.listRuns({ flow, documentId: doc.documentId });
        assert.equal(runs.length, 1, `${doc.file}: one ${flow} run`);
        const run = await bench.runOf(doc.documentId, flow);
        const posts = (run?.effects ?? []).filter((e) => e.system === 'erp' && e.step === 'post');
        assert.ok(posts.length > 0, `${doc.file}: posted to the ERP`);
        for (const effect of posts) {
          const created = await bench.estate.documents('erp', effect.idempotencyKey);
          assert.equal(created.length, 1, `${doc.file}: ${effect.idempotencyKey} created once in the ERP`);
          for (const [currency, net] of Object.entries(balancePerCurrency(created)))
            assert.equal(net, '0.00', `${doc.file}: ${created[0]!.id} balanced in ${currency}`);
          if (doc.docType === 'cashadvance')
            assert.equal(
              created[0]!.kind,
              'supplier_invoice',
              `${doc.file}: the advance paid through the employee vendor`,
            );
        }
        const confirmations = await bench.confirmations(doc.documentId);
        assert.equal(confirmations.length, 1, `${doc.file}: confirmed once`);
        const raw = confirmations[0]!.raw as { overallPostingStatusCode?: string };
        assert.equal(raw.overallPostingStatusCode, 'success', `${doc.file}: confirmed as posted`);
      }
    });

    test('the examples another ERP system has taken are left alone: no run, nothing posted or confirmed', async (t) => {
      if (hub === undefined || takenElsewhere.length === 0) {
        t.skip('no published example taken by another ERP system among those read');
        return;
      }
      const { bench } = hub;
      for (const doc of takenElsewhere) {
        assert.ok(doc.erpSystemId !== null, `${doc.file}: published as taken by an ERP system`);
        const { runs } = await bench.hub.app.engine.listRuns({ documentId: doc.documentId });
        assert.deepEqual(runs, [], `${doc.file}: no run`);
        assert.deepEqual(await bench.estate.documents('expense', doc.documentId), [], `${doc.file}: nothing sent back`);
      }
    });
  });
}
