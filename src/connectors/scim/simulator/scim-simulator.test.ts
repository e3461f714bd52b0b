/** The directory simulator over real HTTP: auth, ListResponse paging, filters, errors, seed and token expiry. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createScimSimulator, DEFAULT_COUNT, MAX_RESULTS } from './scim-simulator.js';
import { ENTERPRISE_USER_SCHEMA, ERROR_SCHEMA, LIST_RESPONSE_SCHEMA } from './scim-resources.js';

interface ListBody {
  schemas: string[];
  totalResults: number;
  itemsPerPage: number;
  startIndex: number;
  Resources: Record<string, unknown>[];
}

describe('SCIM directory simulator', () => {
  const sim = createScimSimulator();
  const get = (path: string, token: string | null = sim.token) =>
    fetch(`${sim.scimUrl}${path}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  const list = async (query: string): Promise<ListBody> => {
    const response = await get(`/Users?${query}`);
    assert.equal(response.status, 200, await response.clone().text());
    assert.match(response.headers.get('content-type') ?? '', /application\/scim\+json/);
    return (await response.json()) as ListBody;
  };
  const filtered = (filter: string) => list(`filter=${encodeURIComponent(filter)}`);

  before(async () => {
    await sim.start();
  });
  after(async () => sim.stop());
  beforeEach(async () => {
    await fetch(`${sim.url}/_sim/reset`, { method: 'POST' });
  });

  test('requests without a valid bearer token get 401 with a SCIM error body', async () => {
    for (const token of [null, 'not-a-token']) {
      const response = await get('/Users', token);
      assert.equal(response.status, 401);
      assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer/);
      const body = (await response.json()) as Record<string, unknown>;
      assert.deepEqual(body['schemas'], [ERROR_SCHEMA]);
      assert.equal(body['status'], '401');
    }
  });

  test('the seeded estate spans three company codes with cost centers and a resolvable manager chain', async () => {
    const { totalResults, Resources } = await list(`count=${MAX_RESULTS}`);
    assert.ok(totalResults > DEFAULT_COUNT, 'more than one default page');
    assert.equal(Resources.length, totalResults);
    const ids = new Set(Resources.map((u) => u['id']));
    const organizations = new Set<unknown>();
    let withoutManager = 0;
    for (const user of Resources) {
      const ext = user[ENTERPRISE_USER_SCHEMA] as {
        organization: string;
        costCenter: string;
        employeeNumber: string;
        manager?: { value: string; displayName: string };
      };
      organizations.add(ext.organization);
      assert.ok(ext.costCenter.startsWith(ext.organization), `cost center ${ext.costCenter} in ${ext.organization}`);
      // Seeded numbers have 8 digits; the employees of the published FIS examples carry the documents' employee ids.
      assert.match(
        ext.employeeNumber,
        /^(\d{8}|23618|1017001|uiexp|5|11|User1|userCA5@p0182840729j\.com|tuan@dstaabfi-pro\.com)$/,
      );
      if (ext.manager === undefined) withoutManager++;
      else assert.ok(ids.has(ext.manager.value), 'the manager is a user of the directory');
    }
    assert.deepEqual([...organizations].sort(), ['1010', '1710', '2910']);
    assert.equal(withoutManager, 1, 'only the top of the chain has no manager');
    assert.ok(
      Resources.some((u) => u['active'] === false),
      'some leavers are inactive',
    );
  });

  test('startIndex and count page through a ListResponse; count is capped at the maximum', async () => {
    const first = await list('startIndex=1&count=10');
    assert.deepEqual(first.schemas, [LIST_RESPONSE_SCHEMA]);
    assert.deepEqual([first.startIndex, first.itemsPerPage, first.Resources.length], [1, 10, 10]);
    const last = await list(`startIndex=${first.totalResults - 2}&count=10`);
    assert.equal(last.itemsPerPage, 3);
    const beyond = await list(`startIndex=${first.totalResults + 1}`);
    assert.deepEqual([beyond.itemsPerPage, beyond.Resources], [0, []]);
    assert.equal((await list('')).itemsPerPage, DEFAULT_COUNT);
    assert.ok((await list('count=1000')).itemsPerPage <= MAX_RESULTS);
    const none = await list('count=0');
    assert.deepEqual([none.totalResults, none.Resources.length], [first.totalResults, 0]);
  });

  test('filters: userName (case-insensitive), externalId, enterprise employeeNumber, and, or, not, pr', async () => {
    const all = (await list(`count=${MAX_RESULTS}`)).Resources;
    const someone = all[5]!;
    const ext = someone[ENTERPRISE_USER_SCHEMA] as { employeeNumber: string; costCenter: string };
    const byLogin = await filtered(`userName eq "${String(someone['userName']).toUpperCase()}"`);
    assert.deepEqual(
      byLogin.Resources.map((u) => u['id']),
      [someone['id']],
    );
    const byExternal = await filtered(`externalId eq "${String(someone['externalId'])}"`);
    assert.equal(byExternal.totalResults, 1);
    assert.equal(
      (await filtered(`externalId eq "${String(someone['externalId']).toLowerCase()}"`)).totalResults,
      0,
      'externalId is case-exact',
    );
    const byNumber = await filtered(`${ENTERPRISE_USER_SCHEMA}:employeeNumber eq "${ext.employeeNumber}"`);
    assert.deepEqual(
      byNumber.Resources.map((u) => u['id']),
      [someone['id']],
    );
    const both = await filtered(
      `userName eq "${String(someone['userName'])}" and ${ENTERPRISE_USER_SCHEMA}:employeeNumber eq "00000000"`,
    );
    assert.equal(both.totalResults, 0);
    const inCostCenter = all.filter(
      (u) => (u[ENTERPRISE_USER_SCHEMA] as { costCenter: string }).costCenter === ext.costCenter,
    );
    const activeInCostCenter = await filtered(
      `${ENTERPRISE_USER_SCHEMA}:costCenter eq "${ext.costCenter}" and active eq true`,
    );
    assert.equal(activeInCostCenter.totalResults, inCostCenter.filter((u) => u['active'] === true).length);
    const either = await filtered(
      `(userName eq "${String(all[0]!['userName'])}" or userName eq "${String(all[1]!['userName'])}")`,
    );
    assert.equal(either.totalResults, 2);
    assert.equal((await filtered(`not (${ENTERPRISE_USER_SCHEMA}:manager pr)`)).totalResults, 1);
    assert.equal(
      (await filtered('name.familyName sw "M" and emails co "ledgerlink-demo.example"')).totalResults > 0,
      true,
    );
  });

  test('a bad filter is 400 invalidFilter in the SCIM error shape', async () => {
    for (const filter of [
      'userName equals "x"',
      'userName eq',
      'userName eq "x" and',
      '(userName eq "x"',
      'userName eq unquoted',
      'emails[type eq "work"]',
    ]) {
      const response = await get(`/Users?filter=${encodeURIComponent(filter)}`);
      assert.equal(response.status, 400, filter);
      const body = (await response.json()) as Record<string, unknown>;
      assert.deepEqual(
        [body['schemas'], body['status'], body['scimType']],
        [[ERROR_SCHEMA], '400', 'invalidFilter'],
        filter,
      );
    }
  });

  test('a user by id carries its ETag; an unknown id is 404 in the SCIM error shape', async () => {
    const someone = (await list('count=1')).Resources[0]!;
    const response = await get(`/Users/${String(someone['id'])}`);
    assert.equal(response.status, 200);
    const user = (await response.json()) as { id: string; meta: { version: string; location: string } };
    assert.equal(user.id, someone['id']);
    assert.equal(response.headers.get('etag'), user.meta.version);
    assert.equal(user.meta.location, `${sim.scimUrl}/Users/${user.id}`);
    const missing = await get('/Users/00000000-0000-4000-a000-000000000000');
    assert.equal(missing.status, 404);
    assert.deepEqual(((await missing.json()) as { schemas: string[] }).schemas, [ERROR_SCHEMA]);
  });

  test('seeded users are added; quoted values in filters are unescaped', async () => {
    const userName = 'ops "night" desk\\1';
    await fetch(`${sim.url}/_sim/seed`, {
      method: 'POST',
      body: JSON.stringify({
        users: [{ userName, givenName: 'Night', familyName: 'Desk', employeeNumber: '99000001', organization: '1010' }],
      }),
    });
    const found = await filtered(`userName eq ${JSON.stringify(userName)}`);
    assert.equal(found.totalResults, 1);
    assert.equal(found.Resources[0]!['userName'], userName);
  });

  test('expireTokens expires every token issued before it; client-credentials tokens issued later work', async () => {
    await fetch(`${sim.url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ expireTokens: true }) });
    const expired = await get('/Users?count=1');
    assert.equal(expired.status, 401);
    assert.match(((await expired.json()) as { detail: string }).detail, /expired/);
    const refused = await fetch(`${sim.url}/oauth2/token`, {
      method: 'POST',
      body: 'grant_type=client_credentials&client_id=x&client_secret=y',
    });
    assert.equal(refused.status, 401);
    const basic = Buffer.from(`${sim.clientId}:${sim.clientSecret}`).toString('base64');
    const issued = await fetch(`${sim.url}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    const { access_token: fresh } = (await issued.json()) as { access_token: string };
    assert.equal((await get('/Users?count=1', fresh)).status, 200);
    await fetch(`${sim.url}/_sim/reset`, { method: 'POST' });
    assert.equal((await get('/Users?count=1')).status, 200, 'reset renews the long-lived token');
  });
});
