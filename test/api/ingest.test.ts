/**
 * POST /v1/events/:system over real HTTP on both stores: durable 202, duplicates, concurrency, and
 * every kind of bad input answered with a coded 4xx (never a crash).
 */
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/port.js';
import { storeKinds } from '../helpers/stores.js';
import { errorCode, postEvent, request, startApp, type AppFixture } from './app-fixture.js';

const MiB = 1024 * 1024;

/** Posts an event with the fixture's admin token (and any other headers). */
const post = (f: AppFixture, system: string, body: string | Uint8Array, headers: Record<string, string> = {}) =>
  postEvent(f.url, system, body, { ...f.auth, ...headers });

interface Accepted {
  readonly eventId: string;
  readonly duplicate: boolean;
  readonly correlationId: string;
}

for (const kind of storeKinds) {
  describe(`POST /v1/events/:system [${kind}]`, () => {
    let f: AppFixture;
    /** A second connection: what it sees is committed. */
    let reader: Store;
    before(async () => {
      f = await startApp(kind, 'api_ingest', { role: 'api' });
      reader = await openStore(f.database.location);
    });
    after(async () => {
      await reader.close();
      await f.close();
    });

    const inboxRow = (id: string) =>
      reader.db.selectFrom('inbox_events').selectAll().where('id', '=', id).executeTakeFirst();

    test('answers 202 once the event is durable, with what identifies it', async () => {
      const answer = await post(f, 'erp', '{"id":"INV-1","amount":1234.50}', {
        'webhook-id': 'msg_1',
        'x-event-type': 'invoice.matched',
        'x-correlation-id': 'corr-ingest-1',
        cookie: 'session=1',
      });
      assert.equal(answer.status, 202);
      const body = answer.json as Accepted;
      assert.equal(body.duplicate, false);
      assert.equal(body.correlationId, 'corr-ingest-1');
      const row = await inboxRow(body.eventId);
      assert.ok(row, 'the inbox row is committed before the answer');
      assert.equal(row.system, 'erp');
      assert.equal(row.dedupe_key, 'msg_1');
      assert.equal(row.event_type, 'invoice.matched');
      assert.equal(row.payload, '{"id":"INV-1","amount":1234.50}', 'the payload is kept byte for byte');
      const headers = JSON.parse(row.headers) as Record<string, string>;
      assert.equal(headers['authorization'], undefined);
      assert.equal(headers['cookie'], undefined);
      assert.equal(headers['webhook-id'], 'msg_1');
    });

    test('a duplicate delivery gets the same 202 with the first eventId', async () => {
      const first = await post(f, 'erp', '{"n":1}', { 'x-event-id': 'dup-1' });
      const again = await post(f, 'erp', '{"n":1}', { 'x-event-id': 'dup-1' });
      assert.equal(first.status, 202);
      assert.equal(again.status, 202);
      const a = first.json as Accepted;
      const b = again.json as Accepted;
      assert.equal(b.duplicate, true);
      assert.equal(b.eventId, a.eventId);
      assert.equal(b.correlationId, a.correlationId);
    });

    test('delivery ID, type and correlation fall back to the payload and traceparent', async () => {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const answer = await post(f, 'procurement', '{"event_id":"p-77","eventType":"supplier.approved"}', {
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      });
      assert.equal(answer.status, 202);
      const body = answer.json as Accepted;
      assert.equal(body.correlationId, traceId);
      const row = await inboxRow(body.eventId);
      assert.equal(row?.dedupe_key, 'p-77');
      assert.equal(row?.event_type, 'supplier.approved');
      const generated = (await post(f, 'procurement', '{"x":1}', { traceparent: 'not-a-traceparent' }))
        .json as Accepted;
      assert.match(generated.correlationId, /^cor_/);
    });

    test('50 concurrent deliveries of one event: one inbox row, fifty 2xx', async () => {
      const answers = await Promise.all(
        Array.from({ length: 50 }, () => post(f, 'expense', '{"report":"R-1"}', { 'webhook-id': 'msg_concurrent' })),
      );
      assert.ok(
        answers.every((a) => a.status === 202),
        `statuses: ${answers.map((a) => a.status).join(',')}`,
      );
      const bodies = answers.map((a) => a.json as Accepted);
      assert.equal(new Set(bodies.map((b) => b.eventId)).size, 1);
      assert.equal(bodies.filter((b) => !b.duplicate).length, 1);
      const rows = await reader.db
        .selectFrom('inbox_events')
        .select('id')
        .where('system', '=', 'expense')
        .where('dedupe_key', '=', 'msg_concurrent')
        .execute();
      assert.equal(rows.length, 1);
    });

    test('duplicate keys, __proto__ and constructor.prototype are refused with their code', async () => {
      const cases: [string, string][] = [
        ['{"a":1,"a":1}', 'LL_ERR_JSON_DUPLICATE_KEY'],
        ['{"x":{"__proto__":{"polluted":true}}}', 'LL_ERR_JSON_FORBIDDEN_KEY'],
        ['{"constructor":{"prototype":{"polluted":true}}}', 'LL_ERR_JSON_FORBIDDEN_KEY'],
      ];
      for (const [body, code] of cases) {
        const answer = await post(f, 'erp', body);
        assert.equal(answer.status, 400, body);
        assert.equal(errorCode(answer), code, body);
        assert.ok(Array.isArray((answer.json as { error: { details: unknown } }).error.details));
      }
      assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    });

    test('malformed, truncated, deeply nested JSON and bad UTF-8 are coded 4xx', async () => {
      const cases: [string | Uint8Array, string][] = [
        ['{id:1}', 'LL_ERR_JSON_MALFORMED'],
        ['{"id":"INV-1","amount":12', 'LL_ERR_JSON_MALFORMED'],
        ['', 'LL_ERR_JSON_MALFORMED'],
        ['{"a":1} trailing', 'LL_ERR_JSON_MALFORMED'],
        ['['.repeat(200) + ']'.repeat(200), 'LL_ERR_JSON_TOO_DEEP'],
        ['['.repeat(MiB - 16), 'LL_ERR_JSON_TOO_DEEP'],
        [Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), 'LL_ERR_JSON_MALFORMED'],
        [Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]), 'LL_ERR_JSON_MALFORMED'],
      ];
      for (const [body, code] of cases) {
        const answer = await post(f, 'erp', body);
        const label = typeof body === 'string' ? body.slice(0, 30) : `bytes ${Buffer.from(body).toString('hex')}`;
        assert.equal(answer.status, 400, label);
        assert.equal(errorCode(answer), code, label);
      }
      assert.equal((await request(`${f.url}/healthz`)).status, 200, 'still alive');
    });

    test('a body over the limit is 413 whether announced or streamed', async () => {
      const big = `{"pad":"${'x'.repeat(MiB)}"}`;
      const announced = await post(f, 'erp', big);
      assert.equal(announced.status, 413);
      assert.equal(errorCode(announced), 'LL_ERR_BODY_TOO_LARGE');
      const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= 2 * MiB) return controller.close();
          sent += chunk.length;
          controller.enqueue(chunk);
        },
      });
      const streamed = await request(`${f.url}/v1/events/erp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...f.auth },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      assert.equal(streamed.status, 413);
      assert.equal(errorCode(streamed), 'LL_ERR_BODY_TOO_LARGE');
    });

    test('gzip is inflated under the limit; a gzip bomb is 413; other encodings 415', async () => {
      const ok = await post(f, 'erp', gzipSync('{"id":"gz-1"}'), { 'content-encoding': 'gzip', 'webhook-id': 'gz-1' });
      assert.equal(ok.status, 202);
      const row = await inboxRow((ok.json as Accepted).eventId);
      assert.equal(row?.payload, '{"id":"gz-1"}');
      const bomb = gzipSync(Buffer.alloc(64 * MiB, 0x20));
      assert.ok(bomb.length < MiB, 'the bomb itself is under the limit');
      const exploded = await post(f, 'erp', bomb, { 'content-encoding': 'gzip' });
      assert.equal(exploded.status, 413);
      assert.equal(errorCode(exploded), 'LL_ERR_BODY_TOO_LARGE');
      const brotli = await post(f, 'erp', '{}', { 'content-encoding': 'br' });
      assert.equal(brotli.status, 415);
      assert.equal(errorCode(brotli), 'LL_ERR_UNSUPPORTED_MEDIA_TYPE');
      const garbage = await post(f, 'erp', 'not gzip at all', { 'content-encoding': 'gzip' });
      assert.equal(garbage.status, 400);
      assert.equal(errorCode(garbage), 'LL_ERR_BAD_REQUEST');
    });

    test('non-JSON content types and charsets are 415; +json types are accepted', async () => {
      for (const type of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/xml',
        'application/json; charset=iso-8859-1',
      ]) {
        const answer = await post(f, 'erp', '{}', { 'content-type': type });
        assert.equal(answer.status, 415, type);
        assert.equal(errorCode(answer), 'LL_ERR_UNSUPPORTED_MEDIA_TYPE', type);
      }
      const cloud = await post(f, 'erp', '{"id":"ce-1"}', {
        'content-type': 'application/cloudevents+json; charset=utf-8',
      });
      assert.equal(cloud.status, 202);
    });

    test('an unknown system is 404 LL_ERR_UNKNOWN_SYSTEM', async () => {
      const answer = await post(f, 'nosuch', '{}');
      assert.equal(answer.status, 404);
      assert.equal(errorCode(answer), 'LL_ERR_UNKNOWN_SYSTEM');
    });

    test('while shutting down, ingest and readiness answer 503', async () => {
      f.app.lifecycle.shuttingDown = true;
      try {
        const answer = await post(f, 'erp', '{}');
        assert.equal(answer.status, 503);
        assert.equal(errorCode(answer), 'LL_ERR_SHUTTING_DOWN');
        const ready = await request(`${f.url}/readyz`);
        assert.equal(ready.status, 503);
        assert.equal(errorCode(ready), 'LL_ERR_SHUTTING_DOWN');
      } finally {
        f.app.lifecycle.shuttingDown = false;
      }
    });

    test('ingest counters by system appear on /metrics', async () => {
      const text = (await request(`${f.url}/metrics`)).text;
      assert.match(text, /ledgerlink_events_accepted_total\{system="erp"\} [1-9]/);
      assert.match(text, /ledgerlink_events_duplicate_total\{system="expense"\} 49/);
      assert.match(text, /ledgerlink_events_rejected_total\{system="erp",code="LL_ERR_JSON_DUPLICATE_KEY"\} 1/);
      assert.match(text, /ledgerlink_events_rejected_total\{system="\(unknown\)",code="LL_ERR_UNKNOWN_SYSTEM"\} 1/);
      assert.match(text, /ledgerlink_inbox_waiting [1-9]/, 'the api role does not dispatch, so events wait');
    });
  });
}

describe('graceful shutdown under load [sqlite]', () => {
  test('every 202 answered before or during shutdown is durable; the rest are 503 or refused', async () => {
    const f = await startApp('sqlite', 'api_shutdown', { role: 'api' });
    const location = f.database.location;
    const accepted: string[] = [];
    const other: number[] = [];
    let refused = 0;
    let stopping: Promise<void> | undefined;
    let stopMs = Infinity;
    const sender = async (n: number): Promise<void> => {
      for (let i = 0; ; i++) {
        let answer;
        try {
          answer = await post(f, 'erp', `{"id":"s-${n}-${i}"}`, { 'webhook-id': `s-${n}-${i}` });
        } catch {
          refused++;
          return;
        }
        if (answer.status === 202) accepted.push((answer.json as Accepted).eventId);
        else other.push(answer.status);
        if (accepted.length >= 200 && stopping === undefined) {
          const started = performance.now();
          stopping = f.app.stop().then(() => {
            stopMs = performance.now() - started;
          });
        }
        if (stopping !== undefined && answer.status !== 202) return;
      }
    };
    await Promise.all(Array.from({ length: 20 }, (_, n) => sender(n)));
    await stopping;
    assert.ok(
      stopMs < 5_000,
      `shutdown took ${Math.round(stopMs)} ms; busy keep-alive connections must not hold it up`,
    );
    assert.ok(accepted.length >= 200);
    assert.ok(refused + other.length > 0, 'some deliveries met the shutdown');
    for (const status of other) assert.equal(status, 503);
    const reader = await openStore(location);
    try {
      const rows = await reader.db.selectFrom('inbox_events').select('id').execute();
      const stored = new Set(rows.map((r) => r.id));
      for (const id of accepted) assert.ok(stored.has(id), `${id} was answered 202 and is stored`);
    } finally {
      await reader.close();
      await f.database.drop();
    }
  });
});
