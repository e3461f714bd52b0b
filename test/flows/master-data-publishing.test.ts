/**
 * Master data publishing end to end over real HTTP, on both stores: the first poll publishes every
 * dimension to the Coupa and Concur simulators; expiring a cost center in the ERP deactivates it in
 * both; drift finds a value removed from a target by hand and one reactivated after retirement;
 * `ledgerlink drift` exits 1, then 0 after the next publication; a full read retires a deleted value.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { runDrift } from '../../src/cli/commands/drift.js';
import type { DriftReport } from '../../src/hub/master-data/drift.js';
import { CHANGES_POLLER, FULL_READ_POLLER } from '../../src/flows/master-data/master-data-publishing.js';
import { request, startApp, type AppFixture } from '../api/app-fixture.js';
import { startEstate, type Estate } from '../helpers/estate.js';
import { storeKinds } from '../helpers/stores.js';
import {
  expenseHolds,
  masterDataConfig,
  masterDataRunCount,
  procurementHolds,
  waitForMasterDataRuns,
  writeConfigFile,
} from './master-data-helpers.js';

const silentIo = () => {
  const lines: string[] = [];
  return { lines, io: { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) } };
};

for (const kind of storeKinds) {
  describe(`master data publishing (${kind})`, () => {
    let estate: Estate;
    let fixture: AppFixture;
    let configFile: string;

    before(async () => {
      estate = await startEstate();
      const config = masterDataConfig(estate);
      fixture = await startApp(kind, 'master-data', { config });
      configFile = writeConfigFile(config);
    });

    after(async () => {
      await fixture.close();
      await estate.stop();
      rmSync(configFile, { force: true });
    });

    test('the first poll publishes every dimension to procurement and expense', async () => {
      await waitForMasterDataRuns(fixture, 0);
      const coupa = await procurementHolds(fixture.app);
      assert.equal(coupa.get('account:1010-61003000-10101101')?.active, true, 'office supplies on Finance DE');
      assert.equal(coupa.get('account:1710-63003000-17101201')?.active, true, 'IT services on IT US');
      assert.equal(coupa.get('account:1010-61009000-10101101'), undefined, 'the blocked GL account is not offered');
      assert.equal(coupa.get('account:1010-61003000-10101301'), undefined, 'the expired cost center is not offered');
      assert.equal(coupa.get('Projects:P-1010-0001.1')?.active, true);
      assert.equal(coupa.get('Projects:P-1010-0001.3'), undefined, 'the closed WBS element is not offered');
      assert.equal(coupa.get('Tax Codes:1010-V1')?.active, true);
      const created = (await estate.documents('procurement'))
        .filter((d) => d.kind === 'lookup_value')
        .map((d) => d.reference);
      assert.ok(
        created.includes('1010-61003000-10101101') && created.includes('P-1710-0001.1') && created.includes('2910-G1'),
      );

      const centers = await expenseHolds(fixture.app, 'cost-centers');
      assert.deepEqual([...centers.keys()].sort(), ['10101101', '10101201', '17101101', '17101201', '29101101']);
      assert.equal(centers.get('10101101')?.value, 'Finance DE');
      const projects = await expenseHolds(fixture.app, 'projects');
      assert.deepEqual([...projects.keys()].sort(), ['P-1010-0001.1', 'P-1010-0001.2', 'P-1710-0001.1']);
      const concurDocs = (await estate.documents('expense'))
        .filter((d) => d.kind === 'lookup_value')
        .map((d) => d.reference);
      assert.ok(concurDocs.includes('cost-centers:29101101'));

      const held = await request(`${fixture.url}/v1/master-data?kind=cost_center&entity=1010&includeRetired=true`, {
        headers: fixture.auth,
      });
      assert.equal(held.status, 200);
      const rows =
        (
          held.json as {
            kinds: Record<string, { key: string; version: number; retired: boolean; retiredReason: string | null }[]>;
          }
        ).kinds['cost_center'] ?? [];
      assert.deepEqual(
        rows.map((r) => [r.key, r.version, r.retired, r.retiredReason]),
        [
          ['1010/10101101/2015-01-01', 1, false, null],
          ['1010/10101201/2023-01-01', 1, false, null],
          ['1010/10101301/2023-01-01', 1, true, 'expired'],
        ],
      );
      const current = await request(`${fixture.url}/v1/master-data?kind=cost_center&entity=1010`, {
        headers: fixture.auth,
      });
      assert.equal(
        ((current.json as { kinds: Record<string, unknown[]> }).kinds['cost_center'] ?? []).length,
        2,
        'retired values are left out by default',
      );
    });

    test('a cost center expired in the ERP is deactivated in both targets on the next poll', async () => {
      const runs = await masterDataRunCount(fixture);
      await estate.sim('erp', '/_sim/seed', { costCenters: [{ costCenter: '10101201', validTo: '2025-06-30' }] });
      const outcome = await fixture.app.engine.pollNow(CHANGES_POLLER);
      assert.equal(outcome.stored, 1);
      await waitForMasterDataRuns(fixture, runs);
      const coupa = await procurementHolds(fixture.app);
      for (const gl of ['61003000', '61008000', '63003000', '65008000', '65019000']) {
        assert.equal(
          coupa.get(`account:1010-${gl}-10101201`)?.active,
          false,
          `account 1010-${gl}-10101201 deactivated`,
        );
      }
      assert.equal(coupa.get('account:1010-61003000-10101101')?.active, true, 'other cost centers stay active');
      assert.equal(
        (await expenseHolds(fixture.app, 'cost-centers')).has('10101201'),
        false,
        'deleted from the expense list',
      );

      // The next read starts at the newest change time (inclusive) and sees that change again, once;
      // from then on the same change set is deduplicated.
      await fixture.app.engine.pollNow(CHANGES_POLLER);
      assert.equal(
        (await fixture.app.engine.pollNow(CHANGES_POLLER)).stored,
        0,
        'the same change read again is deduplicated',
      );
      await waitForMasterDataRuns(fixture, runs + 1);
      const versions = await request(`${fixture.url}/v1/master-data?kind=cost_center&entity=1010&includeRetired=true`, {
        headers: fixture.auth,
      });
      const row = (
        (versions.json as { kinds: Record<string, { key: string; version: number; retiredReason: string | null }[]> })
          .kinds['cost_center'] ?? []
      ).find((r) => r.key === '1010/10101201/2023-01-01');
      assert.deepEqual([row?.version, row?.retiredReason], [2, 'expired']);
    });

    test('drift finds a value removed by hand and one reactivated after retirement; ledgerlink drift exits 1, then 0 after a publication', async () => {
      const before = silentIo();
      assert.equal(
        await runDrift({ db: fixture.database.location, config: configFile }, before.io),
        0,
        before.lines.join('\n'),
      );

      // By hand in the targets: a cost center deleted from the Concur list, a retired account reactivated in Coupa.
      await fixture.app.connectors.expense?.port.publishListValues('cost-centers', [
        { code: '17101101', value: 'Finance US', active: false },
      ]);
      await fixture.app.connectors.procurement?.port.publishDimensions([
        {
          kind: 'account',
          chartOfAccounts: 'COA 1010',
          name: '1010 Office supplies IT DE',
          segments: ['1010', '61003000', '10101201'],
          active: true,
        },
      ]);

      const answer = await request(`${fixture.url}/v1/master-data/drift`, { headers: fixture.auth });
      assert.equal(answer.status, 200);
      const report = answer.json as DriftReport;
      assert.equal(report.drift, true);
      const expense = report.targets.find((t) => t.system === 'expense');
      assert.deepEqual(
        expense?.dimensions['costCenters']?.missing.map((m) => m.key),
        ['17101101'],
      );
      const procurement = report.targets.find((t) => t.system === 'procurement');
      assert.deepEqual(
        procurement?.dimensions['accounts']?.activeAfterRetirement.map((a) => [a.key, a.reason]),
        [['1010-61003000-10101201', 'expired']],
      );
      assert.ok(
        (procurement?.dimensions['accounts']?.unexpected.length ?? 0) > 0,
        "the suite's own accounts are listed as unexpected",
      );
      const one = await request(`${fixture.url}/v1/master-data/drift?target=expense`, { headers: fixture.auth });
      assert.deepEqual(
        (one.json as DriftReport).targets.map((t) => t.system),
        ['expense'],
      );

      const found = silentIo();
      assert.equal(await runDrift({ db: fixture.database.location, config: configFile }, found.io), 1);
      assert.ok(
        found.lines.some((l) => l.includes('missing: 17101101')),
        found.lines.join('\n'),
      );
      const json = silentIo();
      assert.equal(
        await runDrift(
          { db: fixture.database.location, config: configFile, target: 'procurement', json: true },
          json.io,
        ),
        1,
      );
      assert.equal((JSON.parse(json.lines[0] ?? '{}') as DriftReport).targets[0]?.system, 'procurement');

      // The next change in the ERP runs a publication, which writes every difference.
      const runs = await masterDataRunCount(fixture);
      await estate.sim('erp', '/_sim/seed', {
        costCenters: [{ costCenter: '29101101', name: 'Finance UK & Ireland' }],
      });
      await fixture.app.engine.pollNow(CHANGES_POLLER);
      await waitForMasterDataRuns(fixture, runs);
      const aligned = silentIo();
      assert.equal(
        await runDrift({ db: fixture.database.location, config: configFile }, aligned.io),
        0,
        aligned.lines.join('\n'),
      );
      assert.equal((await expenseHolds(fixture.app, 'cost-centers')).get('29101101')?.value, 'Finance UK & Ireland');
    });

    test('a full read retires a value the ERP deleted', async () => {
      await fixture.app.engine.pollNow(FULL_READ_POLLER); // the first full poll only marks the day
      await fixture.app.engine.pollNow(CHANGES_POLLER); // the overlap of the last change, read once more
      await estate.sim('erp', '/_sim/seed', { costCenters: [{ costCenter: '17101201', remove: true }] });
      assert.equal(
        (await fixture.app.engine.pollNow(CHANGES_POLLER)).stored,
        0,
        'an incremental read cannot see a deletion',
      );
      const runs = await masterDataRunCount(fixture);
      assert.equal((await fixture.app.engine.pollNow(FULL_READ_POLLER)).stored, 1);
      await waitForMasterDataRuns(fixture, runs);
      const coupa = await procurementHolds(fixture.app);
      assert.equal(coupa.get('account:1710-63003000-17101201')?.active, false);
      assert.equal((await expenseHolds(fixture.app, 'cost-centers')).has('17101201'), false);
      const held = await request(`${fixture.url}/v1/master-data?kind=cost_center&entity=1710&includeRetired=true`, {
        headers: fixture.auth,
      });
      const row = (
        (held.json as { kinds: Record<string, { key: string; retiredReason: string | null }[]> }).kinds[
          'cost_center'
        ] ?? []
      ).find((r) => r.key.startsWith('1710/17101201/'));
      assert.equal(row?.retiredReason, 'deleted');
    });

    test('a cost center blocked, unblocked and blocked again reaches the hub and the targets each time', async () => {
      const key = '1710/17101101/2015-01-01';
      const heldVersion = async (): Promise<[number | undefined, string | null | undefined]> => {
        const held = await request(`${fixture.url}/v1/master-data?kind=cost_center&entity=1710&includeRetired=true`, {
          headers: fixture.auth,
        });
        const row = (
          (held.json as { kinds: Record<string, { key: string; version: number; retiredReason: string | null }[]> })
            .kinds['cost_center'] ?? []
        ).find((r) => r.key === key);
        return [row?.version, row?.retiredReason];
      };
      await fixture.app.engine.pollNow(CHANGES_POLLER); // the overlap of the last change, read once more
      await waitForMasterDataRuns(fixture, 0);
      const [first] = await heldVersion();
      assert.ok(first !== undefined, 'the hub holds the cost center');
      const expected: [boolean, number, string | null][] = [
        [true, first + 1, 'blocked'],
        [false, first + 2, null],
        [true, first + 3, 'blocked'],
      ];
      for (const [blocked, version, reason] of expected) {
        const runs = await masterDataRunCount(fixture);
        await estate.sim('erp', '/_sim/seed', { costCenters: [{ costCenter: '17101101', blocked }] });
        assert.equal((await fixture.app.engine.pollNow(CHANGES_POLLER)).stored, 1, `blocked: ${blocked} is read`);
        await waitForMasterDataRuns(fixture, runs);
        assert.deepEqual(await heldVersion(), [version, reason]);
        assert.equal((await expenseHolds(fixture.app, 'cost-centers')).has('17101101'), !blocked);
      }
    });
  });
}
