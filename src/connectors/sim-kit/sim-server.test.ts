/** The simulator kit over real HTTP: routing, the /_sim/ surface and every fault it injects. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { json, pathShape, SimServer } from './sim-server.js';

describe('simulator kit', () => {
  let seeded = 0;
  const sim = new SimServer('test', {
    reset: () => (seeded = 0),
    seed: (body) => (seeded += (body as { n: number }).n),
  });
  sim.route('GET', '/things/:id', (req) => json(200, { id: req.params['id'], q: req.query.get('q') }));
  sim.route('POST', '/things', (req) => {
    const doc = sim.documents.add({
      kind: 'vendor',
      id: 'V1',
      reference: JSON.parse(req.body).ref as string,
      lines: [],
      raw: req.body,
    });
    return { ...json(201, { id: doc.id }), committed: true };
  });
  let base = '';
  const faults = (body: unknown) => fetch(`${base}/_sim/faults`, { method: 'POST', body: JSON.stringify(body) });

  before(async () => {
    base = await sim.start();
  });
  after(async () => sim.stop());

  test('routes with parameters and a 404 in the vendor-neutral shape for anything else', async () => {
    assert.deepEqual(await (await fetch(`${base}/things/a%20b?q=1`)).json(), { id: 'a b', q: '1' });
    const missing = await fetch(`${base}/nothing`);
    assert.equal(missing.status, 404);
  });

  test('documents are listed by reference and kind, and reset clears them and reseeds', async () => {
    await fetch(`${base}/things`, { method: 'POST', body: JSON.stringify({ ref: 'R-1' }) });
    const found = (await (await fetch(`${base}/_sim/documents?reference=R-1`)).json()) as {
      id: string;
      kind: string;
      createdAt: string;
    }[];
    assert.equal(found.length, 1);
    assert.equal(found[0]!.kind, 'vendor');
    assert.match(found[0]!.createdAt, /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(await (await fetch(`${base}/_sim/documents?kind=journal_entry`)).json(), []);
    await fetch(`${base}/_sim/seed`, { method: 'POST', body: '{"n":3}' });
    assert.equal(seeded, 3);
    await fetch(`${base}/_sim/reset`, { method: 'POST' });
    assert.equal(seeded, 0);
    assert.deepEqual(await (await fetch(`${base}/_sim/documents`)).json(), []);
  });

  test('requests are counted per method and path shape, /_sim/ calls left out, and reset clears the counts', async () => {
    await fetch(`${base}/_sim/reset`, { method: 'POST' });
    await fetch(`${base}/things/4711`);
    await fetch(`${base}/things/4712`);
    await fetch(`${base}/things`, { method: 'POST', body: JSON.stringify({ ref: 'R-2' }) });
    const counted = (await (await fetch(`${base}/_sim/requests`)).json()) as {
      total: number;
      byRoute: Record<string, number>;
    };
    assert.deepEqual(counted, { total: 3, byRoute: { 'GET /things/:id': 2, 'POST /things': 1 } });
    await fetch(`${base}/_sim/reset`, { method: 'POST' });
    assert.deepEqual(await (await fetch(`${base}/_sim/requests`)).json(), { total: 0, byRoute: {} });
  });

  test('the trace IDs of received traceparents are kept per route, malformed ones ignored, reset forgets them', async () => {
    await fetch(`${base}/_sim/reset`, { method: 'POST' });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await fetch(`${base}/things/4711`, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    await fetch(`${base}/things`, {
      method: 'POST',
      headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` },
      body: JSON.stringify({ ref: 'R-3' }),
    });
    await fetch(`${base}/things/4712`, { headers: { traceparent: 'not-a-traceparent' } });
    assert.deepEqual(await (await fetch(`${base}/_sim/traces?traceId=${traceId}`)).json(), {
      traceId,
      byRoute: { 'GET /things/:id': 1, 'POST /things': 1 },
    });
    assert.deepEqual(await (await fetch(`${base}/_sim/traces`)).json(), { traces: 1 });
    await fetch(`${base}/_sim/reset`, { method: 'POST' });
    assert.deepEqual(await (await fetch(`${base}/_sim/traces`)).json(), { traces: 0 });
  });

  test('path shapes fold keys and ids but keep names and versions', () => {
    assert.equal(
      pathShape(
        "/sap/opu/odata/sap/API_SUPPLIERINVOICE_PROCESS_SRV/A_SupplierInvoice(SupplierInvoice='5105600001',FiscalYear='2025')",
      ),
      '/sap/opu/odata/sap/API_SUPPLIERINVOICE_PROCESS_SRV/A_SupplierInvoice(…)',
    );
    assert.equal(pathShape('/api/invoices/1234/export'), '/api/invoices/:id/export');
    assert.equal(pathShape('/list/v4/lists'), '/list/v4/lists');
  });

  test('429 with Retry-After for a counted number of requests', async () => {
    await faults({ rateLimit: { count: 2, retryAfterSeconds: 7 } });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const r = await fetch(`${base}/things/x`);
      statuses.push([r.status, r.headers.get('retry-after')]);
    }
    assert.deepEqual(statuses, [
      [429, '7'],
      [429, '7'],
      [200, null],
    ]);
  });

  test('a maintenance window answers 503 with the time left, for every route', async () => {
    await faults({ maintenance: { forSeconds: 60 } });
    const r = await fetch(`${base}/things/x`);
    assert.equal(r.status, 503);
    assert.ok(Number(r.headers.get('retry-after')) >= 59);
    await faults({});
    assert.equal((await fetch(`${base}/things/x`)).status, 200);
  });

  test('an error rate of 1 fails every matching request, and only those', async () => {
    await faults({ errorRate: 1, errorStatus: 502, pathPattern: '^/things/bad' });
    assert.equal((await fetch(`${base}/things/bad`)).status, 502);
    assert.equal((await fetch(`${base}/things/good`)).status, 200);
    await faults({});
  });

  test('drop after commit: the write is recorded, the answer never comes', async () => {
    await faults({ dropAfterCommit: { count: 1 } });
    await assert.rejects(fetch(`${base}/things`, { method: 'POST', body: JSON.stringify({ ref: 'R-drop' }) }));
    assert.equal(((await (await fetch(`${base}/_sim/documents?reference=R-drop`)).json()) as unknown[]).length, 1);
    assert.equal(
      (await fetch(`${base}/things`, { method: 'POST', body: JSON.stringify({ ref: 'R-next' }) })).status,
      201,
    );
  });

  test('a timeout fault holds the request until the client gives up', async () => {
    await faults({ timeout: { count: 1, holdMs: 5_000 } });
    await assert.rejects(fetch(`${base}/things/x`, { signal: AbortSignal.timeout(200) }), /TimeoutError|aborted/);
    assert.equal((await fetch(`${base}/things/x`)).status, 200);
  });

  test('expiring tokens moves the cut-off forward', async () => {
    const before = sim.faults.tokensIssuedBefore;
    await faults({ expireTokens: true });
    assert.ok(sim.faults.tokensIssuedBefore > before);
  });
});
