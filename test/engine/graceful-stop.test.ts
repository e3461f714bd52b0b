/**
 * A worker's graceful stop (SIGTERM on `ledgerlink serve`, a rolling restart), on both stores: it
 * stops claiming; a step that finishes within the grace period completes and is recorded; a step that
 * does not is handed back at the end of the grace period (queued, lease cleared, the attempt not
 * charged), so the next worker takes it at once instead of waiting for the lease to expire. The step
 * left running in the stopped worker can no longer record anything (its completion is fenced out).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Engine } from '../../src/engine/engine.js';
import type { FlowDefinition } from '../../src/engine/step-api.js';
import { echoEvent, fastSettings } from '../helpers/engine-fixture.js';
import { openTestStore, storeKinds, type TestStore } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';

/** Generous, so the quick step finishes within it even on a loaded machine; the slow one never does. */
const GRACE_MS = 4_000;
/** Long enough that only the graceful hand-back, not lease expiry, lets the next worker take the job. */
const LEASE_MS = 60_000;

for (const kind of storeKinds) {
  describe(`graceful worker stop [${kind}]`, () => {
    let t: TestStore;
    before(async () => {
      t = await openTestStore(kind, 'graceful_stop');
    });
    after(async () => t.close());

    test('steps finishing within the grace period complete; the others are handed back and the next worker takes them', async () => {
      const attempts: string[] = [];
      let releaseStale: () => void = () => undefined;
      const staleMayFinish = new Promise<void>((resolve) => (releaseStale = resolve));
      let releaseQuick: () => void = () => undefined;
      const quickMayFinish = new Promise<void>((resolve) => (releaseQuick = resolve));
      const flow: FlowDefinition = {
        name: 'rolling',
        firstStep: 'post',
        route: (event) => ({ documentId: (event.payload as { id: string }).id, version: '1', input: event.payload }),
        steps: {
          post: async (ctx) => {
            const documentId = ctx.run.documentId;
            const attempt = attempts.filter((a) => a === documentId).length + 1;
            attempts.push(documentId);
            if (documentId === 'doc-quick')
              await quickMayFinish; // finishes during the grace period
            else if (attempt === 1) await staleMayFinish; // outlives the grace period
            return { done: true, state: { attempt } };
          },
        },
      };
      const settings = { ...fastSettings, leaseMs: LEASE_MS, concurrency: 4 };
      const first = new Engine({ store: t.store, flows: [flow], settings });
      const next = new Engine({ store: t.store, flows: [flow], settings });
      await first.startWorker();
      try {
        await first.accept({ ...echoEvent('doc-quick'), system: 'erp' });
        await first.accept({ ...echoEvent('doc-slow'), system: 'erp' });
        await waitFor('both steps running', () => attempts.length === 2);

        const started = performance.now();
        const stopping = first.stopWorker(GRACE_MS);
        setTimeout(releaseQuick, 100);
        const stopped = await stopping;
        const stopMs = performance.now() - started;
        assert.deepEqual(stopped, { finished: 1, released: 1 });
        assert.ok(stopMs >= GRACE_MS - 50, `the slow step was given the grace period (${Math.round(stopMs)} ms)`);

        const slowJob = await t.store.db
          .selectFrom('jobs')
          .innerJoin('runs', 'runs.id', 'jobs.run_id')
          .select(['jobs.status', 'jobs.lease_owner', 'jobs.lease_until', 'jobs.attempts'])
          .where('runs.document_id', '=', 'doc-slow')
          .executeTakeFirstOrThrow();
        assert.equal(slowJob.status, 'queued', 'handed back');
        assert.equal(slowJob.lease_owner, null);
        assert.equal(slowJob.lease_until, null);
        assert.equal(slowJob.attempts, 0, 'the interrupted attempt is not charged');

        const handover = performance.now();
        await next.startWorker();
        const slowRun = await waitFor(
          'the next worker completes the handed-back step',
          async () => (await next.listRuns({ documentId: 'doc-slow', status: 'succeeded' })).runs[0],
        );
        console.log(
          `[${kind}] graceful stop: ${Math.round(stopMs)} ms with a ${GRACE_MS} ms grace period; the next worker finished the handed-back step ${Math.round(performance.now() - handover)} ms later (lease ${LEASE_MS} ms)`,
        );

        // The stopped worker's step now returns: its completion is fenced out and records nothing.
        releaseStale();
        await new Promise((resolve) => setTimeout(resolve, 200));
        const detail = (await next.getRun(slowRun.id))!;
        assert.equal(detail.steps.length, 1, 'one step recorded: the live attempt');
        assert.deepEqual(detail.state, { attempt: 2 });
        const quick = (await next.listRuns({ documentId: 'doc-quick' })).runs[0]!;
        assert.equal(quick.status, 'succeeded', 'the step that finished within the grace period was recorded');
        assert.deepEqual([...attempts].sort(), ['doc-quick', 'doc-slow', 'doc-slow']);
      } finally {
        releaseQuick();
        releaseStale();
        await first.stopWorker(100);
        await next.stopWorker(2_000);
      }
    });
  });
}
