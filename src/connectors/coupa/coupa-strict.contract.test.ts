/**
 * The Coupa connector against the strict simulator: what the simulator refuses as a tenant would
 * (an unknown field, a read-only field, an unknown query attribute), how the connector classifies
 * those refusals, the 50-records cap, and the R39 shapes the connector now reads and writes (bank
 * accounts in supplier information, line-level tax, charges and allocations, the paid flag).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { isLedgerlinkError } from '../../canonical/errors.js';
import { add, zero } from '../../canonical/money.js';
import { CoupaConnector } from './connector.js';
import { createCoupaSimulator } from './simulator/coupa-simulator.js';

const sim = createCoupaSimulator();
let base = '';
let connector: CoupaConnector;

before(async () => {
  base = await sim.start();
  connector = new CoupaConnector({ baseUrl: base, ...sim.credentials, timeoutMs: 1_000 });
});
after(() => sim.stop());

/** The connector's coded error for a call, with the Coupa answer kept in its details. */
async function refusal(
  call: () => Promise<unknown>,
): Promise<{ code: string; status: unknown; body: string; messages: unknown[] }> {
  try {
    await call();
  } catch (error) {
    assert.ok(isLedgerlinkError(error), String(error));
    const [detail, ...messages] = error.details as { status?: unknown; message?: string }[];
    return { code: error.code, status: detail?.status, body: detail?.message ?? '', messages };
  }
  return assert.fail('the call was not refused');
}

describe('Coupa connector against the strict simulator', () => {
  beforeEach(async () => {
    await fetch(`${base}/_sim/reset`, { method: 'POST' });
  });

  test('a write with a field the model does not have is refused (400, Coupa error shape): a business rejection', async () => {
    const [supplier] = sim.estate().suppliers;
    const refused = await refusal(() =>
      connector.client.put('suppliers', String(supplier!.id), { 'erp-number': 'V1' }),
    );
    assert.deepEqual([refused.code, refused.status], ['LL_ERR_REMOTE_REJECTED', 400]);
    assert.deepEqual(JSON.parse(refused.body), {
      errors: { supplier: ['Erp number is an unknown attribute of supplier'] },
    });
    assert.deepEqual(refused.messages, [
      { path: 'supplier', message: 'Erp number is an unknown attribute of supplier' },
    ]);
    assert.equal(sim.estate().suppliers[0]!['erp-number'], undefined, 'nothing changed');
  });

  test('a read-only field written is refused: exported in a plain PUT, external-ref-code on a lookup value', async () => {
    const invoice = sim.estate().invoices.find((i) => i['exported'] === false)!;
    const exported = await refusal(() => connector.client.put('invoices', String(invoice.id), { exported: true }));
    assert.deepEqual([exported.code, exported.status], ['LL_ERR_REMOTE_REJECTED', 400]);
    assert.match(exported.body, /"invoice":\["Exported is read-only and cannot be written"\]/);
    assert.equal(invoice['exported'], false);
    const code = await refusal(() =>
      connector.client.post('lookup_values', { name: 'X', 'external-ref-code': 'X', lookup: { name: 'Projects' } }),
    );
    assert.match(code.body, /External ref code is read-only/);
    // The special action is the way: its own PUT with ?exported=true.
    await connector.markInvoiceExported(String(invoice.id));
    assert.equal(invoice['exported'], true);
  });

  test('a query on an attribute the model does not have is refused; the connector classifies it', async () => {
    const refused = await refusal(() => connector.client.list('invoices', { 'erp-status': 'posted' }));
    assert.deepEqual([refused.code, refused.status], ['LL_ERR_REMOTE_REJECTED', 400]);
    assert.match(refused.body, /erp-status is not an attribute of invoice/);
    assert.deepEqual(refused.messages, [
      { path: 'base', message: 'erp-status is not an attribute of invoice that can be queried' },
    ]);
  });

  test('a page over 50 is cut to 50 (Compass "Querying Options"); the connector pages by 50 with offset', async () => {
    const page = await connector.client.list('suppliers', { limit: 200 });
    assert.equal(page.length, 50);
    const all = await connector.client.listAll('suppliers');
    assert.equal(all.length, sim.estate().suppliers.length);
    assert.ok(all.length > 50);
  });

  test('bank accounts come from supplier information: IBAN and BIC, or account number and routing code', async () => {
    const suppliers = await connector.approvedSuppliersChangedSince('1970-01-01T00:00:00Z');
    const gb = suppliers.find((s) => s.supplier.address.country === 'GB')!.supplier.bankAccounts[0];
    assert.match(gb?.iban ?? '', /^GB\d{2}NWBK\d{14}$/);
    assert.equal(gb?.bic, 'NWBKGB2L');
    const us = suppliers.find((s) => s.supplier.address.country === 'US')!.supplier.bankAccounts[0];
    assert.deepEqual([us?.iban, us?.bankCode, us?.accountNumber?.startsWith('00')], [undefined, '121000248', true]);
  });

  test('invoices: line-level tax, charges as lines, split lines; net + tax is the gross total', async () => {
    const invoices = await connector.invoicesToExport();
    for (const { invoice } of invoices) {
      const lines = invoice.lines.reduce((total, line) => add(total, line.netAmount), zero(invoice.currency));
      assert.equal(lines.amount, invoice.netAmount.amount, invoice.invoiceNumber);
      assert.equal(add(invoice.netAmount, invoice.taxAmount).amount, invoice.grossAmount.amount, invoice.invoiceNumber);
    }
    const lineTaxed = invoices.find((i) => i.invoice.lines[0]?.taxAmount !== undefined)!.invoice;
    assert.equal(lineTaxed.lines[0]!.taxAmount!.amount, lineTaxed.taxAmount.amount);
    const charged = invoices.find((i) => i.invoice.lines.some((l) => l.description === 'Freight'))!.invoice;
    const freight = charged.lines.find((l) => l.description === 'Freight')!;
    assert.deepEqual([freight.lineNumber, freight.glAccount, freight.purchaseOrderId], [2, '6200', undefined]);
    const split = invoices.find(
      (i) => i.invoice.lines.length === 2 && i.invoice.lines[1]!.purchaseOrderId !== undefined,
    )!;
    const [first, second] = split.invoice.lines;
    assert.equal(first!.purchaseOrderLine, second!.purchaseOrderLine);
    assert.notDeepEqual([first!.glAccount, first!.costCenter], [second!.glAccount, second!.costCenter]);
    const record = sim.estate().invoices.find((i) => String(i.id) === split.invoice.id)!;
    const quantity = Number((record['invoice-lines'] as { quantity: string }[])[0]!.quantity);
    assert.equal(Number(first!.quantity) + Number(second!.quantity), quantity);
  });

  test('payment written back: paid and payment-date on the invoice', async () => {
    const invoice = sim.estate().invoices[0]!;
    await connector.markInvoicePaid(String(invoice.id), '2025-06-30');
    assert.deepEqual([invoice['paid'], invoice['payment-date']], [true, '2025-06-30T00:00:00Z']);
  });
});
