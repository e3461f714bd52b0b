/** The SAP S/4HANA simulator over real HTTP: OData v2 envelope and paging, auth, CSRF, writes, SOAP. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createSapSimulator, DEMO_USER } from './sap-simulator.js';

const BASIC = `Basic ${Buffer.from(`${DEMO_USER.user}:${DEMO_USER.password}`).toString('base64')}`;
const BP = '/sap/opu/odata/sap/API_BUSINESS_PARTNER';
const INV = '/sap/opu/odata/sap/API_SUPPLIERINVOICE_PROCESS_SRV';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('SAP S/4HANA simulator', () => {
  const sim = createSapSimulator();
  let base = '';
  const get = async (path: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(path.startsWith('http') ? path : `${base}${path}`, {
      headers: { authorization: BASIC, accept: 'application/json', ...headers },
    });
  const session = async (): Promise<Record<string, string>> => {
    const r = await get(`${BP}/`, { 'x-csrf-token': 'Fetch' });
    const cookie = r.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    return { 'x-csrf-token': r.headers.get('x-csrf-token') ?? '', cookie };
  };
  const post = async (path: string, body: unknown, headers: Record<string, string>): Promise<Response> =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: BASIC, 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const invoice = (reference: string, postingDate = '2025-03-10'): Json => ({
    CompanyCode: '1010',
    DocumentDate: `/Date(${Date.parse('2025-03-05')})/`,
    PostingDate: `/Date(${Date.parse(postingDate)})/`,
    SupplierInvoiceIDByInvcgParty: reference,
    InvoicingParty: '17300001',
    DocumentCurrency: 'EUR',
    InvoiceGrossAmount: '1190.00',
    to_SupplierInvoiceItemGLAcct: {
      results: [
        {
          SupplierInvoiceItem: '0001',
          CompanyCode: '1010',
          GLAccount: '61003000',
          CostCenter: '10101101',
          DocumentCurrency: 'EUR',
          SupplierInvoiceItemAmount: '600.00',
          DebitCreditCode: 'S',
          TaxCode: 'V1',
        },
        {
          SupplierInvoiceItem: '0002',
          CompanyCode: '1010',
          GLAccount: '63003000',
          WBSElement: 'P-1010-0001.1',
          DocumentCurrency: 'EUR',
          SupplierInvoiceItemAmount: '400.00',
          DebitCreditCode: 'S',
          TaxCode: 'V1',
        },
      ],
    },
    to_SupplierInvoiceTax: { results: [{ TaxCode: 'V1', DocumentCurrency: 'EUR', TaxAmount: '190.00' }] },
  });

  before(async () => {
    base = await sim.server.start();
  });
  beforeEach(async () => {
    await fetch(`${base}/_sim/reset`, { method: 'POST' });
  });
  after(async () => sim.server.stop());

  test('Basic auth of the communication user is required', async () => {
    assert.equal((await fetch(`${base}${BP}/A_Supplier`)).status, 401);
    const wrong = await fetch(`${base}${BP}/A_Supplier`, { headers: { authorization: 'Basic eDp5' } });
    assert.equal(wrong.status, 401);
    assert.match(wrong.headers.get('www-authenticate') ?? '', /^Basic realm=/);
  });

  test('collections page with __next and $skiptoken, count with $inlinecount, and honour $top', async () => {
    await fetch(`${base}/_sim/seed`, { method: 'POST', body: JSON.stringify({ pageSize: 5 }) });
    const seen: string[] = [];
    let next: string | undefined =
      '/sap/opu/odata/sap/API_GLACCOUNTINCHARTOFACCOUNTS_SRV/A_GLAccountInChartOfAccounts?$inlinecount=allpages&$format=json';
    let pages = 0;
    while (next !== undefined) {
      const body = (await (await get(next)).json()) as Json;
      assert.equal(body['d']['__count'], '16');
      seen.push(...(body['d']['results'] as Json[]).map((r) => r['GLAccount'] as string));
      next = body['d']['__next'] as string | undefined;
      if (next !== undefined) assert.match(next, /\$skiptoken=\d+/);
      pages++;
    }
    assert.equal(pages, 4);
    assert.equal(new Set(seen).size, 16);
    const top = (await (await get(`${BP}/A_Supplier?$top=2&$skip=1`)).json()) as Json;
    assert.deepEqual(
      (top['d']['results'] as Json[]).map((s) => s['Supplier']),
      ['17300002', '17300003'],
    );
    assert.equal(top['d']['__next'], undefined);
    const first = (top['d']['results'] as Json[])[0]!;
    assert.match(first['__metadata']['uri'], /A_Supplier\('17300002'\)$/);
    assert.ok(first['to_SupplierCompany']['__deferred']);
  });

  test('$filter with eq, ge on dates, and/or, functions; a bad filter is a Gateway error', async () => {
    const ids = async (path: string): Promise<string[]> =>
      (((await (await get(path)).json()) as Json)['d']['results'] as Json[]).map(
        (r) => (r['GLAccount'] ?? r['CostCenter'] ?? r['Supplier']) as string,
      );
    const gl = '/sap/opu/odata/sap/API_GLACCOUNTINCHARTOFACCOUNTS_SRV/A_GLAccountInChartOfAccounts';
    assert.deepEqual(
      await ids(`${gl}?$filter=${encodeURIComponent("LastChangeDateTime ge datetimeoffset'2025-01-01T00:00:00Z'")}`),
      ['61009000', '65008000'],
    );
    const cc = '/sap/opu/odata/sap/API_COSTCENTER_SRV/A_CostCenter';
    assert.deepEqual(
      await ids(
        `${cc}?$filter=${encodeURIComponent("CompanyCode eq '1710' or (CompanyCode eq '1010' and ValidityEndDate lt datetime'2025-01-01T00:00:00')")}`,
      ),
      ['10101301', '17101101', '17101201'],
    );
    assert.deepEqual(
      await ids(`${BP}/A_Supplier?$filter=${encodeURIComponent("substringof('Atlas',SupplierName) eq true")}`),
      ['17300002'],
    );
    const bad = await get(`${gl}?$filter=${encodeURIComponent('GLAccount eq')}`);
    assert.equal(bad.status, 400);
    const error = ((await bad.json()) as Json)['error'];
    assert.equal(error['message']['lang'], 'en');
    assert.ok(Array.isArray(error['innererror']['errordetails']));
  });

  test('writes need a CSRF token and the session cookie; expired sessions need a new token', async () => {
    const partner = {
      BusinessPartnerCategory: '2',
      OrganizationBPName1: 'Kestrel Logistik GmbH',
      BusinessPartnerIDByExtSystem: 'LL-V-1',
      to_BusinessPartnerRole: { results: [{ BusinessPartnerRole: 'FLVN00' }, { BusinessPartnerRole: 'FLVN01' }] },
      to_BusinessPartnerBank: {
        results: [
          { BankCountryKey: 'DE', BankNumber: '10020030', BankAccount: '1234567', IBAN: 'DE02100100100006820101' },
        ],
      },
      to_BusinessPartnerTax: { results: [{ BPTaxType: 'DE0', BPTaxNumber: 'DE111222333' }] },
      to_Supplier: {
        to_SupplierCompany: {
          results: [{ CompanyCode: '1010', ReconciliationAccount: '21100000', PaymentTerms: '0001' }],
        },
      },
    };
    const refused = await post(`${BP}/A_BusinessPartner`, partner, {});
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get('x-csrf-token'), 'Required');
    const headers = await session();
    assert.equal(
      (await post(`${BP}/A_BusinessPartner`, partner, { 'x-csrf-token': headers['x-csrf-token']! })).status,
      403,
      'token without its cookie',
    );
    const created = await post(`${BP}/A_BusinessPartner`, partner, headers);
    assert.equal(created.status, 201);
    const d = ((await created.json()) as Json)['d'];
    assert.equal(d['BusinessPartner'], '17300005');
    assert.equal(d['to_Supplier']['to_SupplierCompany']['results'][0]['CompanyCode'], '1010');
    const docs = (await (await fetch(`${base}/_sim/documents?reference=LL-V-1`)).json()) as Json[];
    assert.equal(docs[0]!['kind'], 'vendor');
    const byVat = (await (
      await get(`${BP}/A_Supplier?$filter=${encodeURIComponent("VATRegistration eq 'DE111222333'")}`)
    ).json()) as Json;
    assert.equal(byVat['d']['results'][0]['Supplier'], '17300005');
    const byIban = (await (
      await get(`${BP}/A_BusinessPartnerBank?$filter=${encodeURIComponent("IBAN eq 'DE02100100100006820101'")}`)
    ).json()) as Json;
    assert.equal(byIban['d']['results'][0]['BusinessPartner'], '17300005');
    assert.equal((await post(`${BP}/A_Supplier`, { SupplierName: 'x' }, headers)).status, 405);

    await fetch(`${base}/_sim/faults`, { method: 'POST', body: JSON.stringify({ expireTokens: true }) });
    await fetch(`${base}/_sim/faults`, { method: 'POST', body: '{}' });
    assert.equal((await post(`${BP}/A_BusinessPartner`, partner, headers)).status, 403);
    assert.equal((await post(`${BP}/A_BusinessPartner`, partner, await session())).status, 201);
  });

  test('updates need If-Match with the current ETag', async () => {
    const headers = await session();
    const read = await get(`${BP}/A_BusinessPartner('17300001')`);
    const etag = read.headers.get('etag') ?? '';
    assert.equal(((await read.json()) as Json)['d']['__metadata']['etag'], etag);
    const patch = (h: Record<string, string>) =>
      fetch(`${base}${BP}/A_BusinessPartner('17300001')`, {
        method: 'PATCH',
        headers: { authorization: BASIC, 'content-type': 'application/json', ...headers, ...h },
        body: '{"SearchTerm1":"NORDWIND2"}',
      });
    assert.equal((await patch({})).status, 428);
    assert.equal((await patch({ 'if-match': 'W/"\'stale\'"' })).status, 412);
    const ok = await patch({ 'if-match': etag });
    assert.equal(ok.status, 204);
    assert.notEqual(ok.headers.get('etag'), etag);
  });

  test('supplier invoice deep insert; duplicate reference and closed period rejected in SAP shape; payments clear it', async () => {
    const headers = await session();
    const created = await post(`${INV}/A_SupplierInvoice`, invoice('RE-2025-0042'), headers);
    assert.equal(created.status, 201);
    const d = ((await created.json()) as Json)['d'];
    assert.equal(d['SupplierInvoice'], '5105600001');
    assert.equal(d['FiscalYear'], '2025');
    const [doc] = (await (await fetch(`${base}/_sim/documents?reference=RE-2025-0042`)).json()) as Json[];
    assert.equal(doc!['kind'], 'supplier_invoice');
    assert.deepEqual(doc!['lines'][0], { account: '21100000', side: 'C', amount: '1190', partner: '17300001' });
    assert.deepEqual(
      doc!['lines'].slice(1).map((l: Json) => [l['account'], l['side'], l['amount']]),
      [
        ['61003000', 'D', '600'],
        ['63003000', 'D', '400'],
        ['15410000', 'D', '190'],
      ],
    );
    assert.equal(doc!['lines'][2]['project'], 'P-1010-0001.1');

    const duplicate = await post(`${INV}/A_SupplierInvoice`, invoice('RE-2025-0042'), headers);
    assert.equal(duplicate.status, 400);
    const dupError = ((await duplicate.json()) as Json)['error'];
    assert.equal(dupError['code'], 'M8/108');
    assert.match(dupError['message']['value'], /already entered under accounting document 5105600001 2025/);

    const closed = await post(`${INV}/A_SupplierInvoice`, invoice('RE-2025-0001', '2025-01-20'), headers);
    assert.equal(closed.status, 400);
    assert.equal(((await closed.json()) as Json)['error']['code'], 'F5/201');
    await fetch(`${base}/_sim/seed`, {
      method: 'POST',
      body: JSON.stringify({ periods: [{ companyCode: '1010', fiscalYear: 2025, period: 1, status: 'open' }] }),
    });
    assert.equal((await post(`${INV}/A_SupplierInvoice`, invoice('RE-2025-0001', '2025-01-20'), headers)).status, 201);

    const lookup = (await (
      await get(
        `${INV}/A_SupplierInvoice?$filter=${encodeURIComponent("SupplierInvoiceIDByInvcgParty eq 'RE-2025-0042' and InvoicingParty eq '17300001'")}`,
      )
    ).json()) as Json;
    assert.equal(lookup['d']['results'][0]['SupplierInvoice'], '5105600001');

    await fetch(`${base}/_sim/seed`, {
      method: 'POST',
      body: JSON.stringify({
        payments: [
          { accountingDocument: '5105600001', fiscalYear: '2025', companyCode: '1010', clearingDate: '2025-04-02' },
        ],
      }),
    });
    // Clearing is read from the operational item cube: A_JournalEntryItemBasic has no clearing fields.
    const items = '/sap/opu/odata/sap/API_OPLACCTGDOCITEMCUBE_SRV/A_OperationalAcctgDocItemCube';
    const cleared = (await (
      await get(
        `${items}?$filter=${encodeURIComponent("FinancialAccountType eq 'K' and ClearingDate ge datetime'2025-04-01T00:00:00'")}`,
      )
    ).json()) as Json;
    assert.equal(cleared['d']['results'].length, 1);
    assert.equal(cleared['d']['results'][0]['DocumentReferenceID'], 'RE-2025-0042');
    assert.equal(cleared['d']['results'][0]['AmountInTransactionCurrency'], '-1190');
  });

  test('PO reference items post to GR/IR clearing with their order and item; an item without an order is refused', async () => {
    const headers = await session();
    const body = {
      ...invoice('RE-2025-0100'),
      InvoiceGrossAmount: '1071.00',
      to_SupplierInvoiceItemGLAcct: { results: [] },
      to_SuplrInvcItemPurOrdRef: {
        results: [
          {
            SupplierInvoiceItem: '000001',
            PurchaseOrder: '4500000017',
            PurchaseOrderItem: '10',
            DocumentCurrency: 'EUR',
            SupplierInvoiceItemAmount: '900.00',
            QuantityInPurchaseOrderUnit: '3',
            PurchaseOrderQuantityUnit: 'EA',
            TaxCode: 'V1',
          },
        ],
      },
      to_SupplierInvoiceTax: { results: [{ TaxCode: 'V1', DocumentCurrency: 'EUR', TaxAmount: '171.00' }] },
    };
    const created = await post(`${INV}/A_SupplierInvoice`, body, headers);
    assert.equal(created.status, 201);
    const d = ((await created.json()) as Json)['d'];
    assert.deepEqual(
      d['to_SuplrInvcItemPurOrdRef']['results'].map((i: Json) => [
        i['PurchaseOrder'],
        i['PurchaseOrderItem'],
        i['QuantityInPurchaseOrderUnit'],
      ]),
      [['4500000017', '10', '3']],
    );
    const [doc] = (await (await fetch(`${base}/_sim/documents?reference=RE-2025-0100`)).json()) as Json[];
    assert.deepEqual(
      doc!['lines'].map((l: Json) => [l['account'], l['side'], l['amount']]),
      [
        ['21100000', 'C', '1071'],
        ['21910000', 'D', '900'],
        ['15410000', 'D', '171'],
      ],
    );
    const noOrder = {
      ...body,
      SupplierInvoiceIDByInvcgParty: 'RE-2025-0101',
      to_SuplrInvcItemPurOrdRef: { results: [{ PurchaseOrderItem: '10', SupplierInvoiceItemAmount: '900.00' }] },
    };
    const refused = await post(`${INV}/A_SupplierInvoice`, noOrder, headers);
    assert.equal(refused.status, 400);
    assert.equal(((await refused.json()) as Json)['error']['code'], 'M8/035');
  });

  test('journal entry by SOAP answers 200 with a log; a closed period and a reused reference are severity-3 rejections; DOCTYPE is refused', async () => {
    const soap = (postingDate: string, extra = '') =>
      fetch(`${base}/sap/bc/srt/scs_ext/sap/journalentrycreaterequestconfi`, {
        method: 'POST',
        headers: {
          authorization: BASIC,
          'content-type': 'text/xml',
          soapaction:
            'http://sap.com/xi/SAPSCORE/SFIN/JournalEntryCreateRequestConfirmation_In/JournalEntryCreateRequestConfirmation_InRequest',
        },
        body: `${extra}<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sfin="http://sap.com/xi/SAPSCORE/SFIN"><soapenv:Header/><soapenv:Body><sfin:JournalEntryBulkCreateRequest><MessageHeader><ID>M1</ID><CreationDateTime>2025-03-01T10:00:00Z</CreationDateTime></MessageHeader><JournalEntryCreateRequest><MessageHeader><ID>M1-1</ID><CreationDateTime>2025-03-01T10:00:00Z</CreationDateTime></MessageHeader><JournalEntry><OriginalReferenceDocumentType>BKPFF</OriginalReferenceDocumentType><OriginalReferenceDocument>JE-77</OriginalReferenceDocument><BusinessTransactionType>RFBU</BusinessTransactionType><AccountingDocumentType>SA</AccountingDocumentType><DocumentReferenceID>JE-77</DocumentReferenceID><CreatedByUser>LEDGERLINK</CreatedByUser><CompanyCode>1010</CompanyCode><DocumentDate>${postingDate}</DocumentDate><PostingDate>${postingDate}</PostingDate><Item><ReferenceDocumentItem>1</ReferenceDocumentItem><GLAccount>61008000</GLAccount><AmountInTransactionCurrency currencyCode="EUR">250.10</AmountInTransactionCurrency><AccountAssignment><CostCenter>10101101</CostCenter></AccountAssignment></Item><Item><ReferenceDocumentItem>2</ReferenceDocumentItem><GLAccount>11001000</GLAccount><AmountInTransactionCurrency currencyCode="EUR">-250.10</AmountInTransactionCurrency></Item></JournalEntry></JournalEntryCreateRequest></sfin:JournalEntryBulkCreateRequest></soapenv:Body></soapenv:Envelope>`,
      });
    const ok = await soap('2025-03-15');
    assert.equal(ok.status, 200);
    const okText = await ok.text();
    assert.match(okText, /<AccountingDocument>0100000001<\/AccountingDocument>/);
    assert.match(okText, /<MaximumLogItemSeverityCode>1<\/MaximumLogItemSeverityCode>/);
    const [doc] = (await (await fetch(`${base}/_sim/documents?reference=JE-77`)).json()) as Json[];
    assert.equal(doc!['kind'], 'journal_entry');
    assert.deepEqual(
      doc!['lines'].map((l: Json) => [l['account'], l['side'], l['amount']]),
      [
        ['61008000', 'D', '250.1'],
        ['11001000', 'C', '250.1'],
      ],
    );

    const closed = await soap('2025-01-15');
    assert.equal(closed.status, 200);
    const closedText = await closed.text();
    assert.match(closedText, /<AccountingDocument>0000000000<\/AccountingDocument>/);
    assert.match(closedText, /<SeverityCode>3<\/SeverityCode><Note>Posting period 001 2025 is not open<\/Note>/);

    const again = await (await soap('2025-03-20')).text();
    assert.match(again, /<AccountingDocument>0000000000<\/AccountingDocument>/);
    assert.match(
      again,
      /<SeverityCode>3<\/SeverityCode><Note>Reference document JE-77 was already posted as accounting document 0100000001 in company code 1010<\/Note>/,
    );
    assert.equal(((await (await fetch(`${base}/_sim/documents?reference=JE-77`)).json()) as Json[]).length, 1);

    const evil = await soap('2025-03-15', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]>');
    assert.equal(evil.status, 500);
    assert.match(await evil.text(), /Fault/);
  });

  test('$count answers the number of entities matching $filter as text; an unknown property in it is refused', async () => {
    const all = await get(`${BP}/A_Supplier/$count`);
    assert.equal(all.status, 200);
    assert.equal(await all.text(), '14');
    const filtered = await get(`${BP}/A_Supplier/$count?$filter=${encodeURIComponent('PostingIsBlocked eq true')}`);
    assert.equal(await filtered.text(), '1');
    const unknown = await get(`${BP}/A_Supplier/$count?$filter=${encodeURIComponent("Nope eq 'x'")}`);
    assert.equal(unknown.status, 400);
  });
});
