/**
 * The ERP router sends each call to the ERP holding the legal entity and merges what spans entities,
 * each ERP's answer kept to its entities; the first ERP without a list holds the rest. In memory,
 * with recording fakes of the ERP port.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErpRouter } from '../../src/composition/erp-router.js';
import type { ErpDocumentRef, ErpPort, ErpVendor, MasterDataSnapshot } from '../../src/connectors/port.js';
import { assertCoded } from '../helpers/coded-errors.js';

function fakeErp(name: string, entities: readonly string[], vendors: ErpVendor[]): { port: ErpPort; calls: string[] } {
  const calls: string[] = [];
  const doc = (kind: ErpDocumentRef['kind'], companyCode: string): ErpDocumentRef => ({
    kind,
    documentId: `${name}-1`,
    fiscalYear: '2025',
    companyCode,
  });
  const entity = (code: string) => ({
    id: `${name}:${code}`,
    refs: {},
    companyCode: code,
    name: code,
    country: 'DE',
    currency: 'EUR',
    active: true,
  });
  const port: ErpPort = {
    readMasterData: async (): Promise<MasterDataSnapshot> => ({
      legalEntities: entities.map(entity),
      glAccounts: [],
      costCenters: [],
      projects: [],
      taxCodes: [],
      newestChangeAt: name === 'sap' ? '2025-03-01T00:00:00.000Z' : '2025-02-01T00:00:00.000Z',
    }),
    findVendors: async () => vendors,
    vendorsChangedSince: async () => vendors,
    createVendor: async (v) => {
      calls.push(`create ${v.companyCodes.map((c) => c.companyCode).join(',')}`);
      return `${name}-V`;
    },
    updateVendor: async (id) => {
      calls.push(`update ${id}`);
      return 'v2';
    },
    postSupplierInvoice: async (i) => {
      calls.push(`invoice ${i.companyCode}`);
      return doc('supplier_invoice', i.companyCode);
    },
    postJournalEntry: async (e) => {
      calls.push(`journal ${e.companyCode}`);
      return doc('journal_entry', e.companyCode);
    },
    findDocumentByReference: async (kind, _ref, scope) => doc(kind, scope.companyCode),
    linkAttachments: async (targets) => targets.map((t) => t.links.map((l) => ({ id: `${name}:${l.url}` }))),
    listAttachments: async () => [],
    readPaymentStatus: async () =>
      entities.map((companyCode) => ({
        companyCode,
        fiscalYear: '2025',
        accountingDocument: `${name}-1`,
        reference: 'R',
        vendorId: 'V',
        amount: { amount: '1.00', currency: 'EUR' },
        clearingDocument: 'C',
        clearingDate: '2025-04-01',
      })),
  };
  return { port, calls };
}

const vendor = (id: string, companyCodes: string[]): ErpVendor => ({
  vendorId: id,
  name: id,
  taxNumbers: [],
  ibans: [],
  companyCodes,
  blocked: false,
});

test('postings, lookups and links go to the ERP holding the entity; the default ERP holds the rest', async () => {
  // SAP still has 1010 in its own master data, but Business Central holds it.
  const sap = fakeErp('sap', ['1010', '1710', '9999'], [vendor('17300001', ['1010', '1710'])]);
  const bc = fakeErp('bc', ['1010'], [vendor('LLSUP1', ['1010'])]);
  const router = new ErpRouter([
    { system: 'erp', port: sap.port },
    { system: 'bc', port: bc.port, entities: ['1010'] },
  ]);
  const invoice = {
    reference: 'R',
    vendorId: 'V',
    documentDate: '2025-01-01',
    postingDate: '2025-01-01',
    gross: { amount: '1.00', currency: 'EUR' },
    lines: [],
    taxes: [],
  };
  await router.postSupplierInvoice({ ...invoice, companyCode: '1010' });
  await router.postSupplierInvoice({ ...invoice, companyCode: '1710' });
  await router.postJournalEntry({
    reference: 'J',
    companyCode: '9999',
    documentDate: '2025-01-01',
    postingDate: '2025-01-01',
    lines: [],
  });
  assert.deepEqual(bc.calls, ['invoice 1010']);
  assert.deepEqual(sap.calls, ['invoice 1710', 'journal 9999']);
  assert.equal(
    (await router.findDocumentByReference('journal_entry', 'J', { companyCode: '1010' }))?.documentId,
    'bc-1',
  );

  const links = await router.linkAttachments([
    {
      document: { kind: 'journal_entry', documentId: 'x', fiscalYear: '2025', companyCode: '1710' },
      links: [{ url: 'u1', description: 'd' }],
    },
    {
      document: { kind: 'journal_entry', documentId: 'y', fiscalYear: '2025', companyCode: '1010' },
      links: [{ url: 'u2', description: 'd' }],
    },
  ]);
  assert.deepEqual(
    links.map((l) => l.map((a) => a.id)),
    [['sap:u1'], ['bc:u2']],
    'in the targets order',
  );

  const master = await router.readMasterData(null);
  assert.deepEqual(master.legalEntities.map((e) => e.id).sort(), ['bc:1010', 'sap:1710', 'sap:9999']);
  assert.equal(master.newestChangeAt, '2025-02-01T00:00:00.000Z', 'the oldest of the newest changes');
  const payments = await router.readPaymentStatus('2025-01-01');
  assert.deepEqual(payments.map((p) => `${p.accountingDocument} ${p.companyCode}`).sort(), [
    'bc-1 1010',
    'sap-1 1710',
    'sap-1 9999',
  ]);
});

test('vendors: each ERP answer kept to its entities, updates to the ERP that answered, creation split by entity', async () => {
  const sap = fakeErp('sap', ['1710'], [vendor('17300001', ['1010', '1710']), vendor('17300009', ['1010'])]);
  const bc = fakeErp('bc', ['1010'], [vendor('LLSUP1', ['1010'])]);
  const router = new ErpRouter([
    { system: 'erp', port: sap.port },
    { system: 'bc', port: bc.port, entities: ['1010'] },
  ]);
  const found = await router.findVendors({ name: 'x' });
  assert.deepEqual(
    found.map((v) => [v.vendorId, v.companyCodes]),
    [
      ['17300001', ['1710']],
      ['LLSUP1', ['1010']],
    ],
  );
  await router.updateVendor('LLSUP1', { blocked: true }, 'v1');
  await router.updateVendor('17300001', { blocked: true }, 'v1');
  assert.deepEqual([bc.calls, sap.calls], [['update LLSUP1'], ['update 17300001']]);
  const id = await router.createVendor({
    reference: 'LLNEW',
    name: 'New',
    country: 'DE',
    bankAccounts: [],
    companyCodes: [
      { companyCode: '1710', reconciliationAccount: '21100000' },
      { companyCode: '1010', reconciliationAccount: '21100000' },
    ],
  });
  assert.equal(id, 'sap-V');
  assert.deepEqual([sap.calls.at(-1), bc.calls.at(-1)], ['create 1710', 'create 1010']);
});

test('a reversal asked of an ERP that cannot reverse is a validation error naming it', async () => {
  const sap = fakeErp('sap', ['1710'], []);
  const bc = fakeErp('bc', ['1010'], []);
  const router = new ErpRouter([
    { system: 'erp', port: sap.port },
    { system: 'bc', port: bc.port, entities: ['1010'] },
  ]);
  const ref: ErpDocumentRef = {
    kind: 'supplier_invoice',
    documentId: 'PPI-1',
    fiscalYear: '2025',
    companyCode: '1010',
  };
  await assertCoded(router.reversalOf(ref), 'LL_ERR_VALIDATION', /bc cannot reverse supplier invoice PPI-1/);
  assert.deepEqual(await router.readCostObjectPostings('1010', 2025), []);
});
