/**
 * Employee vendors at the SAP simulator: a person (category 1, first and last name) with the
 * supplier roles is created from the connector's body; a person without a last name, and the
 * workforce roles BUP003/BUP010 (maintained by workforce replication, not this API), are refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newVendorBody } from './translate.js';
import { createSapSimulator, DEMO_USER } from './simulator/sap-simulator.js';

const BASIC = `Basic ${Buffer.from(`${DEMO_USER.user}:${DEMO_USER.password}`).toString('base64')}`;
const BP = '/sap/opu/odata/sap/API_BUSINESS_PARTNER';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('SAP simulator: employee vendors (persons)', () => {
  const sim = createSapSimulator();
  let base = '';
  let headers: Record<string, string> = {};
  const create = async (body: unknown): Promise<Response> =>
    fetch(`${base}${BP}/A_BusinessPartner`, {
      method: 'POST',
      headers: { authorization: BASIC, 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  before(async () => {
    base = await sim.server.start();
    const r = await fetch(`${base}${BP}/`, { headers: { authorization: BASIC, 'x-csrf-token': 'Fetch' } });
    const cookie = r.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    headers = { 'x-csrf-token': r.headers.get('x-csrf-token') ?? '', cookie };
  });
  after(async () => sim.server.stop());

  const employee = newVendorBody({
    reference: '49099001',
    name: 'Nora Neumann',
    person: { firstName: 'Nora', lastName: 'Neumann' },
    country: 'DE',
    bankAccounts: [{ iban: 'DE12500105170648489890', holderName: 'Nora Neumann' }],
    companyCodes: [{ companyCode: '1010', reconciliationAccount: '21100000', paymentTerms: '0001' }],
  }) as Json;

  test('the connector creates a person with the supplier roles, found by the personnel number', async () => {
    assert.equal(employee['BusinessPartnerCategory'], '1');
    assert.equal(employee['OrganizationBPName1'], undefined);
    const created = await create(employee);
    assert.equal(created.status, 201, await created.clone().text());
    const partner = ((await created.json()) as Json)['d'] as Json;
    assert.deepEqual(
      [
        partner['BusinessPartnerCategory'],
        partner['BusinessPartnerFullName'],
        partner['FirstName'],
        partner['LastName'],
      ],
      ['1', 'Nora Neumann', 'Nora', 'Neumann'],
    );
    const found = await fetch(
      `${base}${BP}/A_BusinessPartner?$filter=${encodeURIComponent("BusinessPartnerIDByExtSystem eq '49099001'")}`,
      { headers: { authorization: BASIC, accept: 'application/json' } },
    );
    const results = (((await found.json()) as Json)['d'] as Json)['results'] as Json[];
    assert.deepEqual(
      results.map((r) => r['BusinessPartner']),
      [partner['BusinessPartner']],
    );
  });

  test('a person without a last name is refused', async () => {
    const refused = await create({ ...employee, LastName: '', BusinessPartnerIDByExtSystem: '49099009' });
    assert.equal(refused.status, 400);
    assert.match(JSON.stringify(await refused.json()), /LastName is required/);
  });

  test('the employee and employment roles are refused: workforce replication maintains them', async () => {
    for (const role of ['BUP003', 'BUP010']) {
      const refused = await create({
        ...employee,
        BusinessPartnerIDByExtSystem: `49099${role.slice(-2)}`,
        to_BusinessPartnerRole: { results: [{ BusinessPartnerRole: role }, { BusinessPartnerRole: 'FLVN00' }] },
      });
      assert.equal(refused.status, 400);
      assert.match(JSON.stringify(await refused.json()), new RegExp(`${role} is maintained by workforce replication`));
    }
  });
});
