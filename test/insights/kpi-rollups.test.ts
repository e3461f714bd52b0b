/**
 * The KPI rollups (migration 12) on both stores: after inserts, status changes back and forth,
 * entity changes, approvals moved within a latency bucket, payments and a delete, the figures read
 * from the rollups equal the figures computed from the runs themselves (nearest-rank percentiles
 * included, with latencies spread over many buckets and repeated values); the migration's own roll-up of existing runs gives the same rollups as the
 * triggers; per-day latencies are within their bucket.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { readKpis } from '../../src/insights/kpi-queries.js';
import { bucketBounds } from '../../src/insights/kpi-rollups.js';
import { SlaPolicy } from '../../src/insights/alerts/sla-policy.js';
import { kpiRollups } from '../../src/store/migrations/012-kpi-rollups-and-console-indexes.js';
import { sqliteColumnTypes } from '../../src/store/sqlite/migrations.js';
import { postgresColumnTypes } from '../../src/store/postgres/migrations.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/port.js';
import { createTestDatabase, storeKinds, type TestDatabase } from '../helpers/stores.js';
import { insertRun } from './insight-rows.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 2, 31, 12);
const WINDOW = { from: '2025-03-01', to: '2025-03-31' };

function nearestRank(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
}

/** The figures straight from the runs, as GET /v1/kpis computed them before the rollups. */
async function fromRuns(store: Store, entity?: string) {
  const rows = await store.db.selectFrom('runs').selectAll().execute();
  const [fromMs, toMs] = [Date.UTC(2025, 2, 1), Date.UTC(2025, 3, 1)];
  const pick = (start: 'approved_at' | 'posted_at', end: 'posted_at' | 'paid_at') => {
    const values = rows
      .filter((r) => (entity === undefined || r.entity === entity) && r[start] !== null && r[end] !== null)
      .filter((r) => Number(r[end]) >= fromMs && Number(r[end]) < toMs)
      .map((r) => Number(r[end]) - Number(r[start]));
    return { count: values.length, p50Ms: nearestRank(values, 50), p95Ms: nearestRank(values, 95) };
  };
  const postings = new Map<string, number>();
  for (const r of rows) {
    const created = Number(r.created_at);
    if (created < fromMs || created >= toMs || (entity !== undefined && r.entity !== entity)) continue;
    const key = JSON.stringify([r.flow, r.entity, r.status]);
    postings.set(key, (postings.get(key) ?? 0) + 1);
  }
  return {
    postings: [...postings.entries()]
      .map(([key, count]) => {
        const [process, e, status] = JSON.parse(key) as [string, string | null, string];
        return { process, entity: e, status, count };
      })
      .sort(
        (a, b) =>
          a.process.localeCompare(b.process) ||
          (a.entity ?? '').localeCompare(b.entity ?? '') ||
          a.status.localeCompare(b.status),
      ),
    latency: {
      approvalToPosting: pick('approved_at', 'posted_at'),
      postingToPayment: pick('posted_at', 'paid_at'),
      approvalToPayment: pick('approved_at', 'paid_at'),
    },
  };
}

const rollupRows = async (store: Store) => ({
  days: await store.db
    .selectFrom('run_day_rollups')
    .selectAll()
    .where('n', '>', 0)
    .orderBy('day')
    .orderBy('flow')
    .orderBy('entity')
    .orderBy('status')
    .execute(),
  hours: await store.db
    .selectFrom('posted_hour_rollups')
    .selectAll()
    .where('n', '>', 0)
    .orderBy('hour')
    .orderBy('flow')
    .orderBy('entity')
    .execute(),
  latencies: (
    await store.db
      .selectFrom('latency_rollups')
      .select(['measure', 'day', 'entity', 'bucket', 'n'])
      .where('n', '>', 0)
      .orderBy('measure')
      .orderBy('day')
      .orderBy('entity')
      .orderBy('bucket')
      .execute()
  ).map((r) => ({ ...r, day: Number(r.day), bucket: Number(r.bucket), n: Number(r.n) })),
});

test('histogram buckets: exact below a second, three significant digits above', () => {
  assert.deepEqual(bucketBounds(-1), { lo: Number.NEGATIVE_INFINITY, hi: 0 });
  assert.deepEqual(bucketBounds(999), { lo: 999, hi: 1000 });
  assert.deepEqual(bucketBounds(4100), { lo: 1000, hi: 1010 });
  assert.deepEqual(bucketBounds(7360), { lo: 3_600_000, hi: 3_610_000 });
});

for (const kind of storeKinds) {
  describe(`KPI rollups [${kind}]`, () => {
    let database: TestDatabase;
    let store: Store;
    const ids: string[] = [];
    before(async () => {
      database = await createTestDatabase(kind, 'kpi_rollups');
      store = await openStore(database.location, { migrate: true });
      let seed = 7;
      const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
      for (let i = 0; i < 120; i++) {
        const approved = Date.UTC(2025, 2, 1 + (i % 30), 8);
        const latency = i % 7 === 0 ? 3_600_000 : Math.floor(random() * 10 ** (1 + (i % 8)));
        const posted = i % 11 === 0 ? null : approved + latency;
        ids.push(
          await insertRun(store, {
            flow: i % 2 === 0 ? 'expense-posting' : 'invoice-posting',
            documentId: `D-${i}`,
            entity: i % 13 === 0 ? null : i % 3 === 0 ? '1010' : '1710',
            status: posted === null ? 'running' : 'succeeded',
            approvedAt: approved,
            postedAt: posted,
            ...(posted !== null && i % 4 === 0 ? { paidAt: posted + Math.floor(random() * DAY) } : {}),
            createdAt: approved,
          }),
        );
      }
      await store.writeTransaction(async (tx) => {
        await tx.updateTable('runs').set({ status: 'exception' }).where('id', 'in', ids.slice(0, 10)).execute();
        await tx.updateTable('runs').set({ status: 'resolved' }).where('id', 'in', ids.slice(0, 4)).execute();
        await tx.updateTable('runs').set({ entity: '2910' }).where('id', 'in', ids.slice(20, 30)).execute();
        await tx
          .updateTable('runs')
          .set({ paid_at: NOW - DAY })
          .where('id', '=', ids[31]!)
          .where('paid_at', 'is', null)
          .execute();
        await tx
          .updateTable('runs')
          .set({ posted_at: Date.UTC(2025, 3, 2) })
          .where('id', '=', ids[32]!)
          .execute();
        await tx
          .updateTable('runs')
          .set({ updated_at: NOW, state: '{"x":1}' })
          .where('id', 'in', ids.slice(40, 50))
          .execute();
        // Approved a millisecond later: the latency moves within its bucket (the bucket's bounds follow).
        await tx
          .updateTable('runs')
          .set({ approved_at: sql<number>`approved_at + 1` })
          .where('id', 'in', ids.slice(60, 80))
          .execute();
        // Back and forth between statuses, as a failure and a retry do.
        await tx.updateTable('runs').set({ status: 'running' }).where('id', 'in', ids.slice(4, 8)).execute();
        await tx.updateTable('runs').set({ status: 'exception' }).where('id', 'in', ids.slice(4, 6)).execute();
        await tx.deleteFrom('runs').where('id', '=', ids[50]!).execute();
      });
    });
    after(async () => {
      await store.close();
      await database.drop();
    });

    test('the figures from the rollups equal the figures from the runs', async () => {
      for (const entity of [undefined, '1010', '2910']) {
        const kpis = await readKpis(store.db, {
          ...WINDOW,
          ...(entity === undefined ? {} : { entity }),
          now: NOW,
          sla: new SlaPolicy(),
        });
        const expected = await fromRuns(store, entity);
        assert.deepEqual(kpis.postings, expected.postings, `postings, entity ${entity}`);
        assert.deepEqual(kpis.latency, expected.latency, `latency, entity ${entity}`);
        const perDay = kpis.latencyOverTime.approvalToPosting;
        assert.equal(
          perDay.reduce((s, d) => s + d.count, 0),
          expected.latency.approvalToPosting.count,
        );
      }
    });

    test("the migration's roll-up of existing runs equals what the triggers kept", async () => {
      const kept = await rollupRows(store);
      const types = kind === 'sqlite' ? sqliteColumnTypes : postgresColumnTypes;
      const backfill = kpiRollups.statements(types).filter((s) => s.trimStart().startsWith('INSERT INTO'));
      assert.equal(backfill.length, 5);
      await store.writeTransaction(async (tx) => {
        for (const table of ['run_day_rollups', 'posted_hour_rollups', 'latency_rollups'] as const)
          await tx.deleteFrom(table).execute();
        for (const statement of backfill) await sql.raw(statement).execute(tx);
      });
      assert.deepEqual(await rollupRows(store), kept);
    });
  });
}
