/**
 * Period-end accruals end to end on both stores over the simulators: two expense reports approved in
 * June 2019 wait in the hub (their posting period is closed), so the period's end accrues them in the
 * ERP as one journal entry for company code 1010 in EUR on 2019-06-30 (Dr the accrual expense account,
 * Cr accrued liabilities), reversed on 2019-07-01; accrual and reversal balance to zero across the
 * two periods. A company card charge of June not yet on a report (reported by the card feed) is
 * accrued in the same entry, one reported for July is not, and a charge a report already carries
 * (published sample 6.1.2) is left to that report. The same period asked twice is accrued once.
 */
import assert from 'node:assert/strict';
import { Decimal } from 'decimal.js';
import { after, before, describe, test } from 'node:test';
import { storeKinds } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';
import { startExpenseBench, variantOfVatReport, type ExpenseBench, type RunDetail } from './expense-hub.js';

const THIS_MONTH = new Date().toISOString().slice(0, 7);

async function post(bench: ExpenseBench, system: string, deliveryId: string, body: unknown): Promise<void> {
  const response = await fetch(`${bench.hub.url}/v1/events/${system}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': deliveryId, ...bench.hub.auth },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 202, await response.text());
}

for (const kind of storeKinds) {
  describe(`period-end accruals (${kind})`, () => {
    let bench: ExpenseBench;
    before(async () => {
      bench = await startExpenseBench(kind, 'period-end-accrual', {
        periods: { '1010': { closed: [THIS_MONTH] } },
        flows: {
          expensePosting: {
            trigger: { webhook: true, pollIntervalMs: 3_600_000 },
            cardVendors: { '1010': '17500001' },
            inputTaxAccount: '15410000',
          },
          periodEndAccruals: {
            trigger: { schedule: ['23:59'] },
            expenseAccounts: { 'expense-posting': '61008000', 'card-transaction': '61008000' },
            liabilityAccount: '19100000',
          },
        },
      });
    });
    after(async () => bench?.close());

    test('approved, unposted reports are accrued at the period end and reversed the next day: zero across the two periods', async () => {
      for (const id of ['accrue-0001', 'accrue-0002']) {
        await bench.estate.sim('expense', '/_sim/fis/documents', JSON.parse(variantOfVatReport(id)));
        await post(bench, 'expense', `delivery-${id}`, {
          type: 'expense_report.approved',
          documentId: id,
          version: '1',
        });
        const waiting = await bench.waitStatus(id, 'exception');
        assert.equal(waiting.exceptions[0]?.code, 'LL_ERR_POSTING_WAITING');
      }
      // Card charges from the card feed: one of June not on a report, one of July, one a report carries.
      const card = (id: string, companyCode: string, date: string, amount: string, currency: string) =>
        post(bench, 'expense', `card-${id}`, {
          type: 'card_transaction.posted',
          transaction: { id, companyCode, transactionDate: date, amount: { amount, currency } },
        });
      await post(bench, 'expense', 'delivery-6.1.2', {
        type: 'expense_report.approved',
        documentId: 'CDFDE0F4CACE4426A913',
        version: '1',
      });
      await waitFor('report 6.1.2 read', async () => {
        const [found] = (
          await bench.hub.app.engine.listRuns({ flow: 'expense-posting', documentId: 'CDFDE0F4CACE4426A913' })
        ).runs;
        return found !== undefined && ['succeeded', 'exception'].includes(found.status);
      });
      await card('CARD-2019-06-0001', '1010', '2019-06-20', '56.10', 'EUR');
      await card('CARD-2019-07-0001', '1010', '2019-07-02', '99.00', 'EUR');
      await card('111112589312803', '1710', '2016-06-24', '56.10', 'USD');
      await waitFor('card charges kept', async () => {
        const runs = (await bench.hub.app.engine.listRuns({ flow: 'card-transaction' })).runs;
        return runs.length === 3 && runs.every((r) => r.status === 'succeeded');
      });
      await post(bench, 'erp', 'close-2019-06-a', { type: 'period.closing', period: '2019-06' });
      await post(bench, 'erp', 'close-2019-06-b', { type: 'period.closing', period: '2019-06' });
      const run = await waitFor(
        'the accrual run',
        async () => {
          const [found] = (await bench.hub.app.engine.listRuns({ flow: 'period-end-accrual' })).runs;
          if (found === undefined || !['succeeded', 'exception'].includes(found.status)) return undefined;
          return (await bench.hub.app.engine.getRun(found.id)) as unknown as RunDetail;
        },
        30_000,
      );
      assert.equal(run.status, 'succeeded', JSON.stringify(run.exceptions));
      assert.equal((await bench.hub.app.engine.listRuns({ flow: 'period-end-accrual' })).runs.length, 1);
      const accruals = run.state['accruals'] as {
        entity: string;
        currency: string;
        documents: number;
        lines: { flow: string; account: string; amount: string }[];
        total: string;
      }[];
      // Every expense report approved in or before June 2019 and not posted by its end (nothing was
      // posted before 2019-07-01): ours and the published samples the first READY poll brought in.
      const rows = await bench.hub.app.store.db
        .selectFrom('runs')
        .select(['system', 'document_id', 'entity', 'currency', 'amount'])
        .where('flow', '=', 'expense-posting')
        .where('approved_at', '<', Date.UTC(2019, 6, 1))
        .orderBy('created_at')
        .execute();
      const latest = new Map(rows.map((r) => [`${r.system} ${r.document_id}`, r]));
      const expected = new Map<string, [number, Decimal]>();
      for (const r of latest.values()) {
        const key = `${r.entity} ${r.currency}`;
        const [n, sum] = expected.get(key) ?? [0, new Decimal(0)];
        expected.set(key, [n + 1, sum.plus(r.amount ?? '0')]);
      }
      // The June card charge not on a report joins its entity and currency's entry.
      const [n1010, sum1010] = expected.get('1010 EUR') ?? [0, new Decimal(0)];
      expected.set('1010 EUR', [n1010 + 1, sum1010.plus('56.10')]);
      assert.deepEqual(
        accruals.map((a) => [`${a.entity} ${a.currency}`, a.documents, new Decimal(a.total).toFixed(2)]),
        [...expected].sort(([a], [b]) => a.localeCompare(b)).map(([k, [n, sum]]) => [k, n, sum.toFixed(2)]),
      );
      const ours = accruals.find((a) => a.entity === '1010' && a.currency === 'EUR');
      assert.deepEqual(
        accruals.flatMap((a) => a.lines.filter((l) => l.flow === 'card-transaction').map((l) => [a.entity, l.amount])),
        [['1010', '56.1']],
        'only the June charge not on a report is accrued',
      );
      assert.ok((ours?.documents ?? 0) >= 2, 'both waiting reports are accrued');
      const accrued = run.state['accrued'] as { postingDate: string }[];
      const reversed = run.state['reversed'] as { postingDate: string }[];
      assert.deepEqual(
        [new Set(accrued.map((d) => d.postingDate)), new Set(reversed.map((d) => d.postingDate))],
        [new Set(['2019-06-30']), new Set(['2019-07-01'])],
      );

      const keys = run.effects.filter((e) => e.system === 'erp').map((e) => e.idempotencyKey);
      assert.equal(keys.length, 2 * accruals.length, 'one accrual and one reversal per entity and currency');
      const documents = (await Promise.all(keys.map((key) => bench.estate.documents('erp', key)))).flat();
      assert.ok(documents.every((d) => d.kind === 'journal_entry'));
      assert.equal(documents.length, keys.length);
      const net = new Map<string, Decimal>();
      for (const d of documents) {
        let balance = new Decimal(0);
        for (const l of d.lines) {
          const signed = l.side === 'D' ? new Decimal(l.amount) : new Decimal(l.amount).neg();
          balance = balance.plus(signed);
          net.set(l.account, (net.get(l.account) ?? new Decimal(0)).plus(signed));
        }
        assert.ok(balance.isZero(), 'each entry balances');
      }
      const accrual = documents.find((d) => d.companyCode === '1010');
      assert.deepEqual(
        accrual!.lines.map((l) => [l.account, l.side, new Decimal(l.amount).toFixed(2)]),
        [
          ['61008000', 'D', '56.10'],
          ['61008000', 'D', new Decimal(ours!.total).minus('56.10').toFixed(2)],
          ['19100000', 'C', new Decimal(ours!.total).toFixed(2)],
        ],
      );
      assert.ok(
        [...net.values()].every((v) => v.isZero()),
        'accrual and reversal balance to zero across the periods',
      );
    });
  });
}
