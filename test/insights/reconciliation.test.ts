/**
 * Reconciliation on both stores over constructed runs and postings: missing, duplicated and amount
 * mismatches, accruals by entity and month, filters, the stored result by id, the audit row, CSV safety
 * (formula injection, quoting, numeric amounts, masked card numbers) and the `reconcile` command.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runReconcile } from '../../src/cli/commands/reconcile.js';
import type { Reconciliation } from '../../src/insights/reconciliation/store.js';
import { request, startApp, type AppFixture } from '../api/app-fixture.js';
import { storeKinds } from '../helpers/stores.js';
import { insertEffect, insertRun } from './insight-rows.js';

const day = (d: number, month = 3): number => Date.UTC(2025, month - 1, d, 9, 30);
const FORMULA_ID = '=HYPERLINK("http://evil.example","x")';
const CARD_ID = 'card 4111111111111111';

for (const kind of storeKinds) {
  describe(`reconciliation [${kind}]`, () => {
    let f: AppFixture;
    const post = (body: unknown, query = '') =>
      request(`${f.url}/v1/reconciliations${query}`, {
        method: 'POST',
        headers: { ...f.auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    before(async () => {
      f = await startApp(kind, 'reconcile');
      const s = f.app.store;
      const eur = (amount: string) => ({ amount, currency: 'EUR', entity: '1010' });
      // A: approved and posted once, amounts agree.
      await insertEffect(
        s,
        await insertRun(s, { documentId: 'A', ...eur('100.10'), approvedAt: day(5) }),
        'erp',
        '5100000001',
      );
      // B: approved, failed before posting; its write to the expense platform is not a posting.
      await insertEffect(
        s,
        await insertRun(s, { documentId: 'B', ...eur('250.00'), status: 'exception', approvedAt: day(10) }),
        'expense',
        'ACK-B',
      );
      // C: posted by two versions: duplicated, and the ERP holds twice the source total.
      await insertEffect(
        s,
        await insertRun(s, { documentId: 'C', version: '1', ...eur('75.00'), approvedAt: day(11), createdAt: day(11) }),
        'erp',
        '5100000002',
      );
      await insertEffect(
        s,
        await insertRun(s, { documentId: 'C', version: '2', ...eur('75.00'), approvedAt: day(11), createdAt: day(12) }),
        'erp',
        '5100000003',
      );
      // D: a hostile document id, not posted.
      await insertRun(s, { documentId: FORMULA_ID, ...eur('5.00'), status: 'running', approvedAt: day(12) });
      // E: another entity and currency, with a card number in its id, not posted.
      await insertRun(s, {
        documentId: CARD_ID,
        amount: '40.00',
        currency: 'USD',
        entity: '1710',
        status: 'exception',
        approvedAt: day(20),
      });
      // F: approved after the period.
      await insertRun(s, { documentId: 'F', ...eur('1.00'), status: 'exception', approvedAt: day(2, 4) });
      // G: version 1 posted 99.99; version 2 says 100.00 and is not posted yet.
      await insertEffect(
        s,
        await insertRun(s, { documentId: 'G', version: '1', ...eur('99.99'), approvedAt: day(15), createdAt: day(15) }),
        'erp',
        '5100000004',
      );
      await insertRun(s, {
        documentId: 'G',
        version: '2',
        ...eur('100.00'),
        status: 'running',
        approvedAt: day(15),
        createdAt: day(16),
      });
      // H: invoice posting in the same period, posted.
      await insertEffect(
        s,
        await insertRun(s, {
          flow: 'invoice-posting',
          system: 'procurement',
          documentId: 'H',
          amount: '10.00',
          currency: 'GBP',
          entity: '2910',
          approvedAt: day(3),
        }),
        'erp',
        '5105600001',
      );
    });
    after(async () => f.close());

    test('finds missing, duplicated and mismatched postings with accruals per entity, month and currency', async () => {
      const answer = await post({ from: '2025-03-01', to: '2025-03-31' });
      assert.equal(answer.status, 201, answer.text);
      const rec = answer.json as Reconciliation;
      assert.deepEqual(rec.counts, {
        approved: 7,
        posted: 4,
        missing: 3,
        duplicated: 1,
        amountMismatches: 2,
        notFoundInErp: 0,
        reversed: 0,
      });
      assert.deepEqual(
        rec.missing.map((m) => [m.documentId, m.hubStatus, m.total?.amount, m.total?.currency]),
        [
          ['B', 'exception', '250.00', 'EUR'],
          ['=HYPERLINK("http://evil.example","x")', 'running', '5.00', 'EUR'],
          ['card 411111******1111', 'exception', '40.00', 'USD'],
        ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      );
      assert.deepEqual(
        rec.duplicated.map((d) => [d.documentId, d.runs, d.erpDocuments]),
        [['C', 2, ['5100000002', '5100000003']]],
      );
      assert.deepEqual(
        rec.amountMismatches.map((m) => [m.documentId, m.currency, m.sourceAmount, m.postedAmount, m.difference]),
        [
          ['C', 'EUR', '75.00', '150.00', '-75.00'],
          ['G', 'EUR', '100.00', '99.99', '0.01'],
        ],
      );
      assert.deepEqual(rec.accruals, [
        { entity: '1010', period: '2025-03', currency: 'EUR', amount: '255.00', documents: 2 },
        { entity: '1710', period: '2025-03', currency: 'USD', amount: '40.00', documents: 1 },
      ]);
      assert.doesNotMatch(answer.text, /4111111111111111/);

      const stored = await request(`${f.url}/v1/reconciliations/${rec.id}`, { headers: f.auth });
      assert.equal(stored.status, 200);
      assert.deepEqual(stored.json, rec);
      const audit = await f.app.store.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'reconciliation.run')
        .where('subject', '=', `reconciliation ${rec.id}`)
        .execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.actor, 'token:test-admin');
      const data = JSON.parse(audit[0]!.data) as {
        period: { from: string; to: string };
        counts: Reconciliation['counts'];
      };
      assert.deepEqual([data.period.from, data.period.to, data.counts], ['2025-03-01', '2025-03-31', rec.counts]);
      assert.deepEqual(await f.app.engine.verifyAudit().then((v) => v.ok), true);
    });

    test('entity and process filters narrow the comparison', async () => {
      const byEntity = (await post({ from: '2025-03-01', to: '2025-03-31', entity: '1710' })).json as Reconciliation;
      assert.deepEqual([byEntity.counts.approved, byEntity.counts.missing, byEntity.accruals.length], [1, 1, 1]);
      const invoices = (await post({ from: '2025-03-01', to: '2025-03-31', processes: ['invoice-posting'] }))
        .json as Reconciliation;
      assert.deepEqual(invoices.counts, {
        approved: 1,
        posted: 1,
        missing: 0,
        duplicated: 0,
        amountMismatches: 0,
        notFoundInErp: 0,
        reversed: 0,
      });
    });

    test('CSV: formula cells neutralised, RFC 4180 quoting, amounts as plain numbers, card numbers masked', async () => {
      const answer = await post({ from: '2025-03-01', to: '2025-03-31' }, '?format=csv');
      assert.equal(answer.status, 201);
      assert.match(answer.headers.get('content-type') ?? '', /^text\/csv/);
      const lines = answer.text.split('\r\n');
      assert.equal(
        lines[0],
        'finding,process,system,document_id,reference,entity,approved_on,period,currency,source_amount,posted_amount,difference,erp_documents,hub_status,documents',
      );
      assert.equal(lines[lines.length - 1], '');
      assert.ok(
        lines.includes(
          `missing,expense-posting,expense,"'=HYPERLINK(""http://evil.example"",""x"")",,1010,2025-03-12,,EUR,5.00,,,,running,`,
        ),
        answer.text,
      );
      assert.ok(lines.includes('missing,expense-posting,expense,B,,1010,2025-03-10,,EUR,250.00,,,,exception,'));
      assert.ok(
        lines.includes('amount_mismatch,expense-posting,expense,C,,1010,2025-03-11,,EUR,75.00,150.00,-75.00,,,'),
      );
      assert.ok(lines.includes('duplicated,expense-posting,expense,C,,1010,2025-03-11,,,,,,5100000002 5100000003,,2'));
      assert.ok(lines.includes('accrual,,,,,1010,,2025-03,EUR,255.00,,,,,2'));
      assert.ok(lines.some((l) => l.includes('card 411111******1111')));
      assert.doesNotMatch(answer.text, /4111111111111111/);
      const id = (await post({ from: '2025-03-01', to: '2025-03-31' })).json as Reconciliation;
      const csv = await request(`${f.url}/v1/reconciliations/${id.id}`, { headers: { ...f.auth, accept: 'text/csv' } });
      assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
      assert.equal(csv.text.split('\r\n').length, lines.length);
    });

    test('refusals: a reversed period, an unknown id, a reader without the run action', async () => {
      assert.equal((await post({ from: '2025-03-31', to: '2025-03-01' })).status, 400);
      assert.equal((await request(`${f.url}/v1/reconciliations/rec_nope`, { headers: f.auth })).status, 404);
      const auditor = await f.tokenFor(['auditor']);
      const refused = await request(`${f.url}/v1/reconciliations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${auditor}`, 'content-type': 'application/json' },
        body: JSON.stringify({ from: '2025-03-01', to: '2025-03-31' }),
      });
      assert.equal(refused.status, 403);
    });

    test('ledgerlink reconcile writes CSV to a file and exits 1 when there are findings', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'll-reconcile-'));
      try {
        const out: string[] = [];
        const err: string[] = [];
        const file = join(dir, 'march.csv');
        const code = await runReconcile(
          { from: '2025-03-01', to: '2025-03-31', format: 'csv', out: file, db: f.database.location },
          { out: (l) => out.push(l), err: (l) => err.push(l) },
        );
        assert.equal(code, 1, err.join('\n'));
        assert.match(out.join('\n'), /7 approved, 4 posted, 3 missing, 1 duplicated, 2 amount mismatches/);
        const csv = readFileSync(file, 'utf8');
        assert.ok(csv.includes(`"'=HYPERLINK(""http://evil.example"",""x"")"`));
        const clean = await runReconcile(
          { from: '2025-03-01', to: '2025-03-31', process: ['invoice-posting'], db: f.database.location },
          { out: (l) => out.push(l), err: (l) => err.push(l) },
        );
        assert.equal(clean, 0);
        const audit = await f.app.store.db
          .selectFrom('audit_log')
          .select('actor')
          .where('action', '=', 'reconciliation.run')
          .execute();
        assert.ok(audit.some((a) => a.actor.startsWith('cli:')));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
