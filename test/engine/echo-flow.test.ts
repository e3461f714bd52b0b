/** The engine end to end with the echo flow against a counting HTTP sink, on both stores. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { idempotencyKey } from '../../src/engine/keys.js';
import { runKeyOf } from '../../src/engine/keys.js';
import { countRows, echoEvent, startEchoEngine, waitForRuns, type EngineFixture } from '../helpers/engine-fixture.js';
import { storeKinds } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';

const referenceOf = (documentId: string, version = '1'): string =>
  idempotencyKey(runKeyOf('echo', 'echo', documentId, version), 'post', 'post');

for (const kind of storeKinds) {
  describe(`engine with the echo flow [${kind}]`, () => {
    let f: EngineFixture;
    before(async () => {
      f = await startEchoEngine(kind, 'echo_flow');
    });
    after(async () => f.close());

    test('each accepted event becomes one run whose write lands once, traced by its correlation ID', async () => {
      const accepted = await Promise.all(
        Array.from({ length: 20 }, (_, i) => f.engine.accept(echoEvent(`doc-${i}`, { correlationId: `corr-${i}` }))),
      );
      assert.ok(accepted.every((a) => !a.duplicate));
      await waitForRuns(f.engine, 'succeeded', 20);
      for (let i = 0; i < 20; i++) assert.equal(f.sink.count(referenceOf(`doc-${i}`)), 1, `doc-${i} written once`);
      assert.equal(f.sink.writes.length, 20);
      const write = f.sink.writes.find((w) => w.reference === referenceOf('doc-3'))!;
      assert.equal(write.correlationId, 'corr-3');
      const traceId = createHash('sha256').update('corr-3').digest('hex').slice(0, 32);
      assert.match(
        write.traceparent ?? '',
        new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`),
        'the write carries the document trace',
      );
      assert.match(write.body, /"amount":"100.00"/);

      const { runs } = await f.engine.listRuns({ documentId: 'doc-3' });
      assert.equal(runs.length, 1);
      const detail = await f.engine.getRun(runs[0]!.id);
      assert.ok(detail);
      assert.equal(detail.status, 'succeeded');
      assert.equal(detail.correlationId, 'corr-3');
      assert.equal(detail.steps.length, 1);
      assert.equal(detail.steps[0]!.status, 'succeeded');
      assert.match(detail.steps[0]!.payloadDigest ?? '', /^[0-9a-f]{64}$/);
      assert.equal(detail.effects[0]!.status, 'confirmed');
      assert.equal(detail.effects[0]!.remoteId, write.id);

      const trace = await f.engine.trace('corr-3');
      assert.deepEqual(
        trace.map((e) => e.kind),
        ['event', 'run', 'effect', 'step'],
      );
    });

    test('50 concurrent deliveries of one event make one inbox row and one run', async () => {
      const answers = await Promise.all(Array.from({ length: 50 }, () => f.engine.accept(echoEvent('doc-dup'))));
      assert.equal(new Set(answers.map((a) => a.eventId)).size, 1);
      assert.equal(answers.filter((a) => !a.duplicate).length, 1);
      await waitFor(
        'run for doc-dup',
        async () => (await f.engine.listRuns({ documentId: 'doc-dup', status: 'succeeded' })).runs.length === 1,
      );
      assert.equal(f.sink.count(referenceOf('doc-dup')), 1);
    });

    test('the same document by two channels (different event IDs) makes one run', async () => {
      const webhook = await f.engine.accept(echoEvent('doc-2ch', { deliveryId: 'webhook-77' }));
      const poll = await f.engine.accept(echoEvent('doc-2ch', { deliveryId: 'poll-2026-11-25T10:00' }));
      assert.notEqual(webhook.eventId, poll.eventId);
      assert.equal(poll.duplicate, false);
      await waitFor('both events dispatched', async () => {
        const rows = await f.engine.store.db
          .selectFrom('inbox_events')
          .select(['status', 'note'])
          .where('id', 'in', [webhook.eventId, poll.eventId])
          .execute();
        return rows.every((r) => r.status === 'dispatched') ? rows : undefined;
      });
      const { runs } = await f.engine.listRuns({ documentId: 'doc-2ch' });
      assert.equal(runs.length, 1);
      await waitFor('doc-2ch posted', () => f.sink.count(referenceOf('doc-2ch')) === 1);
    });

    test('a write committed by the target whose answer was lost is found by reference, not sent again', async () => {
      f.sink.inject({ kind: 'commit-then-drop' });
      await f.engine.accept(echoEvent('doc-drop'));
      await waitFor(
        'doc-drop run succeeded',
        async () => (await f.engine.listRuns({ documentId: 'doc-drop', status: 'succeeded' })).runs[0],
      );
      assert.equal(f.sink.count(referenceOf('doc-drop')), 1);
      const run = (await f.engine.listRuns({ documentId: 'doc-drop' })).runs[0]!;
      const detail = (await f.engine.getRun(run.id))!;
      assert.equal(detail.effects[0]!.result, 'found by reference after an unknown outcome');
      assert.deepEqual(
        detail.steps.map((s) => s.status),
        ['retrying', 'succeeded'],
      );
    });

    test('Retry-After from the target is honoured before the next attempt', async () => {
      f.sink.inject({ kind: 'status', status: 429, retryAfter: '1' });
      const accepted = await f.engine.accept(echoEvent('doc-429'));
      const run = await waitFor(
        'doc-429 run succeeded',
        async () => (await f.engine.listRuns({ documentId: 'doc-429', status: 'succeeded' })).runs[0],
      );
      const detail = (await f.engine.getRun(run.id))!;
      assert.equal(detail.steps[0]!.status, 'retrying');
      assert.equal(detail.steps[0]!.errorCode, 'LL_ERR_REMOTE_TRANSIENT');
      const waited = Date.parse(detail.steps[1]!.startedAt!) - Date.parse(detail.steps[0]!.finishedAt!);
      assert.ok(waited >= 1_000, `waited ${waited} ms, Retry-After asked for 1000`);
      assert.equal(f.sink.count(referenceOf('doc-429')), 1);
      assert.ok(accepted.eventId);
    });

    test('a rejection by the target becomes an exception at once, owned by the AP team', async () => {
      f.sink.inject({ kind: 'status', status: 422 });
      await f.engine.accept(echoEvent('doc-422'));
      const run = await waitFor(
        'doc-422 exception',
        async () => (await f.engine.listRuns({ documentId: 'doc-422', status: 'exception' })).runs[0],
      );
      const detail = (await f.engine.getRun(run.id))!;
      assert.equal(detail.steps.length, 1, 'not retried');
      assert.equal(detail.exceptions[0]!.class, 'business_rejection');
      assert.equal(detail.exceptions[0]!.owner, 'ap-team');
      assert.equal(detail.exceptions[0]!.code, 'LL_ERR_REMOTE_REJECTED');
    });

    test('an event no flow handles is quarantined as an exception, not dropped', async () => {
      const accepted = await f.engine.accept({ ...echoEvent('doc-q'), system: 'procurement' });
      const row = await waitFor('quarantine', async () =>
        f.engine.store.db
          .selectFrom('exceptions')
          .selectAll()
          .where('event_id', '=', accepted.eventId)
          .executeTakeFirst(),
      );
      assert.equal(row.code, 'LL_ERR_UNKNOWN_FLOW');
      assert.equal(row.class, 'validation');
      assert.equal(row.owner, 'finance-ops');
      const event = await f.engine.store.db
        .selectFrom('inbox_events')
        .select(['status', 'payload'])
        .where('id', '=', accepted.eventId)
        .executeTakeFirstOrThrow();
      assert.equal(event.status, 'quarantined');
      assert.match(event.payload, /doc-q/);
    });

    test('the audit chain verifies after all of this', async () => {
      const verdict = await f.engine.verifyAudit();
      assert.equal(verdict.ok, true, JSON.stringify(verdict));
      assert.ok(verdict.rowsChecked > 20);
      assert.ok((await countRows(f.engine, 'effects', { status: 'confirmed' })) >= 24);
    });
  });
}
