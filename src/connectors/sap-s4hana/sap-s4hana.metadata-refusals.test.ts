/**
 * What the published metadata refuses, proven end to end over real HTTP: the simulator answers a
 * property the EDMX lacks, a value over its MaxLength, a read-only property, unknown names in query
 * options, a bad function import call and a SOAP request out of the WSDL's order with SAP's error
 * shapes; the connector turns each into a rejection (LL_ERR_REMOTE_REJECTED, never transient, so the
 * engine does not retry it), and refuses what it can tell before sending as LL_ERR_VALIDATION.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { expectCode } from '../contract/fault-contract.js';
import { SapS4HanaConnector } from './connector.js';
import { JOURNAL_ENTRY_SOAP_FACTS } from './contract-facts/index.js';
import { createSapSimulator } from './simulator/sap-simulator.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const BP = 'API_BUSINESS_PARTNER';
const BP_PATH = `/sap/opu/odata/sap/${BP}`;
const sim = createSapSimulator();
const BASIC = `Basic ${Buffer.from(`${sim.credentials.user}:${sim.credentials.password}`).toString('base64')}`;
let base = '';
let connector: SapS4HanaConnector;

const partner = (extra: Json): Json => ({
  BusinessPartnerCategory: '2',
  BusinessPartnerGrouping: 'BPEX',
  OrganizationBPName1: 'Refusal Test GmbH',
  ...extra,
});

async function session(): Promise<Record<string, string>> {
  const r = await fetch(`${base}${BP_PATH}/`, { headers: { authorization: BASIC, 'x-csrf-token': 'Fetch' } });
  const cookie = r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { 'x-csrf-token': r.headers.get('x-csrf-token') ?? '', cookie };
}

async function gatewayError(response: Response, status: number): Promise<{ code: string; message: string }> {
  assert.equal(response.status, status);
  const body = (await response.json()) as Json;
  assert.equal(body['error']['message']['lang'], 'en');
  assert.ok(Array.isArray(body['error']['innererror']['errordetails']), 'Gateway innererror with errordetails');
  return { code: body['error']['code'], message: body['error']['message']['value'] };
}

before(async () => {
  base = await sim.server.start();
  connector = new SapS4HanaConnector({
    baseUrl: base,
    user: sim.credentials.user,
    password: sim.credentials.password,
    timeoutMs: 2_000,
  });
});
after(async () => sim.server.stop());
beforeEach(async () => {
  await fetch(`${base}/_sim/reset`, { method: 'POST' });
});

describe('sap-s4hana: what the metadata refuses', () => {
  test('the simulator answers 400 with the Gateway body naming a wrong property, a too long value and a read-only property', async () => {
    const headers = await session();
    const post = (body: Json) =>
      fetch(`${base}${BP_PATH}/A_BusinessPartner`, {
        method: 'POST',
        headers: { authorization: BASIC, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const unknown = await gatewayError(await post(partner({ OrganizationName: 'x' })), 400);
    assert.match(unknown.message, /Property 'OrganizationName' is invalid/);
    const tooLong = await gatewayError(await post(partner({ OrganizationBPName1: 'N'.repeat(41) })), 400);
    assert.match(tooLong.message, /OrganizationBPName1.*longer than 40 characters/);
    const readOnly = await gatewayError(
      await post(partner({ to_Supplier: { TaxNumber1: 'DE123', to_SupplierCompany: { results: [] } } })),
      400,
    );
    assert.match(readOnly.message, /'TaxNumber1' of A_SupplierType is read-only/);
    const swift = await gatewayError(
      await post(
        partner({ to_BusinessPartnerBank: { results: [{ IBAN: 'DE89370400440532013000', SWIFTCode: 'X' }] } }),
      ),
      400,
    );
    assert.match(swift.message, /SWIFTCode/);
    const deepPo = await fetch(`${base}/sap/opu/odata/sap/API_SUPPLIERINVOICE_PROCESS_SRV/A_SupplierInvoice`, {
      method: 'POST',
      headers: { authorization: BASIC, 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ to_SuplrInvcItemPurOrdRef: { results: [{ DebitCreditCode: 'S' }] } }),
    });
    assert.match((await gatewayError(deepPo, 400)).message, /DebitCreditCode' is invalid/);
  });

  test('query options naming what the entity type lacks, and function imports called wrongly, are refused', async () => {
    const read = async (path: string) => fetch(`${base}${path}`, { headers: { authorization: BASIC } });
    const item = '/sap/opu/odata/sap/API_OPLACCTGDOCITEMCUBE_SRV/A_OperationalAcctgDocItemCube';
    assert.match((await gatewayError(await read(`${item}?$select=ClearingStatus`), 400)).message, /ClearingStatus/);
    assert.match(
      (await gatewayError(await read(`${item}?$filter=${encodeURIComponent("ReversalReferenceDocument eq 'x'")}`), 400))
        .message,
      /ReversalReferenceDocument/,
    );
    assert.match((await gatewayError(await read(`${item}?$orderby=Nope desc`), 400)).message, /Nope/);
    assert.match(
      (await gatewayError(await read(`${BP_PATH}/A_Supplier?$expand=to_Nothing`), 400)).message,
      /to_Nothing/,
    );
    assert.equal((await read('/sap/opu/odata/sap/API_JOURNALENTRYITEMBASIC_SRV/A_JournalEntryItemBasic')).status, 404);
    const attachments = '/sap/opu/odata/sap/API_CV_ATTACHMENT_SRV/GetAllOriginals';
    assert.match(
      (await gatewayError(await read(`${attachments}?BusinessObjectTypeName='BUS2081'`), 400)).message,
      /LinkedSAPObjectKey' of function import GetAllOriginals is missing/,
    );
    assert.match(
      (await gatewayError(await read(`${attachments}?LinkedSAPObjectKey='1'&Colour='red'`), 400)).message,
      /Colour/,
    );
  });

  test('the connector classifies each refusal as a rejection, not transient', async () => {
    await expectCode(
      () => connector.client.create(BP, 'A_BusinessPartner', partner({ Nope: 'x' })),
      'LL_ERR_REMOTE_REJECTED',
    );
    await expectCode(
      () => connector.client.create(BP, 'A_BusinessPartner', partner({ SearchTerm1: 'S'.repeat(21) })),
      'LL_ERR_REMOTE_REJECTED',
    );
    await expectCode(
      () => connector.client.create(BP, 'A_BusinessPartner', partner({ BusinessPartnerFullName: 'read-only' })),
      'LL_ERR_REMOTE_REJECTED',
    );
    await expectCode(() => connector.client.readAll(BP, 'A_Supplier', { $select: 'Nope' }), 'LL_ERR_REMOTE_REJECTED');
    await expectCode(() => connector.updateVendor('17300001', { name: 'x' }, 'W/"stale"'), 'LL_ERR_REMOTE_REJECTED');
  });

  test('a SOAP request against the WSDL (wrong order, wrong SOAPAction) is a Client fault, classified as a rejection', async () => {
    const header = '<MessageHeader><CreationDateTime>2025-03-01T10:00:00Z</CreationDateTime></MessageHeader>';
    const outOfOrder = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sfin="${JOURNAL_ENTRY_SOAP_FACTS.namespace}"><soapenv:Body><sfin:JournalEntryBulkCreateRequest>${header}<JournalEntryCreateRequest>${header}<JournalEntry><CompanyCode>1010</CompanyCode><OriginalReferenceDocumentType>BKPFF</OriginalReferenceDocumentType></JournalEntry></JournalEntryCreateRequest></sfin:JournalEntryBulkCreateRequest></soapenv:Body></soapenv:Envelope>`;
    const path = JOURNAL_ENTRY_SOAP_FACTS.path.slice(1);
    const raw = await fetch(`${base}/${path}`, {
      method: 'POST',
      headers: { authorization: BASIC, 'content-type': 'text/xml', soapaction: JOURNAL_ENTRY_SOAP_FACTS.soapAction },
      body: outOfOrder,
    });
    assert.equal(raw.status, 500);
    const fault = await raw.text();
    assert.match(fault, /<faultcode>soap-env:Client<\/faultcode>/);
    assert.match(fault, /OriginalReferenceDocumentType: out of order/);
    await expectCode(
      () => connector.client.soapCall(path, JOURNAL_ENTRY_SOAP_FACTS.soapAction, outOfOrder),
      'LL_ERR_REMOTE_REJECTED',
    );
    await expectCode(
      () =>
        connector.client.soapCall(path, 'http://sap.com/xi/SAPSCORE/SFIN/JournalEntryBulkCreateRequest', outOfOrder),
      'LL_ERR_REMOTE_REJECTED',
    );
  });

  test('what the connector can tell before sending is a validation error', async () => {
    await expectCode(
      () =>
        connector.postSupplierInvoice({
          reference: 'RE-LONG-PO',
          companyCode: '1010',
          vendorId: '17300001',
          documentDate: '2025-03-05',
          postingDate: '2025-03-10',
          gross: { amount: '100.00', currency: 'EUR' },
          lines: [
            {
              glAccount: '61003000',
              side: 'D',
              amount: { amount: '100.00', currency: 'EUR' },
              purchaseOrder: { purchaseOrder: 'PO-1010-250000000', purchaseOrderItem: '1' },
            },
          ],
          taxes: [],
        }),
      'LL_ERR_VALIDATION',
    );
  });
});
