import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { snapshot } from '../../test/helpers/master-data-fixture.js';
import { validateCoding, type CodingInput } from './coding.js';
import { buildMasterDataIndex } from './master-data-index.js';
import { PeriodCalendar } from './period-calendar.js';

const index = buildMasterDataIndex(snapshot);
const calendar = new PeriodCalendar({ '*': { closedBefore: '2024-01' }, '1010': { closed: ['2025-01'] } });
const base: CodingInput = {
  entity: '1010',
  account: '0000476000',
  costCenter: '10101101',
  taxCode: 'V1',
  date: '2025-03-14',
  currency: 'EUR',
};

function check(changes: Partial<CodingInput>) {
  return validateCoding({ ...base, ...changes }, index, calendar);
}

function codes(changes: Partial<CodingInput>): string[] {
  return check(changes).issues.map((i) => i.code);
}

describe('validateCoding', () => {
  it('accepts a clean office supplies line', () => {
    assert.deepEqual(check({}), { valid: true, issues: [] });
  });

  it('accepts the account without leading zeros', () => {
    assert.equal(check({ account: '476000' }).valid, true);
  });

  it('stops at an unknown company code', () => {
    const r = check({ entity: '9999' });
    assert.equal(r.valid, false);
    assert.deepEqual(r.issues, [
      {
        code: 'entity_unknown',
        path: 'entity',
        severity: 'error',
        message: 'Company code 9999 is not a legal entity the ERP publishes; check the company code',
      },
    ]);
  });

  it('flags an inactive company code', () => {
    assert.deepEqual(codes({ entity: '1020', costCenter: undefined, taxCode: undefined }), ['entity_inactive']);
  });

  it('tells an unknown account from one set up only in other company codes', () => {
    assert.deepEqual(codes({ account: '0000999999' }), ['account_unknown']);
    const r = check({ account: '0000500100' });
    assert.deepEqual(
      r.issues.map((i) => i.code),
      ['account_not_in_entity_chart'],
    );
    assert.match(r.issues[0]?.message ?? '', /not set up for company code 1010 \(it exists in company code 1710\)/);
  });

  it('refuses blocked and ERP-only accounts', () => {
    assert.deepEqual(codes({ account: '0000476900' }), ['account_blocked']);
    assert.deepEqual(codes({ account: '0000160000' }), ['account_not_postable']);
  });

  it('accepts a cost center on its last valid day and refuses it the day after', () => {
    assert.equal(check({ costCenter: '10101902', date: '2025-03-31' }).valid, true);
    const r = check({ costCenter: '10101902', date: '2025-04-01' });
    assert.equal(r.valid, false);
    assert.deepEqual(r.issues, [
      {
        code: 'cost_center_not_valid_on_date',
        path: 'costCenter',
        severity: 'error',
        message:
          'Cost center 10101902 expired on 2025-03-31 (not valid on 2025-04-01); choose a current cost center for company code 1010',
      },
    ]);
  });

  it('says when a cost center becomes valid', () => {
    const r = check({ costCenter: '10101999' });
    assert.deepEqual(
      r.issues.map((i) => i.code),
      ['cost_center_not_valid_on_date'],
    );
    assert.match(r.issues[0]?.message ?? '', /valid only from 2026-01-01/);
  });

  it('picks the cost center version in force on the date', () => {
    assert.equal(check({ costCenter: '10101301', date: '2024-12-31' }).valid, true);
    assert.equal(
      check({ costCenter: '10101301', date: '2025-01-02' }).issues.some((i) => i.code.startsWith('cost_center')),
      false,
    );
  });

  it('refuses unknown, blocked and other-entity cost centers', () => {
    assert.deepEqual(codes({ costCenter: '10109999' }), ['cost_center_unknown']);
    assert.deepEqual(codes({ costCenter: '10101501' }), ['cost_center_blocked']);
    const r = check({ costCenter: '17101101' });
    assert.deepEqual(
      r.issues.map((i) => i.code),
      ['cost_center_other_entity'],
    );
    assert.match(r.issues[0]?.message ?? '', /belongs to company code 1710, not 1010/);
  });

  it('checks projects: unknown, other entity, closed, planned, not postable, expired', () => {
    assert.equal(check({ project: 'P-100234.1.1' }).valid, true);
    assert.deepEqual(codes({ project: 'P-999999.1' }), ['project_unknown']);
    assert.deepEqual(codes({ project: 'P-200001.1' }), ['project_other_entity']);
    assert.deepEqual(codes({ project: 'P-100500.1' }), ['project_closed']);
    assert.deepEqual(codes({ project: 'P-100900.1' }), ['project_not_released']);
    assert.deepEqual(codes({ project: 'P-100234.1' }), ['project_not_postable']);
    assert.deepEqual(codes({ project: 'P-100700.1' }), ['project_not_valid_on_date']);
    assert.equal(check({ project: 'P-100700.1', date: '2024-12-31' }).valid, true);
  });

  it('checks tax codes: unknown, another country, validity', () => {
    assert.deepEqual(codes({ taxCode: 'ZZ' }), ['tax_code_unknown']);
    const us = check({ taxCode: 'I1' });
    assert.deepEqual(
      us.issues.map((i) => i.code),
      ['tax_code_other_country'],
    );
    assert.match(us.issues[0]?.message ?? '', /Tax code I1 is a US tax code; company code 1010 posts DE tax/);
    assert.deepEqual(codes({ taxCode: 'VA' }), ['tax_code_other_country']);
    assert.deepEqual(codes({ taxCode: 'V5' }), ['tax_code_not_valid_on_date']);
    assert.equal(
      check({ taxCode: 'V5', date: '2020-12-31' }).issues.some((i) => i.code === 'tax_code_not_valid_on_date'),
      false,
    );
  });

  it('needs a cost object where the account requires one', () => {
    assert.deepEqual(codes({ account: '0000400000', costCenter: undefined }), ['cost_object_required']);
    assert.equal(check({ account: '0000400000', costCenter: undefined, project: 'P-100234.1.1' }).valid, true);
  });

  it('applies coding rules: required dimensions, allowed lists, denied combinations', () => {
    assert.deepEqual(codes({ account: '0000470000', costCenter: '  ' }), ['cost_center_required']);
    assert.equal(check({ account: '0000470000' }).valid, true);
    assert.deepEqual(codes({ account: '0000032000', costCenter: undefined }), ['project_required']);
    const wrongProject = check({ account: '0000032000', project: 'P-100700.1', date: '2024-06-30' });
    assert.deepEqual(
      wrongProject.issues.map((i) => i.code),
      ['combination_not_allowed'],
    );
    assert.match(wrongProject.issues[0]?.message ?? '', /allows only P-100234\.1\.1/);
    const gift = check({ account: '0000474240' });
    assert.deepEqual(
      gift.issues.map((i) => i.code),
      ['combination_not_allowed'],
    );
    assert.match(gift.issues[0]?.message ?? '', /No customer gifts on Finance/);
    assert.equal(check({ account: '0000474240', costCenter: '10101301' }).valid, true);
    assert.equal(
      check({ account: '0000474240', date: '2024-12-31', costCenter: '10101101' }).valid,
      true,
      'rule not yet in force',
    );
  });

  it('refuses postings into closed periods, by list and by closedBefore', () => {
    const jan = check({ date: '2025-01-31' });
    assert.deepEqual(
      jan.issues.map((i) => i.code),
      ['period_closed'],
    );
    assert.equal(jan.issues[0]?.path, 'date');
    assert.match(
      jan.issues[0]?.message ?? '',
      /Period 2025-01 is closed for company code 1010; choose a posting date in an open period or ask finance to reopen 2025-01/,
    );
    assert.deepEqual(
      codes({ entity: '3010', costCenter: undefined, taxCode: 'P1', date: '2023-12-31', currency: 'GBP' }),
      ['period_closed'],
    );
    const reopened = validateCoding(
      { ...base, date: '2025-01-31' },
      index,
      calendar.withOverride('1010', '2025-01', 'open'),
    );
    assert.equal(reopened.valid, true);
  });

  it('warns, without failing, on a foreign currency; refuses an unknown one', () => {
    const usd = check({ currency: 'USD' });
    assert.equal(usd.valid, true);
    assert.deepEqual(
      usd.issues.map((i) => [i.code, i.severity]),
      [['currency_not_entity_currency', 'warning']],
    );
    assert.deepEqual(codes({ currency: 'EURO' }), ['currency_unknown']);
  });

  it('reports an invalid date without calling the calendar', () => {
    const r = check({ date: '2025-02-30' });
    assert.deepEqual(
      r.issues.map((i) => i.code),
      ['date_invalid'],
    );
  });

  it('reports every problem at once', () => {
    assert.deepEqual(
      codes({ account: '0000476900', costCenter: '10101902', taxCode: 'I1', date: '2025-01-15', currency: 'JPY' }),
      ['account_blocked', 'tax_code_other_country', 'period_closed', 'currency_not_entity_currency'],
    );
  });
});
