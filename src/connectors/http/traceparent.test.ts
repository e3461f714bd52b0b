import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isValidTraceparent, normalizeTraceId, traceIdOf, traceparentFor } from './traceparent.js';

describe('traceparent', () => {
  test('a valid caller traceparent is sent as given (lower-cased)', () => {
    const given = '00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01';
    assert.equal(traceparentFor({ traceparent: given }), given.toLowerCase());
  });

  test('a trace id (hex or UUID) starts a new span in that trace', () => {
    const a = traceparentFor({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
    const b = traceparentFor({ traceId: '4bf92f35-77b3-4da6-a3ce-929d0e0e4736' });
    assert.match(a, /^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    assert.equal(a.slice(0, 36), b.slice(0, 36));
    assert.notEqual(a.slice(36, 52), b.slice(36, 52), 'a fresh span id each time');
  });

  test('bad input starts a new trace rather than failing', () => {
    for (const context of [
      undefined,
      { traceparent: 'garbage' },
      { traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01` },
      { traceId: 'xyz' },
      { traceId: '0'.repeat(32) },
    ]) {
      const value = traceparentFor(context);
      assert.ok(isValidTraceparent(value), value);
    }
    assert.equal(normalizeTraceId('not-hex'), undefined);
  });

  test('a received traceparent gives its trace ID, for any version but ff, and nothing when malformed', () => {
    const trace = '4bf92f3577b34da6a3ce929d0e0e4736';
    assert.equal(traceIdOf(`00-${trace}-00f067aa0ba902b7-01`), trace);
    assert.equal(traceIdOf(`00-${trace.toUpperCase()}-00F067AA0BA902B7-01`), trace);
    assert.equal(traceIdOf(`01-${trace}-00f067aa0ba902b7-01-future-fields`), trace);
    assert.equal(traceIdOf(`00-${trace}-00f067aa0ba902b7-01-extra`), undefined);
    assert.equal(traceIdOf(`ff-${trace}-00f067aa0ba902b7-01`), undefined);
    assert.equal(traceIdOf(`00-${'0'.repeat(32)}-00f067aa0ba902b7-01`), undefined);
    assert.equal(traceIdOf(`00-${trace}-${'0'.repeat(16)}-01`), undefined);
    assert.equal(traceIdOf('not-a-traceparent'), undefined);
    assert.equal(traceIdOf(undefined), undefined);
  });
});
