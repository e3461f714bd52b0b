/**
 * Document-scoped effects on both stores: two runs of the same document (two versions) write a
 * document-scoped effect once. While the first run is still writing, the second waits
 * (LL_ERR_EFFECT_IN_PROGRESS, retried); once the first has confirmed, the second reuses its result.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Engine } from '../../src/engine/engine.js';
import type { FlowDefinition } from '../../src/engine/step-api.js';
import { fastSettings } from '../helpers/engine-fixture.js';
import { openTestStore, storeKinds, type TestStore } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';

interface Target {
  creates: number;
  readonly held: Map<string, string>;
  /** Resolves when a create has started; the create then waits for `release`. */
  started: Promise<void>;
  release: () => void;
}

function postingOnceFlow(target: Target, gate: Promise<void>, onStart: () => void): FlowDefinition {
  return {
    name: 'posting-once',
    firstStep: 'post',
    route(event) {
      const payload = event.payload as { id: string; version: string };
      return { documentId: payload.id, version: payload.version, input: event.payload };
    },
    steps: {
      post: async (ctx) => {
        const result = await ctx.effect({
          system: 'target',
          name: 'document',
          scope: 'document',
          lookup: async (key) => target.held.get(key) ?? null,
          create: async (key) => {
            onStart();
            await gate;
            target.creates++;
            const id = `DOC-${target.creates}`;
            target.held.set(key, id);
            return id;
          },
        });
        return { done: true, state: { remoteId: result.remoteId, reused: result.reused } };
      },
    },
  };
}

const event = (version: string) => ({
  system: 'source',
  eventType: 'document.approved',
  deliveryId: `delivery-${version}`,
  correlationId: undefined,
  contentType: 'application/json',
  body: JSON.stringify({ id: 'doc-1', version }),
  headers: {},
});

for (const kind of storeKinds) {
  describe(`document-scoped effects [${kind}]`, () => {
    let t: TestStore;
    let engine: Engine;
    let release!: () => void;
    let startedCreate!: () => void;
    const started = new Promise<void>((resolve) => (startedCreate = resolve));
    const target: Target = { creates: 0, held: new Map(), started, release: () => release() };

    before(async () => {
      t = await openTestStore(kind, 'document_scoped_effects');
      const gate = new Promise<void>((resolve) => (release = resolve));
      engine = new Engine({
        store: t.store,
        flows: [postingOnceFlow(target, gate, startedCreate)],
        settings: { ...fastSettings, maxAttempts: 50 },
      });
      await engine.startWorker();
    });
    after(async () => {
      release();
      await engine.stopWorker(2_000);
      await t.close();
    });

    test('a second version waits while the first is writing, then reuses its document: written once', async () => {
      await engine.accept(event('1'));
      await started;
      await engine.accept(event('2'));
      const second = await waitFor(
        'the second version waiting',
        async () => {
          const { runs } = await engine.listRuns({ documentId: 'doc-1' });
          for (const run of runs) {
            const detail = await engine.getRun(run.id);
            if (detail?.steps.some((s) => s.errorCode === 'LL_ERR_EFFECT_IN_PROGRESS')) return detail;
          }
          return undefined;
        },
        15_000,
      );
      assert.equal(target.creates, 0, 'nothing written while the first run holds the write');
      release();
      const done = await waitFor(
        'both runs succeeded',
        async () => {
          const { runs } = await engine.listRuns({ documentId: 'doc-1' });
          return runs.length === 2 && runs.every((r) => r.status === 'succeeded') ? runs : undefined;
        },
        15_000,
      );
      assert.equal(target.creates, 1, 'written once for both versions');
      const states = await Promise.all(
        done.map(async (r) => (await engine.getRun(r.id))?.state as { remoteId: string; reused: boolean }),
      );
      assert.deepEqual(
        states.map((s) => s.remoteId),
        ['DOC-1', 'DOC-1'],
      );
      const waited = states[done.findIndex((r) => r.id === second.id)]!;
      assert.equal(waited.reused, true);
    });
  });
}
