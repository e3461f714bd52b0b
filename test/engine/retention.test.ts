/**
 * Payload retention on both stores: payloads of finished runs and their events older than the limit
 * become digest markers (a dry run only counts); runs, effects, audit and dedupe keys stay, so a late
 * duplicate is still recognised; a run still in exception keeps its payload.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { echoEvent, startEchoEngine, waitForRuns, type EngineFixture } from '../helpers/engine-fixture.js';
import { storeKinds } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';

for (const kind of storeKinds) {
  describe(`payload retention [${kind}]`, () => {
    let f: EngineFixture;
    let offset = 0;
    before(async () => {
      f = await startEchoEngine(kind, 'retention', { now: () => Date.now() + offset, retention: { payloadDays: 7 } });
      f.sink.faultFor = (body) => (body.includes('"keep":true') ? { kind: 'status', status: 422 } : undefined);
    });
    after(async () => f.close());

    test('old payloads of finished runs are pruned to markers; everything else is kept', async () => {
      for (let i = 0; i < 3; i++) await f.engine.accept(echoEvent(`doc-old-${i}`));
      await f.engine.accept(echoEvent('doc-open', {}, { keep: true }));
      await waitForRuns(f.engine, 'succeeded', 3);
      await waitFor(
        'the open run in exception',
        async () => (await f.engine.listRuns({ status: 'exception' })).runs[0],
      );
      offset = 8 * 86_400_000;
      const dry = (await f.engine.prune({ actor: 'test', dryRun: true }))!;
      assert.deepEqual([dry.dryRun, dry.runs, dry.events], [true, 3, 3]);
      const untouched = await f.t.store.db.selectFrom('runs').select('input').execute();
      assert.ok(
        untouched.every((r) => !r.input.includes('$pruned')),
        'a dry run changes nothing',
      );
      const result = (await f.engine.prune({ actor: 'test' }))!;
      assert.deepEqual([result.runs, result.events], [3, 3]);
      const runs = await f.t.store.db.selectFrom('runs').select(['document_id', 'input', 'status']).execute();
      for (const run of runs) {
        if (run.document_id === 'doc-open') assert.match(run.input, /"keep":true/);
        else assert.match(run.input, /^\{"\$pruned":\{"digest":"sha256:[0-9a-f]{64}","bytes":\d+,"at":/);
      }
      const events = await f.t.store.db.selectFrom('inbox_events').select(['dedupe_key', 'payload']).execute();
      assert.equal(events.length, 4, 'inbox rows and their dedupe keys are kept');
      assert.equal(events.filter((e) => e.payload.includes('$pruned')).length, 3);
      const effects = await f.t.store.db.selectFrom('effects').select('status').execute();
      assert.equal(effects.filter((e) => e.status === 'confirmed').length, 3, 'effects kept');
      const audit = await f.t.store.db
        .selectFrom('audit_log')
        .select('data')
        .where('action', '=', 'retention.pruned')
        .execute();
      assert.equal(audit.length, 1);
      assert.equal((JSON.parse(audit[0]!.data) as { runs: number }).runs, 3);
      const late = await f.engine.accept(echoEvent('doc-old-0'));
      assert.equal(late.duplicate, true, 'a late duplicate is still recognised');
      assert.equal((await f.engine.prune({ actor: 'test' }))!.runs, 0, 'nothing pruned twice');
      assert.ok((await f.engine.verifyAudit()).ok);
    });
  });
}
