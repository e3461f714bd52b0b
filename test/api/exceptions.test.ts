/**
 * The exception queue and its actions over real HTTP on both stores, with the echo flow posting to a
 * counting sink that refuses what a test marks: listing with filters and paging, detail, retry (the
 * exception resolved once the run succeeds, superseded when it fails again), replay with an edited
 * payload (original kept, audit row), replay from the start after a write landed (nothing posted twice),
 * resolve and ignore with reasons, bulk with a dry run, and a quarantined event dispatched again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { storeKinds } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';
import { errorCode, postEvent, request, startApp, type AppFixture } from './app-fixture.js';

interface Item {
  readonly id: string;
  readonly status: string;
  readonly class: string;
  readonly owner: string;
  readonly code: string;
  readonly runId: string | null;
  readonly eventId: string | null;
  readonly documentId: string | null;
  readonly correlationId: string | null;
  readonly flow: string | null;
  readonly system: string | null;
  readonly attempts: number | null;
  readonly slaDueAt: string | null;
  readonly runStatus: string | null;
}

for (const kind of storeKinds) {
  describe(`exception queue and actions [${kind}]`, () => {
    let f: AppFixture;
    const refused = new Set<string>();
    const get = async <T>(path: string): Promise<T> => {
      const answer = await request(`${f.url}${path}`, { headers: f.auth });
      assert.equal(answer.status, 200, answer.text);
      return answer.json as T;
    };
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      request(`${f.url}${path}`, {
        method: 'POST',
        headers: { ...f.auth, 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const exceptionOf = (documentId: string, status = 'open') =>
      waitFor(`an ${status} exception for ${documentId}`, async () => {
        const page = await get<{ exceptions: Item[] }>(`/v1/exceptions?status=${status}&limit=500`);
        return page.exceptions.find((x) => x.documentId === documentId);
      });
    const runStatus = async (documentId: string) =>
      (await get<{ runs: { status: string }[] }>(`/v1/runs?documentId=${documentId}`)).runs[0]?.status;
    const auditRows = async (action: string, subject: string) =>
      Number(
        (
          await f.app.store.db
            .selectFrom('audit_log')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('action', '=', action)
            .where('subject', '=', subject)
            .executeTakeFirstOrThrow()
        ).n,
      );

    before(async () => {
      f = await startApp(kind, 'exceptions', {
        echo: true,
        config: {
          echo: { systems: ['erp', 'expense'] },
          processes: {
            echo: {
              owners: { business_rejection: 'ap-emea' },
              slaMinutes: { business_rejection: 240 },
              transient: { maxAttempts: 1 },
            },
          },
        },
      });
      // The sink refuses (422: a business rejection, no automatic retry) documents named in `refused`.
      f.sink!.faultFor = (body) => {
        const id = /"id":"([^"]+)"/.exec(body)?.[1];
        return id !== undefined && refused.has(id) ? { kind: 'status', status: 422 } : undefined;
      };
    });
    after(async () => f.close());

    test('the queue lists exceptions with their run facts, filters and pages them; detail has steps and history', async () => {
      for (const id of ['Q-A', 'Q-B', 'Q-C']) refused.add(id);
      for (const id of ['Q-A', 'Q-B', 'Q-C'])
        assert.equal(
          (await postEvent(f.url, 'erp', JSON.stringify({ id }), { ...f.auth, 'x-correlation-id': `corr-${id}` }))
            .status,
          202,
        );
      const a = await exceptionOf('Q-A');
      await exceptionOf('Q-B');
      await exceptionOf('Q-C');
      assert.equal(a.class, 'business_rejection');
      assert.equal(a.owner, 'ap-emea', 'the process owner for the class');
      assert.equal(a.code, 'LL_ERR_REMOTE_REJECTED');
      assert.equal(a.flow, 'echo');
      assert.equal(a.system, 'echo');
      assert.equal(a.correlationId, 'corr-Q-A');
      assert.equal(a.attempts, 1);
      assert.equal(a.runStatus, 'exception');
      assert.ok(
        a.slaDueAt !== null && Date.parse(a.slaDueAt) > Date.now() + 200 * 60_000,
        'SLA due time from the process policy',
      );

      const filtered = await get<{ exceptions: Item[] }>(
        '/v1/exceptions?class=business_rejection&owner=ap-emea&process=echo&system=echo&code=LL_ERR_REMOTE_REJECTED',
      );
      assert.ok(filtered.exceptions.length >= 3);
      assert.equal((await get<{ exceptions: Item[] }>('/v1/exceptions?owner=nobody')).exceptions.length, 0);
      assert.equal((await get<{ exceptions: Item[] }>('/v1/exceptions?olderThanMinutes=60')).exceptions.length, 0);
      const first = await get<{ exceptions: Item[]; next: string | null }>(
        '/v1/exceptions?code=LL_ERR_REMOTE_REJECTED&limit=2',
      );
      assert.equal(first.exceptions.length, 2);
      assert.ok(first.next !== null);
      const second = await get<{ exceptions: Item[]; next: string | null }>(
        `/v1/exceptions?code=LL_ERR_REMOTE_REJECTED&limit=2&cursor=${first.next}`,
      );
      assert.ok(
        second.exceptions.every((x) => x.id > first.next!),
        'stable order, no overlap',
      );

      const detail = await get<{
        id: string;
        run: { steps: { status: string }[] };
        history: unknown[];
        details: unknown[];
      }>(`/v1/exceptions/${a.id}`);
      assert.equal(detail.id, a.id);
      assert.deepEqual(
        detail.run.steps.map((s) => s.status),
        ['failed'],
      );
      assert.deepEqual(detail.history, []);
      const missing = await request(`${f.url}/v1/exceptions/exc_nothing`, { headers: f.auth });
      assert.equal(missing.status, 404);
    });

    test('retry: the failed step again; resolved when the run succeeds, superseded when it fails again', async () => {
      const a = await exceptionOf('Q-A');
      const again = await post(`/v1/exceptions/${a.id}/retry`, { reason: 'still refused?' });
      assert.equal(again.status, 200, again.text);
      assert.equal((again.json as { status: string }).status, 'retrying');
      const next = await waitFor('a new exception for Q-A', async () => {
        const page = await get<{ exceptions: Item[] }>(`/v1/exceptions?runId=${a.runId}&status=open`);
        return page.exceptions.find((x) => x.id !== a.id);
      });
      const old = await get<{ status: string; resolution: string; history: { action: string; actor: string }[] }>(
        `/v1/exceptions/${a.id}`,
      );
      assert.equal(old.status, 'superseded');
      assert.equal(old.resolution, `superseded by ${next.id}`);
      assert.deepEqual(
        old.history.map((h) => h.action),
        ['retry', 'supersede'],
      );

      refused.delete('Q-A');
      assert.equal((await post(`/v1/exceptions/${next.id}/retry`, {})).status, 200);
      await waitFor('Q-A posted', async () => (await runStatus('Q-A')) === 'succeeded');
      const closed = await waitFor('the retried exception resolved', async () => {
        const x = await get<{ status: string; resolvedBy: string }>(`/v1/exceptions/${next.id}`);
        return x.status === 'resolved' ? x : undefined;
      });
      assert.equal(closed.resolvedBy, 'engine');
      assert.equal(await auditRows('exception.retry', next.id), 1);
      const twice = await post(`/v1/exceptions/${next.id}/retry`, {});
      assert.equal(twice.status, 409);
      assert.equal(errorCode(twice), 'LL_ERR_ILLEGAL_TRANSITION');
    });

    test('replay with an edited payload: the original kept, the edit audited with digests, amounts exact', async () => {
      const b = await exceptionOf('Q-B');
      const noReason = await post(`/v1/exceptions/${b.id}/replay`, { payload: { id: 'Q-B' } });
      assert.equal(noReason.status, 400);
      refused.delete('Q-B');
      const edited = '{"id":"Q-B","amount":12345678901234567890.12,"note":"fixed"}';
      const answer = await post(
        `/v1/exceptions/${b.id}/replay`,
        `{"from":"start","mapping":"current","reason":"corrected amount","payload":${edited}}`,
      );
      assert.equal(answer.status, 200, answer.text);
      assert.equal((answer.json as { revision: number }).revision, 1);
      await waitFor('Q-B posted', async () => (await runStatus('Q-B')) === 'succeeded');
      const write = f.sink!.writes.find((w) => w.body.includes('"note":"fixed"'));
      assert.ok(write !== undefined);
      assert.ok(write.body.includes('"amount":12345678901234567890.12'), 'the amount is written exactly as edited');
      const detail = await get<{ revisions: { revision: number; author: string; reason: string; digest: string }[] }>(
        `/v1/exceptions/${b.id}`,
      );
      assert.deepEqual(
        detail.revisions.map((r) => [r.revision, r.reason]),
        [
          [0, 'original as received'],
          [1, 'corrected amount'],
        ],
      );
      assert.equal(detail.revisions[0]!.author, 'source');
      assert.notEqual(detail.revisions[1]!.author, 'source', 'the edit names who made it');
      const original = await f.app.store.db
        .selectFrom('payload_revisions')
        .select('payload')
        .where('run_id', '=', b.runId)
        .where('revision', '=', 0)
        .executeTakeFirstOrThrow();
      assert.equal(JSON.parse(original.payload).id, 'Q-B');
      assert.equal(await auditRows('exception.replay', b.id), 1);
      const audit = await f.app.store.db
        .selectFrom('audit_log')
        .select('data')
        .where('action', '=', 'exception.replay')
        .where('subject', '=', b.id)
        .executeTakeFirstOrThrow();
      const data = JSON.parse(audit.data) as {
        payload: { beforeDigest: string; afterDigest: string };
        from: string;
        mapping: string;
      };
      assert.match(data.payload.beforeDigest, /^sha256:[0-9a-f]{64}$/);
      assert.notEqual(data.payload.beforeDigest, data.payload.afterDigest);
      assert.equal(data.from, 'start');
      assert.equal(data.mapping, 'current');
    });

    test('resolve and ignore need a reason and close the run', async () => {
      const c = await exceptionOf('Q-C');
      const missing = await post(`/v1/exceptions/${c.id}/resolve`, {});
      assert.equal(missing.status, 400);
      const resolved = await post(`/v1/exceptions/${c.id}/resolve`, { reason: 'posted by hand in the ERP' });
      assert.equal(resolved.status, 200, resolved.text);
      assert.deepEqual(
        [(resolved.json as { status: string }).status, (resolved.json as { runStatus: string }).runStatus],
        ['resolved', 'resolved'],
      );
      assert.equal(await runStatus('Q-C'), 'resolved');
      refused.add('Q-D');
      assert.equal((await postEvent(f.url, 'erp', '{"id":"Q-D"}', f.auth)).status, 202);
      const d = await exceptionOf('Q-D');
      const ignored = await post(`/v1/exceptions/${d.id}/ignore`, { reason: 'test document' });
      assert.equal((ignored.json as { status: string }).status, 'ignored');
      assert.equal(await runStatus('Q-D'), 'ignored');
      const history = await get<{ history: { action: string; reason: string }[]; resolution: string }>(
        `/v1/exceptions/${d.id}`,
      );
      assert.deepEqual(
        history.history.map((h) => [h.action, h.reason]),
        [['ignore', 'test document']],
      );
    });

    test('bulk: a dry run counts and lists without changing anything; the real run reports per item', async () => {
      for (const id of ['BULK-1', 'BULK-2', 'BULK-3']) {
        refused.add(id);
        assert.equal((await postEvent(f.url, 'expense', JSON.stringify({ id }), f.auth)).status, 202);
      }
      for (const id of ['BULK-1', 'BULK-2', 'BULK-3']) await exceptionOf(id);
      const filter = { status: 'open', code: 'LL_ERR_REMOTE_REJECTED' };
      const noFilter = await post('/v1/exceptions/bulk', { action: 'resolve', filter: {}, reason: 'x' });
      assert.equal(noFilter.status, 400);
      const dry = await post('/v1/exceptions/bulk', { action: 'ignore', filter, dryRun: true, sample: 2 });
      assert.equal(dry.status, 200, dry.text);
      const preview = dry.json as { dryRun: boolean; total: number; ids: string[] };
      assert.equal(preview.dryRun, true);
      assert.equal(preview.total, 3);
      assert.equal(preview.ids.length, 2);
      assert.equal(
        (await get<{ exceptions: Item[] }>('/v1/exceptions?status=open&code=LL_ERR_REMOTE_REJECTED')).exceptions.length,
        3,
        'nothing changed',
      );
      const real = await post('/v1/exceptions/bulk', { action: 'ignore', filter, reason: 'cleanup of test documents' });
      const report = real.json as {
        total: number;
        succeeded: number;
        failed: number;
        items: { id: string; ok: boolean }[];
      };
      assert.deepEqual([report.total, report.succeeded, report.failed], [3, 3, 0]);
      for (const id of ['BULK-1', 'BULK-2', 'BULK-3']) assert.equal(await runStatus(id), 'ignored');
    });

    test('replay from the start after the write landed posts nothing new: the effect ledger finds it', async () => {
      // The sink commits the write and drops the answer; with one attempt allowed the run stops in exception.
      f.sink!.inject({ kind: 'commit-then-drop' });
      assert.equal((await postEvent(f.url, 'erp', '{"id":"DROP-1"}', f.auth)).status, 202);
      const x = await exceptionOf('DROP-1');
      assert.equal(x.code, 'LL_ERR_ATTEMPTS_EXHAUSTED');
      const reference = (
        await f.app.store.db
          .selectFrom('effects')
          .select('idempotency_key')
          .where('run_id', '=', x.runId)
          .executeTakeFirstOrThrow()
      ).idempotency_key;
      assert.equal(f.sink!.count(reference), 1);
      const replay = await post(`/v1/exceptions/${x.id}/replay`, { from: 'start', mapping: 'same' });
      assert.equal(replay.status, 200, replay.text);
      await waitFor('DROP-1 posted', async () => (await runStatus('DROP-1')) === 'succeeded');
      assert.equal(f.sink!.count(reference), 1, 'no second write');
      const effect = await f.app.store.db
        .selectFrom('effects')
        .selectAll()
        .where('run_id', '=', x.runId)
        .executeTakeFirstOrThrow();
      assert.equal(effect.status, 'confirmed');
    });

    test('a quarantined event: replay with an edited payload dispatches it again; the original is kept', async () => {
      assert.equal((await postEvent(f.url, 'procurement', '{"id":"PO-1"}', f.auth)).status, 202);
      const x = await waitFor('a quarantine exception', async () => {
        const page = await get<{ exceptions: Item[] }>('/v1/exceptions?system=procurement&status=open');
        return page.exceptions[0];
      });
      assert.equal(x.runId, null);
      assert.equal(x.code, 'LL_ERR_UNKNOWN_FLOW');
      const closed = await post(`/v1/exceptions/${x.id}/resolve`, { reason: 'not ours' });
      assert.equal(closed.status, 200);
      assert.equal((await postEvent(f.url, 'procurement', '{"id":"PO-2"}', f.auth)).status, 202);
      const y = await waitFor('a second quarantine exception', async () => {
        const page = await get<{ exceptions: Item[] }>('/v1/exceptions?system=procurement&status=open');
        return page.exceptions[0];
      });
      const replay = await post(`/v1/exceptions/${y.id}/replay`, {
        payload: { id: 'PO-2', amount: '5.00' },
        reason: 'added the amount',
      });
      assert.equal(replay.status, 200, replay.text);
      const again = await waitFor(
        'the event quarantined again (still no flow) and the exception superseded',
        async () => {
          const detail = await get<{ status: string }>(`/v1/exceptions/${y.id}`);
          return detail.status === 'superseded' ? detail : undefined;
        },
      );
      assert.equal(again.status, 'superseded');
      const revisions = await f.app.store.db
        .selectFrom('payload_revisions')
        .selectAll()
        .where('event_id', '=', y.eventId)
        .orderBy('revision')
        .execute();
      assert.deepEqual(
        revisions.map((r) => Number(r.revision)),
        [0, 1],
      );
      assert.equal(revisions[0]!.payload, '{"id":"PO-2"}');
      const event = await f.app.store.db
        .selectFrom('inbox_events')
        .select('payload')
        .where('id', '=', y.eventId)
        .executeTakeFirstOrThrow();
      assert.equal(event.payload, '{"id":"PO-2","amount":"5.00"}');
    });
  });
}
