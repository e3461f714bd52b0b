/**
 * The console's close, master data and latency views in a real Chromium against a running hub with
 * the simulators, on both stores. An expense report dated into a closed period waits in the hub:
 * - the overview's latency chart has as many days as GET /v1/kpis answers;
 * - the Close page of 1010 and this month shows it as approved and not posted (the same figures as
 *   GET /v1/close), the period-end accrual entry and its reversal, starts a reconciliation from the
 *   page and downloads its CSV;
 * - when controlling ends the validity of the report's cost center, the Master data page lists the
 *   report with its owner.
 * The accrual run is written into the store (its flow is tested in test/flows/period-end-accrual).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { CHANGES_POLLER } from '../../src/flows/master-data/master-data-publishing.js';
import { deliverWebhook, startExpenseBench, variantOfVatReport, type ExpenseBench } from '../flows/expense-hub.js';
import { masterDataRunCount, waitForMasterDataRuns } from '../flows/master-data-helpers.js';
import { insertRun } from '../insights/insight-rows.js';
import { storeKinds } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';
import { chromiumMissing, ensureConsoleBuilt, logIn, openBrowser, type Browser } from './chromium.js';

const THIS_MONTH = new Date().toISOString().slice(0, 7);
const HOUR = 3_600_000;
const validTo = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);

interface CloseAnswer {
  readonly unposted: { process: string; currency: string; documents: number; amount: string }[];
  readonly reconciliations: { id: string }[];
}

for (const kind of storeKinds) {
  describe(`close, master data and latency views in Chromium [${kind}]`, { skip: chromiumMissing }, () => {
    let bench: ExpenseBench;
    let browser: Browser;
    const documentId = `console-accrual-${kind}-0001`;
    const get = async <T>(path: string): Promise<T> => {
      const response = await fetch(`${bench.hub.url}${path}`, { headers: bench.hub.auth });
      assert.equal(response.status, 200, path);
      return (await response.json()) as T;
    };

    before(async () => {
      ensureConsoleBuilt();
      bench = await startExpenseBench(kind, 'console-close', {
        ownership: { masterData: 'erp' },
        periods: { '1010': { closed: [THIS_MONTH] } },
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
      const store = bench.hub.app.store;
      const now = Date.now();
      // Two documents posted today, so the latency chart has a day to draw.
      for (const [i, minutes] of [10, 50].entries())
        await insertRun(store, {
          documentId: `posted-${i}`,
          entity: '1710',
          approvedAt: now - 2 * HOUR,
          postedAt: now - 2 * HOUR + minutes * 60_000,
          createdAt: now - 2 * HOUR,
        });
      const state = {
        accruals: [{ entity: '1010', currency: 'EUR', documents: 1, lines: [], total: '0' }],
        accrued: [{ companyCode: '1010', documentNumber: '100000901', fiscalYear: '2026', postingDate: 'last day' }],
        reversed: [{ companyCode: '1010', documentNumber: '100000902', fiscalYear: '2026', postingDate: 'first day' }],
      };
      await insertRun(store, {
        flow: 'period-end-accrual',
        system: 'erp',
        documentId: THIS_MONTH,
        state,
        createdAt: now,
      });
      await bench.estate.sim('expense', '/_sim/fis/documents', JSON.parse(variantOfVatReport(documentId)));
      assert.equal(await deliverWebhook(bench, documentId, `delivery-${documentId}`), 202);
      await bench.waitStatus(documentId, 'exception');
      browser = await openBrowser();
      await logIn(browser.page, bench.hub.url, await bench.hub.tokenFor(['operator'], 'close-person'));
    });
    after(async () => {
      await browser?.close();
      await bench?.close();
    });

    test('the overview draws latency per day, as many days as GET /v1/kpis', async () => {
      const { page } = browser;
      await page.goto(`${bench.hub.url}/#/`);
      const chart = page.locator('[data-testid=latency-over-time]');
      await chart.waitFor();
      const kpis = await get<{ latencyOverTime: { approvalToPosting: unknown[] } }>('/v1/kpis');
      assert.ok(kpis.latencyOverTime.approvalToPosting.length >= 1);
      assert.equal(await chart.getAttribute('data-days'), String(kpis.latencyOverTime.approvalToPosting.length));
      await chart.locator('canvas').waitFor();
      await browser.screenshot(`overview-latency-${kind}`);
    });

    test('the Close page: approved but not posted, the accrual and its reversal, a reconciliation and its CSV', async () => {
      const { page } = browser;
      const expected = await get<CloseAnswer>(`/v1/close/1010/${THIS_MONTH}`);
      const waiting = expected.unposted.find((u) => u.process === 'expense-posting');
      assert.ok(waiting !== undefined && waiting.documents >= 1, JSON.stringify(expected.unposted));
      await page.goto(`${bench.hub.url}/#/close?entity=1010&period=${THIS_MONTH}`);
      const row = page.locator('[data-testid=close-unposted] tr[data-process="expense-posting"]');
      await row.waitFor();
      const cells = await row.locator('td').evaluateAll((tds) => tds.map((td) => td.getAttribute('data-value')));
      assert.deepEqual(cells.slice(1), [String(waiting.documents), waiting.amount]);
      assert.deepEqual(
        await page
          .locator('[data-testid=accrual-entries] tbody tr')
          .evaluateAll((trs) =>
            trs.map(
              (tr) => `${tr.getAttribute('data-kind')} ${tr.querySelectorAll('td')[1]?.getAttribute('data-value')}`,
            ),
          ),
        ['accrual 100000901', 'reversal 100000902'],
      );
      assert.equal(expected.reconciliations.length, 0);
      await page.click('button:has-text("Reconcile 1010")');
      const listed = page.locator('[data-testid=reconciliations] tbody tr');
      await listed.first().waitFor();
      const [stored] = (await get<CloseAnswer>(`/v1/close/1010/${THIS_MONTH}`)).reconciliations;
      assert.equal(await listed.first().getAttribute('data-id'), stored?.id);
      await page
        .locator('[data-testid=reconciliation-findings], .state.empty:has-text("No findings")')
        .first()
        .waitFor();
      await browser.screenshot(`close-accruals-${kind}`);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        listed.first().locator('a:has-text("CSV")').click(),
      ]);
      const csv = readFileSync((await download.path())!, 'utf8');
      assert.match(csv, /^finding,process,system,document_id/);
      assert.equal(download.suggestedFilename(), `reconciliation-${stored?.id}.csv`);
    });

    test('the Master data page lists the report on a cost center about to expire, with its owner', async () => {
      const { page } = browser;
      await bench.estate.sim('erp', '/_sim/seed', { costCenters: [{ costCenter: '10101101', validTo }] });
      const before = await masterDataRunCount(bench.hub);
      await bench.hub.app.engine.pollNow(CHANGES_POLLER);
      await waitForMasterDataRuns(bench.hub, before);
      await page.goto(`${bench.hub.url}/#/master-data`);
      const row = page.locator(`[data-testid=in-flight] tr[data-code="10101101"][data-document="${documentId}"]`);
      await waitFor(
        'the report listed',
        async () => {
          if ((await row.count()) > 0) return true;
          await page.reload();
          await page.locator('[data-testid=in-flight], .state.empty').first().waitFor();
          return (await row.count()) > 0 ? true : undefined;
        },
        20_000,
        500,
      );
      const text = (await row.textContent()) ?? '';
      assert.match(text, new RegExp(`expires ${validTo}`));
      assert.match(text, /finance-ops/);
      assert.match(text, /lines\/0\/costCenter/);
      await browser.screenshot(`master-data-in-flight-${kind}`);
    });
  });
}
