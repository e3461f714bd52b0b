/**
 * Invoice posting end to end over real HTTP, on both stores: the hub against the Coupa and SAP
 * simulators. A PO invoice within tolerance → one ERP supplier invoice with PO reference items, the
 * vendor's credit equal to the debit lines plus tax, the invoice exported in procurement with the
 * ERP document number in its integration history; the same invoice by webhook and by poll → one
 * posting; invoiced above received (three-way) → validation exception naming the line, nothing
 * posted; a vendor blocked in the ERP → found by the pre-posting check: an integration error on the
 * invoice in procurement (which stays unexported) and a validation exception, nothing sent to the ERP.
 * The posted supplier invoice carries the approval evidence (approvers and dates, on a link to the
 * invoice's page in procurement) and the invoice image as URL attachments; a link whose answer was
 * lost is found, not added again; a link the ERP refuses is a business rejection while the posting
 * stands; a retry and a replay from the start post nothing twice and add no second link.
 */
import assert from 'node:assert/strict';
import { Decimal } from 'decimal.js';
import { after, before, describe, test } from 'node:test';
import type { SimDocument } from '../helpers/estate.js';
import { maskPans } from '../../src/security/pan-masking.js';
import { storeKinds } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';
import {
  INVOICE_POLL,
  invoice,
  purchaseOrder,
  receipt,
  startInvoiceHub,
  stateOf,
  supplier,
  type InvoiceHub,
} from './invoice-hub.js';

const FLOW = 'invoice-posting';

for (const kind of storeKinds) {
  describe(`invoice posting [${kind}]`, () => {
    let hub: InvoiceHub;
    const erpInvoices = async (reference?: string): Promise<SimDocument[]> =>
      (await hub.estate.documents('erp', reference)).filter((d) => d.kind === 'supplier_invoice');
    const integrationRecords = async (invoiceId: number) =>
      (await hub.estate.documents('procurement', String(invoiceId))).filter((d) => d.kind === 'integration_record');

    before(async () => {
      hub = await startInvoiceHub(kind, 'invoice-posting');
      await hub.estate.sim('procurement', '/_sim/seed', {
        suppliers: [
          supplier(9101, 'Rheinkraft Werkzeuge GmbH', '17300001'),
          supplier(9102, 'Altlast Handels AG', '17300004'),
        ],
        purchaseOrders: [
          purchaseOrder(9201, 'PO-T-9201', 9101, [
            ['10', '10.00', true],
            ['1', '500.00', false],
          ]),
          purchaseOrder(9202, 'PO-T-9202', 9101, [['10', '20.00', true]]),
        ],
        receivingTransactions: [receipt(9251, 9201, 1, '10'), receipt(9252, 9202, 1, '8')],
      });
    });
    after(async () => {
      await hub?.close();
    });

    test('a PO invoice within tolerance becomes one supplier invoice with PO references; procurement marks it exported with the ERP document number', async () => {
      await hub.estate.sim('procurement', '/_sim/seed', {
        invoices: [
          invoice(
            9301,
            'RE-9301',
            9101,
            [
              { quantity: '10', price: '10.10', total: '101.00', po: ['PO-T-9201', 9201, 1] },
              { quantity: '1', price: '500.00', total: '500.00', po: ['PO-T-9201', 9201, 2] },
              { quantity: '1', price: '25.00', total: '25.00', gl: '6200', cc: 'CC200' },
            ],
            '118.94',
            '744.94',
            '2025-06-01T10:00:00Z',
          ),
        ],
      });
      await hub.approved(9301, '2025-06-01T10:00:00Z', 'coupa-9301-1');
      const [run] = await hub.settled(FLOW, '9301', 'succeeded');
      const effects = await hub.effectsOf(run!.id);
      const posted = effects.find((e) => e.system === 'erp' && e.step === 'post')!;
      const [document, ...others] = await erpInvoices(posted.idempotency_key);
      assert.equal(others.length, 0);
      assert.equal(`${document!.id}`, posted.remote_id);
      assert.equal(document!.companyCode, '1010');
      const [vendorLine, ...debits] = document!.lines;
      assert.deepEqual(vendorLine, { account: '21100000', side: 'C', amount: '744.94', partner: '17300001' });
      assert.deepEqual(
        debits.map((l) => [l.account, l.side, l.amount, l.costCenter ?? '', l.taxCode ?? '']).sort(),
        [
          ['15410000', 'D', '118.94', '', 'V1'],
          ['21910000', 'D', '101', '', 'V1'],
          ['21910000', 'D', '500', '', 'V1'],
          ['61003000', 'D', '25', '10101201', 'V1'],
        ].sort(),
      );
      const total = debits.reduce((sum, l) => sum.plus(l.amount), new Decimal(0));
      assert.equal(total.toFixed(2), '744.94');
      const raw = document!.raw as {
        SupplierInvoiceIDByInvcgParty: string;
        InvoicingParty: string;
        DocumentHeaderText: string;
        to_SuplrInvcItemPurOrdRef: {
          results: { PurchaseOrder: string; PurchaseOrderItem: string; QuantityInPurchaseOrderUnit: string }[];
        };
      };
      assert.match(raw.SupplierInvoiceIDByInvcgParty, /^LL[0-9A-Z]{14}$/);
      assert.equal(raw.InvoicingParty, '17300001');
      assert.equal(raw.DocumentHeaderText, 'Appr cfo 2025-05-30');
      assert.deepEqual(
        raw.to_SuplrInvcItemPurOrdRef.results.map((i) => [
          i.PurchaseOrder,
          i.PurchaseOrderItem,
          i.QuantityInPurchaseOrderUnit,
        ]),
        [
          ['PO-T-9201', '1', '10'],
          ['PO-T-9201', '2', '1'],
        ],
      );

      assert.equal((await hub.f.app.connectors.procurement!.port.invoiceById('9301'))?.exported, true);
      const [history] = await integrationRecords(9301);
      const record = history!.raw as {
        collection: string;
        status: string;
        'document-type': string;
        responses: { 'response-message': string }[];
      };
      assert.deepEqual(
        [record.collection, record.status, record['document-type']],
        ['integrationHistoryRecords', 'success', 'InvoiceHeader'],
      );
      assert.match(
        record.responses[0]!['response-message'],
        new RegExp(`supplier invoice ${document!.id.split('/')[0]!} fiscal year`),
      );

      assert.deepEqual([run!.entity, run!.amount, run!.currency], ['1010', '744.94', 'EUR']);
      assert.equal(run!.approved_at, Date.parse('2025-05-30T16:30:00Z'));
      assert.ok(run!.posted_at !== null);
      assert.match(run!.mapping_version ?? '', /^demo@[0-9a-f]{12}$/);
      const state = stateOf(run!) as {
        evidence: { approvals: { approverId: string }[]; attachments: { uri: string }[] };
        match: { mode: string };
      };
      assert.deepEqual(
        state.evidence.approvals.map((a) => a.approverId),
        ['buyer1', 'cfo'],
      );
      assert.deepEqual(
        state.evidence.attachments.map((a) => a.uri),
        ['https://files.example.com/invoices/RE-9301.pdf'],
      );
      assert.equal(state.match.mode, 'three-way');

      // What an auditor sees on the ERP document: the approvals on a link to the invoice's page, and the invoice image.
      const page = `${hub.estate.simulators.procurement.url}/invoices/9301`;
      assert.deepEqual(
        document!.attachments?.map((a) => [a.url, a.description, a.mediaType]),
        [
          [
            page,
            'Invoice RE-9301 approved in procurement by Ben Buyer 2025-05-29 08:00 UTC; Carla Finance 2025-05-30 16:30 UTC',
            'text/url',
          ],
          ['https://files.example.com/invoices/RE-9301.pdf', 'Invoice image RE-9301', 'text/url'],
        ],
      );
      const opened = await fetch(page);
      assert.equal(opened.status, 200);
      assert.match(await opened.text(), /Carla Finance approved 2025-05-30T16:30:00Z/);
      const attached = (stateOf(run!) as { attached: { linked: { attachmentId: string }[]; skipped: unknown[] } })
        .attached;
      // Run state is stored with card-like digit runs masked; the ERP's random attachment ids can contain one.
      assert.deepEqual(
        attached.linked.map((l) => l.attachmentId),
        document!.attachments?.map((a) => maskPans(a.id)),
      );
      assert.deepEqual(attached.skipped, []);
    });

    test('a link whose answer was lost is found by the retry, not added twice', async () => {
      await hub.estate.sim('procurement', '/_sim/seed', {
        invoices: [
          invoice(
            9305,
            'RE-9305',
            9101,
            [{ quantity: '1', price: '50.00', total: '50.00', gl: '6000', cc: 'CC100' }],
            '9.50',
            '59.50',
            '2025-06-05T10:00:00Z',
          ),
        ],
      });
      await hub.estate.sim('erp', '/_sim/faults', {
        dropAfterCommit: { count: 1 },
        pathPattern: 'API_CV_ATTACHMENT_SRV/(CreateUrlAsAttachment|\\$batch)',
      });
      await hub.approved(9305, '2025-06-05T10:00:00Z', 'coupa-9305-1');
      const [run] = await hub.settled(FLOW, '9305', 'succeeded');
      await hub.estate.sim('erp', '/_sim/faults', {});
      const posted = (await hub.effectsOf(run!.id)).find((e) => e.system === 'erp' && e.step === 'post')!;
      const [document] = await erpInvoices(posted.idempotency_key);
      assert.deepEqual(
        document!.attachments?.map((a) => a.description),
        [
          'Invoice RE-9305 approved in procurement by Ben Buyer 2025-05-29 08:00 UTC; Carla Finance 2025-05-30 16:30 UTC',
          'Invoice image RE-9305',
        ],
      );
      const links = (await hub.effectsOf(run!.id)).filter((e) => e.step === 'attach');
      // Both links of the document are one effect: one change set the ERP keeps whole or not at all.
      assert.deepEqual(
        links.map((e) => [e.system, e.status]),
        [['erp', 'confirmed']],
      );
    });

    test('a link the ERP refuses is a business rejection and the posting stands; retried and replayed, nothing is posted or linked twice', async () => {
      await hub.estate.sim('procurement', '/_sim/seed', {
        invoices: [
          invoice(
            9306,
            'RE-9306',
            9101,
            [{ quantity: '3', price: '10.00', total: '30.00', gl: '6000', cc: 'CC100' }],
            '5.70',
            '35.70',
            '2025-06-06T10:00:00Z',
          ),
        ],
      });
      await hub.estate.sim('erp', '/_sim/faults', {
        errorRate: 1,
        errorStatus: 400,
        pathPattern: 'API_CV_ATTACHMENT_SRV/(CreateUrlAsAttachment|\\$batch)',
      });
      await hub.approved(9306, '2025-06-06T10:00:00Z', 'coupa-9306-1');
      const [run] = await hub.settled(FLOW, '9306', 'exception');
      const [refused] = await hub.exceptionsOf(run!.id);
      assert.deepEqual(
        [refused!.class, refused!.owner, refused!.code],
        ['business_rejection', 'ap-team', 'LL_ERR_REMOTE_REJECTED'],
      );
      assert.match(
        refused!.message,
        /refused to link the approval evidence and "Invoice image RE-9306" to supplier_invoice \d+\/\d{4} \(posted; the posting stands and is not repeated\)/,
      );
      const posted = (await hub.effectsOf(run!.id)).find((e) => e.system === 'erp' && e.step === 'post')!;
      assert.deepEqual(
        (await erpInvoices(posted.idempotency_key)).map((d) => d.attachments ?? []),
        [[]],
      );

      // The ERP takes links again; procurement now refuses the export: the retry links, then stops at export.
      await hub.estate.sim('erp', '/_sim/faults', {});
      await hub.estate.sim('procurement', '/_sim/faults', {
        errorRate: 1,
        errorStatus: 422,
        pathPattern: '^/api/invoices/9306$',
      });
      const act = async (exceptionId: string, action: string, body: unknown) => {
        const answer = await fetch(`${hub.f.url}/v1/exceptions/${exceptionId}/${action}`, {
          method: 'POST',
          headers: { ...hub.f.auth, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        assert.equal(answer.status, 200, await answer.text());
      };
      const open = async () =>
        hub.f.app.store.db
          .selectFrom('exceptions')
          .select('id')
          .where('run_id', '=', run!.id)
          .where('status', '=', 'open')
          .executeTakeFirstOrThrow();
      await act((await open()).id, 'retry', { reason: 'the ERP accepts links again' });
      await hub.settled(FLOW, '9306', 'exception');
      const linked = (await erpInvoices(posted.idempotency_key))[0]!.attachments ?? [];
      assert.equal(linked.length, 2);

      await hub.estate.sim('procurement', '/_sim/faults', {});
      await act((await open()).id, 'replay', { from: 'start', reason: 'procurement accepts the export again' });
      const [done] = await hub.settled(FLOW, '9306', 'succeeded');
      const documents = await erpInvoices(posted.idempotency_key);
      assert.equal(documents.length, 1, 'posted once');
      assert.deepEqual(
        documents[0]!.attachments?.map((a) => a.id),
        linked.map((a) => a.id),
        'no second link',
      );
      assert.equal((await hub.effectsOf(done!.id)).filter((e) => e.step === 'attach').length, 1);
      assert.equal((await hub.f.app.connectors.procurement!.port.invoiceById('9306'))?.exported, true);
    });

    test('an invoice edited after it was posted is not posted again: the new version reuses the ERP document and finishes the export', async () => {
      const seed = (updatedAt: string) =>
        invoice(
          9307,
          'RE-9307',
          9101,
          [{ quantity: '1', price: '50.00', total: '50.00', gl: '6000', cc: 'CC100' }],
          '9.50',
          '59.50',
          updatedAt,
        );
      await hub.estate.sim('procurement', '/_sim/seed', { invoices: [seed('2025-06-07T10:00:00Z')] });
      await hub.estate.sim('erp', '/_sim/faults', {
        errorRate: 1,
        errorStatus: 400,
        pathPattern: 'API_CV_ATTACHMENT_SRV/(CreateUrlAsAttachment|\\$batch)',
      });
      await hub.approved(9307, '2025-06-07T10:00:00Z', 'coupa-9307-1');
      const [first] = await hub.settled(FLOW, '9307', 'exception');
      const posted = (await hub.effectsOf(first!.id)).find((e) => e.system === 'erp' && e.step === 'post')!;
      assert.equal((await erpInvoices(posted.idempotency_key)).length, 1);

      // Someone touches the invoice in procurement while it is still unexported: a new version.
      await hub.estate.sim('erp', '/_sim/faults', {});
      await hub.estate.sim('procurement', '/_sim/seed', { invoices: [seed('2025-06-08T09:00:00Z')] });
      await hub.approved(9307, '2025-06-08T09:00:00Z', 'coupa-9307-2');
      await waitFor(
        'the second version succeeded',
        async () => ((await hub.runsOf(FLOW, '9307')).some((r) => r.status === 'succeeded') ? true : undefined),
        30_000,
      );
      const invoices = (await erpInvoices()).filter((d) => JSON.stringify(d.raw).includes('RE-9307'));
      assert.equal(invoices.length, 1, 'posted once for both versions');
      assert.equal(invoices[0]!.reference, posted.idempotency_key);
      assert.equal((await hub.f.app.connectors.procurement!.port.invoiceById('9307'))?.exported, true);
    });

    test('the same invoice version by webhook and by poll is posted once', async () => {
      const before = (await erpInvoices()).length;
      await hub.estate.sim('procurement', '/_sim/seed', {
        invoices: [
          invoice(
            9302,
            'RE-9302',
            9101,
            [{ quantity: '2', price: '40.00', total: '80.00', gl: '6000', cc: 'CC100' }],
            '15.20',
            '95.20',
            '2025-06-02T10:00:00Z',
          ),
        ],
      });
      await Promise.all([
        hub.approved(9302, '2025-06-02T10:00:00Z', 'coupa-9302-1'),
        hub.f.app.engine.pollNow(INVOICE_POLL),
      ]);
      await hub.f.app.engine.pollNow(INVOICE_POLL);
      const runs = await hub.settled(FLOW, '9302', 'succeeded');
      assert.equal(runs.length, 1);
      assert.equal((await erpInvoices()).length, before + 1);
      const posted = (await hub.effectsOf(runs[0]!.id)).find((e) => e.system === 'erp' && e.step === 'post')!;
      const [document] = await erpInvoices(posted.idempotency_key);
      assert.deepEqual(
        document!.lines.map((l) => [l.account, l.side, l.amount, l.costCenter ?? '']),
        [
          ['21100000', 'C', '95.2', ''],
          ['61003000', 'D', '80', '10101101'],
          ['15410000', 'D', '15.2', ''],
        ],
      );
      // Exported now: the next poll does not list it again.
      await hub.f.app.engine.pollNow(INVOICE_POLL);
      assert.equal((await hub.runsOf(FLOW, '9302')).length, 1);
    });

    test('invoiced above received in a three-way match is a validation exception naming the line; nothing is posted', async () => {
      const before = (await erpInvoices()).length;
      await hub.estate.sim('procurement', '/_sim/seed', {
        invoices: [
          invoice(
            9303,
            'RE-9303',
            9101,
            [{ quantity: '10', price: '20.00', total: '200.00', po: ['PO-T-9202', 9202, 1] }],
            '38.00',
            '238.00',
            '2025-06-03T10:00:00Z',
          ),
        ],
      });
      await hub.approved(9303, '2025-06-03T10:00:00Z', 'coupa-9303-1');
      const [run] = await hub.settled(FLOW, '9303', 'exception');
      const [exception] = await hub.exceptionsOf(run!.id);
      assert.deepEqual(
        [exception!.class, exception!.owner, exception!.code],
        ['validation', 'finance-ops', 'LL_ERR_VALIDATION'],
      );
      assert.match(
        exception!.message,
        /Invoice RE-9303 of .* does not match purchase order PO-T-9202 \(three-way match\)/,
      );
      const details = (
        typeof exception!.details === 'string' ? JSON.parse(exception!.details) : exception!.details
      ) as { code: string; message: string }[];
      const overReceived = details.find((d) => d.code === 'quantity_over_received');
      assert.match(
        overReceived?.message ?? '',
        /Line 1: invoiced quantity 10 on PO line PO-T-9202\/1, but only 8 has been received/,
      );
      assert.equal((await hub.effectsOf(run!.id)).length, 0);
      assert.equal((await erpInvoices()).length, before);
      assert.equal((await hub.f.app.connectors.procurement!.port.invoiceById('9303'))?.exported, false);
    });

    test('a vendor blocked in the ERP is found before posting: an integration error on the invoice, which stays unexported; nothing sent to the ERP', async () => {
      const before = (await erpInvoices()).length;
      await hub.estate.sim('procurement', '/_sim/seed', {
        invoices: [
          invoice(
            9304,
            'RE-9304',
            9102,
            [{ quantity: '1', price: '100.00', total: '100.00', gl: '6300', cc: 'CC100' }],
            '19.00',
            '119.00',
            '2025-06-04T10:00:00Z',
          ),
        ],
      });
      await hub.approved(9304, '2025-06-04T10:00:00Z', 'coupa-9304-1');
      const [run] = await hub.settled(FLOW, '9304', 'exception');
      const [exception] = await hub.exceptionsOf(run!.id);
      assert.deepEqual(
        [exception!.class, exception!.owner, exception!.code],
        ['validation', 'finance-ops', 'LL_ERR_VALIDATION'],
      );
      assert.match(exception!.message, /Vendor 17300004 is blocked for posting or payment in the ERP/);
      assert.deepEqual(
        (await hub.effectsOf(run!.id)).filter((e) => e.system === 'erp'),
        [],
        'no ERP write',
      );
      const [error] = await integrationRecords(9304);
      const record = error!.raw as {
        collection: string;
        status: string;
        responses: { 'response-code': string; 'response-message': string }[];
      };
      assert.deepEqual([record.collection, record.status], ['integrationHistoryRecords', 'error']);
      assert.match(record.responses[0]!['response-message'], /Invoice RE-9304 cannot be posted to erp as coded/);
      assert.ok(
        record.responses.some(
          (r) => r['response-code'] === 'vendor_blocked' && /Vendor 17300004 is blocked/.test(r['response-message']),
        ),
      );
      assert.equal((await erpInvoices()).length, before);
      assert.equal((await hub.f.app.connectors.procurement!.port.invoiceById('9304'))?.exported, false);
    });
  });
}
