/**
 * The Business Central simulator refuses what the published API refuses, over real HTTP and without
 * the connector: tokens (wrong secret, wrong scope), a missing bearer token, an unknown company,
 * unknown, read-only, mistyped and over-long properties, missing required fields, PATCH without or
 * with a stale If-Match, an unbalanced journal, a purchase invoice of a vendor blocked for all.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startBcSimulator } from './bc-simulator.js';

let sim: Awaited<ReturnType<typeof startBcSimulator>>;
let token = '';
let company = '';

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${sim.apiUrl}/${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}
const codeOf = (r: { body: Record<string, unknown> }): string => (r.body['error'] as { code: string }).code;

async function tokenWith(fields: Record<string, string>): Promise<Response> {
  return fetch(sim.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sim.credentials.clientId,
      client_secret: sim.credentials.clientSecret,
      scope: 'https://api.businesscentral.dynamics.com/.default',
      ...fields,
    }),
  });
}

before(async () => {
  sim = await startBcSimulator();
});
after(async () => sim.stop());

describe('business-central simulator refusals', () => {
  beforeEach(async () => {
    await fetch(`${sim.url}/_sim/reset`, { method: 'POST' });
    token = ((await (await tokenWith({})).json()) as { access_token: string }).access_token;
    const companies = await call('GET', `companies?$filter=name eq 'LL-DE'`);
    company = `companies(${(companies.body['value'] as { id: string }[])[0]!.id})`;
  });

  test('tokens: a wrong secret, another scope or grant are refused; a call without a bearer token is 401', async () => {
    assert.equal((await tokenWith({ client_secret: 'nope' })).status, 401);
    assert.equal((await tokenWith({ scope: 'https://graph.microsoft.com/.default' })).status, 400);
    assert.equal((await tokenWith({ grant_type: 'password' })).status, 400);
    const response = await fetch(`${sim.apiUrl}/companies`);
    assert.equal(response.status, 401);
    assert.equal(
      ((await response.json()) as { error: { code: string } }).error.code,
      'Authentication_InvalidCredentials',
    );
  });

  test('an unknown company or resource is 404', async () => {
    const r = await call('GET', 'companies(00000000-0000-4000-8000-000000000000)/vendors');
    assert.equal(r.status, 404);
    assert.equal((await call('GET', `${company}/vendorPostingGroups`)).status, 404);
  });

  test('creates: unknown, read-only, mistyped, over-long and missing properties are refused', async () => {
    const cases: [unknown, string][] = [
      [{ displayName: 'A', iban: 'DE00' }, 'BadRequest'],
      [{ displayName: 'A', balance: 10 }, 'BadRequest_InvalidOperation'],
      [{ displayName: 'A', taxLiable: 'yes' }, 'BadRequest'],
      [{ displayName: 'A', blocked: 'Invoice' }, 'Application_EvaluateException'],
      [{ displayName: 'x'.repeat(101) }, 'Application_StringExceededLength'],
      [{ number: 'V1' }, 'BadRequest_RequiredParamNotProvided'],
    ];
    for (const [body, code] of cases) {
      const r = await call('POST', `${company}/vendors`, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(codeOf(r), code, JSON.stringify(body));
    }
    const line = await call('POST', `${company}/journals`, { code: 'T1' });
    const lines = `${company}/journals(${line.body['id'] as string})/journalLines`;
    assert.equal(
      codeOf(await call('POST', lines, { accountNumber: '61008000', postingDate: '2025-03-01', amount: '10.00' })),
      'BadRequest',
    );
    assert.equal(
      codeOf(await call('POST', lines, { accountNumber: '99999999', postingDate: '2025-03-01', amount: 10 })),
      'Internal_InvalidTableRelation',
    );
    const duplicate = await call('POST', `${company}/vendors`, { number: '17300001', displayName: 'Again' });
    assert.equal(codeOf(duplicate), 'Internal_EntityWithSameKeyExists');
  });

  test('PATCH needs If-Match: missing is refused, a stale ETag is 409, the current one applies', async () => {
    const vendors = await call('GET', `${company}/vendors?$filter=number eq '17300001'`);
    const vendor = (vendors.body['value'] as Record<string, string>[])[0]!;
    const path = `${company}/vendors(${vendor['id']!})`;
    const missing = await call('PATCH', path, { displayName: 'Renamed' });
    assert.equal(missing.status, 400);
    assert.equal(codeOf(missing), 'BadRequest_InvalidToken');
    const ok = await call('PATCH', path, { displayName: 'Renamed' }, { 'if-match': vendor['@odata.etag']! });
    assert.equal(ok.status, 200);
    const stale = await call('PATCH', path, { displayName: 'Again' }, { 'if-match': vendor['@odata.etag']! });
    assert.equal(stale.status, 409);
    assert.equal(codeOf(stale), 'Request_EntityChanged');
  });

  test('posting: an unbalanced journal and an invoice of a vendor blocked for all are refused; nothing is posted', async () => {
    const journal = await call('POST', `${company}/journals`, { code: 'T2' });
    const path = `${company}/journals(${journal.body['id'] as string})`;
    const line = (accountNumber: string, amount: number) => ({
      accountNumber,
      postingDate: '2025-03-01',
      documentNumber: 'DOC1',
      amount,
    });
    await call('POST', `${path}/journalLines`, line('61008000', 100));
    await call('POST', `${path}/journalLines`, line('19100000', -99));
    const unbalanced = await call('POST', `${path}/Microsoft.NAV.post`);
    assert.equal(unbalanced.status, 400);
    assert.match((unbalanced.body['error'] as { message: string }).message, /out of balance by 1\.00/);
    const invoice = await call('POST', `${company}/purchaseInvoices`, {
      vendorNumber: '17300004',
      vendorInvoiceNumber: 'B-1',
      postingDate: '2025-03-01',
    });
    const invoicePath = `${company}/purchaseInvoices(${invoice.body['id'] as string})`;
    await call('POST', `${invoicePath}/purchaseInvoiceLines`, {
      lineType: 'Account',
      lineObjectNumber: '61003000',
      quantity: 1,
      unitCost: 10,
    });
    const blocked = await call('POST', `${invoicePath}/Microsoft.NAV.post`);
    assert.equal(blocked.status, 400);
    assert.match((blocked.body['error'] as { message: string }).message, /blocked with type All/);
    const posted = (await (await fetch(`${sim.url}/_sim/documents`)).json()) as unknown[];
    assert.deepEqual(posted, []);
  });
});
