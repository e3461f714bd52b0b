import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JsonNumber } from '../canonical/json-number.js';
import { luhnValid, maskPans, maskPansDeep } from './pan-masking.js';

/** Published test card numbers (Stripe / Braintree / PayPal test lists). */
const CARDS = {
  visa: '4111111111111111',
  visa13: '4222222222222',
  visa19: '4111111111111111110',
  amex: '378282246310005',
  mastercard: '5555555555554444',
  mastercard2: '5105105105105100',
  discover: '6011111111111117',
  discover2: '6011000990139424',
  diners14: '30569309025904',
  jcb: '3530111333300000',
  unionpay19: '6205500000000000004',
} as const;

/** Reference masking written independently of the implementation: BIN + stars + last four. */
const expectedMask = (pan: string): string => pan.slice(0, 6) + '*'.repeat(pan.length - 10) + pan.slice(-4);

describe('luhnValid', () => {
  test('accepts every test card', () => {
    for (const [name, pan] of Object.entries(CARDS)) assert.ok(luhnValid(pan), name);
  });

  test('rejects a changed digit, transposed digits, empty and non-digit input', () => {
    assert.equal(luhnValid('4111111111111112'), false);
    assert.equal(luhnValid('4111111111111121'), false);
    assert.equal(luhnValid('378282246310050'), false);
    assert.equal(luhnValid(''), false);
    assert.equal(luhnValid('4111 1111 1111 1111'), false);
    assert.equal(luhnValid('4111x11111111111'), false);
    assert.equal(luhnValid('79927398713'), true); // the textbook example
    assert.equal(luhnValid('0'), true);
  });
});

describe('maskPans in text', () => {
  test('each test card alone is masked to BIN + stars + last four', () => {
    for (const [name, pan] of Object.entries(CARDS)) {
      const masked = maskPans(pan);
      assert.equal(masked, expectedMask(pan), name);
      assert.equal(masked.length, pan.length);
    }
    assert.equal(maskPans(CARDS.visa), '411111******1111');
    assert.equal(maskPans(CARDS.amex), '378282*****0005');
    assert.equal(maskPans(CARDS.discover2), '601100******9424');
    assert.equal(maskPans(CARDS.unionpay19), '620550*********0004');
  });

  test('cards inside memo text, at the edges and glued to punctuation or letters', () => {
    assert.equal(maskPans('Card 4111111111111111 used for hotel'), 'Card 411111******1111 used for hotel');
    assert.equal(maskPans('paid with 5555555555554444.'), 'paid with 555555******4444.');
    assert.equal(maskPans('(378282246310005)'), '(378282*****0005)');
    assert.equal(maskPans('card:4111111111111111,exp 12/29'), 'card:411111******1111,exp 12/29');
    assert.equal(maskPans('REF4111111111111111X'), 'REF411111******1111X');
    assert.equal(
      maskPans('Visa 4111111111111111 and Amex 378282246310005'),
      'Visa 411111******1111 and Amex 378282*****0005',
    );
  });

  test('groups joined by single spaces or dashes; separators stay in place', () => {
    assert.equal(maskPans('4111 1111 1111 1111'), '4111 11** **** 1111');
    assert.equal(maskPans('4111-1111-1111-1111'), '4111-11**-****-1111');
    assert.equal(maskPans('Amex 3782 822463 10005 ok'), 'Amex 3782 82**** *0005 ok');
    assert.equal(maskPans('3782-822463-10005'), '3782-82****-*0005');
    assert.equal(maskPans('5555 5555-5555 4444'), '5555 55**-**** 4444');
  });

  test('a card after a date or quantity in the same digit chain is still masked', () => {
    // the chain "2024-01-15 4111 1111 1111 1111" has 24 digits; only the card's window passes Luhn
    assert.equal(maskPans('2024-01-15 4111 1111 1111 1111 refund'), '2024-01-15 4111 11** **** 1111 refund');
    // "2 4111 1111 1111 1111" (17 digits) fails Luhn, the card inside it passes
    assert.equal(maskPans('qty 2 4111 1111 1111 1111'), 'qty 2 4111 11** **** 1111');
    // here a longer window also passes ("00" adds nothing to the Luhn sum): the merged span is masked
    assert.equal(maskPans('ref 00 4111 1111 1111 1111'), 'ref 00 4111 11** **** 1111');
  });

  test('two cards side by side in one chain are both masked', () => {
    const out = maskPans('4111111111111111 5555555555554444');
    assert.equal(out, '411111******1111 555555******4444');
    const grouped = maskPans('4111 1111 1111 1111 5555 5555 5555 4444');
    assert.ok(!/\d{4} \d{4} \d{4}/.test(grouped), grouped);
    assert.ok(grouped.startsWith('4111 11') && grouped.endsWith('4444'), grouped);
  });

  test('near misses are left alone', () => {
    const untouched = [
      '4111111111111112', // fails Luhn
      '4111 1111 1111 1112',
      '411111111111', // 12 digits
      '422222222222', // 12 digits, Luhn-valid prefix of a 13-digit test card
      '41111111111111111111', // 20 digits, contiguous
      '411111111111111111110000', // 24 digits
      '4111  1111 1111 1111', // double space breaks the chain
      '4111--1111-1111-1111',
      '4111_1111_1111_1111',
      '4111.1111.1111.1111',
      'amount 1234567.89 EUR',
      'PO 4500012345 line 10',
      'phone +1 555-123-4567',
      'uuid 550e8400-e29b-41d4-a716-446655440000',
    ];
    for (const text of untouched) assert.equal(maskPans(text), text, text);
  });

  test('a 20+ digit run containing a Luhn-valid 16-digit substring is not split', () => {
    const run = CARDS.visa + '0000';
    assert.equal(luhnValid(CARDS.visa), true);
    assert.equal(maskPans(run), run);
    assert.equal(maskPans('9' + CARDS.mastercard + '99999'), '9' + CARDS.mastercard + '99999');
  });

  test('IBANs are not touched, in print and electronic form, even where a digit window passes Luhn', () => {
    const ibans = [
      'DE89 3704 0044 0532 0130 00',
      'DE89370400440532013000',
      'GB29 NWBK 6016 1331 9268 19',
      'GB29NWBK60161331926819',
      'FR14 2004 1010 0505 0001 3M02 606',
      'NL91 ABNA 0417 1643 00',
      'NO93 8601 1117 947',
      'BE68 5390 0754 7034',
    ];
    for (const iban of ibans) {
      assert.equal(maskPans(`IBAN ${iban}, ref 7`), `IBAN ${iban}, ref 7`, iban);
      assert.equal(maskPans(iban), iban, iban);
    }
    // These two IBANs hold Luhn-valid 16-digit windows: only IBAN detection keeps them whole.
    for (const iban of ['AT61 1904 3002 3457 3201', 'PL61 1090 1014 0000 0712 1981 2874', 'AT611904300234573201']) {
      assert.equal(maskPans(`pay to ${iban} today`), `pay to ${iban} today`, iban);
    }
    assert.ok(luhnValid('1904300234573201') && luhnValid('1090101400000712'));
    // The same digits with wrong check digits are not an IBAN, and the Luhn-valid window is masked.
    for (const prefix of ['AT01', 'AT12', 'AT99']) {
      assert.equal(maskPans(`${prefix} 1904 3002 3457 3201`), `${prefix} 1904 30** **** 3201`, prefix);
    }
    // A valid IBAN ends at its country's length (AT: 20); what follows is separate text.
    assert.equal(maskPans('AT61 1904 3002 3457 3201 7'), 'AT61 1904 3002 3457 3201 7');
    // An unknown country code: no IBAN, the card is masked.
    assert.equal(maskPans('ZZ61 1904 3002 3457 3201'), 'ZZ61 1904 30** **** 3201');
  });

  test('an invalid IBAN-looking string gets no protection, and a card right after an IBAN is masked', () => {
    assert.equal(maskPans('DE00 4111 1111 1111 1111'), 'DE00 4111 11** **** 1111');
    assert.equal(
      maskPans('IBAN DE89 3704 0044 0532 0130 00 card 4111 1111 1111 1111'),
      'IBAN DE89 3704 0044 0532 0130 00 card 4111 11** **** 1111',
    );
    assert.equal(maskPans('DE89370400440532013000 4111111111111111'), 'DE89370400440532013000 411111******1111');
  });

  test('text without cards is returned as the same string', () => {
    const text = 'Invoice INV-2024-000123 for 1,234.56 EUR, cost centre 4711';
    assert.equal(maskPans(text), text);
    assert.equal(maskPans(''), '');
  });

  test('100 KB of digits and separators completes, with the expected result', () => {
    // Cards two spaces apart are separate chains: each is masked on its own.
    const apart = '4111 1111 1111 1111  ';
    const n = Math.ceil(100_000 / apart.length);
    assert.equal(maskPans(apart.repeat(n)), '4111 11** **** 1111  '.repeat(n));

    // One chain of 100 KB (single separators throughout): overlapping Luhn-valid windows merge into a
    // single span, so only its first six and last four digits remain.
    const unit = '4111-1111 1111-1111 ';
    const big = unit.repeat(100_000 / unit.length).trimEnd();
    let seen = 0;
    const total = big.replace(/[^0-9]/g, '').length;
    const expected = [...big]
      .map((ch) => (ch >= '0' && ch <= '9' ? (seen++ < 6 || seen > total - 4 ? ch : '*') : ch))
      .join('');
    assert.equal(maskPans(big), expected);

    // Runs of ones never pass Luhn at 13-19 digits: untouched.
    const ones = '1-'.repeat(50_000);
    assert.equal(maskPans(ones), ones);
    const digits = '7'.repeat(100_000);
    assert.equal(maskPans(digits), digits);
    const dashes = '-'.repeat(50_000) + ' '.repeat(50_000);
    assert.equal(maskPans(dashes), dashes);
    const letters = 'DE89 '.repeat(20_000);
    assert.equal(maskPans(letters), letters);
  });
});

describe('maskPansDeep', () => {
  test('masks strings deep in objects and arrays, keys untouched, input not changed', () => {
    const payload = {
      invoice: 'INV-000123',
      memo: 'Paid with 4111 1111 1111 1111',
      lines: [
        { description: 'Hotel, card 5555555555554444', amount: '120.00' },
        { description: 'Taxi', amount: '35.50' },
      ],
      '4111111111111111': 'key kept',
      nested: { deeper: { note: ['x', 'Amex 378282246310005'] } },
      ok: true,
      nothing: null,
    };
    const before = structuredClone(payload);
    const masked = maskPansDeep(payload);
    assert.deepEqual(masked, {
      invoice: 'INV-000123',
      memo: 'Paid with 4111 11** **** 1111',
      lines: [
        { description: 'Hotel, card 555555******4444', amount: '120.00' },
        { description: 'Taxi', amount: '35.50' },
      ],
      '4111111111111111': 'key kept',
      nested: { deeper: { note: ['x', 'Amex 378282*****0005'] } },
      ok: true,
      nothing: null,
    });
    assert.deepEqual(payload, before);
  });

  test('a JSON payload parsed from text, and round-tripped', () => {
    const json = '{"expense":{"merchant":"Cafe","cardNumber":"6011000990139424","iban":"DE89 3704 0044 0532 0130 00"}}';
    const masked = JSON.stringify(maskPansDeep(JSON.parse(json) as unknown));
    assert.equal(
      masked,
      '{"expense":{"merchant":"Cafe","cardNumber":"601100******9424","iban":"DE89 3704 0044 0532 0130 00"}}',
    );
  });

  test('integers that are card numbers become masked strings; other numbers stay', () => {
    assert.equal(maskPansDeep(4111111111111111), '411111******1111');
    assert.equal(maskPansDeep(4111111111111111n), '411111******1111');
    assert.equal(maskPansDeep(new JsonNumber('378282246310005')), '378282*****0005');
    const amount = new JsonNumber('1234.56');
    assert.equal(maskPansDeep(amount), amount);
    assert.equal(maskPansDeep(4111111111111112), 4111111111111112);
    assert.equal(maskPansDeep(12.5), 12.5);
    assert.deepEqual(maskPansDeep([1, 2, 3]), [1, 2, 3]);
  });

  test('__proto__ keys stay own data properties; non-plain objects are returned as they are', () => {
    const parsed = JSON.parse('{"__proto__":{"memo":"4111111111111111"}}') as unknown;
    const masked = maskPansDeep(parsed) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(masked), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(masked, '__proto__')?.value, { memo: '411111******1111' });
    const date = new Date(0);
    assert.equal(maskPansDeep(date), date);
    assert.equal(maskPansDeep(undefined), undefined);
  });

  test('shared and cyclic references are handled', () => {
    const shared = { card: '4111111111111111' };
    const cyclic: Record<string, unknown> = { a: shared, b: shared };
    cyclic['self'] = cyclic;
    const masked = maskPansDeep(cyclic) as Record<string, Record<string, unknown>>;
    assert.equal(masked['a']?.['card'], '411111******1111');
    assert.equal(masked['a'], masked['b']);
    assert.equal(masked['self'], masked);
  });
});
