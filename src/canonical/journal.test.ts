import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LedgerlinkError } from './errors.js';
import { assertBalanced, balanceByCurrency, isBalanced, sidedAmount, type JournalLine } from './journal.js';
import { allocate, money } from './money.js';

const line = (account: string, side: 'D' | 'C', amount: string, currency = 'EUR'): JournalLine => ({
  account,
  side,
  amount: money(amount, currency),
});

void describe('journal balance per currency', () => {
  void it('balances a split of 100.00 over three cost centers against one credit', () => {
    const parts = allocate(money('100.00', 'EUR'), ['1', '1', '1']);
    const lines: JournalLine[] = [
      ...parts.map((amount, i) => ({ account: '474230', side: 'D' as const, amount, costCenter: `CC${i + 1}` })),
      line('160000', 'C', '100.00'),
    ];
    assert.deepEqual(
      parts.map((p) => p.amount),
      ['33.34', '33.33', '33.33'],
    );
    assert.equal(isBalanced(lines), true);
    assert.doesNotThrow(() => assertBalanced({ lines }));
    assert.deepEqual(balanceByCurrency(lines), [
      { currency: 'EUR', debit: '100.00', credit: '100.00', difference: '0.00' },
    ]);
  });

  void it('does not let one currency offset another', () => {
    const lines = [line('6000', 'D', '10.00', 'EUR'), line('1600', 'C', '10.00', 'USD')];
    assert.equal(isBalanced(lines), false);
    let caught: unknown;
    try {
      assertBalanced(lines);
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof LedgerlinkError);
    assert.equal(caught.code, 'LL_ERR_JOURNAL_UNBALANCED');
    assert.deepEqual(
      caught.details.map((d) => [d.currency, d.debit, d.credit, d.difference]),
      [
        ['EUR', '10.00', '0.00', '10.00'],
        ['USD', '0.00', '10.00', '-10.00'],
      ],
    );
  });

  void it('balances each currency of a multi-currency journal separately', () => {
    const lines = [
      line('6000', 'D', '10.00', 'EUR'),
      line('1600', 'C', '10.00', 'EUR'),
      line('6000', 'D', '1500', 'JPY'),
      line('1600', 'C', '1499', 'JPY'),
      line('6000', 'D', '1.005', 'BHD'),
      line('1600', 'C', '1.005', 'BHD'),
    ];
    assert.equal(isBalanced(lines), false);
    assert.throws(
      () => assertBalanced(lines),
      (error: unknown) =>
        error instanceof LedgerlinkError &&
        error.details.length === 1 &&
        error.details[0]?.currency === 'JPY' &&
        error.details[0]?.difference === '1' &&
        /JPY/.test(error.message),
    );
    assert.equal(isBalanced(lines.filter((l) => l.amount.currency !== 'JPY')), true);
  });

  void it('counts negative (reversal) amounts with their sign on their side', () => {
    assert.equal(isBalanced([line('6000', 'D', '-5.00'), line('1600', 'C', '-5.00')]), true);
    assert.equal(isBalanced([line('6000', 'D', '-5.00'), line('1600', 'D', '5.00')]), true);
    assert.equal(isBalanced([line('6000', 'D', '-5.00'), line('1600', 'C', '5.00')]), false);
  });

  void it('keeps large amounts exact', () => {
    const big = '90071992547409931.23';
    assert.equal(
      isBalanced([line('6000', 'D', big), line('6001', 'D', '0.01'), line('1600', 'C', '90071992547409931.24')]),
      true,
    );
    assert.equal(isBalanced([line('6000', 'D', big), line('1600', 'C', '90071992547409931.22')]), false);
  });

  void it('rejects malformed lines instead of ignoring them', () => {
    const bad = [{ side: 'X', amount: money('1', 'EUR') }] as unknown as JournalLine[];
    assert.throws(
      () => balanceByCurrency(bad),
      (e: unknown) => e instanceof LedgerlinkError && e.code === 'LL_ERR_VALIDATION',
    );
    const float = [{ side: 'D', amount: { amount: '0.1000001', currency: 'EUR' } }] as JournalLine[];
    assert.throws(
      () => isBalanced(float),
      (e: unknown) => e instanceof LedgerlinkError && e.code === 'LL_ERR_MONEY_PRECISION',
    );
  });
});

describe('sidedAmount', () => {
  it('debits a positive amount and credits the absolute value of a negative one; credit turns both', () => {
    assert.deepEqual(sidedAmount(money('8.40', 'EUR')), { side: 'D', amount: money('8.40', 'EUR') });
    assert.deepEqual(sidedAmount(money('-2.30', 'EUR')), { side: 'C', amount: money('2.30', 'EUR') });
    assert.deepEqual(sidedAmount(money('10.00', 'EUR'), true), { side: 'C', amount: money('10.00', 'EUR') });
    assert.deepEqual(sidedAmount(money('-50.00', 'USD'), true), { side: 'D', amount: money('50.00', 'USD') });
  });
});
