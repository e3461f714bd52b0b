import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { createLogger } from '../observability/logger.js';
import { maskPansInJson } from './json-pan-masking.js';
import { maskPansDeep } from './pan-masking.js';

const VISA = '4111111111111111';
const AMEX = '378282246310005';

describe('maskPansInJson', () => {
  test('a card number inside a JSON string is masked in place', () => {
    const json = `{"memo":"Taxi paid with card ${VISA} on 2026-11-24","amount":"84.50"}`;
    assert.equal(
      maskPansInJson(json),
      '{"memo":"Taxi paid with card 411111******1111 on 2026-11-24","amount":"84.50"}',
    );
  });

  test('a card number as a bare JSON number becomes a masked string; the JSON stays valid', () => {
    const masked = maskPansInJson(`{"card":${VISA},"n":[${AMEX}, 12]}`);
    assert.equal(masked, '{"card":"411111******1111","n":["378282*****0005", 12]}');
    assert.deepEqual(JSON.parse(masked), { card: '411111******1111', n: ['378282*****0005', 12] });
  });

  test('grouped card numbers and keys are masked too', () => {
    assert.equal(
      maskPansInJson(`{"4111 1111 1111 1111":"3782-822463-10005"}`),
      '{"4111 11** **** 1111":"3782-82****-*0005"}',
    );
  });

  test('an escaped card number is decoded, masked and written back escaped', () => {
    const json = '{"memo":"card \\u0034111111111111111\\n"}';
    const masked = maskPansInJson(json);
    assert.deepEqual(JSON.parse(masked), { memo: 'card 411111******1111\n' });
  });

  test('escapes without a card number are kept byte for byte', () => {
    const json = '{"memo":"caf\\u00e9 \\"quoted\\" 2026-11-24"}';
    assert.equal(maskPansInJson(json), json);
  });

  test('amounts, dates, epoch milliseconds and non-Luhn digit runs are untouched', () => {
    const json =
      '{"amount":"1234567890123.45","total":1284.56,"date":"2026-11-24T09:14:03Z","at":1764000000000,"ref":"4111111111111112",' +
      '"big":12345678901234567,"iban":"DE89 3704 0044 0532 0130 00","exp":1.5e10}';
    assert.equal(maskPansInJson(json), json);
  });

  test('text without a card number is returned as the same string', () => {
    const json = '{"id":"RPT-1","entries":[{"amount":"980.00"}]}';
    assert.equal(maskPansInJson(json), json);
  });

  test('masking twice gives the same result', () => {
    const once = maskPansInJson(`{"card":${VISA},"memo":"x ${AMEX}"}`);
    assert.equal(maskPansInJson(once), once);
  });

  test('maskPansDeep leaves epoch milliseconds a number', () => {
    assert.equal(maskPansDeep(1764000000000), 1764000000000);
    assert.equal(maskPansDeep(Number(VISA)), '411111******1111');
  });
});

describe('log lines', () => {
  test('a card number in a message or field is masked in every line, and each line stays JSON', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(
          ...chunk
            .toString('utf8')
            .split('\n')
            .filter((l) => l !== ''),
        );
        done();
      },
    });
    const logger = createLogger({ level: 'info', destination });
    logger.info({ memo: `card ${VISA}`, card: Number(VISA), nested: { pan: AMEX } }, `paid with ${VISA}`);
    logger.child({ component: 'test' }).warn(new Error(`declined ${AMEX}`));
    assert.equal(lines.length, 2);
    for (const line of lines) {
      assert.ok(!line.includes(VISA) && !line.includes(AMEX), line);
      JSON.parse(line);
    }
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.equal(first['msg'], 'paid with 411111******1111');
    assert.equal(first['card'], '411111******1111');
    assert.deepEqual(first['nested'], { pan: '378282*****0005' });
  });
});
