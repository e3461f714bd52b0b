/** The SAP S/4HANA connector against its simulator over real HTTP: the connector contract. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { describeFaultContract, expectCode, setFaults } from '../contract/fault-contract.js';
import { SapS4HanaConnector } from './connector.js';
import { createSapSimulator } from './simulator/sap-simulator.js';
import type { ErpSupplierInvoice } from '../ports/erp-port.js';

const sim = createSapSimulator();
let base = '';
let connector: SapS4HanaConnector;
const seed = (body: unknown) => fetch(`${base}/_sim/seed`, { method: 'POST', body: JSON.stringify(body) });
const eur = (amount: string) => ({ amount, currency: 'EUR' });
const simRequests = async (url: string): Promise<number> =>
  ((await (await fetch(`${url}/_sim/requests`)).json()) as { total: number }).total;
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

before(async () => {
  base = await sim.server.start();
  connector = new SapS4HanaConnector({
    baseUrl: base,
    user: sim.credentials.user,
    password: sim.credentials.password,
    timeoutMs: 1_000,
  });
});
after(async () => sim.server.stop());

describe('sap-s4hana connector contract', () => {
  beforeEach(async () => {
    await fetch(`${base}/_sim/reset`, { method: 'POST' });
  });

  test('master data read in full across several pages, and incrementally since a time', async () => {
    await seed({ pageSize: 3 });
    const all = await connector.readMasterData(null);
    assert.deepEqual(
      all.legalEntities.map((e) => [e.companyCode, e.currency]),
      [
        ['1010', 'EUR'],
        ['1710', 'USD'],
        ['2910', 'GBP'],
      ],
    );
    assert.equal(new Set(all.glAccounts.map((a) => a.number)).size, 16);
    assert.equal(all.glAccounts.length, 48);
    assert.equal(all.costCenters.length, 6);
    assert.equal(all.costCenters.find((c) => c.code === '10101301')?.validTo, '2024-12-31');
    assert.deepEqual(
      all.projects.filter((p) => p.postingAllowed).map((p) => p.wbsElement),
      ['P-1010-0001.1', 'P-1010-0001.2', 'P-1710-0001.1'],
    );
    assert.deepEqual(
      all.taxCodes.map((x) => `${x.companyCode}/${x.code}/${x.ratePercent}`),
      ['1010/V0/0', '1010/V1/19', '1010/V2/7', '1010/VP/19', '1710/I0/0', '2910/G1/20'],
    );
    const recent = await connector.readMasterData('2025-01-01T00:00:00Z');
    assert.deepEqual([...new Set(recent.glAccounts.map((a) => a.number))], ['61009000', '65008000']);
    // A_CostCenter has no change timestamp (API_COSTCENTER_SRV.edmx): changes are found by comparing
    // with the previous read, and none happened since the full read above.
    assert.deepEqual(
      recent.costCenters.map((c) => c.code),
      [],
    );
    assert.deepEqual(
      recent.projects.map((p) => p.wbsElement),
      ['P-1710-0001.1'],
    );
    assert.deepEqual(recent.legalEntities, []);
  });

  test('master data changes: the newest change time is the next cursor; a changed cost center comes back from it, a removed one is gone', async () => {
    const all = await connector.readMasterData(null);
    assert.equal(all.newestChangeAt, '2025-02-01T09:30:00Z');
    await seed({
      costCenters: [
        { costCenter: '10101201', validTo: '2025-06-30', name: 'IT DE (closing)' },
        { costCenter: '29101101', remove: true },
      ],
      glAccounts: [{ glAccount: '63003000', blocked: true }],
    });
    const changed = await connector.readMasterData(all.newestChangeAt ?? null);
    assert.ok((changed.newestChangeAt ?? '') > '2025-02-01T09:30:00Z');
    const center = changed.costCenters.find((c) => c.code === '10101201');
    assert.deepEqual([center?.validTo, center?.name], ['2025-06-30', 'IT DE (closing)']);
    assert.ok(changed.glAccounts.filter((a) => a.number === '63003000').every((a) => a.blocked));
    assert.equal(
      (await connector.readMasterData(null)).costCenters.some((c) => c.code === '29101101'),
      false,
    );
  });

  test('cost object postings: G/L lines on cost centers of a company code and fiscal year, debit positive', async () => {
    await connector.postJournalEntry({
      reference: 'JE-2025-0100',
      companyCode: '1010',
      documentDate: '2025-03-31',
      postingDate: '2025-03-31',
      lines: [
        { glAccount: '61008000', side: 'D', amount: eur('120.00'), costCenter: '10101101' },
        { glAccount: '11001000', side: 'C', amount: eur('120.00') },
      ],
    });
    const postings = await connector.readCostObjectPostings('1010', 2025);
    assert.deepEqual(
      postings.map((p) => [p.costCenter, p.glAccount, p.amount.currency, Number(p.amount.amount)]),
      [['10101101', '61008000', 'EUR', 120]],
    );
    assert.deepEqual(await connector.readCostObjectPostings('1010', 2024), []);
  });

  test('vendors created by deep insert and found by tax number, IBAN and name', async () => {
    const id = await connector.createVendor({
      reference: 'LL-SUP-9',
      name: 'Kestrel Logistik GmbH',
      country: 'DE',
      vatNumber: 'DE111222333',
      bankAccounts: [{ iban: 'DE02100100100006820101', bic: 'PBNKDEFFXXX' }],
      companyCodes: [{ companyCode: '1010', reconciliationAccount: '21100000' }],
    });
    assert.equal(id, '17300005');
    const [doc] = (await (await fetch(`${base}/_sim/documents?reference=LL-SUP-9`)).json()) as {
      kind: string;
      id: string;
    }[];
    assert.deepEqual([doc?.kind, doc?.id], ['vendor', id]);
    const byTax = await connector.findVendors({ taxNumber: 'DE111222333' });
    assert.deepEqual(
      byTax.map((v) => [v.vendorId, v.companyCodes, v.ibans]),
      [[id, ['1010'], ['DE02100100100006820101']]],
    );
    assert.deepEqual(
      (await connector.findVendors({ iban: 'GB29 NWBK 6016 1331 9268 19' })).map((v) => v.vendorId),
      ['17300002'],
    );
    assert.deepEqual(
      (await connector.findVendors({ name: 'Pioneer' })).map((v) => v.vendorId),
      ['17300003'],
    );
    assert.equal((await connector.findVendors({ taxNumber: '12-3456789' }))[0]?.vendorId, '17300003');
    const employee = await connector.findVendors({ reference: '49038128' });
    assert.deepEqual(
      employee.map((v) => [v.vendorId, v.companyCodes]),
      [['17400001', ['1010']]],
      'an employee vendor by the personnel number it carries',
    );
    assert.deepEqual(await connector.findVendors({ reference: 'nobody' }), []);
    assert.deepEqual(await connector.findVendors({ name: 'Nobody' }), []);
  });

  test('vendors found by our reference and read when changed since a time, with country and our reference', async () => {
    const id = await connector.createVendor({
      reference: 'LLREF0000000001',
      name: 'Pioneer Freight Inc.',
      country: 'US',
      taxNumber: '98-7654321',
      bankAccounts: [],
      companyCodes: [{ companyCode: '1710', reconciliationAccount: '21100000', paymentTerms: '0002' }],
    });
    const [found] = await connector.findVendors({ reference: 'LLREF0000000001' });
    assert.deepEqual([found?.vendorId, found?.reference, found?.taxNumbers], [id, 'LLREF0000000001', ['98-7654321']]);
    assert.deepEqual(await connector.findVendors({ reference: 'LLREF-NONE' }), []);
    const all = await connector.vendorsChangedSince(null);
    assert.deepEqual(
      all.map((v) => [v.vendorId, v.country, v.blocked]),
      [
        ['17300001', 'DE', false],
        ['17300002', 'GB', false],
        ['17300003', 'US', false],
        ['17300004', 'DE', true],
        // The card vendor and the employee vendors of the expense estate (employees carry no tax or bank country).
        ['17500001', 'US', false],
        ['17400001', undefined, false],
        ['17400002', undefined, false],
        ['17400003', undefined, false],
        ['17400004', undefined, false],
        ['17400011', undefined, false],
        ['17400012', undefined, false],
        ['17400013', undefined, false],
        ['17400014', undefined, false],
        ['17400015', undefined, false],
        // Its tax number is now a business partner tax number of type US1, which carries the country.
        [id, 'US', false],
      ],
    );
    const today = new Date().toISOString();
    assert.deepEqual(
      (await connector.vendorsChangedSince(today)).map((v) => v.vendorId),
      [id],
    );
    const [atlas] = await connector.findVendors({ vendorId: '17300002' });
    await connector.updateVendor('17300002', { blocked: true }, atlas!.version!);
    assert.deepEqual(
      (await connector.vendorsChangedSince(today)).map((v) => [v.vendorId, v.blocked]),
      [
        ['17300002', true],
        [id, false],
      ],
    );
  });

  test('supplier invoice posted with our reference, found by it; a duplicate is a rejection, a closed period a validation error', async () => {
    const posted = await connector.postSupplierInvoice(invoice('RE-2025-0042'));
    assert.deepEqual(posted, {
      kind: 'supplier_invoice',
      documentId: '5105600001',
      fiscalYear: '2025',
      companyCode: '1010',
    });
    assert.deepEqual(
      await connector.findDocumentByReference('supplier_invoice', 'RE-2025-0042', {
        companyCode: '1010',
        vendorId: '17300001',
      }),
      posted,
    );
    assert.equal(await connector.findDocumentByReference('supplier_invoice', 'RE-NONE', { companyCode: '1010' }), null);
    const [doc] = (await (await fetch(`${base}/_sim/documents?reference=RE-2025-0042`)).json()) as {
      lines: { side: string; amount: string; partner?: string }[];
    }[];
    assert.deepEqual(doc?.lines[0], { account: '21100000', side: 'C', amount: '1190', partner: '17300001' });
    await expectCode(() => connector.postSupplierInvoice(invoice('RE-2025-0042')), 'LL_ERR_REMOTE_REJECTED');
    await expectCode(() => connector.postSupplierInvoice(invoice('RE-2025-0007', '2025-01-20')), 'LL_ERR_VALIDATION');
    await expectCode(() => connector.postSupplierInvoice(invoice('RE-THIS-IS-MUCH-TOO-LONG')), 'LL_ERR_VALIDATION');
  });

  test('supplier invoices posted at the same time share a $batch, a change set each: a refused one fails alone', async () => {
    const count = async (route: string): Promise<number> =>
      ((await (await fetch(`${base}/_sim/requests`)).json()) as { byRoute: Record<string, number> }).byRoute[route] ??
      0;
    const service = 'POST /sap/opu/odata/sap/API_SUPPLIERINVOICE_PROCESS_SRV/';
    await connector.postSupplierInvoice(invoice('RE-BATCH-0')); // the CSRF token fetched before counting
    const [plainBefore, batchBefore] = [await count(`${service}A_SupplierInvoice`), await count(`${service}$batch`)];
    const references = ['RE-BATCH-1', 'RE-BATCH-2', 'RE-BATCH-3', 'RE-BATCH-4'];
    const outcomes = await Promise.allSettled([
      ...references.map((reference) => connector.postSupplierInvoice(invoice(reference))),
      connector.postSupplierInvoice(invoice('RE-BATCH-CLOSED', '2025-01-20')),
    ]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected'],
    );
    assert.equal((outcomes[4] as PromiseRejectedResult).reason.code, 'LL_ERR_VALIDATION', 'closed period, as alone');
    const numbers = outcomes
      .slice(0, 4)
      .map((o) => (o as PromiseFulfilledResult<{ documentId: string }>).value.documentId);
    assert.equal(new Set(numbers).size, 4);
    for (const [index, reference] of references.entries())
      assert.deepEqual(
        (await connector.findDocumentByReference('supplier_invoice', reference, { companyCode: '1010' }))?.documentId,
        numbers[index],
      );
    assert.equal((await count(`${service}A_SupplierInvoice`)) - plainBefore, 2, 'two leave alone at once');
    assert.equal((await count(`${service}$batch`)) - batchBefore, 1, 'the three that waited share one $batch');
  });

  test('journal entry by SOAP: document number read from the confirmation, closed period read from the log', async () => {
    const entry = {
      reference: 'JE-2025-0003',
      companyCode: '1010',
      documentDate: '2025-03-31',
      postingDate: '2025-03-31',
      lines: [
        { glAccount: '61008000', side: 'D' as const, amount: eur('250.10'), costCenter: '10101101' },
        { glAccount: '11001000', side: 'C' as const, amount: eur('250.10') },
      ],
    };
    const posted = await connector.postJournalEntry(entry);
    assert.deepEqual(posted, {
      kind: 'journal_entry',
      documentId: '0100000001',
      fiscalYear: '2025',
      companyCode: '1010',
    });
    assert.deepEqual(
      await connector.findDocumentByReference('journal_entry', 'JE-2025-0003', { companyCode: '1010' }),
      posted,
    );
    const [doc] = (await (await fetch(`${base}/_sim/documents?reference=JE-2025-0003`)).json()) as {
      kind: string;
      lines: { amount: string }[];
    }[];
    assert.equal(doc?.kind, 'journal_entry');
    assert.deepEqual(
      doc?.lines.map((l) => l.amount),
      ['250.1', '250.1'],
    );
    await expectCode(
      () => connector.postJournalEntry({ ...entry, reference: 'JE-2025-0004', postingDate: '2025-01-31' }),
      'LL_ERR_VALIDATION',
    );
    await expectCode(
      () =>
        connector.postJournalEntry({
          ...entry,
          reference: 'JE-2025-0005',
          lines: [entry.lines[0]!, { ...entry.lines[1]!, amount: eur('250.00') }],
        }),
      'LL_ERR_REMOTE_REJECTED',
    );
  });

  test('journal entries posted at the same time share one bulk request; each is confirmed or refused on its own', async () => {
    const route = 'POST /sap/bc/srt/scs_ext/sap/journalentrycreaterequestconfi';
    const count = async (): Promise<number> =>
      ((await (await fetch(`${base}/_sim/requests`)).json()) as { byRoute: Record<string, number> }).byRoute[route] ??
      0;
    const entry = (reference: string, postingDate = '2025-03-31', credit = '75.00') => ({
      reference,
      companyCode: '1010',
      documentDate: '2025-03-31',
      postingDate,
      lines: [
        { glAccount: '61008000', side: 'D' as const, amount: eur('75.00'), costCenter: '10101101' },
        { glAccount: '11001000', side: 'C' as const, amount: eur(credit) },
      ],
    });
    const before = await count();
    const outcomes = await Promise.allSettled([
      connector.postJournalEntry(entry('JE-BULK-1')),
      connector.postJournalEntry(entry('JE-BULK-2')),
      connector.postJournalEntry(entry('JE-BULK-3')),
      connector.postJournalEntry(entry('JE-BULK-CLOSED', '2025-01-31')),
      connector.postJournalEntry(entry('JE-BULK-UNBAL', '2025-03-31', '70.00')),
      connector.postJournalEntry(entry('JE-BULK-4')),
    ]);
    assert.deepEqual(
      outcomes.map((o) => (o.status === 'fulfilled' ? 'posted' : (o.reason as { code: string }).code)),
      ['posted', 'posted', 'posted', 'LL_ERR_VALIDATION', 'LL_ERR_REMOTE_REJECTED', 'posted'],
    );
    assert.equal((await count()) - before, 3, 'two leave at once, the four that waited for them together');
    for (const [index, reference] of ['JE-BULK-1', 'JE-BULK-2', 'JE-BULK-3'].entries())
      assert.deepEqual(
        await connector.findDocumentByReference('journal_entry', reference, { companyCode: '1010' }),
        (outcomes[index] as PromiseFulfilledResult<unknown>).value,
      );
    assert.ok(
      (await connector.findDocumentByReference('journal_entry', 'JE-BULK-4', { companyCode: '1010' })) !== null,
    );
    // A reference longer than the schema allows makes the service refuse the whole bulk request (SOAP
    // Client fault): the entries are sent again one by one and only the faulty one is refused.
    const split = await Promise.allSettled(
      ['JE-SPLIT-1', 'JE-SPLIT-2', 'JE-SPLIT-3', 'JE-SPLIT-REFERENCE-TOO-LONG'].map((r) =>
        connector.postJournalEntry(entry(r)),
      ),
    );
    assert.deepEqual(
      split.map((o) => (o.status === 'fulfilled' ? 'posted' : (o.reason as { code: string }).code)),
      ['posted', 'posted', 'posted', 'LL_ERR_REMOTE_REJECTED'],
    );
  });

  test('URL attachments linked to a posted supplier invoice and journal entry, listed back per document; an unknown document or a link over the limits is refused', async () => {
    const posted = await connector.postSupplierInvoice(invoice('RE-ATT-1'));
    const journal = await connector.postJournalEntry({
      reference: 'JE-ATT-1',
      companyCode: '1010',
      documentDate: '2025-03-31',
      postingDate: '2025-03-31',
      lines: [
        { glAccount: '61008000', side: 'D', amount: eur('10.00'), costCenter: '10101101' },
        { glAccount: '11001000', side: 'C', amount: eur('10.00') },
      ],
    });
    const scan = {
      url: 'https://files.example.com/scan?id=7&sig=a+b/c%3D#page=1',
      description: "Invoice image of O'Brien & Sons, 100% scanned",
    };
    const [[linked] = []] = await connector.linkAttachments([{ document: posted, links: [scan] }]);
    assert.ok(linked !== undefined);
    assert.deepEqual(
      [linked.url, linked.description, linked.mediaType, linked.createdBy],
      [scan.url, scan.description, 'text/url', 'LEDGERLINK_C'],
    );
    assert.match(linked.id, /^[0-9A-F]{32}\/[0-9A-F]{32}$/);
    assert.ok(Date.parse(linked.createdAt ?? '') > Date.now() - 60_000);
    const requestsBefore = await simRequests(base);
    const [evidence = []] = await connector.linkAttachments([
      {
        document: journal,
        links: [
          { url: 'https://expense.example.com/reports/R-1', description: 'approved for payment 2025-03-30 10:00 UTC' },
          { url: 'https://files.example.com/receipts/R-1-1.pdf', description: 'Receipt 1: hotel' },
        ],
      },
    ]);
    assert.equal((await simRequests(base)) - requestsBefore, 1, 'two links of one document are one $batch request');
    assert.deepEqual(await connector.listAttachments(posted), [linked]);
    assert.deepEqual(await connector.listAttachments(journal), evidence);
    const [doc] = (await (await fetch(`${base}/_sim/documents?reference=RE-ATT-1`)).json()) as {
      attachments?: { url: string; description: string }[];
    }[];
    assert.deepEqual(
      doc?.attachments?.map((a) => [a.url, a.description]),
      [[scan.url, scan.description]],
    );
    const unknown = { ...posted, documentId: '5105609999' };
    assert.deepEqual(await connector.listAttachments(unknown), []);
    await expectCode(() => connector.linkAttachments([{ document: unknown, links: [scan] }]), 'LL_ERR_REMOTE_REJECTED');
    // A change set with one refused link keeps none of it, on any of its documents.
    await expectCode(
      () =>
        connector.linkAttachments([
          { document: posted, links: [{ ...scan, url: 'https://files.example.com/other' }] },
          { document: unknown, links: [scan] },
        ]),
      'LL_ERR_REMOTE_REJECTED',
    );
    assert.deepEqual(await connector.listAttachments(posted), [linked]);
    await expectCode(
      () =>
        connector.linkAttachments([
          { document: posted, links: [{ ...scan, url: `https://files.example.com/${'x'.repeat(240)}` }] },
        ]),
      'LL_ERR_VALIDATION',
    );
    await expectCode(
      () => connector.linkAttachments([{ document: posted, links: [{ ...scan, url: 'urn:concur:receipt:1' }] }]),
      'LL_ERR_VALIDATION',
    );
    await expectCode(
      () => connector.linkAttachments([{ document: posted, links: [{ ...scan, description: 'd'.repeat(256) }] }]),
      'LL_ERR_VALIDATION',
    );
  });

  test('a CSRF session that expired is fetched anew and the write goes through', async () => {
    await connector.postSupplierInvoice(invoice('RE-CSRF-1'));
    const fetches = connector.client.csrf.fetchCount;
    await setFaults(base, { expireTokens: true });
    await setFaults(base, {});
    await connector.postSupplierInvoice(invoice('RE-CSRF-2'));
    assert.equal(connector.client.csrf.fetchCount, fetches + 1);
  });

  test('payment status: cleared vendor items since a date', async () => {
    await connector.postSupplierInvoice(invoice('RE-PAY-1'));
    await seed({
      payments: [
        { accountingDocument: '5105600001', fiscalYear: '2025', companyCode: '1010', clearingDate: '2025-04-02' },
      ],
    });
    const paid = await connector.readPaymentStatus('2025-04-01');
    assert.deepEqual(
      paid.map((p) => [p.reference, p.vendorId, p.amount.amount, p.amount.currency, p.clearingDate]),
      [['RE-PAY-1', '17300001', '1190', 'EUR', '2025-04-02']],
    );
    assert.deepEqual(await connector.readPaymentStatus('2025-05-01'), []);
  });

  test('a vendor updated with If-Match: the ETag read; a stale ETag is a 412, a rejection, and changes nothing', async () => {
    const [read] = await connector.findVendors({ vendorId: '17300002' });
    assert.ok(read?.version !== undefined, 'the read carries the ETag');
    const next = await connector.updateVendor(
      '17300002',
      { name: 'Atlas Components Ltd (renamed)', blocked: true },
      read.version,
    );
    assert.ok(next !== undefined && next !== read.version, 'a new ETag is answered');
    const stale = await connector
      .updateVendor('17300002', { name: 'Lost update' }, read.version)
      .catch((error: unknown) => error);
    await expectCode(() => Promise.reject(stale), 'LL_ERR_REMOTE_REJECTED');
    assert.deepEqual(
      (stale as { details?: { status?: number; sapCode?: string }[] }).details?.map((d) => [d.status, d.sapCode]),
      [[412, '/IWBEP/CM_MGW_RT/022']],
    );
    const [after] = await connector.findVendors({ vendorId: '17300002' });
    assert.deepEqual([after?.name, after?.blocked, after?.version], ['Atlas Components Ltd (renamed)', true, next]);
  });

  test('wrong credentials are an auth error', async () => {
    const wrong = new SapS4HanaConnector({
      baseUrl: base,
      user: sim.credentials.user,
      password: 'wrong',
      timeoutMs: 1_000,
    });
    await expectCode(() => wrong.findVendors({ name: 'Atlas' }), 'LL_ERR_REMOTE_AUTH');
  });
});

describeFaultContract('sap-s4hana', { simulatorUrl: () => base, call: () => connector.findVendors({ name: 'Atlas' }) });
