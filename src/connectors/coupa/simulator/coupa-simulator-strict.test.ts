/**
 * The Coupa simulator's strictness over real HTTP, as the R39 OpenAPI files and Compass pages have
 * it: queries on the model's attributes only, the list parameters' value lists, required fields on
 * create, the special action's one value, nested responses checked, supplier information served.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { COUPA_SCOPES, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from './oauth.js';
import { createCoupaSimulator } from './coupa-simulator.js';
import { INTEGRATION_DOCUMENT_TYPES } from './coupa-models.js';

describe('Coupa simulator: what it refuses', () => {
  const sim = createCoupaSimulator();
  let base = '';
  let bearer = '';
  const api = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${base}${path}`, {
      ...init,
      headers: { accept: 'application/json', 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
    });
  const answer = async (path: string, init: RequestInit = {}): Promise<[number, unknown]> => {
    const response = await api(path, init);
    return [response.status, await response.json()];
  };

  before(async () => {
    base = await sim.start();
    const issued = await fetch(`${base}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: DEMO_CLIENT_ID,
        client_secret: DEMO_CLIENT_SECRET,
        grant_type: 'client_credentials',
        scope: COUPA_SCOPES.join(' '),
      }).toString(),
    });
    bearer = ((await issued.json()) as { access_token: string }).access_token;
  });
  after(() => sim.stop());
  beforeEach(async () => {
    await fetch(`${base}/_sim/reset`, { method: 'POST' });
  });

  test('queries: unknown attribute, dir and return_object outside their lists refused; limited answers ids', async () => {
    assert.deepEqual(await answer('/api/suppliers?erp_number=1'), [
      400,
      { errors: { base: ['erp_number is not an attribute of supplier that can be queried'] } },
    ]);
    assert.equal((await api('/api/suppliers?dir=up')).status, 400);
    assert.equal((await api('/api/suppliers?return_object=none')).status, 400);
    const [status, ids] = await answer('/api/suppliers?return_object=limited&limit=2');
    const [first, second] = sim.estate().suppliers;
    assert.deepEqual([status, ids], [200, [{ id: first!.id }, { id: second!.id }]]);
    const [, ends] = await answer('/api/suppliers?name[ends_with]=GmbH%201');
    assert.equal((ends as unknown[]).length, 1);
    const [, blank] = await answer('/api/suppliers?number[blank]=true&status=active');
    assert.equal((blank as unknown[]).length, 56 - 35);
  });

  test('writes: exported only by ?exported=true; other query parameters refused', async () => {
    const invoice = sim.estate().invoices[1]!;
    assert.equal((await api(`/api/invoices/${invoice.id}?exported=false`, { method: 'PUT', body: '{}' })).status, 400);
    assert.equal((await api(`/api/invoices/${invoice.id}?status=paid`, { method: 'PUT', body: '{}' })).status, 400);
    const paid = await answer(`/api/invoices/${invoice.id}`, {
      method: 'PUT',
      body: JSON.stringify({ paid: 'yes' }),
    });
    assert.deepEqual(paid, [400, { errors: { invoice: ['Paid must be true or false'] } }]);
  });

  test('integration records: an error needs its integration run; responses are checked; create_alert stores a record', async () => {
    const body = {
      'document-type': 'InvoiceHeader',
      'document-id': 7,
      status: 'error',
      'contact-alert-type': 'Functional',
    };
    assert.deepEqual(await answer('/api/integration_errors', { method: 'POST', body: JSON.stringify(body) }), [
      400,
      { errors: { integration_error: ["Integration run can't be blank"] } },
    ]);
    const bad = await answer('/api/integration_history_records', {
      method: 'POST',
      body: JSON.stringify({ ...body, 'document-type': 'Invoices', responses: [{ id: 1, 'response-code': 'x' }] }),
    });
    assert.deepEqual(bad, [
      400,
      {
        errors: {
          integration_history_record: [
            `Document type is not one of ${INTEGRATION_DOCUMENT_TYPES.join(', ')}`,
            'Responses 1: Id is read-only and cannot be written',
          ],
        },
      },
    ]);
    const created = await api('/api/integration_history_records/create_alert', {
      method: 'POST',
      body: JSON.stringify(body),
    });
    assert.equal(created.status, 201);
    assert.equal(sim.estate().integrationHistoryRecords.length, 1);
  });

  test('supplier information carries the bank accounts by supplier-id', async () => {
    const supplier = sim.estate().suppliers[0]!;
    const [status, found] = await answer(`/api/supplier_information?supplier-id=${supplier.id}`);
    assert.equal(status, 200);
    const [information] = found as { 'supplier-information-addresses': Record<string, unknown>[] }[];
    assert.match(String(information!['supplier-information-addresses'][0]!['iban-number']), /^(DE|GB)\d{2}/);
  });
});
