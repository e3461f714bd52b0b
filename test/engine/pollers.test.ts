/** Pollers: due polls store events through the inbox, the cursor moves, a re-poll is deduplicated, failures keep the cursor. */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Engine } from '../../src/engine/engine.js';
import { nextRunAt, nextScheduledTime } from '../../src/engine/poll-schedule.js';
import type { FlowDefinition, PollContext } from '../../src/engine/step-api.js';
import { countRows, fastSettings, waitForRuns } from '../helpers/engine-fixture.js';
import { openTestStore, storeKinds } from '../helpers/stores.js';

interface SourceDoc {
  readonly id: string;
  readonly changedAt: string;
}

function pollingFlow(source: SourceDoc[], seen: (string | null)[], fail: { next: boolean }): FlowDefinition {
  return {
    name: 'collect',
    firstStep: 'done',
    route: (event) =>
      event.system === 'source'
        ? { documentId: String((event.payload as { id: string }).id), version: '1', input: event.payload }
        : null,
    steps: {
      done: async () => ({ done: true, facts: { entity: '1010', amount: { amount: '12.50', currency: 'EUR' } } }),
    },
    pollers: [
      {
        name: 'collect:source',
        system: 'source',
        intervalMs: 3_600_000,
        poll: async (ctx: PollContext) => {
          seen.push(ctx.cursor);
          if (fail.next) {
            fail.next = false;
            throw new Error('source unavailable');
          }
          const fresh = source.filter((d) => ctx.cursor === null || d.changedAt >= ctx.cursor);
          return {
            events: fresh.map((d) => ({
              eventType: 'document.ready',
              dedupeKey: `source:${d.id}:1`,
              payload: { id: d.id },
            })),
            cursor: fresh.reduce<string | null>(
              (max, d) => (max === null || d.changedAt > max ? d.changedAt : max),
              ctx.cursor,
            ),
          };
        },
      },
    ],
  };
}

describe('poll schedule', () => {
  test('interval and times of day', () => {
    const now = Date.UTC(2026, 10, 25, 17, 30);
    assert.equal(nextRunAt({ intervalMs: 60_000 }, now), now + 60_000);
    assert.equal(nextScheduledTime(['06:00', '18:00'], now), Date.UTC(2026, 10, 25, 18, 0));
    assert.equal(nextScheduledTime(['06:00'], now), Date.UTC(2026, 10, 26, 6, 0));
    assert.equal(nextRunAt({ intervalMs: 3_600_000, schedule: ['17:45'] }, now), Date.UTC(2026, 10, 25, 17, 45));
  });
});

for (const kind of storeKinds) {
  describe(`pollers [${kind}]`, () => {
    const closers: (() => Promise<void>)[] = [];
    after(async () => {
      for (const close of closers) await close();
    });

    test('a due poller stores events once, moves its cursor, and keeps it when a poll fails', async () => {
      const t = await openTestStore(kind, 'pollers');
      const source: SourceDoc[] = [
        { id: 'A', changedAt: '2026-11-01T10:00:00Z' },
        { id: 'B', changedAt: '2026-11-02T10:00:00Z' },
      ];
      const seen: (string | null)[] = [];
      const fail = { next: false };
      const engine = new Engine({ store: t.store, flows: [pollingFlow(source, seen, fail)], settings: fastSettings });
      closers.push(async () => {
        await engine.stopWorker(1_000);
        await t.close();
      });
      await engine.startWorker();
      await waitForRuns(engine, 'succeeded', 2);
      assert.deepEqual(seen, [null]);

      // The newest document is seen again (>= cursor): deduplicated, no new run.
      source.push({ id: 'C', changedAt: '2026-11-03T10:00:00Z' });
      const second = await engine.pollNow('collect:source');
      assert.equal(second.found, 2);
      assert.equal(second.stored, 1);
      await waitForRuns(engine, 'succeeded', 3);
      assert.equal(await countRows(engine, 'inbox_events'), 3);
      assert.equal(seen[1], '2026-11-02T10:00:00Z');

      fail.next = true;
      const failed = await engine.pollNow('collect:source');
      assert.equal(failed.error, 'source unavailable');
      const [schedule] = await engine.schedules();
      assert.equal(schedule?.cursor, '2026-11-03T10:00:00Z');
      assert.equal(schedule?.last_error, 'source unavailable');
      assert.equal(Number(schedule?.runs), 2);

      const run = await t.store.db
        .selectFrom('runs')
        .selectAll()
        .where('document_id', '=', 'A')
        .executeTakeFirstOrThrow();
      assert.equal(run.entity, '1010');
      assert.equal(run.amount, '12.50');
      assert.equal(run.currency, 'EUR');
    });
  });
}
