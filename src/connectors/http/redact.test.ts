import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { REDACTED, redactHeaders, redactText, redactUrl, redactValue } from './redact.js';

describe('redact', () => {
  test('credential headers lose their values, others stay', () => {
    const headers = new Headers({
      authorization: 'Bearer abc.def.ghi',
      cookie: 'SAP_SESSIONID=xyz',
      'x-csrf-token': 'tok123',
      'content-type': 'application/json',
    });
    assert.deepEqual(redactHeaders(headers), {
      authorization: REDACTED,
      cookie: REDACTED,
      'x-csrf-token': REDACTED,
      'content-type': 'application/json',
    });
    assert.deepEqual(redactHeaders({ 'Set-Cookie': ['a=1', 'b=2'], Accept: 'x' }), {
      'set-cookie': REDACTED,
      accept: 'x',
    });
  });

  test('secret fields in JSON bodies, also when the excerpt is cut off', () => {
    const json =
      '{"client_id":"cid","client_secret":"s3cr3t","password":"p\\"w","refresh_token":"rt","access_token":"at","nested":{"accessToken":"at2","api-key":123}}';
    const out = redactText(json);
    for (const secret of ['s3cr3t', 'p\\"w', '"rt"', '"at"', 'at2', '123'])
      assert.ok(!out.includes(secret), `${secret} in ${out}`);
    assert.ok(out.includes('"client_id":"cid"'));
    assert.deepEqual(JSON.parse(out).client_secret, REDACTED);
    assert.equal(redactText('{"error":"x","refresh_token":"abcdefgh'), `{"error":"x","refresh_token":"${REDACTED}"`);
  });

  test('secret fields in form bodies and credentials in text', () => {
    const form = 'grant_type=refresh_token&refresh_token=rt-1&client_id=c&client_secret=cs&scope=a+b';
    assert.equal(
      redactText(form),
      `grant_type=refresh_token&refresh_token=${REDACTED}&client_id=c&client_secret=${REDACTED}&scope=a+b`,
    );
    assert.equal(redactText('sent Authorization: Bearer eyJhbGciOi.x.y'), `sent Authorization: Bearer ${REDACTED}`);
    assert.equal(redactText('Basic dXNlcjpwYXNz=='), `Basic ${REDACTED}`);
    assert.equal(redactText('see https://admin:pw@host.example/x'), `see https://${REDACTED}@host.example/x`);
  });

  test('URL userinfo and secret query parameters', () => {
    const out = redactUrl('https://user:pw@host.example/path?access_token=abc&limit=5&client_secret=z');
    assert.ok(!out.includes('pw') && !out.includes('abc') && !out.includes('=z'), out);
    assert.ok(out.includes('limit=5') && out.startsWith(`https://${REDACTED}@host.example/path?`), out);
    assert.equal(redactUrl('https://host.example/a?b=c'), 'https://host.example/a?b=c');
  });

  test('values about to be logged: secret keys at any depth, strings, URLs, headers', () => {
    const circular: Record<string, unknown> = { password: 'pw', list: [{ refresh_token: 'rt' }, 'Bearer tok-123'] };
    circular.self = circular;
    const out = redactValue({
      req: circular,
      url: new URL('https://h.example/?password=x'),
      headers: { Authorization: 'Basic abc' },
    });
    const text = JSON.stringify(out);
    for (const secret of ['"pw"', '"rt"', 'tok-123', 'password=x', 'abc'])
      assert.ok(!text.includes(secret), `${secret} in ${text}`);
    assert.ok(text.includes('[Circular]'));
  });
});
