/**
 * The read side over real HTTP on both stores, after the echo flow ran against a counting sink: run
 * listing and detail, the trace of a correlation ID, metrics, health, readiness, the OpenAPI document,
 * security headers and the one error shape.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { storeKinds } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';
import { errorCode, postEvent, request, startApp, type AppFixture } from './app-fixture.js';

interface RunSummary {
  readonly id: string;
  readonly flow: string;
  readonly status: string;
  readonly documentId: string;
  readonly correlationId: string;
}

for (const kind of storeKinds) {
  describe(`read routes [${kind}]`, () => {
    let f: AppFixture;
    let run: RunSummary;
    before(async () => {
      f = await startApp(kind, 'api_read', { echo: true });
      const accepted = await postEvent(f.url, 'erp', '{"id":"INV-9","amount":12.30,"big":123456789012345678901234.5}', {
        ...f.auth,
        'webhook-id': 'read-1',
        'x-correlation-id': 'corr-read-1',
      });
      assert.equal(accepted.status, 202);
      run = await waitFor('the echo run to succeed', async () => {
        const page = (
          await request(`${f.url}/v1/runs?flow=echo&status=succeeded&documentId=INV-9`, { headers: f.auth })
        ).json as { runs: RunSummary[] };
        return page.runs[0];
      });
    });
    after(async () => f.close());

    test('GET /v1/runs filters and pages', async () => {
      for (let i = 0; i < 3; i++)
        assert.equal((await postEvent(f.url, 'expense', `{"id":"EXP-${i}"}`, f.auth)).status, 202);
      await waitFor('three expense runs', async () => {
        const page = (await request(`${f.url}/v1/runs?system=expense&status=succeeded`, { headers: f.auth })).json as {
          runs: RunSummary[];
        };
        return page.runs.length === 3;
      });
      const first = (await request(`${f.url}/v1/runs?system=expense&limit=2`, { headers: f.auth })).json as {
        runs: RunSummary[];
        next: string | null;
      };
      assert.equal(first.runs.length, 2);
      assert.ok(first.next);
      const second = (
        await request(`${f.url}/v1/runs?system=expense&limit=2&before=${first.next}`, { headers: f.auth })
      ).json as { runs: RunSummary[]; next: string | null };
      assert.equal(second.runs.length, 1);
      assert.equal(second.next, null);
      const ids = new Set([...first.runs, ...second.runs].map((r) => r.id));
      assert.equal(ids.size, 3);
      const byCorrelation = (await request(`${f.url}/v1/runs?correlationId=corr-read-1`, { headers: f.auth })).json as {
        runs: RunSummary[];
      };
      assert.deepEqual(
        byCorrelation.runs.map((r) => r.id),
        [run.id],
      );
      const bad = await request(`${f.url}/v1/runs?limit=0`, { headers: f.auth });
      assert.equal(bad.status, 400);
      assert.equal(errorCode(bad), 'LL_ERR_BAD_REQUEST');
    });

    test('GET /v1/runs/:id has steps, effects, jobs, exceptions, refs and the exact input', async () => {
      const answer = await request(`${f.url}/v1/runs/${run.id}`, { headers: f.auth });
      assert.equal(answer.status, 200);
      assert.match(answer.text, /"input":\{"id":"INV-9","amount":12.30,"big":123456789012345678901234.5\}/);
      const detail = answer.json as {
        status: string;
        steps: { step: string; status: string }[];
        effects: { status: string; remoteId: string; idempotencyKey: string }[];
        jobs: unknown[];
        exceptions: unknown[];
        refs: Record<string, string>;
      };
      assert.equal(detail.status, 'succeeded');
      assert.deepEqual(
        detail.steps.map((s) => [s.step, s.status]),
        [['post', 'succeeded']],
      );
      assert.equal(detail.effects.length, 1);
      assert.equal(detail.effects[0]!.status, 'confirmed');
      assert.equal(f.sink!.count(detail.effects[0]!.idempotencyKey), 1, 'written once');
      assert.equal(
        detail.effects[0]!.remoteId,
        f.sink!.writes.find((w) => w.reference === detail.effects[0]!.idempotencyKey)!.id,
      );
      assert.ok(Array.isArray(detail.jobs) && detail.jobs.length >= 1);
      assert.deepEqual(detail.exceptions, []);
      assert.equal(typeof detail.refs, 'object');
      const missing = await request(`${f.url}/v1/runs/run_missing`, { headers: f.auth });
      assert.equal(missing.status, 404);
      assert.equal(errorCode(missing), 'LL_ERR_NOT_FOUND');
    });

    test('GET /v1/trace/:correlationId tells the chain; 404 when nothing is known', async () => {
      const answer = await request(`${f.url}/v1/trace/corr-read-1`, { headers: f.auth });
      assert.equal(answer.status, 200);
      const trace = answer.json as { correlationId: string; entries: { kind: string }[] };
      assert.equal(trace.correlationId, 'corr-read-1');
      assert.deepEqual([...new Set(trace.entries.map((e) => e.kind))].sort(), [
        'audit',
        'effect',
        'event',
        'run',
        'step',
      ]);
      const none = await request(`${f.url}/v1/trace/corr-nobody`, { headers: f.auth });
      assert.equal(none.status, 404);
      assert.equal(errorCode(none), 'LL_ERR_NOT_FOUND');
    });

    test('GET /metrics exposes counters, step durations and queue gauges', async () => {
      const answer = await request(`${f.url}/metrics`);
      assert.equal(answer.status, 200);
      assert.match(answer.headers.get('content-type') ?? '', /^text\/plain/);
      for (const line of [
        /ledgerlink_events_accepted_total\{system="erp"\} 1/,
        /ledgerlink_step_duration_seconds_count\{flow="echo",step="post",status="succeeded"\} [1-9]/,
        /ledgerlink_jobs\{status="succeeded"\} [1-9]/,
        /ledgerlink_runs\{status="succeeded"\} [1-9]/,
        /ledgerlink_inbox_waiting 0/,
        /# TYPE ledgerlink_exceptions_open gauge/,
      ]) {
        assert.match(answer.text, line);
      }
    });

    test('GET /healthz and /readyz', async () => {
      assert.deepEqual((await request(`${f.url}/healthz`)).json, { status: 'ok' });
      assert.deepEqual((await request(`${f.url}/readyz`)).json, { status: 'ready', store: kind });
    });

    test('GET /docs is OpenAPI 3 with the routes and the canonical schemas', async () => {
      const doc = (await request(`${f.url}/docs`)).json as {
        openapi: string;
        paths: Record<string, unknown>;
        components: { schemas: Record<string, unknown> };
      };
      assert.match(doc.openapi, /^3\./);
      for (const path of [
        '/v1/events/{system}',
        '/v1/runs',
        '/v1/runs/{id}',
        '/v1/trace/{correlationId}',
        '/metrics',
        '/healthz',
        '/readyz',
      ]) {
        assert.ok(doc.paths[path], `${path} documented`);
      }
      for (const name of ['Supplier', 'JournalEntry', 'ApInvoice', 'ExpenseReport'])
        assert.ok(doc.components.schemas[name], `${name} schema`);
    });

    test('every answer carries the security headers, errors included, in the one error shape', async () => {
      for (const path of ['/healthz', '/nowhere', '/v1/runs/run_missing']) {
        const answer = await request(`${f.url}${path}`, { headers: f.auth });
        assert.equal(answer.headers.get('x-content-type-options'), 'nosniff', path);
        assert.match(answer.headers.get('content-security-policy') ?? '', /default-src 'none'/, path);
        assert.equal(answer.headers.get('referrer-policy'), 'no-referrer', path);
        assert.equal(answer.headers.get('x-frame-options'), 'DENY', path);
      }
      const notFound = await request(`${f.url}/nowhere`);
      assert.equal(notFound.status, 404);
      assert.deepEqual(Object.keys((notFound.json as { error: object }).error).sort(), ['code', 'details', 'message']);
      assert.equal(errorCode(notFound), 'LL_ERR_NOT_FOUND');
    });
  });
}

describe('rate limit', () => {
  test('a client over the configured limit gets 429 LL_ERR_RATE_LIMITED', async () => {
    const f = await startApp('sqlite', 'api_rate', {
      role: 'api',
      config: { server: { rateLimit: { max: 3, timeWindowMs: 60_000 } } },
    });
    try {
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 4; i++) {
        last = await request(`${f.url}/healthz`);
        statuses.push(last.status);
      }
      assert.deepEqual(statuses, [200, 200, 200, 429]);
      assert.equal(errorCode(last!), 'LL_ERR_RATE_LIMITED');
      assert.ok(last!.headers.get('retry-after'));
    } finally {
      await f.close();
    }
  });
});
