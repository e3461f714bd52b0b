/** The Coupa simulator over real HTTP: OAuth2 with scopes, paging, filters, writes, limits, errors. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { COUPA_SCOPES, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from './oauth.js';
import { createCoupaSimulator } from './coupa-simulator.js';

type Row = Record<string, unknown> & { id: number };

describe('Coupa simulator', () => {
  const sim = createCoupaSimulator();
  let base = '';
  let bearer = '';

  const token = async (scope: string, secret = DEMO_CLIENT_SECRET): Promise<Response> =>
    fetch(`${base}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: DEMO_CLIENT_ID,
        client_secret: secret,
        grant_type: 'client_credentials',
        scope,
      }).toString(),
    });
  const api = (path: string, init: RequestInit = {}, auth = bearer): Promise<Response> =>
    fetch(`${base}${path}`, {
      ...init,
      headers: { accept: 'application/json', 'content-type': 'application/json', authorization: `Bearer ${auth}` },
    });
  const rows = async (path: string): Promise<Row[]> => {
    const response = await api(path);
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as Row[];
  };

  before(async () => {
    base = await sim.start();
    bearer = ((await (await token(COUPA_SCOPES.join(' '))).json()) as { access_token: string }).access_token;
  });
  after(() => sim.stop());
  beforeEach(async () => {
    await fetch(`${base}/_sim/reset`, { method: 'POST' });
  });

  test('client credentials: wrong secret and unknown scope are refused, a token carries its scopes', async () => {
    assert.equal((await token('core.supplier.read', 'wrong')).status, 401);
    const badScope = await token('core.everything.write');
    assert.equal(badScope.status, 400);
    assert.equal(((await badScope.json()) as { error: string }).error, 'invalid_scope');
    const narrow = (await (await token('core.supplier.read')).json()) as {
      access_token: string;
      expires_in: number;
      scope: string;
    };
    assert.equal(narrow.expires_in, 86_400);
    assert.equal((await api('/api/suppliers?limit=1', {}, narrow.access_token)).status, 200);
    const denied = await api('/api/invoices', {}, narrow.access_token);
    assert.equal(denied.status, 403);
    assert.deepEqual(Object.keys(((await denied.json()) as { errors: object }).errors), ['base']);
    assert.equal((await api('/api/suppliers', {}, 'not-a-token')).status, 401);
  });

  test('at most 50 records per page; offset walks the rest; a page past the end is []', async () => {
    const first = await rows('/api/suppliers?status=active&limit=200');
    assert.equal(first.length, 50);
    const second = await rows('/api/suppliers?status=active&offset=50');
    assert.ok(second.length > 0 && second.length < 50);
    assert.equal(new Set([...first, ...second].map((r) => r.id)).size, first.length + second.length);
    assert.deepEqual(await rows('/api/suppliers?status=active&offset=500'), []);
    assert.equal((await api('/api/suppliers?offset=-1')).status, 400);
  });

  test('attr[op]=value filters, nested attributes, and hyphenated fields', async () => {
    const all = await rows('/api/suppliers?limit=50');
    const cutoff = String(all[40]!['updated-at']);
    const changed = await rows(`/api/suppliers?updated-at[gt_or_eq]=${encodeURIComponent(cutoff)}`);
    assert.ok(changed.length > 0 && changed.every((s) => String(s['updated-at']) >= cutoff));
    const unexported = await rows('/api/invoices?status=approved&exported=false');
    assert.equal(unexported.length, 50);
    assert.ok(
      unexported.every(
        (i) => i['status'] === 'approved' && i['exported'] === false && typeof i['invoice-number'] === 'string',
      ),
    );
    const nested = await rows('/api/invoices?supplier[name][contains]=keystone');
    assert.ok(
      nested.length > 0 && nested.every((i) => String((i['supplier'] as { name: string }).name).includes('Keystone')),
    );
    const some = await rows(`/api/suppliers?id[in]=${all[0]!.id},${all[1]!.id}`);
    assert.deepEqual(
      some.map((s) => s.id),
      [all[0]!.id, all[1]!.id],
    );
  });

  test('PUT ?exported=true marks the invoice and ignores the other changes in that request', async () => {
    const [invoice] = await rows('/api/invoices?status=approved&exported=false&limit=1');
    const response = await api(`/api/invoices/${invoice!.id}?exported=true`, {
      method: 'PUT',
      body: JSON.stringify({ 'invoice-number': 'CHANGED' }),
    });
    assert.equal(response.status, 200);
    const marked = (await response.json()) as Row;
    assert.equal(marked['exported'], true);
    assert.equal(marked['invoice-number'], invoice!['invoice-number']);
    const remaining = await rows(`/api/invoices?status=approved&exported=false&id=${invoice!.id}`);
    assert.deepEqual(remaining, []);
  });

  test('writing the ERP vendor number back is listed as write_back; a taken number is refused in Coupa error shape', async () => {
    const [a, b] = await rows('/api/suppliers?status=active&number=&limit=2');
    const ok = await api(`/api/suppliers/${a!.id}`, { method: 'PUT', body: JSON.stringify({ number: 'V-777001' }) });
    assert.equal(ok.status, 200);
    const docs = (await (await fetch(`${base}/_sim/documents?reference=V-777001`)).json()) as {
      kind: string;
      id: string;
    }[];
    assert.deepEqual(
      docs.map((d) => [d.kind, d.id]),
      [['write_back', String(a!.id)]],
    );
    const taken = await api(`/api/suppliers/${b!.id}`, { method: 'PUT', body: JSON.stringify({ number: 'V-777001' }) });
    assert.equal(taken.status, 400);
    assert.deepEqual(await taken.json(), { errors: { supplier: ['Number has already been taken'] } });
  });

  test('lookup values are created with 201 and deactivated by PUT; each write is a lookup_value document', async () => {
    const created = await api('/api/lookup_values', {
      method: 'POST',
      body: JSON.stringify({
        name: 'Warehouse',
        'external-ref-num': 'P-2000',
        lookup: { name: 'Projects' },
      }),
    });
    assert.equal(created.status, 201);
    const { id } = (await created.json()) as Row;
    const off = await api(`/api/lookup_values/${id}`, { method: 'PUT', body: JSON.stringify({ active: false }) });
    assert.equal(((await off.json()) as Row)['active'], false);
    const docs = (await (await fetch(`${base}/_sim/documents?reference=P-2000`)).json()) as { kind: string }[];
    assert.deepEqual(
      docs.map((d) => d.kind),
      ['lookup_value', 'lookup_value'],
    );
    const blankName = await api('/api/lookup_values', {
      method: 'POST',
      body: JSON.stringify({ lookup: { name: 'Projects' } }),
    });
    assert.deepEqual(
      [blankName.status, await blankName.json()],
      [400, { errors: { lookup_value: ["Name can't be blank"] } }],
    );
  });

  test('integration history records are stored and listed as integration_record documents', async () => {
    const created = await api('/api/integration_history_records', {
      method: 'POST',
      body: JSON.stringify({
        'document-type': 'InvoiceHeader',
        'document-id': 4242,
        status: 'success',
        'contact-alert-type': 'Functional',
      }),
    });
    assert.equal(created.status, 201);
    const docs = (await (await fetch(`${base}/_sim/documents?kind=integration_record`)).json()) as {
      reference: string;
    }[];
    assert.deepEqual(
      docs.map((d) => d.reference),
      ['4242'],
    );
    assert.equal((await rows('/api/integration_history_records?document-id=4242')).length, 1);
  });

  test('expireTokens: tokens issued before are refused with 401, a new token works', async () => {
    const fresh = ((await (await token('core.supplier.read')).json()) as { access_token: string }).access_token;
    await fetch(`${base}/_sim/faults`, { method: 'POST', body: JSON.stringify({ expireTokens: true }) });
    assert.equal((await api('/api/suppliers?limit=1', {}, fresh)).status, 401);
    const renewed = ((await (await token('core.supplier.read')).json()) as { access_token: string }).access_token;
    assert.equal((await api('/api/suppliers?limit=1', {}, renewed)).status, 200);
    bearer = ((await (await token(COUPA_SCOPES.join(' '))).json()) as { access_token: string }).access_token;
  });

  test('more than the burst at once: 429 with Retry-After in Coupa error shape', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, () => api('/api/suppliers?limit=1')));
    const limited = answers.filter((r) => r.status === 429);
    assert.ok(limited.length > 0, 'some requests are over the limit');
    assert.ok(Number(limited[0]!.headers.get('retry-after')) >= 1);
    assert.deepEqual(Object.keys(((await limited[0]!.json()) as { errors: object }).errors), ['base']);
  });
});
