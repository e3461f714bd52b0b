/**
 * KPIs on both stores over constructed runs, exceptions and jobs whose figures are known: postings by
 * process, entity and status, success rates, nearest-rank p50/p95 latencies, exceptions by class and
 * owner with SLA breaches (tightened inside the close window), queue depth; and the HTTP route.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readKpis } from '../../src/insights/kpi-queries.js';
import { closeWindowAt, SlaPolicy } from '../../src/insights/alerts/sla-policy.js';
import { request, startApp, type AppFixture } from '../api/app-fixture.js';
import { storeKinds } from '../helpers/stores.js';
import { insertException, insertRun } from './insight-rows.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const at = (d: number, h = 9, month = 3): number => Date.UTC(2025, month - 1, d, h);
const NOW = Date.UTC(2025, 2, 31, 12);
const minutes = { 'expense-posting': { validation: 60, transient: 30 } };
const closeWindow = { daysBeforeMonthEnd: 3, daysAfterMonthEnd: 2 };

test('close window: the last days of a month and the first of the next, UTC', () => {
  assert.equal(closeWindowAt(Date.UTC(2025, 2, 28, 23), closeWindow), null);
  assert.deepEqual(closeWindowAt(Date.UTC(2025, 2, 29), closeWindow), {
    from: '2025-03-29',
    to: '2025-04-02',
    slaFactor: 0.25,
  });
  assert.deepEqual(closeWindowAt(Date.UTC(2025, 3, 2, 23, 59), closeWindow), {
    from: '2025-03-29',
    to: '2025-04-02',
    slaFactor: 0.25,
  });
  assert.equal(closeWindowAt(Date.UTC(2025, 3, 3), closeWindow), null);
  assert.deepEqual(
    closeWindowAt(Date.UTC(2024, 1, 28), { daysBeforeMonthEnd: 2, daysAfterMonthEnd: 0, slaFactor: 0.5 }),
    { from: '2024-02-28', to: '2024-02-29', slaFactor: 0.5 },
  );
  assert.deepEqual(closeWindowAt(Date.UTC(2025, 0, 1), { daysBeforeMonthEnd: 1, daysAfterMonthEnd: 1 }), {
    from: '2024-12-31',
    to: '2025-01-01',
    slaFactor: 0.25,
  });
  assert.equal(new SlaPolicy(minutes, closeWindow).slaMs('expense-posting', 'transient', NOW), 7.5 * MIN);
  assert.equal(new SlaPolicy(minutes).slaMs('expense-posting', 'transient', NOW), 30 * MIN);
});

for (const kind of storeKinds) {
  describe(`KPIs [${kind}]`, () => {
    let f: AppFixture;
    before(async () => {
      f = await startApp(kind, 'kpis');
      const s = f.app.store;
      // Twenty posted expense reports, approval → posting 1..20 minutes, inserted out of order.
      const order = [7, 3, 19, 1, 12, 20, 5, 16, 9, 14, 2, 18, 11, 6, 15, 8, 4, 13, 17, 10];
      const paidAfter: Record<number, number> = { 3: 5 * HOUR, 9: 1 * HOUR, 14: 3 * HOUR };
      for (const i of order) {
        const approved = at(1 + (i % 20));
        const posted = approved + i * MIN;
        const paid = paidAfter[i];
        await insertRun(s, {
          documentId: `R-${i}`,
          entity: '1010',
          amount: '10.00',
          currency: 'EUR',
          approvedAt: approved,
          postedAt: posted,
          ...(paid === undefined ? {} : { paidAt: posted + paid }),
          createdAt: approved,
        });
      }
      await insertRun(s, { documentId: 'X-1', entity: '1010', status: 'exception', createdAt: at(4) });
      await insertRun(s, { documentId: 'X-2', entity: '1010', status: 'exception', createdAt: at(5) });
      await insertRun(s, { documentId: 'X-3', entity: '1010', status: 'running', createdAt: at(6) });
      for (const [i, status] of ['succeeded', 'succeeded', 'succeeded', 'exception'].entries()) {
        await insertRun(s, {
          flow: 'invoice-posting',
          system: 'procurement',
          documentId: `I-${i}`,
          entity: '1710',
          status,
          createdAt: at(7 + i),
        });
      }
      // Outside the window: posted in April after a long wait.
      await insertRun(s, {
        documentId: 'APR',
        entity: '1010',
        approvedAt: at(1, 9, 4),
        postedAt: at(1, 9, 4) + 1_000 * MIN,
        createdAt: at(1, 9, 4),
      });
      await insertException(s, {
        class: 'validation',
        owner: 'finance-ops',
        process: 'expense-posting',
        entity: '1010',
        createdAt: at(10),
      });
      await insertException(s, {
        class: 'validation',
        owner: 'finance-ops',
        process: 'expense-posting',
        entity: '1010',
        createdAt: at(20),
      });
      await insertException(s, {
        class: 'validation',
        owner: 'finance-ops',
        process: 'expense-posting',
        entity: '1010',
        status: 'resolved',
        createdAt: at(1, 9, 2),
      });
      await insertException(s, {
        class: 'transient',
        owner: 'integration-ops',
        process: 'expense-posting',
        entity: '1010',
        createdAt: NOW - 10 * MIN,
      });
      await s.writeTransaction(async (tx) => {
        const since = Date.UTC(2025, 2, 30, 8);
        await tx
          .insertInto('connector_states')
          .values({
            system: 'erp',
            status: 'paused',
            since,
            reason: 'credentials refused',
            exception_id: null,
            changed_by: 'engine',
            updated_at: since,
          })
          .execute();
      });
    });
    after(async () => f.close());

    test('figures for March 2025 with known percentiles', async () => {
      const kpis = await readKpis(f.app.store.db, {
        from: '2025-03-01',
        to: '2025-03-31',
        now: NOW,
        sla: new SlaPolicy(minutes, closeWindow),
      });
      assert.deepEqual(kpis.postings, [
        { process: 'expense-posting', entity: '1010', status: 'exception', count: 2 },
        { process: 'expense-posting', entity: '1010', status: 'running', count: 1 },
        { process: 'expense-posting', entity: '1010', status: 'succeeded', count: 20 },
        { process: 'invoice-posting', entity: '1710', status: 'exception', count: 1 },
        { process: 'invoice-posting', entity: '1710', status: 'succeeded', count: 3 },
      ]);
      assert.deepEqual(kpis.successRate.overall, { succeeded: 23, finished: 26, rate: 0.8846 });
      assert.deepEqual(
        kpis.successRate.byProcess.map((p) => [p.process, p.rate]),
        [
          ['expense-posting', 0.9091],
          ['invoice-posting', 0.75],
        ],
      );
      assert.deepEqual(kpis.latency.approvalToPosting, { count: 20, p50Ms: 10 * MIN, p95Ms: 19 * MIN });
      assert.deepEqual(kpis.latency.postingToPayment, { count: 3, p50Ms: 3 * HOUR, p95Ms: 5 * HOUR });
      assert.deepEqual(kpis.latency.approvalToPayment, {
        count: 3,
        p50Ms: 3 * HOUR + 14 * MIN,
        p95Ms: 5 * HOUR + 3 * MIN,
      });
      assert.deepEqual(kpis.exceptions, [
        { class: 'transient', owner: 'integration-ops', open: 1, createdInWindow: 1, slaBreached: 1 },
        { class: 'validation', owner: 'finance-ops', open: 2, createdInWindow: 2, slaBreached: 2 },
      ]);
      assert.deepEqual(kpis.closeWindow, { active: true, from: '2025-03-29', to: '2025-04-02', slaFactor: 0.25 });
    });

    test('outside a close window the SLA is the configured one; filters by entity', async () => {
      const kpis = await readKpis(f.app.store.db, {
        from: '2025-03-01',
        to: '2025-03-31',
        now: NOW,
        sla: new SlaPolicy(minutes),
      });
      assert.deepEqual(
        kpis.exceptions.map((e) => [e.class, e.slaBreached]),
        [
          ['transient', 0],
          ['validation', 2],
        ],
      );
      assert.deepEqual(kpis.closeWindow, { active: false });
      const invoices = await readKpis(f.app.store.db, {
        from: '2025-03-01',
        to: '2025-03-31',
        entity: '1710',
        now: NOW,
        sla: new SlaPolicy(minutes),
      });
      assert.deepEqual(invoices.successRate.overall, { succeeded: 3, finished: 4, rate: 0.75 });
      assert.deepEqual(invoices.latency.approvalToPosting, { count: 0, p50Ms: null, p95Ms: null });
      const april = await readKpis(f.app.store.db, {
        from: '2025-04-01',
        to: '2025-04-30',
        now: NOW,
        sla: new SlaPolicy(minutes),
      });
      assert.deepEqual(april.latency.approvalToPosting, { count: 1, p50Ms: 1_000 * MIN, p95Ms: 1_000 * MIN });
    });

    test('GET /v1/kpis answers the same figures, with queue depth and pollers', async () => {
      const answer = await request(`${f.url}/v1/kpis?from=2025-03-01&to=2025-03-31`, { headers: f.auth });
      assert.equal(answer.status, 200, answer.text);
      const kpis = answer.json as Awaited<ReturnType<typeof readKpis>>;
      assert.deepEqual(kpis.latency.approvalToPosting, { count: 20, p50Ms: 10 * MIN, p95Ms: 19 * MIN });
      assert.equal(kpis.queue.inboxPending, 0);
      assert.ok(Array.isArray(kpis.connectors.pollers));
      assert.deepEqual(kpis.connectors.paused, [
        { system: 'erp', since: '2025-03-30T08:00:00.000Z', reason: 'credentials refused' },
      ]);
      assert.deepEqual(kpis.alerts.deliveriesByStatus, {});
      assert.equal((await request(`${f.url}/v1/kpis?from=2025-13-01`, { headers: f.auth })).status, 400);
      assert.equal((await request(`${f.url}/v1/kpis`)).status, 401);
    });
  });
}
