/**
 * Employees as vendors, end to end on both stores over the simulators: a new hire in the directory
 * (SCIM, with the reimbursement bank account in the payee extension) whose first three expense
 * reports arrive together gets one ERP vendor — a person with the supplier roles, the personnel
 * number as its external reference, the directory's IBAN — created once before the first report
 * posts; all three reports post to it. An employee whose IBAN is an existing vendor's is a duplicate
 * suspect for the vendor master team, and a person's decision (replay with `resolution`) links it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { storeKinds } from '../helpers/stores.js';
import {
  deliverWebhook,
  startExpenseBench,
  variantOfVatReport,
  type ExpenseBench,
  type RunDetail,
} from './expense-hub.js';

const NEW_HIRE = {
  userName: 'nora.neumann',
  givenName: 'Nora',
  familyName: 'Neumann',
  employeeNumber: '49099001',
  organization: '1010',
  costCenter: '10101101',
  iban: 'DE12500105170648489890',
  bic: 'INGDDEFFXXX',
};

/** Bank details of seeded supplier 17300001: a new employee carrying them may be that vendor. */
const SHARED_IBAN = {
  ...NEW_HIRE,
  userName: 'otto.ohnesorg',
  givenName: 'Otto',
  familyName: 'Ohnesorg',
  employeeNumber: '49099002',
  iban: 'DE89370400440532013000',
  bic: undefined,
};

const reportOf = (id: string, employeeNumber: string): unknown =>
  JSON.parse(variantOfVatReport(id, [['"employeeId": "49038128"', `"employeeId": "${employeeNumber}"`]]));

function employeeVendorOf(run: RunDetail): { vendorId: string; how: string } {
  return run.state['employeeVendor'] as { vendorId: string; how: string };
}

for (const kind of storeKinds) {
  describe(`employees as vendors (${kind})`, () => {
    let bench: ExpenseBench;
    before(async () => {
      bench = await startExpenseBench(kind, 'employee-vendor', {
        engine: { pollIntervalMs: 20, leaseMs: 5_000, maxAttempts: 50, backoff: { baseMs: 20, capMs: 100 } },
        flows: {
          expensePosting: {
            trigger: { webhook: true, pollIntervalMs: 3_600_000 },
            inputTaxAccount: '15410000',
            employeeVendors: { reconciliationAccount: '21100000', paymentTerms: { '*': '0001' } },
          },
        },
      });
      await bench.estate.sim('directory', '/_sim/seed', {
        users: [NEW_HIRE, { ...SHARED_IBAN, bic: undefined }].map((u) =>
          Object.fromEntries(Object.entries(u).filter(([, v]) => v !== undefined)),
        ),
      });
    });
    after(async () => bench?.close());

    test("a new employee's first three reports, arriving together, create their vendor once and all post to it", async () => {
      const ids = ['new-hire-0001', 'new-hire-0002', 'new-hire-0003'];
      for (const id of ids) await bench.estate.sim('expense', '/_sim/fis/documents', reportOf(id, '49099001'));
      const answers = await Promise.all(ids.map((id) => deliverWebhook(bench, id, `delivery-${id}`)));
      assert.deepEqual(answers, [202, 202, 202]);
      const runs = await Promise.all(ids.map((id) => bench.waitStatus(id, 'succeeded')));

      const vendors = (await bench.estate.documents('erp', '49099001')).filter((d) => d.kind === 'vendor');
      assert.equal(vendors.length, 1, 'one ERP vendor for the employee');
      const partner = vendors[0]!.raw as Record<string, unknown>;
      assert.equal(partner['BusinessPartnerCategory'], '1');
      assert.equal(partner['BusinessPartnerFullName'], 'Nora Neumann');
      const roles = (partner['to_BusinessPartnerRole'] as { BusinessPartnerRole: string }[]).map(
        (r) => r.BusinessPartnerRole,
      );
      assert.deepEqual(roles.sort(), ['FLVN00', 'FLVN01']);
      assert.deepEqual(
        (partner['to_BusinessPartnerBank'] as { IBAN: string }[]).map((b) => b.IBAN),
        ['DE12500105170648489890'],
      );
      const vendorId = vendors[0]!.id;
      assert.deepEqual(
        runs.map((r) => employeeVendorOf(r).vendorId),
        [vendorId, vendorId, vendorId],
      );
      // One run created it; the others reused it (a creating run retried after a lost race on the
      // identity map link finds the vendor linked and reports `reused` as well).
      assert.ok(runs.every((r) => ['created', 'reused'].includes(employeeVendorOf(r).how)));
      for (const id of ids) {
        const [invoice] = await bench.erpDocuments(id);
        const credit = invoice?.lines.find((l) => l.side === 'C');
        assert.equal(credit?.partner, vendorId, `report ${id} credits the employee vendor`);
      }
      // The vendor creation is one effect in the ledger, and not a posting of any report.
      const created = await bench.hub.app.store.db
        .selectFrom('effects')
        .select(['remote_id', 'result'])
        .where('step', '=', 'onboard-payee')
        .where('status', '=', 'confirmed')
        .execute();
      assert.deepEqual(
        created.map((e) => [e.remote_id, e.result]),
        [[vendorId, 'created']],
      );
      // Written back in the hub's identity map: employee ↔ directory user ↔ ERP vendor.
      const link = await bench.hub.app.store.db
        .selectFrom('refs')
        .select(['remote_id'])
        .where('entity_type', '=', 'employee')
        .where('canonical_id', '=', 'directory:49099001')
        .where('system', '=', 'erp')
        .executeTakeFirst();
      assert.equal(link?.remote_id, vendorId);

      // A later report of the employee finds the vendor (no onboarding step).
      await bench.estate.sim('expense', '/_sim/fis/documents', reportOf('new-hire-0004', '49099001'));
      await deliverWebhook(bench, 'new-hire-0004', 'delivery-new-hire-0004');
      const later = await bench.waitStatus('new-hire-0004', 'succeeded');
      assert.equal(later.state['employeeVendor'], undefined);
      assert.equal((await bench.estate.documents('erp', '49099001')).filter((d) => d.kind === 'vendor').length, 1);
    });

    test('the ERP creates the vendor and the answer is lost: the retry finds it by the personnel number, one vendor', async () => {
      await bench.estate.sim('directory', '/_sim/seed', {
        users: [
          {
            ...NEW_HIRE,
            userName: 'lena.lost',
            givenName: 'Lena',
            familyName: 'Lost',
            employeeNumber: '49099003',
            iban: 'DE44500105175407324931',
          },
        ],
      });
      await bench.estate.sim('erp', '/_sim/faults', {
        dropAfterCommit: { count: 1 },
        pathPattern: 'API_BUSINESS_PARTNER/A_BusinessPartner',
      });
      const id = 'lost-answer-0001';
      await bench.estate.sim('expense', '/_sim/fis/documents', reportOf(id, '49099003'));
      await deliverWebhook(bench, id, `delivery-${id}`);
      const run = await bench.waitStatus(id, 'succeeded');
      await bench.estate.sim('erp', '/_sim/faults', {});
      const vendors = (await bench.estate.documents('erp', '49099003')).filter((d) => d.kind === 'vendor');
      assert.equal(vendors.length, 1);
      assert.equal(employeeVendorOf(run).vendorId, vendors[0]!.id);
      const effect = await bench.hub.app.store.db
        .selectFrom('effects')
        .select(['result'])
        .where('step', '=', 'onboard-payee')
        .where('remote_id', '=', vendors[0]!.id)
        .executeTakeFirst();
      assert.equal(effect?.result, 'found by reference after an unknown outcome');
    });

    test("an employee whose IBAN is an existing vendor's waits for the vendor master team; linking makes it their vendor", async () => {
      const id = 'shared-iban-0001';
      await bench.estate.sim('expense', '/_sim/fis/documents', reportOf(id, '49099002'));
      await deliverWebhook(bench, id, `delivery-${id}`);
      const held = await bench.waitStatus(id, 'exception');
      const [exception] = held.exceptions;
      assert.equal(exception?.code, 'LL_ERR_DUPLICATE_SUSPECT');
      assert.equal(exception?.owner, 'vendor-master');
      assert.match(exception?.message ?? '', /17300001/);

      const response = await fetch(`${bench.hub.url}/v1/exceptions/${exception!.id}/replay`, {
        method: 'POST',
        headers: { ...bench.hub.auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          from: 'failed-step',
          reason: 'the employee is the sole trader we already pay',
          payload: {
            type: 'expense_report.approved',
            documentId: id,
            version: '1',
            resolution: { action: 'link', vendorId: '17300001' },
          },
        }),
      });
      assert.equal(response.status, 200, await response.text());
      const run = await bench.waitStatus(id, 'succeeded');
      assert.deepEqual(employeeVendorOf(run), {
        vendorId: '17300001',
        how: 'linked',
        reason: 'a person decided to link vendor 17300001',
      });
      const [invoice] = await bench.erpDocuments(id);
      assert.equal(invoice?.lines.find((l) => l.side === 'C')?.partner, '17300001');
    });
  });
}
