/** Poison messages, lease fencing and audit tampering, on both stores. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EchoSinkConnector } from '../../src/connectors/echo/connector.js';
import { Engine } from '../../src/engine/engine.js';
import type { FlowDefinition } from '../../src/engine/step-api.js';
import { CountingSink } from '../helpers/counting-sink.js';
import { echoEvent, fastSettings, startEchoEngine, type EngineFixture } from '../helpers/engine-fixture.js';
import { openTestStore, storeKinds, type TestStore } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';

for (const kind of storeKinds) {
  describe(`poison messages [${kind}]`, () => {
    let f: EngineFixture;
    before(async () => {
      f = await startEchoEngine(kind, 'poison', { owners: { transient: 'night-shift' } });
      f.sink.faultFor = (body) => (body.includes('"poison":true') ? { kind: 'status', status: 503 } : undefined);
    });
    after(async () => f.close());

    test('a message that fails every time goes to the exception queue after N attempts; others are unaffected', async () => {
      await f.engine.accept(echoEvent('doc-poison', {}, { poison: true }));
      for (let i = 0; i < 10; i++) await f.engine.accept(echoEvent(`doc-ok-${i}`));
      const run = await waitFor(
        'poison run in exception',
        async () => (await f.engine.listRuns({ documentId: 'doc-poison', status: 'exception' })).runs[0],
      );
      const detail = (await f.engine.getRun(run.id))!;
      assert.equal(detail.steps.length, fastSettings.maxAttempts);
      assert.deepEqual(
        detail.steps.map((s) => s.status),
        [...Array(fastSettings.maxAttempts - 1).fill('retrying'), 'failed'],
      );
      const exception = detail.exceptions[0]!;
      assert.equal(exception.class, 'transient');
      assert.equal(exception.code, 'LL_ERR_ATTEMPTS_EXHAUSTED');
      assert.equal(exception.owner, 'night-shift', 'owners are configurable');
      assert.equal(detail.jobs[0]!.status, 'dead');
      await waitFor(
        'the ten others posted',
        async () => (await f.engine.listRuns({ status: 'succeeded' })).runs.length === 10,
      );
      assert.equal(f.sink.writes.length, 10);
    });
  });

  describe(`lease fencing [${kind}]`, () => {
    let t: TestStore;
    let sink: CountingSink;
    before(async () => {
      t = await openTestStore(kind, 'fencing');
      sink = new CountingSink();
      await sink.start();
    });
    after(async () => {
      await sink.stop();
      await t.close();
    });

    test('a worker whose lease was taken over finishes late: its writes and completion are rejected', async () => {
      const connector = new EchoSinkConnector({ url: sink.url });
      const invocations = new Map<string, number>();
      const staleOutcomes: string[] = [];
      let takeOver: () => void = () => undefined;
      const takenOver = new Promise<void>((resolve) => (takeOver = resolve));
      const slowFlow: FlowDefinition = {
        name: 'slow',
        firstStep: 'post',
        route: (event) => ({ documentId: (event.payload as { id: string }).id, version: '1', input: event.payload }),
        steps: {
          post: async (ctx) => {
            const mine = (invocations.get(ctx.run.documentId) ?? 0) + 1;
            invocations.set(ctx.run.documentId, mine);
            if (mine === 1) {
              await takenOver; // the lease moves to another holder while this step is still running
              await new Promise((r) => setTimeout(r, 250)); // the heartbeat notices
            }
            const writes = ctx.run.documentId === 'doc-writes';
            try {
              const result = writes
                ? await ctx.effect({
                    system: 'echo',
                    name: 'post',
                    lookup: (key) => connector.findByReference(key),
                    create: (key) => connector.post(key, ctx.run.input, ctx.run.correlationId),
                  })
                : { remoteId: 'none' };
              if (mine === 1) staleOutcomes.push(`${ctx.run.documentId}: returned`);
              return { done: true, state: { by: mine, remoteId: result.remoteId } };
            } catch (error) {
              if (mine === 1)
                staleOutcomes.push(`${ctx.run.documentId}: ${(error as { code?: string }).code ?? String(error)}`);
              throw error;
            }
          },
        },
      };
      const engine = new Engine({
        store: t.store,
        flows: [slowFlow],
        settings: { ...fastSettings, leaseMs: 300, concurrency: 4 },
      });
      await engine.startWorker();
      try {
        await engine.accept({ ...echoEvent('doc-writes'), system: 'erp' });
        await engine.accept({ ...echoEvent('doc-completes'), system: 'erp' });
        await waitFor('both steps running', () => invocations.size === 2);
        // Another holder takes both jobs as a claim after lease expiry would (new fencing token); it never renews.
        const stolen = await t.store.writeTransaction((tx) =>
          tx
            .updateTable('jobs')
            .set((eb) => ({
              lease_owner: 'intruder',
              lease_token: eb('lease_token', '+', 1),
              lease_until: Date.now() + 300,
            }))
            .where('status', '=', 'running')
            .executeTakeFirst(),
        );
        assert.equal(stolen.numUpdatedRows, 2n);
        takeOver();
        await waitFor(
          'both runs succeeded',
          async () => (await engine.listRuns({ status: 'succeeded' })).runs.length === 2 || undefined,
        );
        assert.deepEqual(staleOutcomes.sort(), ['doc-completes: returned', 'doc-writes: LL_ERR_LEASE_LOST']);
        assert.equal(sink.writes.length, 1, 'the stale worker wrote nothing; the live one wrote once');
        for (const documentId of ['doc-writes', 'doc-completes']) {
          const run = (await engine.listRuns({ documentId })).runs[0]!;
          const detail = (await engine.getRun(run.id))!;
          assert.equal((detail.state as { by: number }).by, 2, `${documentId}: the run records the live attempt`);
          assert.equal(detail.steps.length, 1, `${documentId}: the stale completion recorded nothing`);
        }
      } finally {
        await engine.stopWorker(2_000);
      }
    });
  });

  describe(`crash loops [${kind}]`, () => {
    let t: TestStore;
    before(async () => {
      t = await openTestStore(kind, 'crash_loop');
    });
    after(async () => t.close());

    test('a step whose worker dies every time ends in the exception queue instead of looping', async () => {
      const hangs: FlowDefinition = {
        name: 'hangs',
        firstStep: 'post',
        route: (event) => ({ documentId: event.id, version: '1', input: event.payload }),
        steps: { post: () => new Promise(() => undefined) },
      };
      const engine = new Engine({ store: t.store, flows: [hangs], settings: { ...fastSettings, leaseMs: 300 } });
      await engine.startWorker();
      try {
        await engine.accept({ ...echoEvent('doc-loop'), system: 'erp' });
        const job = await waitFor('job running', async () =>
          t.store.db.selectFrom('jobs').selectAll().where('status', '=', 'running').executeTakeFirst(),
        );
        // As if every earlier holder had died mid-step: the attempts are used up and the lease lapsed.
        await t.store.writeTransaction((tx) =>
          tx.updateTable('jobs').set({ attempts: job.max_attempts, lease_until: 0 }).where('id', '=', job.id).execute(),
        );
        const run = await waitFor(
          'run in exception',
          async () => (await engine.listRuns({ status: 'exception' })).runs[0],
        );
        const detail = (await engine.getRun(run.id))!;
        assert.equal(detail.exceptions[0]!.code, 'LL_ERR_ATTEMPTS_EXHAUSTED');
        assert.equal(detail.exceptions[0]!.class, 'transient');
        assert.match(detail.exceptions[0]!.message, /without finishing/);
        assert.equal(detail.jobs[0]!.status, 'dead');
      } finally {
        await engine.stopWorker(100);
      }
    });
  });

  describe(`audit tampering [${kind}]`, () => {
    let f: EngineFixture;
    before(async () => {
      f = await startEchoEngine(kind, 'audit');
      for (let i = 0; i < 4; i++) await f.engine.accept(echoEvent(`doc-a${i}`));
      await waitFor('four runs', async () => (await f.engine.listRuns({ status: 'succeeded' })).runs.length === 4);
      await f.engine.stopWorker();
    });
    after(async () => f.close());

    const db = () => f.engine.store.db;

    test('an intact chain verifies', async () => {
      const verdict = await f.engine.verifyAudit();
      assert.deepEqual(verdict, { ok: true, rowsChecked: 8 });
    });

    test('editing a row fails verification at that row', async () => {
      const original = await db().selectFrom('audit_log').select('data').where('seq', '=', 3).executeTakeFirstOrThrow();
      await db().updateTable('audit_log').set({ data: '{"runKey":"forged"}' }).where('seq', '=', 3).execute();
      const verdict = await f.engine.verifyAudit();
      await db().updateTable('audit_log').set({ data: original.data }).where('seq', '=', 3).execute();
      assert.equal(verdict.ok, false);
      assert.equal(verdict.firstBad?.seq, 3);
      assert.equal((await f.engine.verifyAudit()).ok, true);
    });

    test('deleting a row fails verification where it was', async () => {
      const row = await db().selectFrom('audit_log').selectAll().where('seq', '=', 5).executeTakeFirstOrThrow();
      await db().deleteFrom('audit_log').where('seq', '=', 5).execute();
      const verdict = await f.engine.verifyAudit();
      await db().insertInto('audit_log').values(row).execute();
      assert.equal(verdict.ok, false);
      assert.equal(verdict.firstBad?.seq, 5);
    });

    test('deleting the last row is caught by the chain head', async () => {
      const row = await db().selectFrom('audit_log').selectAll().where('seq', '=', 8).executeTakeFirstOrThrow();
      await db().deleteFrom('audit_log').where('seq', '=', 8).execute();
      const verdict = await f.engine.verifyAudit();
      await db().insertInto('audit_log').values(row).execute();
      assert.equal(verdict.ok, false);
      assert.equal(verdict.firstBad?.seq, 8);
    });

    test('reordering two rows fails verification at the first of them', async () => {
      const [a, b] = await db().selectFrom('audit_log').selectAll().where('seq', 'in', [2, 6]).orderBy('seq').execute();
      const swap = async (from: typeof a, to: typeof a) =>
        db()
          .updateTable('audit_log')
          .set({
            at: from!.at,
            actor: from!.actor,
            action: from!.action,
            subject: from!.subject,
            correlation_id: from!.correlation_id,
            data: from!.data,
            prev_hash: from!.prev_hash,
            hash: from!.hash,
          })
          .where('seq', '=', to!.seq)
          .execute();
      await swap(b, a);
      await swap(a, b);
      const verdict = await f.engine.verifyAudit();
      await swap(a, a);
      await swap(b, b);
      assert.equal(verdict.ok, false);
      assert.equal(verdict.firstBad?.seq, 2);
      assert.equal((await f.engine.verifyAudit()).ok, true);
    });
  });
}
