/**
 * Expense posting when things go wrong, end to end on both stores: a closed period (it waits in the
 * hub by the default posting check policy: an exception for finance ops, the report owner not told;
 * reopened and retried: posted once), a closure
 * learned from the ERP, one report delivered twice by webhook and once by poll (one posting), an
 * unmapped expense account (mapping exception for finance systems), an ERP maintenance window
 * (retried, then posted once), an evidence link the ERP refuses (business rejection; the posting
 * stands, the report owner is not told of a failure; retried: linked, confirmed, posted once).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { storeKinds } from '../helpers/stores.js';
import {
  deliverWebhook,
  FIXTURE,
  POLLER,
  retryRun,
  startExpenseBench,
  variantOfVatReport,
  type ExpenseBench,
  type RunDetail,
} from './expense-hub.js';
import { waitFor } from '../helpers/wait.js';

const THIS_MONTH = new Date().toISOString().slice(0, 7);

for (const kind of storeKinds) {
  describe(`expense posting exceptions (${kind})`, () => {
    let bench: ExpenseBench;
    before(async () => {
      bench = await startExpenseBench(kind, 'expense-exceptions', {
        engine: { pollIntervalMs: 20, leaseMs: 5_000, maxAttempts: 200, backoff: { baseMs: 20, capMs: 100 } },
        periods: { '1010': { closed: [THIS_MONTH] } },
      });
    });
    after(async () => bench?.close());

    test('a closed period waits in the hub (finance ops, the source not told); reopened and retried, the report posts once', async () => {
      const id = 'closed-period-0001';
      await bench.estate.sim('expense', '/_sim/fis/documents', JSON.parse(variantOfVatReport(id)));
      assert.equal(await deliverWebhook(bench, id, 'delivery-closed-1'), 202);
      const failed = await bench.waitStatus(id, 'exception');
      assert.deepEqual(
        failed.exceptions.map((x) => [x.class, x.owner, x.code]),
        [['validation', 'finance-ops', 'LL_ERR_POSTING_WAITING']],
      );
      assert.match(failed.exceptions[0]!.message, new RegExp(`Period ${THIS_MONTH} is closed for company code 1010`));
      assert.match(failed.exceptions[0]!.message, /waits in the hub/);
      assert.equal((await bench.erpDocuments(id)).length, 0);
      assert.deepEqual(await bench.confirmations(id), [], 'the report is right: it is not sent back to its owner');

      const reopen = await fetch(`${bench.hub.url}/v1/periods/1010/${THIS_MONTH}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', ...bench.hub.auth },
        body: JSON.stringify({ status: 'open', reason: 'late expense reports accepted until the 5th' }),
      });
      assert.equal(reopen.status, 200);
      const listed = (await (await fetch(`${bench.hub.url}/v1/periods`, { headers: bench.hub.auth })).json()) as {
        periods: { entity: string; period: string; status: string; source: string }[];
      };
      assert.deepEqual(
        listed.periods.filter((p) => p.entity === '1010').map((p) => [p.period, p.status, p.source]),
        [[THIS_MONTH, 'open', 'operator']],
      );

      await retryRun(bench, failed.id);
      await bench.waitStatus(id, 'succeeded');
      const posted = await bench.erpDocuments(id);
      assert.equal(posted.length, 1, 'posted exactly once');
      assert.equal(posted[0]!.attachments?.length, 2, 'the evidence and the receipt linked once');
      assert.equal((await bench.estate.documents('erp')).filter((d) => d.reference === posted[0]!.reference).length, 1);
      const confirmations = await bench.confirmations(id);
      assert.deepEqual(
        confirmations.map((c) => (c.raw as { overallPostingStatusCode: string }).overallPostingStatusCode),
        ['success'],
      );
      const audit = await bench.hub.app.store.db
        .selectFrom('audit_log')
        .select(['action', 'subject'])
        .where('action', '=', 'period.opened')
        .execute();
      assert.deepEqual(
        audit.map((a) => a.subject),
        [`1010/${THIS_MONTH}`],
      );
    });

    test('a period the ERP refuses is recorded as closed, learned from the ERP', async () => {
      const id = 'erp-closed-0001';
      const [year, month] = THIS_MONTH.split('-').map((p) => Number.parseInt(p, 10));
      await bench.estate.sim('erp', '/_sim/seed', {
        periods: [{ companyCode: '1010', fiscalYear: year, period: month, status: 'closed' }],
      });
      await bench.estate.sim('expense', '/_sim/fis/documents', JSON.parse(variantOfVatReport(id)));
      assert.equal(await deliverWebhook(bench, id, 'delivery-erp-closed'), 202);
      const failed = await bench.waitStatus(id, 'exception');
      assert.deepEqual(
        failed.exceptions.map((x) => [x.class, x.owner]),
        [['validation', 'finance-ops']],
      );
      assert.match(
        failed.exceptions[0]!.message,
        new RegExp(`Period ${THIS_MONTH} is closed in the ERP for company code 1010`),
      );
      const listed = (await (await fetch(`${bench.hub.url}/v1/periods`, { headers: bench.hub.auth })).json()) as {
        periods: { entity: string; period: string; status: string; source: string }[];
      };
      assert.deepEqual(
        listed.periods.filter((p) => p.entity === '1010').map((p) => [p.period, p.status, p.source]),
        [[THIS_MONTH, 'closed', 'erp']],
      );
      // Reopened in the ERP and in the hub, so the reports below post.
      await bench.estate.sim('erp', '/_sim/seed', {
        periods: [{ companyCode: '1010', fiscalYear: year, period: month, status: 'open' }],
      });
      const reopen = await fetch(`${bench.hub.url}/v1/periods/1010/${THIS_MONTH}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', ...bench.hub.auth },
        body: JSON.stringify({ status: 'open', reason: 'reopened in the ERP' }),
      });
      assert.equal(reopen.status, 200);
    });

    test('the same report twice by webhook and once by poll is posted once', async () => {
      assert.equal(await deliverWebhook(bench, FIXTURE.companyPaid, 'delivery-dup-1'), 202);
      assert.equal(await deliverWebhook(bench, FIXTURE.companyPaid, 'delivery-dup-2'), 202);
      await bench.hub.app.engine.pollNow(POLLER);
      await bench.waitStatus(FIXTURE.companyPaid, 'succeeded');
      const runs = (await bench.hub.app.engine.listRuns({ flow: 'expense-posting', documentId: FIXTURE.companyPaid }))
        .runs;
      assert.equal(runs.length, 1);
      const posted = await bench.erpDocuments(FIXTURE.companyPaid);
      assert.equal(posted.length, 1);
      assert.equal(posted[0]!.attachments?.length, 1, 'the evidence linked once');
      assert.equal((await bench.estate.documents('erp', posted[0]!.reference ?? '')).length, 1);
      assert.equal((await bench.confirmations(FIXTURE.companyPaid)).length, 1);
    });

    test('a READY document the hub cannot read becomes its own exception; the poll still brings in the others', async () => {
      const unreadable = 'unreadable-0001';
      const readable = 'readable-after-unreadable-0001';
      await bench.estate.sim(
        'expense',
        '/_sim/fis/documents',
        JSON.parse(
          variantOfVatReport(unreadable, [['"employeeCurrencyAlphaCode": "EUR"', '"employeeCurrencyAlphaCode": null']]),
        ),
      );
      await bench.estate.sim('expense', '/_sim/fis/documents', JSON.parse(variantOfVatReport(readable)));
      await bench.hub.app.engine.pollNow(POLLER);
      const failed = await bench.waitStatus(unreadable, 'exception');
      assert.equal(failed.exceptions[0]?.code, 'LL_ERR_VALIDATION');
      assert.match(failed.exceptions[0]?.message ?? '', /employeeCurrencyAlphaCode/);
      await bench.waitStatus(readable, 'succeeded');
      assert.equal((await bench.erpDocuments(readable)).length, 1);
    });

    test('an evidence link the ERP refuses is a business rejection: the posting stands and the owner is not told of a failure; retried, linked and confirmed once', async () => {
      const id = 'link-refused-0001';
      await bench.estate.sim('expense', '/_sim/fis/documents', JSON.parse(variantOfVatReport(id)));
      await bench.estate.sim('erp', '/_sim/faults', {
        errorRate: 1,
        errorStatus: 400,
        pathPattern: 'API_CV_ATTACHMENT_SRV/(CreateUrlAsAttachment|\\$batch)',
      });
      assert.equal(await deliverWebhook(bench, id, 'delivery-link-refused'), 202);
      const failed = await bench.waitStatus(id, 'exception');
      assert.deepEqual(
        failed.exceptions.map((x) => [x.class, x.owner, x.code]),
        [['business_rejection', 'ap-team', 'LL_ERR_REMOTE_REJECTED']],
      );
      assert.match(failed.exceptions[0]!.message, /the posting stands and is not repeated/);
      assert.deepEqual(
        (await bench.erpDocuments(id)).map((d) => d.attachments ?? []),
        [[]],
      );
      assert.deepEqual(await bench.confirmations(id), [], 'no error confirmation for a posting that stands');
      await bench.estate.sim('erp', '/_sim/faults', {});
      await retryRun(bench, failed.id);
      await bench.waitStatus(id, 'succeeded');
      const posted = await bench.erpDocuments(id);
      assert.deepEqual(
        posted.map((d) => d.attachments?.length),
        [2],
        'posted once, linked once',
      );
      assert.deepEqual(
        (await bench.confirmations(id)).map(
          (c) => (c.raw as { overallPostingStatusCode: string }).overallPostingStatusCode,
        ),
        ['success'],
      );
    });

    test('a resubmitted revision delivered by a webhook naming no version and by the poll naming revision 2 is posted once', async () => {
      const id = 'revision-two-0001';
      await bench.estate.sim(
        'expense',
        '/_sim/fis/documents',
        JSON.parse(variantOfVatReport(id, [['"revisionNumber": "1"', '"revisionNumber": "2"']])),
      );
      assert.equal(await deliverWebhook(bench, id, 'delivery-revision-two'), 202);
      await bench.hub.app.engine.pollNow(POLLER);
      const runs = await waitFor(
        'both runs finished',
        async () => {
          const found = (await bench.hub.app.engine.listRuns({ flow: 'expense-posting', documentId: id })).runs;
          return found.length === 2 && found.every((r) => r.status === 'succeeded') ? found : undefined;
        },
        30_000,
      );
      const references = new Set<string>();
      for (const run of runs) {
        const detail = (await bench.hub.app.engine.getRun(run.id)) as unknown as RunDetail;
        for (const e of detail.effects.filter((x) => x.system === 'erp' && x.step === 'post'))
          references.add(e.idempotencyKey);
      }
      const documents = (await Promise.all([...references].map((key) => bench.estate.documents('erp', key)))).flat();
      assert.equal(documents.length, 1, 'one ERP document for the report, whichever run reached it first');
      assert.equal(
        (await bench.confirmations(id)).filter(
          (c) => (c.raw as { overallPostingStatusCode?: string }).overallPostingStatusCode === 'success',
        ).length >= 1,
        true,
      );
    });

    test('an unmapped expense account is a mapping exception for finance systems', async () => {
      const id = 'unmapped-account-0001';
      await bench.estate.sim(
        'expense',
        '/_sim/fis/documents',
        JSON.parse(variantOfVatReport(id, [['"journalAccountCode": "37"', '"journalAccountCode": "999999"']])),
      );
      assert.equal(await deliverWebhook(bench, id, 'delivery-unmapped'), 202);
      const failed = await bench.waitStatus(id, 'exception');
      assert.deepEqual(
        failed.exceptions.map((x) => [x.class, x.owner, x.code]),
        [['mapping', 'finance-systems', 'LL_ERR_MAPPING_NO_RULE']],
      );
      assert.match(failed.exceptions[0]!.message, /expense-account/);
      assert.equal((await bench.erpDocuments(id)).length, 0);
    });

    test('an ERP maintenance window is retried, then the report posts exactly once', async () => {
      const id = 'maintenance-0001';
      await bench.estate.sim('expense', '/_sim/fis/documents', JSON.parse(variantOfVatReport(id)));
      await bench.estate.sim('erp', '/_sim/faults', { maintenance: { forSeconds: 2 } });
      assert.equal(await deliverWebhook(bench, id, 'delivery-maintenance'), 202);
      const run = await bench.waitStatus(id, 'succeeded');
      const steps = (await bench.hub.app.engine.getRun(run.id)) as unknown as {
        steps: { status: string; errorClass: string | null }[];
      };
      assert.ok(
        steps.steps.some((s) => s.status === 'retrying' && s.errorClass === 'transient'),
        'the window was met and retried',
      );
      assert.equal((await bench.erpDocuments(id)).length, 1);
      assert.equal((await bench.confirmations(id)).length, 1);
    });
  });
}
