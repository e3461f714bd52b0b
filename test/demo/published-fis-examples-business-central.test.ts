/**
 * Every published SAP Concur FIS example document through the demo estate with Business Central as
 * the ERP of the three demo company codes (1010, 1710, 2910 → its companies LL-DE, LL-US, LL-UK), on
 * both stores: each example READY for the hub is posted exactly once to Business Central, each
 * Business Central document balanced in its currency, nothing posted to SAP, and the posting
 * confirmed to the expense platform. The same examples and assertions as the SAP run
 * (published-fis-examples-demo.test.ts); skipped when no example is available.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBusinessCentral, type BusinessCentralEstate } from '../helpers/business-central.js';
import { publishedExamples } from '../helpers/published-fis-examples.js';
import { storeKinds } from '../helpers/stores.js';
import {
  balancePerCurrency,
  exampleDocuments,
  flowOf,
  outcomeLine,
  startExamplesHub,
  type ExamplesHub,
} from './published-examples-hub.js';

const { source, files } = publishedExamples();
const examples = exampleDocuments(files);
const distinct = [...new Map(examples.map((e) => [e.documentId, e])).values()];
const ready = distinct.filter((e) => e.status === 'READY');
const COMPANIES = { '1010': 'LL-DE', '1710': 'LL-US', '2910': 'LL-UK' };

for (const kind of storeKinds) {
  describe(`the published FIS examples posted to Business Central [${kind}]`, () => {
    let hub: ExamplesHub | undefined;
    let bc: BusinessCentralEstate | undefined;
    let moving: string[] = [];
    before(async () => {
      if (files.length === 0) return;
      bc = await startBusinessCentral();
      hub = await startExamplesHub(kind, files, { bc: bc.system(COMPANIES) });
      moving = await hub.runUntilIdle(ready);
    });
    after(async () => {
      await hub?.close();
      await bc?.stop();
    });

    test('each example READY for the hub is posted once to Business Central, balanced per currency, and confirmed', async (t) => {
      if (hub === undefined || bc === undefined) {
        t.skip('no published examples (neither the mirror of the vendor repository nor the shared fixtures)');
        return;
      }
      const { bench } = hub;
      t.diagnostic(`${files.length} example files, ${distinct.length} documents, from ${source}`);
      const failures: string[] = [];
      for (const doc of ready) {
        const run = await bench.runOf(doc.documentId, flowOf(doc));
        const posts = (run?.effects ?? []).filter((e) => e.system === 'erp' && e.step === 'post');
        const created = (await Promise.all(posts.map((e) => bc!.documents(e.idempotencyKey)))).flat();
        const line = outcomeLine(doc, run, created);
        t.diagnostic(line);
        if (run?.status !== 'succeeded') failures.push(line);
      }
      assert.deepEqual(moving, [], 'the hub idle');
      assert.deepEqual(failures, [], 'every READY example posted');
      for (const doc of ready) {
        const flow = flowOf(doc);
        const run = await bench.runOf(doc.documentId, flow);
        const posts = (run?.effects ?? []).filter((e) => e.system === 'erp' && e.step === 'post');
        assert.ok(posts.length > 0, `${doc.file}: posted to the ERP`);
        for (const effect of posts) {
          const created = await bc.documents(effect.idempotencyKey);
          assert.equal(created.length, 1, `${doc.file}: ${effect.idempotencyKey} created once in Business Central`);
          for (const [currency, net] of Object.entries(balancePerCurrency(created)))
            assert.equal(net, '0.00', `${doc.file}: ${created[0]!.id} balanced in ${currency}`);
        }
        const confirmations = await bench.confirmations(doc.documentId);
        assert.equal(confirmations.length, 1, `${doc.file}: confirmed once`);
      }
      const inSap = (await bench.estate.documents('erp')).filter((d) => d.kind !== 'vendor');
      assert.deepEqual(inSap, [], 'nothing posted to SAP');
    });
  });
}
