import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import {
  add,
  allocate,
  assertCurrency,
  compare,
  formatAmount,
  fromMinorUnits,
  isKnownCurrency,
  isZero,
  minorUnits,
  money,
  MONEY_ROUNDING,
  multiply,
  negate,
  parseMoney,
  round,
  subtract,
  sum,
  toMinorUnits,
  zero,
  type Money,
} from './money.js';
import { JsonNumber, parseStrictJson, type JsonObject } from './strict-json.js';
import { expectCodedError } from '../../test/helpers/coded-errors.js';

const rejects = expectCodedError;

const eur = (amount: string): Money => money(amount, 'EUR');
const amounts = (list: readonly Money[]): string[] => list.map((m) => m.amount);

void describe('reading amounts', () => {
  void it('canonicalises plain decimal strings to the minor units', () => {
    assert.deepEqual(eur('5'), { amount: '5.00', currency: 'EUR' });
    assert.deepEqual(eur('-12.3'), { amount: '-12.30', currency: 'EUR' });
    assert.deepEqual(eur('-0.00'), { amount: '0.00', currency: 'EUR' });
    assert.deepEqual(money('100.00', 'JPY'), { amount: '100', currency: 'JPY' });
    assert.deepEqual(money('1.234', 'BHD'), { amount: '1.234', currency: 'BHD' });
    assert.equal(formatAmount('7', 'KWD'), '7.000');
  });

  void it('never accepts a JS number, even an integer', () => {
    for (const value of [1.5, 100, 0.1, Number.NaN, Infinity]) {
      rejects('LL_ERR_MONEY_UNSAFE_NUMBER', () => parseMoney(value, 'EUR'));
    }
  });

  void it('rejects text that is not a plain decimal', () => {
    for (const text of [
      '1,234.56',
      '1.234,56',
      'NaN',
      'Infinity',
      '-Infinity',
      '',
      ' 1',
      '1 ',
      '+1',
      '.5',
      '1.',
      '0x10',
      '1e2',
      '1_000',
      '١٢',
    ]) {
      rejects('LL_ERR_MONEY_INVALID_AMOUNT', () => parseMoney(text, 'EUR'));
    }
    for (const value of [null, undefined, true, {}, [], 10n]) {
      rejects('LL_ERR_MONEY_INVALID_AMOUNT', () => parseMoney(value, 'EUR'));
    }
  });

  void it('reads JSON numbers from a lossless parse exactly, exponent form included', () => {
    const doc = parseStrictJson('{"a":1234.565,"b":-50,"c":1e2,"d":0.1,"e":1.5E-1,"f":12.50}') as JsonObject;
    assert.equal(parseMoney(doc.a, 'BHD').amount, '1234.565');
    assert.equal(parseMoney(doc.b, 'EUR').amount, '-50.00');
    assert.equal(parseMoney(doc.c, 'EUR').amount, '100.00');
    assert.equal(parseMoney(doc.c, 'JPY').amount, '100');
    assert.equal(parseMoney(doc.d, 'EUR').amount, '0.10');
    assert.equal(parseMoney(doc.e, 'EUR').amount, '0.15');
    assert.equal(parseMoney(doc.f, 'EUR').amount, '12.50');
    rejects('LL_ERR_MONEY_PRECISION', () => parseMoney(doc.a, 'EUR'));
  });

  void it('rejects exponents that would make absurd amounts instead of expanding them', () => {
    rejects('LL_ERR_MONEY_INVALID_AMOUNT', () => money(new JsonNumber('1e999999999'), 'EUR'));
    rejects('LL_ERR_MONEY_PRECISION', () => money(new JsonNumber('1e-999999999'), 'EUR'));
    rejects('LL_ERR_MONEY_INVALID_AMOUNT', () => money('1'.repeat(23), 'EUR'));
  });

  void it('keeps amounts beyond 2^53 minor units exact', () => {
    const big = '90071992547409931.23'; // 2^53 + 2 cents would already be lost as a float
    assert.equal(eur(big).amount, big);
    assert.equal(toMinorUnits(eur(big)), '9007199254740993123');
    assert.equal(add(eur(big), eur('0.01')).amount, '90071992547409931.24');
    assert.equal(subtract(eur('1000000000000000000000.00'), eur('0.01')).amount, '999999999999999999999.99');
    assert.deepEqual(fromMinorUnits('9007199254740993123', 'EUR'), eur(big));
    const parsed = parseStrictJson('{"amount": 9007199254740993.07}') as JsonObject;
    assert.equal(parseMoney(parsed.amount, 'EUR').amount, '9007199254740993.07');
  });
});

void describe('ISO 4217 minor units', () => {
  void it('rejects JPY 100.5 and BHD 1.2345', () => {
    const jpy = rejects('LL_ERR_MONEY_PRECISION', () => money('100.5', 'JPY'));
    assert.equal(jpy.details[0]?.minorUnits, 0);
    const bhd = rejects('LL_ERR_MONEY_PRECISION', () => money('1.2345', 'BHD'));
    assert.equal(bhd.details[0]?.minorUnits, 3);
    rejects('LL_ERR_MONEY_PRECISION', () => money('0.001', 'EUR'));
  });

  void it('accepts trailing zeros beyond the minor units, which change nothing', () => {
    assert.equal(money('100.000', 'JPY').amount, '100');
    assert.equal(money('1.2340', 'BHD').amount, '1.234');
    rejects('LL_ERR_MONEY_PRECISION', () => money('1.23450', 'BHD'));
  });

  void it('uses ISO 4217 values, not CLDR display digits', () => {
    assert.equal(minorUnits('JPY'), 0);
    assert.equal(minorUnits('KRW'), 0);
    assert.equal(minorUnits('EUR'), 2);
    assert.equal(minorUnits('BHD'), 3);
    assert.equal(minorUnits('KWD'), 3);
    assert.equal(minorUnits('IQD'), 3); // CLDR shows 0
    assert.equal(minorUnits('HUF'), 2); // CLDR shows 0
    assert.equal(minorUnits('IDR'), 2);
    assert.equal(minorUnits('COP'), 2);
    assert.equal(money('1500.50', 'HUF').amount, '1500.50');
  });

  void it('rejects unknown and malformed currency codes', () => {
    for (const code of ['XYZ', 'eur', 'EURO', 'EU', '', ' EUR', 'XAU']) {
      rejects('LL_ERR_MONEY_UNKNOWN_CURRENCY', () => money('1', code));
      assert.equal(isKnownCurrency(code), false);
    }
    rejects('LL_ERR_MONEY_UNKNOWN_CURRENCY', () => assertCurrency(42));
    assert.equal(assertCurrency('CHF'), 'CHF');
  });
});

void describe('arithmetic', () => {
  void it('adds, subtracts, negates, compares exactly', () => {
    assert.equal(add(eur('0.10'), eur('0.20')).amount, '0.30');
    assert.equal(subtract(eur('0.30'), eur('0.10')).amount, '0.20');
    assert.equal(negate(eur('12.34')).amount, '-12.34');
    assert.equal(negate(eur('0')).amount, '0.00');
    assert.equal(compare(eur('2'), eur('10')), -1);
    assert.equal(compare(eur('10.00'), eur('10')), 0);
    assert.equal(isZero(eur('-0.00')), true);
    assert.equal(isZero(eur('0.01')), false);
    assert.deepEqual(zero('JPY'), { amount: '0', currency: 'JPY' });
  });

  void it('refuses to combine currencies', () => {
    rejects('LL_ERR_MONEY_CURRENCY_MISMATCH', () => add(eur('1'), money('1', 'USD')));
    rejects('LL_ERR_MONEY_CURRENCY_MISMATCH', () => compare(eur('1'), money('1', 'USD')));
    rejects('LL_ERR_MONEY_CURRENCY_MISMATCH', () => sum([eur('1'), money('1', 'USD')], 'EUR'));
  });

  void it('sums lists, the empty sum being zero', () => {
    assert.equal(
      sum(
        Array.from({ length: 10 }, () => eur('0.10')),
        'EUR',
      ).amount,
      '1.00',
    );
    assert.equal(sum([], 'BHD').amount, '0.000');
  });

  void it('re-checks Money built outside money.ts', () => {
    rejects('LL_ERR_MONEY_PRECISION', () => add({ amount: '1.005', currency: 'EUR' }, eur('1')));
    rejects('LL_ERR_MONEY_INVALID_AMOUNT', () => add({ amount: '1e3', currency: 'EUR' }, eur('1')));
    rejects('LL_ERR_MONEY_UNKNOWN_CURRENCY', () => isZero({ amount: '1', currency: 'ABC' }));
  });

  void it('multiplies with one rounding to minor units, half away from zero by default', () => {
    assert.equal(MONEY_ROUNDING, Decimal.ROUND_HALF_UP);
    assert.equal(multiply(eur('100.00'), '0.19').amount, '19.00');
    assert.equal(multiply(eur('0.05'), '0.5').amount, '0.03');
    assert.equal(multiply(eur('-0.05'), '0.5').amount, '-0.03');
    assert.equal(multiply(eur('0.05'), '0.5', Decimal.ROUND_HALF_EVEN).amount, '0.02');
    assert.equal(multiply(money('1000', 'JPY'), '1.0815').amount, '1082');
    assert.equal(multiply(eur('12.34'), new JsonNumber('1e2')).amount, '1234.00');
    rejects('LL_ERR_MONEY_INVALID_AMOUNT', () => multiply(eur('1'), '1,5'));
    rejects('LL_ERR_MONEY_INVALID_AMOUNT', () => multiply(eur('1234567890123456789012.34'), '1.234567890123456789'));
  });

  void it('rounds Money that carries extra decimals', () => {
    assert.equal(round({ amount: '10.005', currency: 'EUR' }).amount, '10.01');
    assert.equal(round({ amount: '-10.005', currency: 'EUR' }).amount, '-10.01');
    assert.equal(round({ amount: '10.005', currency: 'EUR' }, Decimal.ROUND_HALF_EVEN).amount, '10.00');
    assert.equal(round({ amount: '99.5', currency: 'JPY' }).amount, '100');
  });
});

void describe('allocate', () => {
  void it('splits 100.00 three ways as 33.34 / 33.33 / 33.33', () => {
    const parts = allocate(eur('100.00'), ['1', '1', '1']);
    assert.deepEqual(amounts(parts), ['33.34', '33.33', '33.33']);
    assert.equal(sum(parts, 'EUR').amount, '100.00');
  });

  void it('splits negative amounts symmetrically', () => {
    assert.deepEqual(amounts(allocate(eur('-100.00'), ['1', '1', '1'])), ['-33.34', '-33.33', '-33.33']);
  });

  void it('gives leftover units to the largest remainders, ties to the lower index', () => {
    assert.deepEqual(amounts(allocate(eur('0.05'), ['50', '50'])), ['0.03', '0.02']);
    assert.deepEqual(amounts(allocate(eur('10.00'), ['33.3', '33.3', '33.4'])), ['3.33', '3.33', '3.34']);
    assert.deepEqual(amounts(allocate(eur('1.00'), ['1', '2'])), ['0.33', '0.67']);
    assert.deepEqual(amounts(allocate(money('100', 'JPY'), ['1', '1', '1', '1', '1', '1'])), [
      '17',
      '17',
      '17',
      '17',
      '16',
      '16',
    ]);
  });

  void it('gives zero weights nothing', () => {
    assert.deepEqual(amounts(allocate(eur('1.00'), ['0', '1', '0', '2'])), ['0.00', '0.33', '0.00', '0.67']);
  });

  void it('always adds up to the original amount', () => {
    const weights = ['12.5', '0.001', '7', '80.499', '3'];
    for (const amount of ['0.01', '999.99', '-123456.78', '90071992547409931.23', '0.00']) {
      assert.equal(sum(allocate(eur(amount), weights), 'EUR').amount, eur(amount).amount);
    }
  });

  void it('rejects invalid weights', () => {
    rejects('LL_ERR_MONEY_ALLOCATION', () => allocate(eur('1'), []));
    rejects('LL_ERR_MONEY_ALLOCATION', () => allocate(eur('1'), ['0', '0']));
    rejects('LL_ERR_MONEY_ALLOCATION', () => allocate(eur('1'), ['-1', '2']));
    rejects('LL_ERR_MONEY_ALLOCATION', () => allocate(eur('1'), ['1,5']));
    rejects('LL_ERR_MONEY_ALLOCATION', () => allocate(eur('1'), [1 as unknown as string]));
  });
});
