/** The Coupa connector against its simulator over real HTTP: the connector contract. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { describeFaultContract, setFaults } from '../contract/fault-contract.js';
import { CoupaConnector } from './connector.js';
import { createCoupaSimulator } from './simulator/coupa-simulator.js';

const sim = createCoupaSimulator();
let base = '';
let connector: CoupaConnector;

interface Doc {
  kind: string;
  id: string;
  reference: string;
}
const documents = async (query: string): Promise<Doc[]> =>
  (await (await fetch(`${base}/_sim/documents?${query}`)).json()) as Doc[];

before(async () => {
  base = await sim.start();
  connector = new CoupaConnector({ baseUrl: base, ...sim.credentials, timeoutMs: 1_000 });
});
after(() => sim.stop());

describe('Coupa connector contract', () => {
  beforeEach(async () => {
    await fetch(`${base}/_sim/reset`, { method: 'POST' });
  });

  test('reads every page: more than 50 approved suppliers, each once, as canonical suppliers', async () => {
    const suppliers = await connector.approvedSuppliersChangedSince('1970-01-01T00:00:00Z');
    const expected = sim.estate().suppliers.filter((s) => s['status'] === 'active').length;
    assert.ok(expected > 50);
    assert.equal(suppliers.length, expected);
    assert.equal(new Set(suppliers.map((s) => s.supplier.id)).size, expected);
    const german = suppliers.find((s) => s.supplier.address.country === 'DE')!;
    assert.equal(german.supplier.taxNumbers[0]?.kind, 'vat');
    assert.match(german.supplier.bankAccounts[0]?.iban ?? '', /^DE\d{20}$/);
    assert.ok(suppliers.some((s) => s.supplier.status === 'approved' && s.erpVendorNumber === undefined));
  });

  test('incremental read and write-back: only the supplier changed since the cursor comes back, with its ERP number', async () => {
    const cursor = new Date(Date.now() - 1_000).toISOString();
    assert.deepEqual(await connector.approvedSuppliersChangedSince(cursor), []);
    const target = (await connector.approvedSuppliersChangedSince('1970-01-01T00:00:00Z')).find(
      (s) => s.erpVendorNumber === undefined,
    )!;
    await connector.writeBackVendorNumber(target.supplier.id, 'V-4711');
    const changed = await connector.approvedSuppliersChangedSince(cursor);
    assert.deepEqual(
      changed.map((s) => [s.supplier.id, s.erpVendorNumber, s.supplier.status]),
      [[target.supplier.id, 'V-4711', 'active']],
    );
    assert.deepEqual(
      (await documents('reference=V-4711')).map((d) => [d.kind, d.id]),
      [['write_back', target.supplier.id]],
    );
  });

  test('one supplier read by id, whatever its status; an unknown id is null', async () => {
    const draft = sim.estate().suppliers.find((s) => s['status'] === 'draft')!;
    const read = await connector.supplierById(String(draft.id));
    assert.deepEqual(
      [read?.supplier.id, read?.supplier.status, read?.erpVendorNumber],
      [String(draft.id), 'requested', undefined],
    );
    assert.equal(await connector.supplierById('999999'), null);
  });

  test('approved unexported invoices across pages, amounts exact; once marked exported an invoice is not listed again', async () => {
    const invoices = await connector.approvedUnexportedInvoices();
    assert.ok(invoices.length > 50, `${invoices.length} invoices`);
    const raw = sim.estate().invoices.find((i) => String(i.id) === invoices[0]!.id)!;
    assert.equal(invoices[0]!.grossAmount.amount, raw['gross-total']);
    assert.deepEqual(new Set(invoices.map((i) => i.currency)), new Set(['EUR', 'USD', 'GBP']));
    assert.deepEqual(new Set(invoices.map((i) => i.companyCode)), new Set(['1010', '1710', '2910']));
    await connector.markInvoiceExported(invoices[0]!.id);
    const after = await connector.approvedUnexportedInvoices();
    assert.equal(after.length, invoices.length - 1);
    assert.ok(!after.some((i) => i.id === invoices[0]!.id));
  });

  test('approved invoices by invoice date, exported or not: both ends of the period included, other statuses left out', async () => {
    const approved = sim.estate().invoices.filter((i) => i['status'] === 'approved');
    const dates = [...new Set(approved.map((i) => String(i['invoice-date'])))].sort();
    const from = dates[1]!;
    const to = dates[dates.length - 2]!;
    const expected = approved
      .filter((i) => String(i['invoice-date']) >= from && String(i['invoice-date']) <= to)
      .map((i) => String(i.id))
      .sort();
    const first = await connector.approvedInvoicesDated(from, to);
    assert.deepEqual(first.map((i) => i.id).sort(), expected);
    assert.ok(first.every((i) => i.invoiceDate >= from && i.invoiceDate <= to));
    await connector.markInvoiceExported(first[0]!.id);
    assert.equal((await connector.approvedInvoicesDated(from, to)).length, expected.length);
    assert.deepEqual(await connector.approvedInvoicesDated('1999-01-01', '1999-01-31'), []);
  });

  test('dimensions read back: accounts with their segments and chart, lookup values by code, inactive ones too', async () => {
    const project = {
      kind: 'lookup_value',
      lookup: 'Projects',
      code: 'P-3000',
      name: 'Data centre move',
      active: true,
    } as const;
    const account = {
      kind: 'account',
      chartOfAccounts: 'COA 1010',
      name: '1010 Travel CC100',
      segments: ['1010', '6400', 'CC100'],
      active: true,
    } as const;
    await connector.publishDimensions([project, account, { ...project, code: 'P-3001', name: 'Closed', active: true }]);
    await connector.publishDimensions([{ ...project, code: 'P-3001', name: 'Closed', active: false }]);
    const held = await connector.listDimensions();
    const accounts = held.filter((v) => v.kind === 'account');
    assert.equal(accounts.length, sim.estate().accounts.length, 'every account, across pages');
    const mine = accounts.find((v) => v.kind === 'account' && v.segments.join('-') === '1010-6400-CC100');
    assert.deepEqual(mine && { ...mine, id: 'x' }, { ...account, id: 'x' });
    const lookups = held
      .filter((v) => v.kind === 'lookup_value')
      .map((v) => (v.kind === 'lookup_value' ? [v.lookup, v.code, v.active] : []));
    assert.deepEqual(
      lookups.filter((l) => String(l[1]).startsWith('P-300')),
      [
        ['Projects', 'P-3000', true],
        ['Projects', 'P-3001', false],
      ],
    );
  });

  test('open purchase orders: every issued order across pages', async () => {
    const issued = sim.estate().purchaseOrders.filter((o) => o['status'] === 'issued').length;
    const orders = await connector.openPurchaseOrders();
    assert.equal(orders.length, issued);
    assert.ok(orders.every((o) => o.status === 'issued' && o.lines.length > 0));
  });

  test('one invoice with its version, PO line numbers from the order, approvals and image link', async () => {
    const raw = sim.estate().invoices.find((i) => i['status'] === 'approved' && i['exported'] === false)!;
    const found = await connector.invoiceById(String(raw.id));
    assert.deepEqual([found?.status, found?.exported, found?.updatedAt], ['approved', false, raw['updated-at']]);
    assert.equal(found?.invoice.lines[0]?.purchaseOrderLine, 1);
    assert.equal(found?.supplierErpNumber, (raw['supplier'] as { number: string | null }).number ?? undefined);
    await fetch(`${base}/_sim/seed`, {
      method: 'POST',
      body: JSON.stringify({
        invoices: [
          {
            ...raw,
            'image-scan-url': 'https://files.example.com/invoices/scan-1.pdf',
            approvals: [
              {
                id: 2,
                position: 2,
                status: 'approved',
                'approval-date': '2025-01-09T10:00:00Z',
                approver: { id: 7, login: 'cfo', fullname: 'Carla Finance' },
              },
              {
                id: 1,
                position: 1,
                status: 'approved',
                'approval-date': '2025-01-08T09:00:00Z',
                approver: { id: 6, login: 'buyer1', fullname: 'Ben Buyer' },
              },
              { id: 3, position: 3, status: 'pending_approval', approver: { id: 8, login: 'ceo' } },
            ],
          },
        ],
      }),
    });
    const approved = await connector.invoiceById(String(raw.id));
    assert.deepEqual(
      approved?.invoice.approvals.map((a) => [a.approverId, a.approverName, a.approvedAt]),
      [
        ['buyer1', 'Ben Buyer', '2025-01-08T09:00:00Z'],
        ['cfo', 'Carla Finance', '2025-01-09T10:00:00Z'],
      ],
    );
    assert.deepEqual(approved?.invoice.attachments, [
      { kind: 'invoice_image', uri: 'https://files.example.com/invoices/scan-1.pdf' },
    ]);
    assert.equal(await connector.invoiceById('999999'), null);
    assert.ok(
      (await connector.invoicesToExport()).some(
        (i) => i.invoice.id === String(raw.id) && i.updatedAt === raw['updated-at'],
      ),
    );
  });

  test('purchase orders and receipts for matching', async () => {
    const invoice = (await connector.approvedUnexportedInvoices()).find((i) => i.purchaseOrderId !== undefined)!;
    const [order] = await connector.purchaseOrders([invoice.purchaseOrderId!]);
    assert.equal(order?.number, invoice.purchaseOrderId);
    assert.equal(order?.total.amount, invoice.netAmount.amount);
    const withReceipt = sim.estate().receivingTransactions[0]!;
    const orderId = String((withReceipt['order-line'] as { 'order-header-id': number })['order-header-id']);
    const receipts = await connector.receipts([orderId]);
    assert.equal(receipts.length, 1);
    assert.equal(receipts[0]!.purchaseOrderId, orderId);
    assert.equal(receipts[0]!.lines[0]!.quantity, withReceipt['quantity']);
  });

  test('publishing dimensions creates, leaves unchanged, and deactivates; each write shows as lookup_value', async () => {
    const project = {
      kind: 'lookup_value',
      lookup: 'Projects',
      code: 'P-3000',
      name: 'Data centre move',
      active: true,
    } as const;
    const account = {
      kind: 'account',
      chartOfAccounts: 'COA 1010',
      name: '1010 Travel CC100',
      segments: ['1010', '6400', 'CC100'],
      active: true,
    } as const;
    assert.deepEqual(await connector.publishDimensions([project, account]), {
      created: 2,
      updated: 0,
      deactivated: 0,
      unchanged: 0,
    });
    assert.deepEqual(await connector.publishDimensions([project, account]), {
      created: 0,
      updated: 0,
      deactivated: 0,
      unchanged: 2,
    });
    assert.deepEqual(await connector.publishDimensions([{ ...project, active: false }]), {
      created: 0,
      updated: 0,
      deactivated: 1,
      unchanged: 0,
    });
    assert.deepEqual(
      (await documents('reference=P-3000')).map((d) => d.kind),
      ['lookup_value', 'lookup_value'],
    );
    assert.equal((await documents('reference=1010-6400-CC100')).length, 1);
  });

  test('integration history and errors are recorded with their ids', async () => {
    const responses = [{ code: 'ERP', message: 'posted as 5100000123' }];
    const id = await connector.recordIntegrationHistory({
      documentType: 'InvoiceHeader',
      documentId: '1234',
      status: 'success',
      responses,
    });
    const errorId = await connector.recordIntegrationError({
      documentType: 'InvoiceHeader',
      documentId: '1235',
      status: 'failed',
      alertType: 'Technical',
      responses,
    });
    assert.notEqual(id, errorId);
    assert.deepEqual(
      (await documents('kind=integration_record')).map((d) => [d.id, d.reference]),
      [
        [id, '1234'],
        [errorId, '1235'],
      ],
    );
  });

  test('a record written with our reference whose answer was lost is found by that reference, so it is not written twice', async () => {
    const record = {
      documentType: 'InvoiceHeader',
      documentId: '1240',
      status: 'success',
      responses: [{ code: 'ERP', message: 'posted as 5100000124' }],
      reference: 'key-1240',
    };
    await setFaults(base, { dropAfterCommit: { count: 1 }, pathPattern: 'integration_history_records' });
    await assert.rejects(connector.recordIntegrationHistory(record));
    const found = await connector.findIntegrationRecord('history', 'InvoiceHeader', '1240', 'key-1240');
    assert.deepEqual(
      (await documents('kind=integration_record&reference=1240')).map((d) => d.id),
      [found],
    );
    assert.equal(await connector.findIntegrationRecord('history', 'InvoiceHeader', '1240', 'another-key'), null);
    assert.equal(await connector.findIntegrationRecord('error', 'InvoiceHeader', '1240', 'key-1240'), null);
  });

  test('token expiry mid-run: the connector fetches a new token and the call succeeds', async () => {
    await connector.approvedSuppliersChangedSince(new Date().toISOString());
    const before = connector.client.oauth.tokenRequestCount;
    await setFaults(base, { expireTokens: true });
    const suppliers = await connector.approvedSuppliersChangedSince('1970-01-01T00:00:00Z');
    assert.ok(suppliers.length > 50);
    assert.equal(connector.client.oauth.tokenRequestCount, before + 1);
  });

  test('rate limit pacing: 80 concurrent reads all pass the 25 requests/s limit without a 429', async () => {
    const pages = await Promise.all(
      Array.from({ length: 80 }, (_, i) => connector.client.list('suppliers', { offset: i % 60, limit: 1 })),
    );
    assert.equal(pages.flat().length, 80);
  });
});

describeFaultContract('coupa', {
  simulatorUrl: () => base,
  call: () => connector.approvedSuppliersChangedSince(new Date().toISOString()),
});
