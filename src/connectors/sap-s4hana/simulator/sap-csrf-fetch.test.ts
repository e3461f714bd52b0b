/**
 * The simulator hands out a CSRF token as Gateway does: `X-CSRF-Token: Fetch` on a GET or HEAD of any
 * resource of a service (service root, entity set), with the session cookies the token is bound to.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createSapSimulator, DEMO_USER } from './sap-simulator.js';

const BASIC = `Basic ${Buffer.from(`${DEMO_USER.user}:${DEMO_USER.password}`).toString('base64')}`;
const sim = createSapSimulator();
let base = '';
before(async () => {
  base = await sim.server.start();
});
after(async () => sim.server.stop());

test('a CSRF token is fetched by HEAD or GET of any resource and is accepted for a write', async () => {
  for (const [method, path] of [
    ['HEAD', '/sap/opu/odata/sap/API_COSTCENTER_SRV/A_CostCenter'],
    ['GET', '/sap/opu/odata/sap/API_OPLACCTGDOCITEMCUBE_SRV/A_OperationalAcctgDocItemCube?$top=1'],
    ['HEAD', '/sap/opu/odata/sap/API_SUPPLIERINVOICE_PROCESS_SRV/'],
  ] as const) {
    const fetched = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: BASIC, 'x-csrf-token': 'Fetch' },
    });
    assert.equal(fetched.status, 200, `${method} ${path}`);
    const token = fetched.headers.get('x-csrf-token') ?? '';
    assert.notEqual(token, '', `${method} ${path} hands out a token`);
    const cookie = fetched.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const write = await fetch(`${base}/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner('17300001')`, {
      method: 'PATCH',
      headers: {
        authorization: BASIC,
        'content-type': 'application/json',
        'if-match': '*',
        'x-csrf-token': token,
        cookie,
      },
      body: JSON.stringify({ SearchTerm1: 'NORDWIND' }),
    });
    assert.equal(write.status, 204, `the token of ${method} ${path} is accepted for a write`);
  }
});
