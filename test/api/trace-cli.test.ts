/**
 * The business trace over HTTP (by correlation ID, by document reference, by idempotency key) and the
 * operations CLI (`exceptions list|resolve`, `trace`, `prune`, `connectors list`) on both stores.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { storeKinds } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';
import { postEvent, request, startApp, type AppFixture } from './app-fixture.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['tsx', 'src/cli/main.ts', ...args],
      { cwd: root, env: { ...process.env, LEDGERLINK_LOG_LEVEL: 'silent' }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
      },
    );
  });
}

interface Trace {
  readonly correlationId: string;
  readonly source: { system: string; documentId: string };
  readonly entries: { kind: string }[];
  readonly effects: { idempotencyKey: string; remoteId: string }[];
  readonly erpDocuments: { remoteId: string }[];
  readonly payments: { status: string }[];
  readonly actions: { action: string }[];
}

for (const kind of storeKinds) {
  describe(`trace and operations CLI [${kind}]`, () => {
    let f: AppFixture;
    before(async () => {
      f = await startApp(kind, 'trace_cli', { echo: true });
      let refuse = true;
      f.sink!.faultFor = () => (refuse ? { kind: 'status', status: 422 } : undefined);
      assert.equal(
        (await postEvent(f.url, 'erp', '{"id":"TR-1"}', { ...f.auth, 'x-correlation-id': 'corr-tr-1' })).status,
        202,
      );
      const id = await waitFor(
        'an exception',
        async () =>
          (
            (await request(`${f.url}/v1/exceptions?status=open`, { headers: f.auth })).json as {
              exceptions: { id: string }[];
            }
          ).exceptions[0]?.id,
      );
      refuse = false;
      const retried = await request(`${f.url}/v1/exceptions/${id}/retry`, {
        method: 'POST',
        headers: { ...f.auth, 'content-type': 'application/json' },
        body: '{"reason":"sink fixed"}',
      });
      assert.equal(retried.status, 200);
      await waitFor(
        'the run posted',
        async () =>
          ((await request(`${f.url}/v1/runs?status=succeeded`, { headers: f.auth })).json as { runs: unknown[] }).runs
            .length === 1,
      );
    });
    after(async () => f.close());

    test('GET /v1/trace: one timeline and grouped sections, found by correlation ID, document or key', async () => {
      const trace = (await request(`${f.url}/v1/trace/corr-tr-1`, { headers: f.auth })).json as Trace;
      assert.deepEqual([trace.source.system, trace.source.documentId], ['erp', 'TR-1']);
      const kinds = new Set(trace.entries.map((e) => e.kind));
      for (const k of ['event', 'run', 'step', 'effect', 'exception', 'action', 'audit'])
        assert.ok(kinds.has(k), `timeline has ${k}`);
      assert.equal(trace.erpDocuments.length, 1);
      assert.deepEqual(
        trace.payments.map((p) => p.status),
        ['unpaid'],
      );
      assert.deepEqual(
        trace.actions.map((a) => a.action),
        ['retry', 'resolve'],
      );
      const byDocument = (await request(`${f.url}/v1/trace?system=erp&documentId=TR-1`, { headers: f.auth }))
        .json as Trace;
      assert.equal(byDocument.correlationId, 'corr-tr-1');
      const key = trace.effects[0]!.idempotencyKey;
      assert.equal(
        ((await request(`${f.url}/v1/trace?idempotencyKey=${key}`, { headers: f.auth })).json as Trace).correlationId,
        'corr-tr-1',
      );
      assert.equal(
        ((await request(`${f.url}/v1/trace/${key}`, { headers: f.auth })).json as Trace).correlationId,
        'corr-tr-1',
      );
      assert.equal((await request(`${f.url}/v1/trace?documentId=nothing`, { headers: f.auth })).status, 404);
    });

    test('the CLI lists exceptions, acts on them, prints the trace and prunes', async () => {
      const db = f.database.location;
      const listed = await cli(['exceptions', 'list', '--db', db, '--json']);
      assert.equal(listed.code, 0, listed.stderr);
      const page = JSON.parse(listed.stdout) as { exceptions: { id: string; status: string }[] };
      assert.deepEqual(
        page.exceptions.map((x) => x.status),
        ['resolved'],
      );
      const usage = await cli(['exceptions', 'resolve', '--db', db]);
      assert.equal(usage.code, 2);
      const dry = await cli(['exceptions', 'ignore', '--db', db, '--status', 'open', '--dry-run']);
      assert.equal(dry.code, 0, dry.stderr);
      assert.match(dry.stdout, /dry run: 0 exception\(s\) match/);
      const closed = await cli(['exceptions', 'resolve', page.exceptions[0]!.id, '--db', db, '--reason', 'again']);
      assert.equal(closed.code, 1, 'a closed exception cannot be resolved again');
      assert.match(closed.stderr, /LL_ERR_ILLEGAL_TRANSITION/);
      const trace = await cli(['trace', 'corr-tr-1', '--db', db]);
      assert.equal(trace.code, 0, trace.stderr);
      assert.match(trace.stdout, /source erp TR-1 v1/);
      assert.match(trace.stdout, /action\s+retry by/);
      assert.equal((await cli(['trace', 'corr-nobody', '--db', db])).code, 1);
      const prune = await cli(['prune', '--db', db, '--days', '7', '--dry-run']);
      assert.equal(prune.code, 0, prune.stderr);
      assert.match(prune.stdout, /dry run: would prune 0 event payload/);
      const connectors = await cli(['connectors', 'list', '--db', db, '--json']);
      assert.equal(connectors.code, 0, connectors.stderr);
    });
  });
}
