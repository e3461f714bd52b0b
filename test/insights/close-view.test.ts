/**
 * The close view (GET /v1/close/:entity/:period) on both stores: approved by the period's end and not
 * posted by then, per process and currency with exact sums, by the same rule as the period-end
 * accrual's source (compared with it); the accrual run's journal entry and reversal for the entity;
 * the reconciliations kept for the entity over the period, one started over HTTP and its CSV.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { StoreAccrualSource } from '../../src/hub/accrual-source.js';
import { request, startApp, type AppFixture } from '../api/app-fixture.js';
import { storeKinds } from '../helpers/stores.js';
import { insertRun } from './insight-rows.js';

const at = (month: number, day: number) => Date.UTC(2025, month - 1, day, 9);
const END = Date.UTC(2025, 3, 1);

interface CloseView {
  unposted: { process: string; currency: string; documents: number; amount: string }[];
  accrual: {
    runId: string;
    status: string;
    accrued: { documentNumber: string }[];
    reversed: { documentNumber: string }[];
    planned: { total: string }[];
  } | null;
  reconciliations: { id: string; from: string; to: string; entity: string | null; counts: Record<string, number> }[];
}

for (const kind of storeKinds) {
  describe(`close view [${kind}]`, () => {
    let f: AppFixture;
    before(async () => {
      f = await startApp(kind, 'close_view');
      const s = f.app.store;
      const run = (documentId: string, r: Partial<Parameters<typeof insertRun>[1]>) =>
        insertRun(s, { documentId, entity: '1010', currency: 'EUR', approvedAt: at(3, 10), ...r });
      await run('A', { amount: '10.10' }); // waiting, counted
      await run('B', { amount: '0.20', postedAt: at(4, 2) }); // posted after the end, counted
      await run('C', { amount: '5.00', postedAt: at(3, 20) }); // posted before the end
      await run('D', { amount: '7.00', status: 'ignored' }); // ignored
      await run('E', { amount: '1.00', postedAt: at(3, 15) }); // version 1 posted before the end…
      await run('E', { amount: '2.00', version: '2', approvedAt: at(3, 16) }); // …its version 2 is not accrued
      await run('F', { amount: '3.00', approvedAt: at(4, 3) }); // approved after the end
      await run('G', { amount: '4.00', entity: '1710' }); // another entity
      await run('H', { amount: '100.00', flow: 'invoice-posting', system: 'procurement', currency: 'USD' });
      await run('I', {
        amount: '0.05',
        flow: 'invoice-posting',
        system: 'procurement',
        currency: 'USD',
        approvedAt: at(1, 5),
      });
      const state = {
        accruals: [
          {
            entity: '1010',
            currency: 'EUR',
            documents: 2,
            lines: [{ flow: 'expense-posting', account: '61008000', amount: '10.30' }],
            total: '10.30',
          },
          { entity: '1710', currency: 'EUR', documents: 1, lines: [], total: '4.00' },
        ],
        accrued: [{ companyCode: '1010', documentNumber: '100000001', fiscalYear: '2025', postingDate: '2025-03-31' }],
        reversed: [{ companyCode: '1010', documentNumber: '100000002', fiscalYear: '2025', postingDate: '2025-04-01' }],
      };
      await insertRun(s, {
        flow: 'period-end-accrual',
        system: 'erp',
        documentId: '2025-03',
        state,
        createdAt: END,
      });
    });
    after(async () => f.close());

    const close = async (entity: string, period: string) => {
      const answer = await request(`${f.url}/v1/close/${entity}/${period}`, { headers: f.auth });
      assert.equal(answer.status, 200, answer.text);
      return answer.json as CloseView;
    };

    test('approved and not posted at the end, per process and currency, as the accrual source reads it', async () => {
      const view = await close('1010', '2025-03');
      assert.deepEqual(view.unposted, [
        { process: 'expense-posting', currency: 'EUR', documents: 2, amount: '10.30' },
        { process: 'invoice-posting', currency: 'USD', documents: 2, amount: '100.05' },
      ]);
      const source = await new StoreAccrualSource(f.app.store).unposted(['expense-posting', 'invoice-posting'], END);
      const mine = source.filter((d) => d.entity === '1010');
      assert.deepEqual(mine.map((d) => d.documentId).sort(), ['A', 'B', 'H', 'I']);
      assert.equal((await close('1710', '2025-03')).unposted[0]?.documents, 1);
      assert.equal((await request(`${f.url}/v1/close/1010/2025-13`, { headers: f.auth })).status, 400);
    });

    test("the accrual run's entry and reversal for the entity", async () => {
      const view = await close('1010', '2025-03');
      assert.deepEqual(
        view.accrual?.accrued.map((d) => d.documentNumber),
        ['100000001'],
      );
      assert.deepEqual(
        view.accrual?.reversed.map((d) => d.documentNumber),
        ['100000002'],
      );
      assert.deepEqual(
        view.accrual?.planned.map((p) => p.total),
        ['10.30'],
      );
      assert.equal((await close('1010', '2025-02')).accrual, null);
    });

    test('a reconciliation started for the entity is listed with its counts and downloads as CSV', async () => {
      const started = await request(`${f.url}/v1/reconciliations`, {
        method: 'POST',
        headers: { ...f.auth, 'content-type': 'application/json' },
        body: JSON.stringify({ from: '2025-03-01', to: '2025-03-31', entity: '1010' }),
      });
      assert.equal(started.status, 201, started.text);
      const id = (started.json as { id: string }).id;
      const view = await close('1010', '2025-03');
      assert.deepEqual(
        view.reconciliations.map((r) => [r.id, r.from, r.to, r.entity]),
        [[id, '2025-03-01', '2025-03-31', '1010']],
      );
      assert.equal(typeof view.reconciliations[0]?.counts['missing'], 'number');
      assert.deepEqual((await close('1710', '2025-03')).reconciliations, []);
      assert.deepEqual((await close('1010', '2025-05')).reconciliations, []);
      const csv = await request(`${f.url}/v1/reconciliations/${id}?format=csv`, { headers: f.auth });
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
    });
  });
}
