/** One conformance suite for the Store port, run against SQLite and PostgreSQL. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isLedgerlinkError } from '../../src/canonical/errors.js';
import { newId } from '../../src/engine/ids.js';
import { enqueueJob, fence } from '../../src/engine/jobs.js';
import { openStore } from '../../src/store/open-store.js';
import type { NewInboxEvent } from '../../src/store/port.js';
import { openTestStore, storeKinds, type TestStore } from '../helpers/stores.js';

function inboxEvent(system: string, dedupeKey: string, now = Date.now()): NewInboxEvent {
  return {
    id: newId('evt', now),
    system,
    dedupeKey,
    eventType: 'test.event',
    receivedAt: now,
    correlationId: newId('cor', now),
    contentType: 'application/json',
    payload: '{"id":"1"}',
    headers: '{}',
  };
}

for (const kind of storeKinds) {
  describe(`store conformance [${kind}]`, () => {
    let t: TestStore;
    before(async () => {
      t = await openTestStore(kind, 'conformance');
    });
    after(async () => t.close());

    test('migrations are numbered, applied once, and re-running them is a no-op', async () => {
      const status = await t.store.migrationStatus();
      assert.equal(status.current, status.known);
      assert.deepEqual(status.pending, []);
      const again = await t.store.migrate();
      assert.equal(again.current, status.current);
    });

    test('a schema newer than this build is refused with LL_ERR_SCHEMA_TOO_NEW', async () => {
      await t.store.db
        .insertInto('schema_migrations')
        .values({ version: 999, name: 'from the future', applied_at: Date.now() })
        .execute();
      try {
        await assert.rejects(
          openStore(t.database.location),
          (e: unknown) => isLedgerlinkError(e) && e.code === 'LL_ERR_SCHEMA_TOO_NEW' && /999/.test(e.message),
        );
        await assert.rejects(
          t.store.assertSchemaUsable(),
          (e: unknown) => isLedgerlinkError(e) && e.code === 'LL_ERR_SCHEMA_TOO_NEW',
        );
      } finally {
        await t.store.db.deleteFrom('schema_migrations').where('version', '=', 999).execute();
      }
    });

    test('inbox batches dedupe on (system, dedupe key), within a batch and across batches', async () => {
      const first = inboxEvent('erp', 'd-1');
      const results = await t.store.insertInboxBatch([
        first,
        inboxEvent('erp', 'd-1'),
        inboxEvent('expense', 'd-1'),
        inboxEvent('erp', 'd-2'),
      ]);
      assert.deepEqual(
        results.map((r) => r.duplicate),
        [false, true, false, false],
      );
      assert.equal(results[1]!.eventId, first.id);
      assert.equal(results[1]!.correlationId, first.correlationId);
      const later = await t.store.insertInboxBatch([inboxEvent('erp', 'd-1', Date.now() + 72 * 3_600_000)]);
      assert.equal(later[0]!.duplicate, true);
      assert.equal(later[0]!.eventId, first.id);
      const rows = await t.store.db.selectFrom('inbox_events').select('id').where('dedupe_key', '=', 'd-1').execute();
      assert.equal(rows.length, 2);
    });

    test('claims hand each due job to one owner, and an expired lease can be reclaimed with a new token', async () => {
      const now = Date.now();
      const runId = newId('run');
      const jobIds = await t.store.writeTransaction(async (tx) => {
        const ids: string[] = [];
        for (let i = 0; i < 6; i++)
          ids.push(await enqueueJob(t.store, tx, { runId, step: 's', maxAttempts: 3, runAt: now, now }));
        return ids;
      });
      const [a, b] = await Promise.all([
        t.store.claimJobs({ owner: 'a', limit: 3, leaseMs: 50, now }),
        t.store.claimJobs({ owner: 'b', limit: 3, leaseMs: 60_000, now }),
      ]);
      const claimed = [...a, ...b].map((j) => j.id).sort();
      assert.deepEqual(claimed, [...jobIds].sort(), 'every job claimed exactly once');
      assert.equal(new Set(claimed).size, claimed.length);
      const nothing = await t.store.claimJobs({ owner: 'c', limit: 10, leaseMs: 1_000, now: now + 10 });
      assert.equal(nothing.length, 0, 'live leases are not handed out again');
      const reclaimed = await t.store.claimJobs({ owner: 'c', limit: 10, leaseMs: 1_000, now: now + 100 });
      assert.deepEqual(
        reclaimed.map((j) => j.id).sort(),
        a.map((j) => j.id).sort(),
        'only expired leases are reclaimed',
      );
      const stale = a[0]!;
      const fresh = reclaimed.find((j) => j.id === stale.id)!;
      assert.equal(fresh.leaseToken, stale.leaseToken + 1);
      assert.equal(fresh.attempts, stale.attempts + 1);
      await assert.rejects(
        t.store.writeTransaction((tx) => fence(tx, { job: stale, leaseMs: 1_000 }, now + 100)),
        (e: unknown) => isLedgerlinkError(e) && e.code === 'LL_ERR_LEASE_LOST',
      );
      await t.store.writeTransaction((tx) => fence(tx, { job: fresh, leaseMs: 1_000 }, now + 100));
    });

    test('a failed write transaction leaves nothing behind', async () => {
      const id = newId('run');
      await assert.rejects(
        t.store.writeTransaction(async (tx) => {
          await enqueueJob(t.store, tx, { runId: id, step: 's', maxAttempts: 1, runAt: 0, now: 0 });
          throw new Error('boom');
        }),
        /boom/,
      );
      const rows = await t.store.db.selectFrom('jobs').select('id').where('run_id', '=', id).execute();
      assert.equal(rows.length, 0);
    });

    test('job signals reach subscribers after commit', async () => {
      let signalled = 0;
      const off = await t.store.onJobsSignal(() => signalled++);
      await t.store.writeTransaction(async (tx) => {
        await enqueueJob(t.store, tx, {
          runId: newId('run'),
          step: 's',
          maxAttempts: 1,
          runAt: Date.now() + 3_600_000,
          now: Date.now(),
        });
      });
      for (let i = 0; i < 50 && signalled === 0; i++) await new Promise((r) => setTimeout(r, 20));
      await off();
      assert.ok(signalled >= 1);
    });
  });
}
