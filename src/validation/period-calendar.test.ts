import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectCodedError } from '../../test/helpers/coded-errors.js';
import { isIsoDate } from './dimension-key.js';
import { PeriodCalendar } from './period-calendar.js';

const config = {
  '*': { closedBefore: '2024-07' },
  '1010': { closed: ['2025-01', '2025-02'], closedBefore: '2024-12' },
  '1710': { closed: ['2025-03'] },
};

describe('PeriodCalendar', () => {
  const calendar = new PeriodCalendar(config);

  it('leaves periods open unless configured', () => {
    assert.deepEqual(calendar.status('1010', '2025-03-15'), { period: '2025-03', open: true, source: 'default' });
    assert.equal(calendar.status('3010', '2025-01-31').open, true);
  });

  it('closes listed periods for their entity only', () => {
    const s = calendar.status('1010', '2025-02-28');
    assert.equal(s.open, false);
    assert.equal(s.period, '2025-02');
    assert.match(s.reason ?? '', /Period 2025-02 is closed for company code 1010/);
    assert.equal(calendar.status('1710', '2025-02-28').open, true);
    assert.equal(calendar.status('1710', '2025-03-01').open, false);
  });

  it('closes every period before closedBefore, and not closedBefore itself', () => {
    const nov = calendar.status('1010', '2024-11-30');
    assert.equal(nov.open, false);
    assert.match(nov.reason ?? '', /every period before 2024-12 is closed/);
    assert.equal(calendar.status('1010', '2024-12-01').open, true);
  });

  it('applies the * entry to every entity as well as their own entries', () => {
    const s = calendar.status('1710', '2024-06-30');
    assert.equal(s.open, false);
    assert.match(s.reason ?? '', /all company codes: every period before 2024-07/);
    assert.equal(calendar.status('3010', '2024-07-01').open, true);
  });

  it('honours a period learned closed from the ERP, without changing the original calendar', () => {
    const learned = calendar.withOverride(
      '1010',
      '2025-03',
      'closed',
      'ERP rejected posting: posting period 003 2025 is not open',
    );
    const s = learned.status('1010', '2025-03-10');
    assert.equal(s.open, false);
    assert.equal(s.source, 'override');
    assert.match(s.reason ?? '', /posting period 003 2025 is not open/);
    assert.equal(calendar.status('1010', '2025-03-10').open, true);
    assert.equal(learned.status('1710', '2025-04-10').open, true);
  });

  it('lets an operator reopen a configured closed period, and a later override replace it', () => {
    const reopened = calendar.withOverride('1010', '2025-01', 'open');
    assert.equal(reopened.status('1010', '2025-01-31').open, true);
    assert.equal(reopened.status('1010', '2025-01-31').source, 'override');
    const closedAgain = reopened.withOverride('1010', '2025-01', 'closed');
    assert.equal(closedAgain.status('1010', '2025-01-31').open, false);
    assert.equal(closedAgain.overrides().length, 1);
  });

  it('prefers an entity override to a * override', () => {
    const cal = calendar.withOverride('*', '2025-05', 'closed').withOverride('1010', '2025-05', 'open');
    assert.equal(cal.status('1010', '2025-05-02').open, true);
    assert.equal(cal.status('1710', '2025-05-02').open, false);
    assert.deepEqual(
      cal.overrides().map((o) => o.entity),
      ['*', '1010'],
    );
  });

  it('refuses malformed configuration and overrides', () => {
    expectCodedError('LL_ERR_CONFIG_INVALID', () => new PeriodCalendar({ '1010': { closed: ['2025-13'] } }));
    expectCodedError('LL_ERR_CONFIG_INVALID', () => new PeriodCalendar({ '1010': { closedBefore: '2025-1' } }));
    expectCodedError('LL_ERR_CONFIG_INVALID', () => new PeriodCalendar({ 'bad key!': {} }));
    expectCodedError('LL_ERR_CONFIG_INVALID', () => calendar.withOverride('1010', '2025/03', 'closed'));
  });

  it('refuses a date that is not a calendar date', () => {
    expectCodedError('LL_ERR_VALIDATION', () => calendar.status('1010', '2025-02-29'));
    expectCodedError('LL_ERR_VALIDATION', () => calendar.status('1010', '03/15/2025'));
    assert.equal(calendar.status('1010', '2024-02-29').period, '2024-02');
  });
});

describe('isIsoDate', () => {
  it('accepts real dates only', () => {
    assert.deepEqual(
      [
        '2024-02-29',
        '2025-02-29',
        '2025-04-31',
        '2025-12-31',
        '2025-00-10',
        '2025-1-10',
        '2025-01-00',
        '１２３４-01-01',
        '2000-02-29',
        '1900-02-29',
      ].map(isIsoDate),
      [true, false, false, true, false, false, false, false, true, false],
    );
  });
});
