import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { snapshot } from '../../test/helpers/master-data-fixture.js';
import { buildMasterDataIndex, isValidOn, versionOn } from './master-data-index.js';

const index = buildMasterDataIndex(snapshot);

describe('buildMasterDataIndex', () => {
  it('finds legal entities by company code', () => {
    assert.equal(index.entity('1010')?.name, 'Nordwind Handels GmbH');
    assert.equal(index.entity('9999'), undefined);
  });

  it('finds GL accounts with or without leading zeros, per company code', () => {
    assert.equal(index.account('1010', '476000')?.name, 'Office supplies');
    assert.equal(index.account('1010', '0000476000')?.id, 'gl-1010-0000476000');
    assert.equal(index.account('1710', '0000400000'), undefined);
    assert.deepEqual(index.accountCompanyCodes('476000'), ['1010', '1020', '1710', '3010']);
    assert.deepEqual(index.accountCompanyCodes('0000999999'), []);
  });

  it('keeps every validity version of a cost center, sorted by validFrom', () => {
    const versions = index.costCenters('1010', '10101301');
    assert.deepEqual(
      versions.map((v) => v.name),
      ['Sales North (old)', 'Sales North'],
    );
    assert.equal(versionOn(versions, '2024-12-31')?.name, 'Sales North (old)');
    assert.equal(versionOn(versions, '2025-01-01')?.name, 'Sales North');
    assert.deepEqual(index.costCenterCompanyCodes('17101101'), ['1710']);
  });

  it('finds WBS elements by element and by project code', () => {
    assert.equal(index.projects('1010', 'P-100234.1.1')[0]?.name, 'Warehouse automation – conveyors');
    assert.deepEqual(
      index.projects('1010', 'P-100234').map((p) => p.wbsElement),
      ['P-100234.1', 'P-100234.1.1'],
    );
    assert.deepEqual(index.projectCompanyCodes('P-200001.1'), ['1710']);
  });

  it('finds tax codes per company code and anywhere', () => {
    assert.equal(index.taxCodes('1010', 'V1')[0]?.ratePercent, '19');
    assert.deepEqual(
      index.taxCodesAnywhere('I1').map((t) => t.companyCode),
      ['1710'],
    );
  });

  it('lists coding rules of a company code sorted by id', () => {
    assert.deepEqual(
      index.codingRules('1010').map((r) => r.id),
      ['rule-010-travel', 'rule-020-capex-projects', 'rule-030-no-gifts-on-finance'],
    );
    assert.deepEqual(index.codingRules('1710'), []);
    assert.equal(index.size.codingRules, 3);
  });

  it('treats validity ends as inclusive', () => {
    const cc = { validFrom: '2024-01-01', validTo: '2025-03-31' };
    assert.equal(isValidOn(cc, '2024-01-01'), true);
    assert.equal(isValidOn(cc, '2025-03-31'), true);
    assert.equal(isValidOn(cc, '2025-04-01'), false);
    assert.equal(isValidOn(cc, '2023-12-31'), false);
    assert.equal(isValidOn({}, '1999-01-01'), true);
  });

  it('builds from a snapshot without coding rules', () => {
    const bare = buildMasterDataIndex({ ...snapshot, codingRules: undefined as never });
    assert.deepEqual(bare.codingRules('1010'), []);
  });
});
