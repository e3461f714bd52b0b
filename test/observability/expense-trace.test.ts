/**
 * One expense document's trace, end to end over real HTTP on both stores, with spans collected in
 * memory: the expense platform's webhook (sent with its own traceparent), the run and each of its
 * steps, and every connector call to the SAP and Concur simulators share one trace ID, the
 * sender's; the run's steps are children of the run's span, the calls children of a step; and the
 * simulators received a traceparent of that trace on the posting and on the confirmation.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { startTracing, type Tracing } from '../../src/observability/tracing-sdk.js';
import { FIXTURE, POLLER, startExpenseBench, variantOfVatReport, type ExpenseBench } from '../flows/expense-hub.js';
import { storeKinds } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';

const exporter = new InMemorySpanExporter();
let tracing: Tracing | undefined;

before(() => {
  tracing = startTracing({ enabled: false }, { spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  assert.ok(tracing, 'tracing started with the in-memory exporter');
});
after(async () => tracing?.shutdown());

const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;

for (const kind of storeKinds) {
  describe(`one expense document's trace, webhook to ERP posting to confirmation (${kind})`, () => {
    let bench: ExpenseBench;
    const documentId = `TRACE${randomBytes(6).toString('hex').toUpperCase()}`;
    const traceId = randomBytes(16).toString('hex');
    const senderSpanId = randomBytes(8).toString('hex');
    let spans: ReadableSpan[] = [];

    before(async () => {
      bench = await startExpenseBench(kind, 'expense-trace');
      // The poll at start-up must be over before the document exists, so that only the webhook brings it in.
      await waitFor('the first poll', async () => {
        const row = await bench.hub.app.store.db
          .selectFrom('schedules')
          .select('runs')
          .where('name', '=', POLLER)
          .executeTakeFirst();
        return Number(row?.runs ?? 0) >= 1;
      });
      // …and what it found done, so that no other document's request carries this one's (natural batching).
      for (const id of Object.values(FIXTURE)) await bench.waitStatus(id, 'succeeded');
      await bench.estate.sim('expense', '/_sim/fis/documents', JSON.parse(variantOfVatReport(documentId)));
      const response = await fetch(`${bench.hub.url}/v1/events/expense`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': `trace-${documentId}`,
          traceparent: `00-${traceId}-${senderSpanId}-01`,
          ...bench.hub.auth,
        },
        body: JSON.stringify({ type: 'expense_report.approved', documentId, version: '1' }),
      });
      assert.equal(response.status, 202, await response.text());
      await bench.waitStatus(documentId, 'succeeded');
      // The last step's span ends just after the run's state is committed.
      spans = await waitFor(`the confirm step span`, () => {
        const found = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
        return found.some((s) => s.name === 'step expense-posting.confirm') ? found : undefined;
      });
    });
    after(async () => bench?.close());

    test('the inbound webhook span continues the sender’s traceparent and names the event', () => {
      const inbound = spans.filter((s) => s.name === 'POST /v1/events/{system}');
      assert.equal(inbound.length, 1);
      const [span] = inbound as [ReadableSpan];
      assert.equal(span.kind, SpanKind.SERVER);
      assert.equal(parentOf(span), senderSpanId);
      assert.equal(span.attributes['ledgerlink.system'], 'expense');
      assert.equal(span.attributes['http.response.status_code'], 202);
      assert.match(String(span.attributes['ledgerlink.event.id']), /^evt_/);
      assert.equal(span.attributes['ledgerlink.correlation_id'], traceId, 'the correlation ID is the trace ID');
    });

    test('the run span is the webhook span’s child, and every step of the run is the run span’s child', async () => {
      const inbound = spans.find((s) => s.name === 'POST /v1/events/{system}')!;
      const runs = spans.filter((s) => s.name === 'run expense-posting');
      assert.equal(runs.length, 1);
      const [run] = runs as [ReadableSpan];
      assert.equal(run.attributes['ledgerlink.run.duplicate'], undefined, 'the webhook created the run');
      assert.equal(parentOf(run), inbound.spanContext().spanId);
      assert.equal(run.attributes['ledgerlink.document.id'], documentId);
      const detail = await bench.runOf(documentId);
      assert.equal(run.attributes['ledgerlink.run.id'], detail?.id);

      const steps = spans.filter((s) => s.name.startsWith('step expense-posting.'));
      const names = new Set(steps.map((s) => s.name.replace('step expense-posting.', '')));
      for (const step of ['fetch', 'enrich', 'map', 'validate', 'post', 'attach', 'confirm'])
        assert.ok(names.has(step), `a span for step ${step} (have ${[...names].join(', ')})`);
      for (const step of steps) {
        assert.equal(parentOf(step), run.spanContext().spanId, step.name);
        assert.equal(step.attributes['ledgerlink.run.id'], detail?.id);
        assert.ok(['next', 'done'].includes(String(step.attributes['ledgerlink.step.outcome'])), step.name);
      }
      const confirm = steps.find((s) => s.name === 'step expense-posting.confirm')!;
      assert.equal(confirm.attributes['ledgerlink.step.outcome'], 'done');
    });

    test('the connector calls to the ERP and the expense platform are client spans under the steps', () => {
      const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
      const stepOf = (span: ReadableSpan): string | undefined => {
        for (let at: ReadableSpan | undefined = span; at !== undefined; at = byId.get(parentOf(at) ?? '')) {
          if (at.name.startsWith('step ')) return at.name.replace('step expense-posting.', '');
        }
        return undefined;
      };
      const calls = spans.filter((s) => s.kind === SpanKind.CLIENT);
      const erpWrites = calls.filter((s) => s.name === 'POST sap-s4hana');
      assert.ok(
        erpWrites.some((s) => stepOf(s) === 'post'),
        'the ERP posting is a call of the post step',
      );
      const postings = spans.filter((s) => s.name.startsWith('effect erp.') && stepOf(s) === 'post');
      assert.ok(postings.length > 0, 'the ERP posting is an effect span of the post step');
      assert.equal(postings[0]!.attributes['ledgerlink.effect.reused'], false, 'created now, not reused');
      const within = (span: ReadableSpan, ancestor: ReadableSpan): boolean => {
        for (let at = byId.get(parentOf(span) ?? ''); at !== undefined; at = byId.get(parentOf(at) ?? ''))
          if (at === ancestor) return true;
        return false;
      };
      assert.ok(
        erpWrites.some((s) => postings.some((p) => within(s, p))),
        'the ERP write is made inside the effect',
      );
      const confirmations = calls.filter(
        (s) => s.attributes['ledgerlink.system'] === 'concur' && stepOf(s) === 'confirm',
      );
      assert.ok(confirmations.length > 0, 'the confirmation to the expense platform is a call of the confirm step');
      for (const call of calls) {
        assert.ok(stepOf(call) !== undefined, `${call.name} ${String(call.attributes['url.full'])} is under a step`);
        assert.match(String(call.attributes['http.response.status_code']), /^2\d\d$/, call.name);
        assert.match(String(call.attributes['url.full']), /^http:\/\/127\.0\.0\.1:\d+\//);
      }
    });

    test('the SAP and Concur simulators received a traceparent of this trace on the posting and the confirmation', async () => {
      const routesOf = async (name: 'erp' | 'expense'): Promise<Record<string, number>> => {
        const url = `${bench.estate.simulators[name].url}/_sim/traces?traceId=${traceId}`;
        return ((await (await fetch(url)).json()) as { byRoute: Record<string, number> }).byRoute;
      };
      const erp = Object.keys(await routesOf('erp'));
      assert.ok(
        erp.some((route) => route.startsWith('POST ')),
        `the ERP simulator saw a write of this trace (routes: ${erp.join(', ')})`,
      );
      const expense = Object.keys(await routesOf('expense'));
      assert.ok(
        expense.some((route) => /posting|confirm/i.test(route)),
        `the expense simulator saw the posting confirmation of this trace (routes: ${expense.join(', ')})`,
      );
      assert.ok(
        expense.some((route) => route.startsWith('GET ')),
        `the expense simulator saw the document read of this trace (routes: ${expense.join(', ')})`,
      );
    });
  });
}
