/** The Business Central connector against its simulator over real HTTP: the connector contract. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { describeFaultContract, expectCode } from '../contract/fault-contract.js';
import type { ErpJournalEntry, ErpSupplierInvoice } from '../ports/erp-port.js';
import { BusinessCentralConnector } from './connector.js';
import { startBcSimulator } from './simulator/bc-simulator.js';

let sim: Awaited<ReturnType<typeof startBcSimulator>>;
let connector: BusinessCentralConnector;
const seed = (body: unknown) => fetch(`${sim.url}/_sim/seed`, { method: 'POST', body: JSON.stringify(body) });
const eur = (amount: string) => ({ amount, currency: 'EUR' });
const documents = async (reference: string) =>
  (await (await fetch(`${sim.url}/_sim/documents?reference=${reference}`)).json()) as {
    kind: string;
    id: string;
    lines: { account: string; side: string; amount: string; costCenter?: string; project?: string; partner?: string }[];
  }[];

const invoice = (reference: string, postingDate = '2025-03-10'): ErpSupplierInvoice => ({
  reference,
  companyCode: '1010',
  vendorId: '17300001',
  documentDate: '2025-03-05',
  postingDate,
  gross: eur('1190.00'),
  lines: [
    { glAccount: '61003000', side: 'D', amount: eur('600.00'), costCenter: '10101101', taxCode: 'V1' },
    { glAccount: '63003000', side: 'D', amount: eur('400.00'), project: 'P-1010-0001.1', taxCode: 'V1' },
  ],
  taxes: [{ taxCode: 'V1', amount: eur('190.00') }],
});

const journal = (reference: string, amount = '100.00'): ErpJournalEntry => ({
  reference,
  companyCode: '1010',
  documentDate: '2025-03-05',
  postingDate: '2025-03-10',
  lines: [
    { glAccount: '61008000', side: 'D', amount: eur(amount), costCenter: '10101101' },
    { glAccount: '15410000', side: 'D', amount: eur('19.00') },
    { glAccount: '49038128', vendorId: '49038128', side: 'C', amount: eur('119.00') },
  ],
});

before(async () => {
  sim = await startBcSimulator();
  connector = new BusinessCentralConnector({
    apiUrl: sim.apiUrl,
    tokenUrl: sim.tokenUrl,
    clientId: sim.credentials.clientId,
    clientSecret: sim.credentials.clientSecret,
    companies: { '1010': 'LL-DE', '1710': 'LL-US' },
    taxRates: { V1: '19', V2: '7' },
    timeoutMs: 2_000,
  });
});
after(async () => sim.stop());

describe('business-central connector contract', () => {
  beforeEach(async () => {
    await fetch(`${sim.url}/_sim/reset`, { method: 'POST' });
  });

  test('master data of the configured companies, across pages, and incrementally since a time', async () => {
    await seed({ pageSize: 4 });
    const all = await connector.readMasterData(null);
    assert.deepEqual(
      all.legalEntities.map((e) => [e.companyCode, e.currency, e.country]),
      [
        ['1010', 'EUR', 'DE'],
        ['1710', 'USD', 'US'],
      ],
    );
    assert.equal(all.glAccounts.filter((a) => a.companyCode === '1010').length, 15);
    assert.equal(all.glAccounts.find((a) => a.number === '61009000')?.blocked, true);
    assert.deepEqual(
      all.costCenters.filter((c) => c.companyCode === '1010').map((c) => c.code),
      ['10101101', '10101201'],
    );
    assert.equal(all.projects.find((p) => p.companyCode === '1710')?.wbsElement, 'P-1710-0001.1');
    assert.equal(all.taxCodes.find((x) => x.code === 'V1')?.ratePercent, '19');
    assert.equal(all.newestChangeAt, '2025-02-01T09:30:00.000Z');
    const since = await connector.readMasterData('2025-01-01T00:00:00Z');
    assert.deepEqual(
      since.glAccounts.map((a) => a.number),
      ['61009000', '61009000'],
    );
    assert.deepEqual(since.costCenters, []);
  });

  test('vendors: found by number, reference, tax number and name; created once with our reference; updated with If-Match', async () => {
    const [card] = await connector.findVendors({ vendorId: '17500001' });
    assert.deepEqual(card?.companyCodes, ['1010', '1710']);
    assert.equal((await connector.findVendors({ reference: 'uiexp' }))[0]?.reference, 'uiexp');
    assert.equal((await connector.findVendors({ taxNumber: 'DE123456789' }))[0]?.vendorId, '17300001');
    assert.equal((await connector.findVendors({ name: 'nordwind' }))[0]?.vendorId, '17300001');
    assert.equal((await connector.findVendors({ vendorId: '17300004' }))[0]?.blocked, true);
    const id = await connector.createVendor({
      reference: 'LLSUPPLIER000001',
      name: 'Hafen Logistik GmbH',
      country: 'DE',
      vatNumber: 'DE111222333',
      bankAccounts: [],
      companyCodes: [{ companyCode: '1010', reconciliationAccount: '21100000' }],
    });
    assert.equal(id, 'LLSUPPLIER000001');
    const [created] = await connector.findVendors({ reference: 'LLSUPPLIER000001' });
    assert.equal(created?.name, 'Hafen Logistik GmbH');
    const version = await connector.updateVendor(id, { blocked: true }, created!.version!);
    assert.equal((await connector.findVendors({ vendorId: id }))[0]?.blocked, true);
    await expectCode(() => connector.updateVendor(id, { name: 'Stale' }, created!.version!), 'LL_ERR_REMOTE_REJECTED');
    await connector.updateVendor(id, { blocked: false }, version!);
    assert.equal((await connector.findVendors({ vendorId: id }))[0]?.blocked, false);
    const changed = await connector.vendorsChangedSince('2025-01-01T00:00:00Z');
    assert.ok(changed.some((v) => v.vendorId === id));
  });

  test('a supplier invoice posts balanced with its dimensions, is found by our reference, and posting again answers the same document', async () => {
    const ref = await connector.postSupplierInvoice(invoice('INV-BC-1'));
    assert.equal(ref.kind, 'supplier_invoice');
    assert.match(ref.documentId, /^PPI-/);
    const [doc] = await documents('INV-BC-1');
    assert.deepEqual(
      doc!.lines.map((l) => [l.account, l.side, l.amount, l.costCenter ?? l.project ?? l.partner ?? '']),
      [
        ['61003000', 'D', '600.00', '10101101'],
        ['63003000', 'D', '400.00', 'P-1010-0001.1'],
        ['15410000', 'D', '190.00', ''],
        ['21100000', 'C', '1190.00', '17300001'],
      ],
    );
    assert.deepEqual(
      await connector.findDocumentByReference('supplier_invoice', 'INV-BC-1', {
        companyCode: '1010',
        vendorId: '17300001',
      }),
      ref,
    );
    assert.deepEqual(await connector.postSupplierInvoice(invoice('INV-BC-1')), ref);
    assert.equal((await documents('INV-BC-1')).length, 1);
    assert.equal(await connector.findDocumentByReference('supplier_invoice', 'NONE', { companyCode: '1010' }), null);
  });

  test('refusals: a blocked vendor, a gross the ERP computes otherwise, a locked period; no draft is left behind', async () => {
    await expectCode(
      () => connector.postSupplierInvoice({ ...invoice('INV-BC-2'), vendorId: '17300004' }),
      'LL_ERR_REMOTE_REJECTED',
    );
    await expectCode(
      () => connector.postSupplierInvoice({ ...invoice('INV-BC-3'), gross: eur('1189.99') }),
      'LL_ERR_REMOTE_REJECTED',
    );
    await expectCode(() => connector.postSupplierInvoice(invoice('INV-BC-4', '2025-01-15')), 'LL_ERR_VALIDATION');
    const left = await connector.client.list(
      `companies(${(await connector.client.list('companies'))[0]!['id'] as string})/purchaseInvoices`,
    );
    assert.deepEqual(left, []);
  });

  test('a journal entry posts balanced through a batch of its own, is found by our reference, and pays out through its vendor ledger entry', async () => {
    const ref = await connector.postJournalEntry(journal('LLJOURNAL0000001'));
    assert.deepEqual(ref, {
      kind: 'journal_entry',
      documentId: 'LLJOURNAL0000001',
      fiscalYear: '2025',
      companyCode: '1010',
    });
    const [doc] = await documents('LLJOURNAL0000001');
    assert.deepEqual(
      doc!.lines.map((l) => [l.account, l.side, l.amount]),
      [
        ['61008000', 'D', '100.00'],
        ['15410000', 'D', '19.00'],
        ['21100000', 'C', '119.00'],
      ],
    );
    assert.equal(doc!.lines[0]!.costCenter, '10101101');
    assert.deepEqual(
      await connector.findDocumentByReference('journal_entry', 'LLJOURNAL0000001', { companyCode: '1010' }),
      ref,
    );
    await expectCode(
      () => connector.postJournalEntry(journal('LLJOURNAL0000002', '99.00')),
      'LL_ERR_JOURNAL_UNBALANCED',
    );
    await expectCode(
      () =>
        connector.postJournalEntry({
          ...journal('LLJOURNAL0000003'),
          lines: journal('X').lines.map((l) => ({ ...l, amount: { ...l.amount, currency: 'USD' } })),
        }),
      'LL_ERR_VALIDATION',
    );
    const inv = await connector.postSupplierInvoice(invoice('INV-BC-5'));
    assert.deepEqual(await connector.readPaymentStatus('2025-01-01'), []);
    await seed({
      payments: [
        { company: 'LL-DE', documentNumber: 'LLJOURNAL0000001', date: '2025-04-01' },
        { company: 'LL-DE', documentNumber: inv.documentId, date: '2025-04-01' },
      ],
    });
    const paid = await connector.readPaymentStatus('2025-01-01');
    assert.deepEqual(
      paid.map((p) => [p.reference, p.vendorId, p.amount.amount, p.amount.currency, p.accountingDocument]).sort(),
      [
        ['INV-BC-5', '17300001', '1190.00', 'EUR', inv.documentId],
        ['LLJOURNAL0000001', '49038128', '119.00', 'EUR', 'LLJOURNAL0000001'],
      ],
    );
  });

  test('an answer lost after the post committed: the invoice and the journal entry are found by our reference, not posted twice', async () => {
    const drop = (pattern: string) =>
      fetch(`${sim.url}/_sim/faults`, {
        method: 'POST',
        body: JSON.stringify({ dropAfterCommit: { count: 1 }, pathPattern: pattern }),
      });
    await drop('purchaseInvoices\\([^)]*\\)/Microsoft\\.NAV\\.post');
    await expectCode(() => connector.postSupplierInvoice(invoice('INV-BC-7')), 'LL_ERR_REMOTE_TRANSIENT');
    const found = await connector.findDocumentByReference('supplier_invoice', 'INV-BC-7', {
      companyCode: '1010',
      vendorId: '17300001',
    });
    assert.match(found?.documentId ?? '', /^PPI-/);
    assert.deepEqual(await connector.postSupplierInvoice(invoice('INV-BC-7')), found);
    await drop('journals\\([^)]*\\)/Microsoft\\.NAV\\.post');
    await expectCode(() => connector.postJournalEntry(journal('LLJOURNAL0000007')), 'LL_ERR_REMOTE_TRANSIENT');
    assert.equal(
      (await connector.findDocumentByReference('journal_entry', 'LLJOURNAL0000007', { companyCode: '1010' }))
        ?.documentId,
      'LLJOURNAL0000007',
    );
    assert.equal((await documents('INV-BC-7')).length, 1);
    assert.equal((await documents('LLJOURNAL0000007')).length, 1);
  });

  test('the tenant checked read only against the published resources', async () => {
    const findings = await connector.checkContract();
    assert.deepEqual(
      findings.filter((f) => !f.ok),
      [],
    );
    assert.ok(findings.length >= 10);
  });

  test('links on a posted invoice as Internet shortcuts, listed back; a journal entry takes none', async () => {
    const ref = await connector.postSupplierInvoice(invoice('INV-BC-6'));
    const [added] = await connector.linkAttachments([
      { document: ref, links: [{ url: 'https://hub.example/trace/1', description: 'Approval evidence' }] },
    ]);
    assert.equal(added?.length, 1);
    const listed = await connector.listAttachments(ref);
    assert.deepEqual(
      listed.map((a) => [a.url, a.description]),
      [['https://hub.example/trace/1', 'Approval evidence']],
    );
    const entry = await connector.postJournalEntry(journal('LLJOURNAL0000009'));
    await connector.linkAttachments([
      { document: entry, links: [{ url: 'https://hub.example/r/9', description: 'Report' }] },
    ]);
    assert.deepEqual(
      (await connector.listAttachments(entry)).map((a) => a.url),
      ['https://hub.example/r/9'],
    );
    await expectCode(
      () =>
        connector.linkAttachments([
          { document: { ...ref, documentId: 'PPI-0' }, links: [{ url: 'https://x.example', description: 'x' }] },
        ]),
      'LL_ERR_REMOTE_REJECTED',
    );
    await expectCode(
      () => connector.linkAttachments([{ document: ref, links: [{ url: 'ftp://x', description: 'x' }] }]),
      'LL_ERR_VALIDATION',
    );
  });
});

describeFaultContract('business-central', {
  simulatorUrl: () => sim.url,
  call: () => connector.findVendors({ name: 'Atlas' }),
});
