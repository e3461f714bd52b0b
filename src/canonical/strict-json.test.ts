import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeUtf8Strict,
  JsonNumber,
  parseStrictJson,
  ownValue,
  parseStrictJsonBytes,
  stringifyJson,
  toPlain,
  type JsonObject,
  type JsonValue,
} from './strict-json.js';
import { expectCodedError } from '../../test/helpers/coded-errors.js';

const rejects = expectCodedError;

const obj = (value: JsonValue): JsonObject => {
  assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof JsonNumber));
  return value;
};

void describe('parseStrictJson: numbers arrive exactly', () => {
  void it('keeps 1234.565, -50, 1e2 and 0.1 as their source text', () => {
    const doc = obj(parseStrictJson('{"a":1234.565,"b":-50,"c":1e2,"d":0.1}'));
    for (const [key, text] of [
      ['a', '1234.565'],
      ['b', '-50'],
      ['c', '1e2'],
      ['d', '0.1'],
    ] as const) {
      const n = doc[key];
      assert.ok(n instanceof JsonNumber);
      assert.equal(n.text, text);
    }
  });

  void it('keeps digits a float would lose', () => {
    const big = '90071992547409931234567.89';
    const n = parseStrictJson(`[${big}, 0.30000000000000000001, -0, 1E+400, 5e-324]`) as JsonNumber[];
    assert.deepEqual(
      n.map((x) => x.text),
      [big, '0.30000000000000000001', '-0', '1E+400', '5e-324'],
    );
  });

  void it('refuses implicit conversion of a JsonNumber to a JS number', () => {
    const n = new JsonNumber('0.1');
    assert.throws(() => +n, TypeError);
    assert.throws(() => Number(n), TypeError);
    assert.equal(`${n}`, '0.1');
    assert.equal(JSON.stringify({ n }), '{"n":"0.1"}');
  });

  void it('rejects a JsonNumber built by hand from non-number text', () => {
    rejects('LL_ERR_JSON_MALFORMED', () => new JsonNumber('1,5'));
    rejects('LL_ERR_JSON_MALFORMED', () => new JsonNumber('NaN'));
    rejects('LL_ERR_JSON_MALFORMED', () => new JsonNumber('1}'));
  });
});

void describe('parseStrictJson: values and strings', () => {
  void it('parses every JSON value kind', () => {
    const doc = obj(parseStrictJson(' {"s":"x","t":true,"f":false,"n":null,"a":[],"o":{},"e":"" } \n'));
    assert.equal(doc.s, 'x');
    assert.equal(doc.t, true);
    assert.equal(doc.f, false);
    assert.equal(doc.n, null);
    assert.deepEqual(doc.a, []);
    assert.deepEqual(doc.o, {});
    assert.equal(doc.e, '');
  });

  void it('decodes escapes and surrogate pairs', () => {
    assert.equal(parseStrictJson('"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00"'), 'a"b\\c/d\b\f\n\r\té😀');
    assert.equal(parseStrictJson('"Müller 😀"'), 'Müller 😀');
    assert.deepEqual(parseStrictJson('{"k\\"ey":"v\\u00e9","n":["\\t",1]}'), {
      'k"ey': 'vé',
      n: ['\t', new JsonNumber('1')],
    });
  });

  void it('rejects invalid escapes, control characters and lone surrogates', () => {
    for (const text of [
      '"\\x41"',
      '"\\u12G4"',
      '"\\uD83D"',
      '"\\uD83Dx"',
      '"\\uDE00"',
      '"\\uD83D\\u0041"',
      '"\\uD83D\\uD83D"',
      '"a\nb"',
      '"a\u0000"',
      '"abc\\',
      '"\\u00',
      '"\\u00e9',
    ]) {
      rejects('LL_ERR_JSON_MALFORMED', () => parseStrictJson(text));
    }
    rejects('LL_ERR_JSON_MALFORMED', () => parseStrictJson('"\uD83D"'));
    rejects('LL_ERR_JSON_MALFORMED', () => parseStrictJson('"\uDE00\uD83D"'));
  });
});

void describe('parseStrictJson: malformed and truncated input', () => {
  const malformed = [
    '',
    ' ',
    '{',
    '[',
    '{"a":',
    '{"a":1',
    '[1,',
    '"abc',
    '{"a" 1}',
    '{a:1}',
    "{'a':1}",
    '{"a":1,}',
    '[1,]',
    '[1 2]',
    'tru',
    'nul',
    'True',
    'NaN',
    'Infinity',
    '-Infinity',
    '01',
    '1.',
    '.5',
    '-',
    '1e',
    '1e+',
    '+1',
    '0x10',
    '1 2',
    '{"a":1}}',
    '[]]',
    '{"a":1}x',
    '\uFEFF{}',
    '/* c */ {}',
    '[1,2',
    '{"a":"b"',
  ];
  for (const text of malformed) {
    void it(`rejects ${JSON.stringify(text)} with LL_ERR_JSON_MALFORMED`, () => {
      rejects('LL_ERR_JSON_MALFORMED', () => parseStrictJson(text));
    });
  }

  void it('reports the position and says the input is truncated', () => {
    const cut = '{"amount": 12.5, "currency": "EU';
    const error = rejects('LL_ERR_JSON_MALFORMED', () => parseStrictJson(cut));
    assert.match(error.message, /truncated/);
    assert.equal(error.details[0]?.position, cut.length);
    const wrong = rejects('LL_ERR_JSON_MALFORMED', () => parseStrictJson('[1, 2; 3]'));
    assert.equal(wrong.details[0]?.position, 5);
  });
});

void describe('parseStrictJson: hostile keys', () => {
  void it('rejects duplicate keys, also with equal values', () => {
    const equal = rejects('LL_ERR_JSON_DUPLICATE_KEY', () => parseStrictJson('{"amount":"1.00","amount":"1.00"}'));
    assert.equal(equal.details[0]?.key, 'amount');
    rejects('LL_ERR_JSON_DUPLICATE_KEY', () => parseStrictJson('{"a":1,"b":{"c":1,"c":2}}'));
    rejects('LL_ERR_JSON_DUPLICATE_KEY', () => parseStrictJson('[{"x":null,"y":0,"x":null}]'));
    rejects('LL_ERR_JSON_DUPLICATE_KEY', () => parseStrictJson('{"a":1,"\\u0061":1}'));
  });

  void it('accepts keys named like Object.prototype members once', () => {
    const doc = obj(parseStrictJson('{"toString":"x","hasOwnProperty":1,"constructor":{"name":"c"}}'));
    assert.equal(doc.toString, 'x');
    assert.ok(Object.hasOwn(doc, 'hasOwnProperty'));
    assert.deepEqual(doc.constructor, { name: 'c' });
  });

  void it('rejects __proto__ anywhere, also escaped', () => {
    rejects('LL_ERR_JSON_FORBIDDEN_KEY', () => parseStrictJson('{"__proto__":{"isAdmin":true}}'));
    rejects('LL_ERR_JSON_FORBIDDEN_KEY', () => parseStrictJson('{"a":[{"b":{"__proto__":{}}}]}'));
    rejects('LL_ERR_JSON_FORBIDDEN_KEY', () => parseStrictJson('{"\\u005f_proto__":{"isAdmin":true}}'));
    assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
  });

  void it('rejects prototype inside an object under constructor', () => {
    rejects('LL_ERR_JSON_FORBIDDEN_KEY', () => parseStrictJson('{"constructor":{"prototype":{"isAdmin":true}}}'));
    rejects('LL_ERR_JSON_FORBIDDEN_KEY', () => parseStrictJson('{"x":{"constructor":{"a":1,"prototype":{}}}}'));
    assert.deepEqual(parseStrictJson('{"prototype":1,"constructor":{"name":"x"}}'), {
      prototype: new JsonNumber('1'),
      constructor: { name: 'x' },
    });
  });

  void it('ownValue reads only own keys', () => {
    const doc = obj(parseStrictJson('{"toString":"x"}'));
    assert.equal(ownValue(doc, 'toString'), 'x');
    assert.equal(ownValue(doc, 'constructor'), undefined);
    assert.equal(ownValue(doc, 'hasOwnProperty'), undefined);
  });

  void it('refuses input that is not a string', () => {
    assert.throws(() => parseStrictJson(Buffer.from('{}') as unknown as string), TypeError);
  });

  void it('leaves Object.prototype untouched after merging a parsed value', () => {
    const parsed = obj(parseStrictJson('{"constructor":{"name":"x"},"toString":"y"}'));
    const merged = Object.assign({}, parsed);
    assert.equal(Object.getPrototypeOf(merged), Object.prototype);
    assert.equal(typeof ({} as { toString: unknown }).toString, 'function');
  });
});

void describe('parseStrictJson: nesting depth', () => {
  const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

  void it('accepts 64 levels and rejects 65 by default', () => {
    assert.doesNotThrow(() => parseStrictJson(nested(64)));
    rejects('LL_ERR_JSON_TOO_DEEP', () => parseStrictJson(nested(65)));
    rejects('LL_ERR_JSON_TOO_DEEP', () => parseStrictJson('{"a":'.repeat(65) + '1' + '}'.repeat(65)));
  });

  void it('rejects a very deep document without a stack overflow', () => {
    rejects('LL_ERR_JSON_TOO_DEEP', () => parseStrictJson(nested(1_000_000)));
    rejects('LL_ERR_JSON_TOO_DEEP', () => parseStrictJson('['.repeat(100_000)));
  });

  void it('honours maxDepth and refuses nonsense limits', () => {
    rejects('LL_ERR_JSON_TOO_DEEP', () => parseStrictJson('{"a":{"b":1}}', { maxDepth: 1 }));
    assert.doesNotThrow(() => parseStrictJson('{"a":{"b":1}}', { maxDepth: 2 }));
    assert.throws(() => parseStrictJson('1', { maxDepth: 0 }), RangeError);
    assert.throws(() => parseStrictJson('1', { maxDepth: 1e9 }), RangeError);
  });
});

void describe('decodeUtf8Strict', () => {
  void it('decodes valid UTF-8 and drops a BOM', () => {
    assert.equal(decodeUtf8Strict(new Uint8Array([0xef, 0xbb, 0xbf, 0x22, 0xc3, 0xa9, 0x22])), '"é"');
  });

  const bad: Array<[string, number[]]> = [
    ['a lone continuation byte', [0x22, 0x80, 0x22]],
    ['a truncated sequence', [0x22, 0xe2, 0x82, 0x22]],
    ['an overlong encoding', [0x22, 0xc0, 0xaf, 0x22]],
    ['an encoded surrogate', [0x22, 0xed, 0xa0, 0x80, 0x22]],
    ['a code point above U+10FFFF', [0x22, 0xf4, 0x90, 0x80, 0x80, 0x22]],
    ['an invalid byte', [0x22, 0xff, 0x22]],
  ];
  for (const [what, bytes] of bad) {
    void it(`rejects ${what} with LL_ERR_JSON_MALFORMED`, () => {
      rejects('LL_ERR_JSON_MALFORMED', () => parseStrictJsonBytes(new Uint8Array(bytes)));
    });
  }
});

void describe('stringifyJson and toPlain', () => {
  void it('round-trips numbers exactly', () => {
    const text =
      '{"amount":1234.565,"neg":-50,"exp":1e2,"tiny":0.1,"big":123456789012345678901234567890,"s":"\\u2028é\\"","l":[true,null,{}]}';
    const value = parseStrictJson(text);
    const written = stringifyJson(value);
    assert.equal(
      written,
      '{"amount":1234.565,"neg":-50,"exp":1e2,"tiny":0.1,"big":123456789012345678901234567890,"s":"\u2028é\\"","l":[true,null,{}]}',
    );
    assert.deepEqual(parseStrictJson(written), value);
  });

  void it('refuses JS numbers and non-plain objects', () => {
    assert.throws(() => stringifyJson({ amount: 1.5 } as unknown as JsonValue), TypeError);
    assert.throws(() => stringifyJson([new Date()] as unknown as JsonValue), TypeError);
    assert.throws(() => stringifyJson({ a: undefined } as unknown as JsonValue), TypeError);
  });

  void it('refuses cycles instead of overflowing the stack', () => {
    const cyclic: JsonValue[] = [];
    cyclic.push(cyclic);
    assert.throws(() => stringifyJson(cyclic), TypeError);
  });

  void it('toPlain turns numbers into decimal strings', () => {
    const plain = toPlain(parseStrictJson('{"amount":1234.565,"list":[1e2,-0.5],"ok":true,"none":null}'));
    assert.deepEqual(plain, { amount: '1234.565', list: ['1e2', '-0.5'], ok: true, none: null });
    assert.equal(JSON.stringify(plain), '{"amount":"1234.565","list":["1e2","-0.5"],"ok":true,"none":null}');
  });

  void it('toPlain refuses an own __proto__ key', () => {
    const hostile = JSON.parse('{"__proto__":{"isAdmin":true}}') as JsonValue;
    rejects('LL_ERR_JSON_FORBIDDEN_KEY', () => toPlain(hostile));
  });
});
