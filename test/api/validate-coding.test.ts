/**
 * POST /v1/validate/coding and POST /v1/validate/budget end to end over real HTTP, on both stores,
 * against the demo estate the master data flow published: every coding issue of the estate (unknown
 * account, blocked account, expired cost center, closed period, another entity's cost center) and a
 * valid line; a budget check within and over budget with commitments from an open purchase order in
 * procurement and actuals from a journal entry in the ERP.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorCode, request, startApp, type AppFixture } from './app-fixture.js';
import { startEstate, type Estate } from '../helpers/estate.js';
import { storeKinds } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';
import { masterDataConfig, waitForMasterDataRuns } from '../flows/master-data-helpers.js';

interface CodingAnswer {
  readonly valid: boolean;
  readonly issues: readonly { code: string; path: string; message: string; severity: string }[];
}

interface BudgetAnswer {
  readonly withinBudget: boolean;
  readonly available: { amount: string; currency: string };
  readonly consumedPercent: string;
  readonly issues: readonly { code: string }[];
}

const budgets = [
  { entity: '1010', costCenter: '10101101', fiscalYear: 2025, amount: '1000.00', currency: 'EUR' },
  { entity: '1010', project: 'P-1010-0001.1', fiscalYear: 2025, amount: '500.00', currency: 'EUR' },
];

const openOrder = {
  'po-number': 'PO-BUDGET-0001',
  status: 'issued',
  version: 1,
  exported: false,
  supplier: { id: 1, name: 'Budget Test Supplier' },
  currency: { code: 'EUR' },
  'order-lines': [
    {
      id: 990001,
      'line-num': 1,
      description: 'Laptops',
      quantity: '2',
      price: '100.00',
      total: '200.00',
      uom: { code: 'EA' },
      account: {
        code: '1010-61003000-10101101',
        'segment-1': '1010',
        'segment-2': '61003000',
        'segment-3': '10101101',
        'account-type': { id: 1, name: 'COA 1010' },
      },
      'receipt-required': false,
    },
  ],
  'created-at': '2025-03-01T10:00:00Z',
  'updated-at': '2025-03-01T10:00:00Z',
};

for (const kind of storeKinds) {
  describe(`synchronous validation (${kind})`, () => {
    let estate: Estate;
    let fixture: AppFixture;

    const coding = async (body: Record<string, unknown>): Promise<CodingAnswer> => {
      const answer = await request(`${fixture.url}/v1/validate/coding`, {
        method: 'POST',
        headers: { ...fixture.auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      assert.equal(answer.status, 200, answer.text);
      return answer.json as CodingAnswer;
    };
    const codes = (answer: CodingAnswer): string[] => answer.issues.map((i) => i.code);

    before(async () => {
      estate = await startEstate();
      fixture = await startApp(kind, 'validate', { config: masterDataConfig(estate, { budgets }) });
      await waitForMasterDataRuns(fixture, 0);
      await waitFor('the validation cache to load', () => fixture.app.masterData.cache.index !== undefined);
    });

    after(async () => {
      await fixture.close();
      await estate.stop();
    });

    test('a correct line is valid', async () => {
      const answer = await coding({
        entity: '1010',
        account: '61003000',
        costCenter: '10101101',
        taxCode: 'V1',
        date: '2025-03-10',
        currency: 'EUR',
      });
      assert.deepEqual(answer, { valid: true, issues: [] });
    });

    test('each issue of the demo estate', async () => {
      assert.deepEqual(
        codes(await coding({ entity: '1010', account: '69999999', costCenter: '10101101', date: '2025-03-10' })),
        ['account_unknown'],
      );
      assert.deepEqual(
        codes(await coding({ entity: '1010', account: '61009000', costCenter: '10101101', date: '2025-03-10' })),
        ['account_blocked'],
      );
      const expired = await coding({ entity: '1010', account: '61003000', costCenter: '10101301', date: '2025-03-10' });
      assert.deepEqual(codes(expired), ['cost_center_not_valid_on_date']);
      assert.match(expired.issues[0]?.message ?? '', /expired on 2024-12-31/);
      assert.deepEqual(
        codes(await coding({ entity: '1010', account: '61003000', costCenter: '10101101', date: '2025-01-15' })),
        ['period_closed'],
      );
      const other = await coding({ entity: '1010', account: '61003000', costCenter: '17101101', date: '2025-03-10' });
      assert.deepEqual(codes(other), ['cost_center_other_entity']);
      assert.equal(other.issues[0]?.path, 'costCenter');
      assert.equal(other.valid, false);
    });

    test('a malformed request is refused with the API error shape', async () => {
      const answer = await request(`${fixture.url}/v1/validate/coding`, {
        method: 'POST',
        headers: { ...fixture.auth, 'content-type': 'application/json' },
        body: JSON.stringify({ entity: '1010' }),
      });
      assert.equal(answer.status, 400);
      assert.equal(errorCode(answer), 'LL_ERR_BAD_REQUEST');
    });

    test('budget: within and over budget after commitments and actuals', async () => {
      await estate.sim('procurement', '/_sim/seed', { purchaseOrders: [openOrder] });
      const erp = fixture.app.connectors.erp?.port;
      assert.ok(erp !== undefined);
      await erp.postJournalEntry({
        reference: 'BUDGET-0001',
        companyCode: '1010',
        documentDate: '2025-03-10',
        postingDate: '2025-03-10',
        lines: [
          { glAccount: '61003000', side: 'D', amount: { amount: '300.00', currency: 'EUR' }, costCenter: '10101101' },
          { glAccount: '11001000', side: 'C', amount: { amount: '300.00', currency: 'EUR' } },
        ],
      });
      await fixture.app.masterData.budgets.refresh();

      const check = async (body: Record<string, unknown>) => {
        const answer = await request(`${fixture.url}/v1/validate/budget`, {
          method: 'POST',
          headers: { ...fixture.auth, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return answer;
      };
      const within = await check({
        entity: '1010',
        costCenter: '10101101',
        amount: { amount: '400.00', currency: 'EUR' },
        date: '2025-04-01',
      });
      assert.equal(within.status, 200, within.text);
      const ok = within.json as BudgetAnswer;
      assert.equal(ok.withinBudget, true);
      assert.deepEqual(
        ok.available,
        { amount: '500.00', currency: 'EUR' },
        'budget 1000 less 200 committed and 300 posted',
      );
      assert.equal(ok.consumedPercent, '50.00');

      const over = (
        await check({
          entity: '1010',
          costCenter: '10101101',
          amount: { amount: '600.00', currency: 'EUR' },
          date: '2025-04-01',
        })
      ).json as BudgetAnswer;
      assert.equal(over.withinBudget, false);
      assert.deepEqual(
        over.issues.map((i) => i.code),
        ['over_budget'],
      );

      const project = (
        await check({
          entity: '1010',
          project: 'P-1010-0001.1',
          amount: { amount: '100.00', currency: 'EUR' },
          date: '2025-06-01',
        })
      ).json as BudgetAnswer;
      assert.deepEqual([project.withinBudget, project.available.amount], [true, '500.00']);

      const none = await check({
        entity: '1010',
        costCenter: '10101201',
        amount: { amount: '1.00', currency: 'EUR' },
        date: '2025-04-01',
      });
      assert.deepEqual([none.status, errorCode(none)], [404, 'LL_ERR_NOT_FOUND']);
      const both = await check({
        entity: '1010',
        costCenter: '10101101',
        project: 'P-1010-0001.1',
        amount: { amount: '1.00', currency: 'EUR' },
        date: '2025-04-01',
      });
      assert.deepEqual([both.status, errorCode(both)], [400, 'LL_ERR_BAD_REQUEST']);
    });
  });
}
