/** The SCIM connector against the directory simulator over real HTTP, plus the shared fault contract. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Value } from 'typebox/value';
import { EmployeeSchema } from '../../canonical/model/index.js';
import { describeFaultContract, expectCode, setFaults } from '../contract/fault-contract.js';
import type { DirectoryUser } from '../ports/directory-port.js';
import { ScimConnector } from './connector.js';
import { createScimSimulator } from './simulator/scim-simulator.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('SCIM connector (DirectoryPort) against the directory simulator', () => {
  const sim = createScimSimulator();
  const connector = (options: { pageSize?: number; oauth?: boolean } = {}) =>
    new ScimConnector({
      baseUrl: sim.scimUrl,
      auth:
        options.oauth === true
          ? {
              kind: 'oauth2',
              tokenUrl: `${sim.url}/oauth2/token`,
              clientId: sim.clientId,
              clientSecret: sim.clientSecret,
            }
          : { kind: 'token', token: sim.token },
      timeoutMs: 1_000,
      systemName: 'directory',
      ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
    });
  const rawUsers = async (): Promise<Record<string, unknown>[]> => {
    const response = await fetch(`${sim.scimUrl}/Users?count=100`, {
      headers: { authorization: `Bearer ${sim.token}` },
    });
    return ((await response.json()) as { Resources: Record<string, unknown>[] }).Resources;
  };
  const collect = async (iterable: AsyncIterable<DirectoryUser>): Promise<DirectoryUser[]> => {
    const out: DirectoryUser[] = [];
    for await (const user of iterable) out.push(user);
    return out;
  };

  before(async () => {
    await sim.start();
  });
  after(async () => sim.stop());
  beforeEach(async () => {
    await fetch(`${sim.url}/_sim/reset`, { method: 'POST' });
  });

  test('listUsers pages through every page and yields each user once as a valid canonical Employee', async () => {
    const raw = await rawUsers();
    const users = await collect(connector({ pageSize: 7 }).listUsers());
    assert.ok(raw.length > 7 * 3, 'several pages');
    assert.deepEqual(
      users.map((u) => u.employee.id),
      raw.map((u) => u['id']),
    );
    for (const user of users) assert.deepEqual([...Value.Errors(EmployeeSchema, user.employee)], [], user.login);
    assert.deepEqual([...new Set(users.map((u) => u.employee.companyCode))].sort(), ['1010', '1710', '2910']);
    assert.ok(
      users.some((u) => !u.employee.active),
      'inactive users are listed as inactive',
    );
  });

  test('by employee number: enterprise extension fields are mapped', async () => {
    const raw = (await rawUsers()).find((u) => (u[ENTERPRISE] as { manager?: unknown }).manager !== undefined)!;
    const ext = raw[ENTERPRISE] as Record<string, string> & { manager: { value: string; displayName: string } };
    const user = await connector().findByEmployeeNumber(ext['employeeNumber']!);
    assert.ok(user !== null);
    assert.equal(user.employee.id, raw['id']);
    assert.deepEqual(user.employee.refs, { directory: raw['id'] });
    assert.equal(user.employee.personnelNumber, ext['employeeNumber']);
    assert.equal(user.employee.costCenter, ext['costCenter']);
    assert.equal(user.employee.companyCode, ext['organization']);
    assert.equal(user.employee.managerId, ext.manager.value);
    assert.equal(user.employee.email, raw['userName']);
    assert.deepEqual(user.enterprise, {
      employeeNumber: ext['employeeNumber'],
      costCenter: ext['costCenter'],
      organization: ext['organization'],
      division: ext['division'],
      department: ext['department'],
      manager: { id: ext.manager.value, displayName: ext.manager.displayName },
    });
    assert.equal(user.login, raw['userName']);
    assert.equal(user.externalId, raw['externalId']);
    assert.equal(user.version, (raw['meta'] as { version: string }).version);
  });

  test('by login (case-insensitive), with quotes and backslashes in the value, and by ID', async () => {
    const raw = (await rawUsers())[3]!;
    const byLogin = await connector().findByLogin(String(raw['userName']).toUpperCase());
    assert.equal(byLogin?.employee.id, raw['id']);
    const userName = 'svc "payroll" \\ desk@ledgerlink-demo.example';
    await fetch(`${sim.url}/_sim/seed`, {
      method: 'POST',
      body: JSON.stringify({
        users: [
          { userName, givenName: 'Payroll', familyName: 'Desk', employeeNumber: '10999999', organization: '1010' },
        ],
      }),
    });
    const odd = await connector().findByLogin(userName);
    assert.equal(odd?.login, userName);
    assert.equal(await connector().findByLogin('svc'), null, 'no partial match through the quote');
    assert.equal((await connector().findById(String(raw['id'])))?.login, raw['userName']);
  });

  test('an unknown user is null by employee number, login and ID', async () => {
    const c = connector();
    assert.equal(await c.findByEmployeeNumber('00000000'), null);
    assert.equal(await c.findByLogin('nobody@ledgerlink-demo.example'), null);
    assert.equal(await c.findById('00000000-0000-4000-a000-000000000000'), null);
  });

  test('an employee number held by two users is a validation error', async () => {
    const seed = (userName: string) => ({
      userName,
      givenName: 'Dup',
      familyName: 'Licate',
      employeeNumber: '10888888',
      organization: '1010',
    });
    await fetch(`${sim.url}/_sim/seed`, {
      method: 'POST',
      body: JSON.stringify({ users: [seed('dup1@x.example'), seed('dup2@x.example')] }),
    });
    await expectCode(() => connector().findByEmployeeNumber('10888888'), 'LL_ERR_VALIDATION');
  });

  test('an invalid filter is LL_ERR_REMOTE_REJECTED with the SCIM error type', async () => {
    const client = connector().client;
    await expectCode(() => client.page('userName equals "x"', 1), 'LL_ERR_REMOTE_REJECTED');
    await client.page('userName equals "x"', 1).catch((error: Error) => assert.match(error.message, /invalidFilter/));
  });

  test('an expired long-lived token is LL_ERR_REMOTE_AUTH', async () => {
    await setFaults(sim.url, { expireTokens: true });
    await expectCode(() => connector().findByLogin('x@ledgerlink-demo.example'), 'LL_ERR_REMOTE_AUTH');
  });

  test('with OAuth2 client credentials a token expired mid-run is refreshed once and the run goes on', async () => {
    const expected = (await rawUsers()).map((u) => u['id']);
    const c = connector({ oauth: true, pageSize: 10 });
    const seen: DirectoryUser[] = [];
    let expired = false;
    for await (const user of c.listUsers()) {
      seen.push(user);
      if (!expired && seen.length === 15) {
        expired = true;
        await setFaults(sim.url, { expireTokens: true });
      }
    }
    assert.deepEqual(
      seen.map((u) => u.employee.id),
      expected,
      'every user once, none lost at the expiry',
    );
    assert.equal(c.client.session?.tokenRequestCount, 2);
  });
});

describe('SCIM connector fault contract', () => {
  const sim = createScimSimulator();
  const connector = () =>
    new ScimConnector({ baseUrl: sim.scimUrl, auth: { kind: 'token', token: sim.token }, timeoutMs: 1_000 });
  before(async () => {
    await sim.start();
  });
  after(async () => sim.stop());
  describeFaultContract('scim', {
    simulatorUrl: () => sim.url,
    call: () => connector().findByLogin('nobody@ledgerlink-demo.example'),
  });
});
