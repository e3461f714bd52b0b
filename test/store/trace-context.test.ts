/**
 * The trace context kept with inbox events and runs (migration 10), on both stores: an event stores
 * the traceparent it was received under, a redelivery keeps the first one, an untraced event has
 * none, and a run row keeps its own.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newId } from '../../src/engine/ids.js';
import type { NewInboxEvent } from '../../src/store/port.js';
import { openTestStore, storeKinds, type TestStore } from '../helpers/stores.js';

const TRACED = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const OTHER = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

function inboxEvent(dedupeKey: string, traceContext?: string | null): NewInboxEvent {
  const now = Date.now();
  return {
    id: newId('evt', now),
    system: 'expense',
    dedupeKey,
    eventType: 'expense_report.approved',
    receivedAt: now,
    correlationId: newId('cor', now),
    contentType: 'application/json',
    payload: '{"documentId":"1"}',
    headers: '{}',
    ...(traceContext === undefined ? {} : { traceContext }),
  };
}

for (const kind of storeKinds) {
  describe(`trace context of events and runs [${kind}]`, () => {
    let t: TestStore;
    before(async () => {
      t = await openTestStore(kind, 'trace_context');
    });
    after(async () => t.close());

    const traceOf = async (id: string): Promise<string | null> =>
      (
        await t.store.db
          .selectFrom('inbox_events')
          .select('trace_context')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).trace_context;

    test('an event keeps the traceparent it was received under; a redelivery keeps the first', async () => {
      const [first] = await t.store.insertInboxBatch([inboxEvent('d-1', TRACED)]);
      assert.equal(first?.duplicate, false);
      assert.equal(await traceOf(first!.eventId), TRACED);
      const [again] = await t.store.insertInboxBatch([inboxEvent('d-1', OTHER)]);
      assert.deepEqual([again?.duplicate, again?.eventId], [true, first!.eventId]);
      assert.equal(await traceOf(first!.eventId), TRACED);
    });

    test('an untraced event has no trace context, whether it says null or nothing', async () => {
      const [a, b] = await t.store.insertInboxBatch([inboxEvent('d-2'), inboxEvent('d-3', null)]);
      assert.equal(await traceOf(a!.eventId), null);
      assert.equal(await traceOf(b!.eventId), null);
    });

    test('a run row keeps its own trace context', async () => {
      const now = Date.now();
      const id = newId('run', now);
      await t.store.writeTransaction(async (tx) => {
        await tx
          .insertInto('runs')
          .values({
            id,
            run_key: `echo:erp:${id}:1`,
            flow: 'echo',
            system: 'erp',
            document_id: id,
            version: '1',
            status: 'pending',
            correlation_id: 'cor_1',
            mapping_version: null,
            event_id: null,
            input: '{}',
            state: '{}',
            current_step: 'echo',
            created_at: now,
            updated_at: now,
            finished_at: null,
            trace_context: OTHER,
          })
          .execute();
      });
      const row = await t.store.db
        .selectFrom('runs')
        .select('trace_context')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(row.trace_context, OTHER);
    });
  });
}
