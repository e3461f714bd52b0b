import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectCodedError } from '../../test/helpers/coded-errors.js';
import { checkBudget } from './budget.js';

const eur = (amount: string) => ({ amount, currency: 'EUR' });
const label = 'cost center 10101101, 2025';

describe('checkBudget', () => {
  it('fits a request within what is left', () => {
    const r = checkBudget({
      budget: eur('50000.00'),
      commitments: [eur('12000.00'), eur('3500.50')],
      actuals: [eur('21000.00')],
      requested: eur('4800.00'),
      label,
    });
    assert.deepEqual(r, {
      withinBudget: true,
      available: eur('13499.50'),
      consumedPercent: '73.00',
      consumedPercentAfterRequest: '82.60',
      issues: [],
    });
  });

  it('fits a request of exactly what is left, and refuses one cent more', () => {
    const base = { budget: eur('10000.00'), commitments: [eur('2500.00')], actuals: [eur('6700.00')] };
    assert.equal(checkBudget({ ...base, requested: eur('800.00') }).withinBudget, true);
    const over = checkBudget({ ...base, requested: eur('800.01'), label });
    assert.equal(over.withinBudget, false);
    assert.deepEqual(
      over.issues.map((i) => [i.code, i.path]),
      [['over_budget', 'requested']],
    );
    assert.match(
      over.issues[0]?.message ?? '',
      /request of 800\.01 EUR exceeds the budget for cost center 10101101, 2025: only 800\.00 EUR is left of 10000\.00 EUR/,
    );
  });

  it('says when the budget is already overspent; a credit still fits', () => {
    const base = { budget: eur('1000.00'), commitments: [], actuals: [eur('1200.00')] };
    const r = checkBudget({ ...base, requested: eur('10.00') });
    assert.equal(r.available.amount, '-200.00');
    assert.equal(r.consumedPercent, '120.00');
    assert.match(r.issues[0]?.message ?? '', /already overspent by 200\.00 EUR/);
    assert.equal(checkBudget({ ...base, requested: eur('-50.00') }).withinBudget, true);
  });

  it('reports amounts in another currency instead of converting them', () => {
    const r = checkBudget({
      budget: eur('5000.00'),
      commitments: [eur('1000.00'), { amount: '300.00', currency: 'USD' }],
      actuals: [],
      requested: { amount: '100.00', currency: 'GBP' },
    });
    assert.equal(r.withinBudget, false);
    assert.deepEqual(
      r.issues.map((i) => [i.code, i.path]),
      [
        ['currency_mismatch', 'commitments/1'],
        ['currency_mismatch', 'requested'],
      ],
    );
    assert.equal(r.available.amount, '4000.00');
  });

  it('handles a zero budget and currencies without minor units', () => {
    assert.equal(
      checkBudget({ budget: eur('0.00'), commitments: [], actuals: [], requested: eur('0.00') }).consumedPercent,
      '0.00',
    );
    const jpy = checkBudget({
      budget: { amount: '3000000', currency: 'JPY' },
      commitments: [{ amount: '1000000', currency: 'JPY' }],
      actuals: [],
      requested: { amount: '500000', currency: 'JPY' },
    });
    assert.deepEqual(
      [jpy.available.amount, jpy.consumedPercent, jpy.consumedPercentAfterRequest],
      ['2000000', '33.33', '50.00'],
    );
  });

  it('refuses malformed money', () => {
    expectCodedError('LL_ERR_MONEY_INVALID_AMOUNT', () =>
      checkBudget({ budget: eur('1e3'), commitments: [], actuals: [], requested: eur('1.00') }),
    );
  });
});
