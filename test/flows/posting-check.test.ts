/**
 * "Will it post?" end to end on both stores over the simulators, with master data publishing on: a
 * report coded to a cost center the ERP blocked after it was published is not posted; it goes back
 * to the expense platform (after the acknowledgement FIS requires, an error posting confirmation
 * whose system messages name the blocked cost center, so the report stops at the expense processor)
 * and an exception records it for finance ops. Unblocked and resubmitted as revision 2, the report
 * posts once. The same check over `POST /v1/validate/posting` for a whole draft document.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CHANGES_POLLER } from '../../src/flows/master-data/master-data-publishing.js';
import { request } from '../api/app-fixture.js';
import { storeKinds } from '../helpers/stores.js';
import { startExpenseBench, variantOfVatReport, type ExpenseBench, type RunDetail } from './expense-hub.js';
import { expenseHolds, masterDataRunCount, waitForMasterDataRuns } from './master-data-helpers.js';

const TODAY = new Date().toISOString().slice(0, 10);
const validTo = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);

interface SystemMessage {
  readonly messageId?: string;
  readonly messageShortText: string;
  readonly messageLanguage?: string;
}

async function deliver(bench: ExpenseBench, documentId: string, version: string, deliveryId: string): Promise<void> {
  const response = await fetch(`${bench.hub.url}/v1/events/expense`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': deliveryId, ...bench.hub.auth },
    body: JSON.stringify({ type: 'expense_report.approved', documentId, version }),
  });
  await response.text();
  assert.equal(response.status, 202);
}

async function blockCostCenter(bench: ExpenseBench, blocked: boolean): Promise<void> {
  await bench.estate.sim('erp', '/_sim/seed', { costCenters: [{ costCenter: '10101101', blocked }] });
  const before = await masterDataRunCount(bench.hub);
  await bench.hub.app.engine.pollNow(CHANGES_POLLER);
  await waitForMasterDataRuns(bench.hub, before);
}

for (const kind of storeKinds) {
  describe(`will it post? (${kind})`, () => {
    let bench: ExpenseBench;
    before(async () => {
      bench = await startExpenseBench(kind, 'posting-check', {
        ownership: { masterData: 'erp' },
        flows: {
          masterData: { source: 'erp', targets: ['expense'], trigger: { pollIntervalMs: 3_600_000 } },
          expensePosting: {
            trigger: { webhook: true, pollIntervalMs: 3_600_000 },
            cardVendors: { '1010': '17500001' },
            inputTaxAccount: '15410000',
          },
        },
      });
      await waitForMasterDataRuns(bench.hub, 0);
    });
    after(async () => bench?.close());

    test('a report coded to a cost center blocked after publication goes back to the expense processor with the reason; corrected, it posts once', async () => {
      const list = (await expenseHolds(bench.hub.app, 'cost-centers')).get('10101101');
      assert.equal(list?.active ?? true, true, 'the cost center was published to the expense platform');
      await blockCostCenter(bench, true);

      const id = 'blocked-cc-0001';
      await bench.estate.sim('expense', '/_sim/fis/documents', JSON.parse(variantOfVatReport(id)));
      await deliver(bench, id, '1', 'delivery-blocked-cc-1');
      const failed = await bench.waitStatus(id, 'exception');
      assert.deepEqual(
        failed.exceptions.map((x) => [x.class, x.owner, x.code]),
        [['validation', 'finance-ops', 'LL_ERR_VALIDATION']],
      );
      assert.match(failed.exceptions[0]!.message, /Cost center 10101101 is blocked/);
      assert.equal((await bench.erpDocuments(id)).length, 0, 'nothing is posted');
      const effects = failed.effects.map((e) => [e.system, e.step, e.status]);
      assert.deepEqual(
        effects.filter(([system]) => system === 'erp'),
        [],
        'no ERP write was even attempted',
      );
      assert.ok(
        effects.some(([system, step]) => system === 'expense' && step === 'acknowledge'),
        'acknowledged first, as FIS requires before a posting confirmation',
      );

      const told = await bench.confirmations(id);
      assert.equal(told.length, 1);
      const raw = told[0]!.raw as { overallPostingStatusCode: string; systemMessages: SystemMessage[] };
      assert.equal(raw.overallPostingStatusCode, 'error');
      assert.match(raw.systemMessages[0]!.messageShortText, /Expense report .* cannot be posted/);
      const reason = raw.systemMessages.find((m) => m.messageId === 'cost_center_blocked');
      assert.match(reason?.messageShortText ?? '', /Cost center 10101101 is blocked for postings in company code 1010/);
      assert.ok(raw.systemMessages.every((m) => m.messageShortText.length <= 1300 && m.messageLanguage === 'EN'));

      // Controlling lifts the block; the employee resubmits: revision 2 is a new run, posted once.
      await blockCostCenter(bench, false);
      await bench.estate.sim(
        'expense',
        '/_sim/fis/documents',
        JSON.parse(variantOfVatReport(id, [['"revisionNumber": "1"', '"revisionNumber": "2"']])),
      );
      await deliver(bench, id, '2', 'delivery-blocked-cc-2');
      await bench.waitStatus(id, 'succeeded');
      const runs = (await bench.hub.app.engine.listRuns({ flow: 'expense-posting', documentId: id })).runs;
      assert.deepEqual(runs.map((r) => [r.version, r.status]).sort(), [
        ['1', 'exception'],
        ['2', 'succeeded'],
      ]);
      const references = new Set<string>();
      for (const run of runs) {
        const detail = (await bench.hub.app.engine.getRun(run.id)) as unknown as RunDetail;
        for (const e of detail.effects.filter((x) => x.system === 'erp' && x.step === 'post'))
          references.add(e.idempotencyKey);
      }
      const posted = (await Promise.all([...references].map((key) => bench.estate.documents('erp', key)))).flat();
      assert.equal(posted.length, 1, 'posted once');
      const confirmations = (await bench.confirmations(id)).map(
        (c) => (c.raw as { overallPostingStatusCode: string }).overallPostingStatusCode,
      );
      assert.deepEqual(confirmations, ['error', 'success']);
    });

    test('POST /v1/validate/posting answers for a whole draft: what goes back, what waits, what posts', async () => {
      const check = async (body: unknown) =>
        request(`${bench.hub.url}/v1/validate/posting`, {
          method: 'POST',
          headers: { ...bench.hub.auth, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const good = await check({
        entity: '1010',
        postingDate: TODAY,
        currency: 'EUR',
        vendor: '17400001',
        lines: [{ account: '61008000', costCenter: '10101101', taxCode: 'V1' }],
      });
      assert.equal(good.status, 200, JSON.stringify(good.json));
      assert.deepEqual(good.json, { valid: true, outcome: 'post', issues: [] });

      const bad = await check({
        entity: '1010',
        postingDate: '2019-01-15',
        lines: [
          { account: '61008000', costCenter: '10101101' },
          { account: '69999999', costCenter: '10101301' },
        ],
      });
      assert.equal(bad.status, 200);
      const answer = bad.json as {
        valid: boolean;
        outcome: string;
        issues: { code: string; path: string; disposition: string }[];
      };
      assert.equal(answer.valid, false);
      assert.equal(answer.outcome, 'return');
      assert.ok(answer.issues.some((i) => i.code === 'account_unknown' && i.path === 'lines/1/account'));
      assert.ok(answer.issues.every((i) => i.disposition === (i.code === 'period_closed' ? 'wait' : 'return')));

      const refused = await check({ entity: '1010', postingDate: TODAY, lines: [] });
      assert.equal(refused.status, 400);
      const anonymous = await request(`${bench.hub.url}/v1/validate/posting`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ entity: '1010', postingDate: TODAY, lines: [{ account: '61008000' }] }),
      });
      assert.equal(anonymous.status, 401);
    });

    test('GET /v1/master-data/in-flight lists the documents in flight that name a cost center about to expire, with their owners', async () => {
      const month = TODAY.slice(0, 7);
      const period = (status: string) =>
        fetch(`${bench.hub.url}/v1/periods/1010/${month}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', ...bench.hub.auth },
          body: JSON.stringify({ status, reason: 'month-end close' }),
        });
      assert.equal((await period('closed')).status, 200);
      const id = 'in-flight-0001';
      await bench.estate.sim('expense', '/_sim/fis/documents', JSON.parse(variantOfVatReport(id)));
      await deliver(bench, id, '1', 'delivery-in-flight-1');
      const waiting = await bench.waitStatus(id, 'exception');
      assert.equal(waiting.exceptions[0]?.code, 'LL_ERR_POSTING_WAITING');
      // Controlling ends the cost center's validity in ten days.
      await bench.estate.sim('erp', '/_sim/seed', { costCenters: [{ costCenter: '10101101', validTo }] });
      const before = await masterDataRunCount(bench.hub);
      await bench.hub.app.engine.pollNow(CHANGES_POLLER);
      await waitForMasterDataRuns(bench.hub, before);

      const answer = await request(`${bench.hub.url}/v1/master-data/in-flight`, { headers: bench.hub.auth });
      assert.equal(answer.status, 200, answer.text);
      const listed = answer.json as {
        values: {
          kind: string;
          entity: string;
          code: string;
          validTo: string;
          retired: boolean;
          documents: {
            documentId: string;
            owner: { team: string; person: string };
            paths: string[];
            exception: { code: string };
          }[];
        }[];
      };
      const expiring = listed.values.find((v) => v.kind === 'cost_center' && v.code === '10101101');
      assert.deepEqual([expiring?.entity, expiring?.retired, expiring?.validTo], ['1010', false, validTo]);
      const ours = expiring?.documents.find((d) => d.documentId === id);
      assert.equal(ours?.owner.team, 'finance-ops');
      assert.match(ours?.owner.person ?? '', /49038128/);
      assert.equal(ours?.exception.code, 'LL_ERR_POSTING_WAITING');
      assert.ok(ours?.paths.includes('lines/0/costCenter'), JSON.stringify(ours?.paths));
      assert.equal(
        listed.values.some((v) => v.code === '10101201'),
        false,
        'a value nothing in flight names is not listed',
      );

      const one = await request(
        `${bench.hub.url}/v1/master-data/in-flight?kind=cost_center&code=10101101&entity=1010`,
        { headers: bench.hub.auth },
      );
      assert.ok(
        (one.json as { values: { documents: { documentId: string }[] }[] }).values[0]?.documents.some(
          (d) => d.documentId === id,
        ),
      );
      const soon = await request(`${bench.hub.url}/v1/master-data/in-flight?withinDays=5`, { headers: bench.hub.auth });
      assert.equal(
        (soon.json as { values: { code: string }[] }).values.some((v) => v.code === '10101101'),
        false,
        'not within five days',
      );
      assert.equal((await period('open')).status, 200);
    });
  });
}
