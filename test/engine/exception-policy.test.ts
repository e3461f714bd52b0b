/**
 * Exception policy in the engine, on both stores: a transient failure retrying past the process's
 * escalation time raises a visible `escalated` exception that closes when the step succeeds; and a
 * replay from the start after a confirmed post reuses the effect and sends nothing new.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LedgerlinkError } from '../../src/canonical/errors.js';
import { EchoSinkConnector } from '../../src/connectors/echo/connector.js';
import { Engine } from '../../src/engine/engine.js';
import type { FlowDefinition } from '../../src/engine/step-api.js';
import { CountingSink } from '../helpers/counting-sink.js';
import { echoEvent, fastSettings, startEchoEngine, type EngineFixture } from '../helpers/engine-fixture.js';
import { openTestStore, storeKinds, type TestStore } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';

for (const kind of storeKinds) {
  describe(`transient escalation [${kind}]`, () => {
    let f: EngineFixture;
    let offset = 0;
    let failing = true;
    before(async () => {
      f = await startEchoEngine(kind, 'escalation', {
        now: () => Date.now() + offset,
        processes: {
          echo: {
            owners: { transient: 'ops-night' },
            slaMinutes: { transient: 30 },
            transient: { maxAttempts: 50, escalateAfterMinutes: 1 },
          },
        },
      });
      f.sink.faultFor = () => (failing ? { kind: 'status', status: 503, retryAfter: '1' } : undefined);
    });
    after(async () => f.close());

    test('still retrying after escalateAfterMinutes: an escalated exception while retries go on, resolved when the step succeeds', async () => {
      await f.engine.accept(echoEvent('doc-slow'));
      const run = await waitFor(
        'the run waiting after a first failure',
        async () => (await f.engine.listRuns({ documentId: 'doc-slow', status: 'waiting' })).runs[0],
      );
      // Between attempts (the remote asked for 1 s) the clock moves on two minutes.
      offset += 2 * 60_000;
      const escalated = await waitFor(
        'an escalated exception',
        async () => (await f.engine.listExceptions({ runId: run.id, status: 'escalated' })).exceptions[0],
      );
      assert.equal(escalated.class, 'transient');
      assert.equal(escalated.owner, 'ops-night');
      assert.ok(escalated.slaDueAt !== null);
      const current = (await f.engine.listRuns({ documentId: 'doc-slow' })).runs[0]!;
      assert.notEqual(current.status, 'exception', 'the run keeps retrying');
      failing = false;
      await waitFor(
        'the run posted',
        async () => (await f.engine.listRuns({ documentId: 'doc-slow', status: 'succeeded' })).runs[0],
      );
      const closed = (await f.engine.getException(escalated.id))!;
      assert.equal(closed.status, 'resolved');
      assert.equal(closed.resolvedBy, 'engine');
      assert.equal(
        (await f.engine.listExceptions({ runId: run.id, status: 'escalated' })).exceptions.length,
        0,
        'raised once',
      );
    });
  });

  describe(`replay from the start after a confirmed post [${kind}]`, () => {
    let t: TestStore;
    let sink: CountingSink;
    let engine: Engine;
    let confirmFails = true;
    before(async () => {
      t = await openTestStore(kind, 'replay_start');
      sink = new CountingSink();
      await sink.start();
      const connector = new EchoSinkConnector({ url: sink.url, timeoutMs: 2_000 });
      const flow: FlowDefinition = {
        name: 'post-then-confirm',
        firstStep: 'post',
        route: (event) => ({ documentId: (event.payload as { id: string }).id, version: '1', input: event.payload }),
        steps: {
          post: async (ctx) => {
            const result = await ctx.effect({
              system: 'echo',
              name: 'post',
              lookup: (key) => connector.findByReference(key),
              create: (key) => connector.post(key, ctx.run.input, ctx.run.correlationId),
            });
            return { next: 'confirm', state: { remoteId: result.remoteId, reused: result.reused } };
          },
          confirm: async () => {
            if (confirmFails)
              throw new LedgerlinkError('LL_ERR_REMOTE_REJECTED', 'write-back refused', {
                details: [{ message: 'refused', system: 'procurement' }],
              });
            return { done: true };
          },
        },
      };
      engine = new Engine({ store: t.store, flows: [flow], settings: fastSettings });
      await engine.startWorker();
    });
    after(async () => {
      await engine.stopWorker(2_000);
      await sink.stop();
      await t.close();
    });

    test('the post step runs again, the confirmed effect is reused, the sink sees one write', async () => {
      await engine.accept({ ...echoEvent('doc-twice'), system: 'erp' });
      const exception = await waitFor(
        'the confirm step in exception',
        async () => (await engine.listExceptions({ status: 'open' })).exceptions[0],
      );
      assert.equal(exception.step, 'confirm');
      assert.equal(sink.writes.length, 1);
      confirmFails = false;
      const result = await engine.actOnException(exception.id, {
        action: 'replay',
        actor: 'test',
        replay: { from: 'start', mapping: 'same' },
      });
      assert.equal(result.status, 'retrying');
      await waitFor('the run succeeded', async () => (await engine.listRuns({ status: 'succeeded' })).runs[0]);
      const detail = (await engine.getRun(exception.runId!))!;
      assert.deepEqual(
        detail.steps.map((s) => `${s.step}:${s.status}`),
        ['post:succeeded', 'confirm:failed', 'post:succeeded', 'confirm:succeeded'],
      );
      assert.equal(
        (detail.state as { reused: boolean }).reused,
        true,
        'the second post step reused the confirmed effect',
      );
      assert.equal(sink.writes.length, 1, 'nothing posted twice');
      assert.equal(detail.effects.length, 1);
      assert.equal((await engine.getException(exception.id))!.status, 'resolved');
    });
  });
}
