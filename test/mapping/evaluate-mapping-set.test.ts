/** Evaluating a set: lookups by specificity, status maps with fallback, transforms with decimal functions and guards. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { isLedgerlinkError } from '../../src/canonical/errors.js';
import { JsonNumber } from '../../src/canonical/json-number.js';
import { decimalFunctions } from '../../src/mapping/decimal-functions.js';
import { loadMappingSet } from '../../src/mapping/load-mapping-set.js';

const travel = loadMappingSet(readFileSync(new URL('../fixtures/mappings/travel.yaml', import.meta.url), 'utf8'));

async function failure(
  run: () => unknown,
): Promise<{ code: string; message: string; details: readonly Record<string, unknown>[] }> {
  try {
    await run();
  } catch (error) {
    assert.ok(isLedgerlinkError(error), String(error));
    return error;
  }
  assert.fail('no error');
}

function withTransform(expression: string, limits = {}) {
  return loadMappingSet(`label: t\ntransforms:\n  x: '${expression.replace(/'/g, "''")}'\n`, { limits });
}

describe('lookups', () => {
  const find = (expenseType: string, country: string, entity: string) =>
    travel.tryLookup('expense-account', { expenseType, country, entity });

  test('the row with the most non-wildcard keys wins', () => {
    assert.deepEqual(find('TAXI', 'DE', '1010'), { glAccount: '61008100', taxCode: 'V1' });
    assert.deepEqual(find('TAXI', 'DE', '3000'), { glAccount: '61008000', taxCode: 'V1' });
    assert.deepEqual(find('TAXI', 'FR', '3000'), { glAccount: '61008000', taxCode: 'V0' });
  });

  test('among equally specific rows the first in the file wins', () => {
    // TAXI/*/* and */*/2910 both have one fixed key; the TAXI row comes first.
    assert.deepEqual(find('TAXI', 'FR', '2910'), { glAccount: '61008000', taxCode: 'V0' });
    assert.deepEqual(find('MEAL', 'FR', '2910'), { glAccount: '61000000', taxCode: 'V0' });
  });

  test('no match: tryLookup answers null, lookup throws LL_ERR_MAPPING_NO_RULE naming table and keys', async () => {
    assert.equal(find('MEAL', 'DE', '1010'), null);
    const error = await failure(() =>
      travel.lookup('expense-account', { expenseType: 'MEAL', country: 'DE', entity: '1010', extra: 'ignored' }),
    );
    assert.equal(error.code, 'LL_ERR_MAPPING_NO_RULE');
    assert.match(error.message, /expense-account .*travel@[0-9a-f]{12}/);
    assert.deepEqual(error.details[0]?.['keys'], { expenseType: 'MEAL', country: 'DE', entity: '1010' });
  });

  test('an unknown table and a missing key field throw too', async () => {
    assert.equal((await failure(() => travel.tryLookup('nope', {}))).code, 'LL_ERR_MAPPING_NO_RULE');
    const missing = await failure(() => travel.lookup('expense-account', { expenseType: 'TAXI', country: 'DE' }));
    assert.match(missing.message, /needs key field "entity"/);
  });

  test('results are frozen: a caller cannot change the set', () => {
    const result = find('HOTEL', 'DE', '1') as Record<string, string>;
    assert.throws(() => {
      result['glAccount'] = 'changed';
    }, TypeError);
  });
});

describe('status maps', () => {
  test('the mapped value, else the "*" fallback', () => {
    assert.equal(travel.mapStatus('coupa-supplier', 'active'), 'approved');
    assert.equal(travel.mapStatus('coupa-supplier', 'on_hold'), 'requested');
  });

  test('no entry and no fallback, or an unknown map: LL_ERR_MAPPING_NO_RULE', async () => {
    const set = loadMappingSet('label: s\nstatusMaps:\n  m: { a: b }\n');
    assert.equal((await failure(() => set.mapStatus('m', 'c'))).code, 'LL_ERR_MAPPING_NO_RULE');
    assert.equal((await failure(() => set.mapStatus('m', 'toString'))).code, 'LL_ERR_MAPPING_NO_RULE');
    assert.equal((await failure(() => set.mapStatus('other', 'a'))).code, 'LL_ERR_MAPPING_NO_RULE');
  });
});

describe('decimal functions', () => {
  const cases: [string, string | number][] = [
    ['$decAdd("10.00", "5.5")', '15.50'],
    ['$decSub("0.10", "0.3")', '-0.20'],
    ['$decMul("100.00", "0.19")', '19.0000'],
    ['$decMul("0.1", 3)', '0.3'],
    ['$decDiv("100.00", "3", 2)', '33.33'],
    ['$decDiv("2", "3", "EUR")', '0.67'],
    ['$decDiv("-1", "8", 2)', '-0.13'],
    ['$decRound("2.345", 2)', '2.35'],
    ['$decRound("-2.345", "EUR")', '-2.35'],
    ['$decRound("1234.5", "JPY")', '1235'],
    ['$decRound("1.2345", "BHD")', '1.235'],
    ['$decRound("-0.001", 2)', '0.00'],
    ['$decCmp("1.10", "1.1")', 0],
    ['$decCmp("-1", "0.5")', -1],
    ['$decSum(["0.1", "0.2", "0.30"])', '0.60'],
    ['$decSum([])', '0'],
    ['$decNeg("5.00")', '-5.00'],
    ['$decAbs("-0.50")', '0.50'],
    ['$decAdd("99999999999999999999.99", "0.01")', '100000000000000000000.00'],
  ];
  for (const [expression, expected] of cases) {
    test(`${expression} = ${JSON.stringify(expected)}`, async () => {
      assert.deepEqual(await withTransform(expression).transform('x', {}), expected);
    });
  }

  test('a path with one item is a list of one for $decSum', async () => {
    assert.equal(await travel.transform('line-total', { lines: [{ amount: '7.10' }] }), '7.10');
  });

  test('arguments that are not decimal strings are refused, naming the function', async () => {
    for (const [expression, pattern] of [
      ['$decAdd(missing, "1")', /^Transform x: \$decAdd: argument 1 is missing/],
      ['$decAdd("1e3", "1")', /argument 1 "1e3" is not a plain decimal string/],
      ['$decDiv("1", "0", 2)', /division by zero/],
      ['$decRound("1", "XYZ")', /scale \(an integer 0 to 40\) or an ISO 4217 currency code/],
      ['$decSum(["1", true])', /argument 2 is a boolean/],
    ] as const) {
      const error = await failure(() => withTransform(expression).transform('x', {}));
      assert.equal(error.code, 'LL_ERR_MONEY_INVALID_AMOUNT', expression);
      assert.match(error.message, pattern);
    }
  });

  test('a number that is not a safe integer never reaches a decimal function as an amount', () => {
    assert.throws(
      () => decimalFunctions.decMul(1.5, '1'),
      /argument 1 is the number 1.5; pass decimals as strings \("1.5"\)/,
    );
    assert.equal(decimalFunctions.decMul(3, '0.10'), '0.30');
  });
});

describe('transforms', () => {
  test('the fixture set rounds a gross amount half up to the currency', async () => {
    assert.equal(await travel.transform('gross-amount', { net: '10.05', rate: '0.19', currency: 'EUR' }), '11.96');
    assert.equal(await travel.transform('gross-amount', { net: '1005', rate: '0.10', currency: 'JPY' }), '1106');
  });

  test('a JsonNumber in the input becomes its exact text; safe integers pass; other numbers are refused', async () => {
    const set = withTransform('$decAdd(amount, "0.01") & "/" & $string(count)');
    assert.equal(await set.transform('x', { amount: new JsonNumber('0.1'), count: 3 }), '0.11/3');
    const error = await failure(() => set.transform('x', { amount: 0.1, count: 3 }));
    assert.equal(error.code, 'LL_ERR_MONEY_UNSAFE_NUMBER');
    assert.equal(error.details[0]?.['path'], 'amount');
    assert.equal(
      (await failure(() => set.transform('x', { amount: '1', count: 2 ** 60 }))).code,
      'LL_ERR_MONEY_UNSAFE_NUMBER',
    );
  });

  test('output is plain JSON; a number that is not a safe integer is refused', async () => {
    const set = withTransform('{ "lines": items.{ "amount": $decMul(amount, "2"), "n": 2 * 3 } }');
    assert.deepEqual(await set.transform('x', { items: [{ amount: '1.5' }, { amount: '2' }] }), {
      lines: [
        { amount: '3.0', n: 6 },
        { amount: '4', n: 6 },
      ],
    });
    const big = withTransform('9007199254740991 * 4');
    const error = await failure(() => big.transform('x', {}));
    assert.equal(error.code, 'LL_ERR_MAPPING_TRANSFORM_FAILED');
    assert.match(error.message, /amounts must be decimal strings/);
  });

  test("a runtime error names the transform and keeps JSONata's code", async () => {
    const error = await failure(() => withTransform('amount + 1').transform('x', { amount: '5' }));
    assert.equal(error.code, 'LL_ERR_MAPPING_TRANSFORM_FAILED');
    assert.equal(error.details[0]?.['path'], 'transforms.x');
    assert.equal(error.details[0]?.['jsonataCode'], 'T2001');
  });

  test('an endless loop is stopped by the time guard', async () => {
    const set = withTransform('($loop := function($i) { $i < 1000000000000 ? $loop($i + 1) : $i }; $loop(0))', {
      timeoutMs: 200,
    });
    const started = Date.now();
    const error = await failure(() => set.transform('x', {}));
    assert.equal(error.code, 'LL_ERR_MAPPING_TRANSFORM_FAILED');
    assert.equal(error.details[0]?.['jsonataCode'], 'D1012');
    assert.ok(Date.now() - started < 2_000);
  });

  test('runaway recursion is stopped by the depth guard', async () => {
    const error = await failure(() =>
      withTransform('($f := function($n) { 1 + $f($n + 1) }; $f(0))').transform('x', {}),
    );
    assert.equal(error.code, 'LL_ERR_MAPPING_TRANSFORM_FAILED');
    assert.equal(error.details[0]?.['jsonataCode'], 'D1011');
  });

  test('a huge sequence is stopped by the sequence guard', async () => {
    const error = await failure(() => withTransform('$count([1..5000000])').transform('x', {}));
    assert.equal(error.code, 'LL_ERR_MAPPING_TRANSFORM_FAILED');
  });

  test('an unknown transform: LL_ERR_MAPPING_NO_RULE', async () => {
    assert.equal((await failure(() => travel.transform('nope', {}))).code, 'LL_ERR_MAPPING_NO_RULE');
  });

  test('evaluations run concurrently and independently on one compiled expression', async () => {
    const results = await Promise.all(
      ['1.00', '2.00', '3.00'].map((net) => travel.transform('gross-amount', { net, rate: '0.5', currency: 'EUR' })),
    );
    assert.deepEqual(results, ['1.50', '3.00', '4.50']);
  });
});
