/**
 * Effects with a shared key on both stores: runs of three different documents that need the same
 * write (an employee's ERP vendor, whichever report needs it first) write it once. While the first
 * run is writing, the others wait (LL_ERR_EFFECT_IN_PROGRESS, retried); then they reuse its result.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Engine } from '../../src/engine/engine.js';
import type { FlowDefinition } from '../../src/engine/step-api.js';
import { fastSettings } from '../helpers/engine-fixture.js';
import { openTestStore, storeKinds, type TestStore } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';

function sharedWriteFlow(target: { creates: number }, gate: Promise<void>, onStart: () => void): FlowDefinition {
  return {
    name: 'shared-write',
    firstStep: 'write',
    route(event) {
      const payload = event.payload as { id: string };
      return { documentId: payload.id, version: '1', input: event.payload };
    },
    steps: {
      write: async (ctx) => {
        const result = await ctx.effect({
          system: 'target',
          name: 'vendor',
          sharedKey: 'employee-vendor:erp:directory:4711',
          lookup: async () => null,
          create: async () => {
            onStart();
            await gate;
            target.creates++;
            return `VENDOR-${target.creates}`;
          },
        });
        return { done: true, state: { remoteId: result.remoteId, reused: result.reused } };
      },
    },
  };
}

const event = (id: string) => ({
  system: 'source',
  eventType: 'document.approved',
  deliveryId: `delivery-${id}`,
  correlationId: undefined,
  contentType: 'application/json',
  body: JSON.stringify({ id }),
  headers: {},
});

for (const kind of storeKinds) {
  describe(`shared-key effects [${kind}]`, () => {
    let t: TestStore;
    let engine: Engine;
    let release!: () => void;
    let startedCreate!: () => void;
    const started = new Promise<void>((resolve) => (startedCreate = resolve));
    const target = { creates: 0 };

    before(async () => {
      t = await openTestStore(kind, 'shared_key_effects');
      const gate = new Promise<void>((resolve) => (release = resolve));
      engine = new Engine({
        store: t.store,
        flows: [sharedWriteFlow(target, gate, startedCreate)],
        settings: { ...fastSettings, maxAttempts: 50 },
      });
      await engine.startWorker();
    });
    after(async () => {
      release();
      await engine.stopWorker(2_000);
      await t.close();
    });

    test('three documents needing the same write: the others wait for the first, then reuse it; written once', async () => {
      await engine.accept(event('report-1'));
      await started;
      await engine.accept(event('report-2'));
      await engine.accept(event('report-3'));
      await waitFor(
        'another run waiting for the write',
        async () => {
          for (const run of (await engine.listRuns({})).runs) {
            const detail = await engine.getRun(run.id);
            if (detail?.steps.some((s) => s.errorCode === 'LL_ERR_EFFECT_IN_PROGRESS')) return true;
          }
          return undefined;
        },
        15_000,
      );
      assert.equal(target.creates, 0, 'nothing written while the first run holds the write');
      release();
      const done = await waitFor(
        'all runs succeeded',
        async () => {
          const { runs } = await engine.listRuns({});
          return runs.length === 3 && runs.every((r) => r.status === 'succeeded') ? runs : undefined;
        },
        15_000,
      );
      assert.equal(target.creates, 1, 'written once for the three documents');
      const states = await Promise.all(
        done.map(async (r) => (await engine.getRun(r.id))?.state as { remoteId: string; reused: boolean }),
      );
      assert.deepEqual(
        states.map((s) => s.remoteId),
        ['VENDOR-1', 'VENDOR-1', 'VENDOR-1'],
      );
      assert.deepEqual(states.map((s) => s.reused).sort(), [false, true, true]);
    });
  });
}
