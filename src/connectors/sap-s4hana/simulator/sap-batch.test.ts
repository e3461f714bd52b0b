/** The SAP simulator's `$batch`: retrieves and atomic change sets in multipart/mixed, as Gateway serves them. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createSapSimulator, DEMO_USER } from './sap-simulator.js';

const BASIC = `Basic ${Buffer.from(`${DEMO_USER.user}:${DEMO_USER.password}`).toString('base64')}`;
const ATT = '/sap/opu/odata/sap/API_CV_ATTACHMENT_SRV';
const INV = '/sap/opu/odata/sap/API_SUPPLIERINVOICE_PROCESS_SRV';

const httpRequest = (method: string, target: string, body?: unknown): string =>
  [
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    '',
    `${method} ${target} HTTP/1.1`,
    'Accept: application/json',
    ...(body === undefined ? [] : ['Content-Type: application/json']),
    '',
    body === undefined ? '' : JSON.stringify(body),
  ].join('\r\n');

const changeSet = (boundary: string, requests: readonly string[]): string =>
  [
    `Content-Type: multipart/mixed; boundary=${boundary}`,
    '',
    ...requests.map((r, i) => `--${boundary}\r\n${r.replace('\r\n\r\n', `\r\nContent-ID: ${i + 1}\r\n\r\n`)}`),
    `--${boundary}--`,
  ].join('\r\n');

const batchBody = (parts: readonly string[]): string =>
  `${parts.map((p) => `--batch_1\r\n${p}\r\n`).join('')}--batch_1--\r\n`;

const link = (key: string, url: string): string => {
  const q = (v: string): string => encodeURIComponent(`'${v}'`);
  return `CreateUrlAsAttachment?BusinessObjectTypeName=${q('BUS2081')}&LinkedSAPObjectKey=${q(key)}&Url=${q(url)}&UrlDescription=${q('Receipt')}&MIMEType=${q('text/url')}`;
};

/** The status lines of a multipart answer, in order, and the Content-IDs echoed. */
const statusLines = (text: string): string[] => [...text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => m[1] ?? '');

describe('SAP simulator $batch', () => {
  const sim = createSapSimulator();
  let base = '';
  let headers: Record<string, string> = {};
  let invoiceKey = '';

  const batch = async (service: string, body: string, extra: Record<string, string> = headers): Promise<Response> =>
    fetch(`${base}${service}/$batch`, {
      method: 'POST',
      headers: { authorization: BASIC, 'content-type': 'multipart/mixed; boundary=batch_1', ...extra },
      body,
    });
  const attachments = async (): Promise<number> => {
    const q = encodeURIComponent(`'${invoiceKey}'`);
    const r = await fetch(`${base}${ATT}/GetAllOriginals?LinkedSAPObjectKey=${q}&$format=json`, {
      headers: { authorization: BASIC, accept: 'application/json' },
    });
    return ((await r.json()) as { d: { results: unknown[] } }).d.results.length;
  };

  before(async () => {
    base = await sim.server.start();
  });
  beforeEach(async () => {
    await fetch(`${base}/_sim/reset`, { method: 'POST' });
    const fetched = await fetch(`${base}${INV}/`, { headers: { authorization: BASIC, 'x-csrf-token': 'Fetch' } });
    const cookie = fetched.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    headers = { 'x-csrf-token': fetched.headers.get('x-csrf-token') ?? '', cookie };
    const created = await fetch(`${base}${INV}/A_SupplierInvoice`, {
      method: 'POST',
      headers: { authorization: BASIC, 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify({
        CompanyCode: '1010',
        DocumentDate: `/Date(${Date.parse('2025-03-05')})/`,
        PostingDate: `/Date(${Date.parse('2025-03-10')})/`,
        SupplierInvoiceIDByInvcgParty: 'RE-BATCH-1',
        InvoicingParty: '17300001',
        DocumentCurrency: 'EUR',
        InvoiceGrossAmount: '100.00',
        to_SupplierInvoiceItemGLAcct: {
          results: [
            {
              SupplierInvoiceItem: '0001',
              CompanyCode: '1010',
              GLAccount: '61003000',
              CostCenter: '10101101',
              DocumentCurrency: 'EUR',
              SupplierInvoiceItemAmount: '100.00',
              DebitCreditCode: 'S',
            },
          ],
        },
      }),
    });
    assert.equal(created.status, 201);
    const d = ((await created.json()) as { d: Record<string, string> }).d;
    invoiceKey = `${d['SupplierInvoice']}${d['FiscalYear']}`;
  });
  after(async () => sim.server.stop());

  test('a change set of two links is answered 202 with one part per request, Content-IDs echoed', async () => {
    const body = batchBody([
      changeSet('changeset_a', [
        httpRequest('POST', link(invoiceKey, 'https://evidence.example/r/1')),
        httpRequest('POST', link(invoiceKey, 'https://evidence.example/r/2')),
      ]),
    ]);
    const answer = await batch(ATT, body);
    assert.equal(answer.status, 202);
    assert.match(answer.headers.get('content-type') ?? '', /^multipart\/mixed; boundary=batch_/);
    const text = await answer.text();
    assert.deepEqual(statusLines(text), ['200', '200']);
    assert.deepEqual(
      [...text.matchAll(/^Content-ID: (\S+)/gm)].map((m) => m[1]),
      ['1', '2'],
    );
    assert.match(text, /"DocumentURL":"https:\/\/evidence\.example\/r\/2"/);
    assert.equal(await attachments(), 2);
    const requests = (await (await fetch(`${base}/_sim/requests`)).json()) as { byRoute: Record<string, number> };
    assert.equal(requests.byRoute[`POST ${ATT}/$batch`], 1, 'one HTTP request for both links');
  });

  test('a change set with one refused request keeps nothing and is answered by that error alone', async () => {
    const body = batchBody([
      changeSet('changeset_b', [
        httpRequest('POST', link(invoiceKey, 'https://evidence.example/r/1')),
        httpRequest('POST', link('51056099992025', 'https://evidence.example/r/2')),
      ]),
      httpRequest('GET', `GetAllOriginals?LinkedSAPObjectKey=${encodeURIComponent(`'${invoiceKey}'`)}`),
    ]);
    const answer = await batch(ATT, body);
    assert.equal(answer.status, 202);
    const text = await answer.text();
    assert.deepEqual(statusLines(text), ['404', '200']);
    assert.match(text, /Business object BUS2081 5105609999.* does not exist/);
    assert.match(text, /"results":\[\]/, 'the retrieve after it sees nothing of the change set');
    assert.equal(await attachments(), 0);
  });

  test('a batch is refused when it cannot be read, holds a GET in a change set, or lacks the CSRF token', async () => {
    const get = httpRequest('GET', 'A_SupplierInvoice');
    const inChangeSet = await batch(INV, batchBody([changeSet('changeset_c', [get])]));
    assert.equal(inChangeSet.status, 400);
    assert.match(((await inChangeSet.json()) as { error: { message: { value: string } } }).error.message.value, /GET/);
    const unterminated = await batch(INV, `--batch_1\r\n${get}\r\n`);
    assert.equal(unterminated.status, 400);
    const noBoundary = await fetch(`${base}${INV}/$batch`, {
      method: 'POST',
      headers: { authorization: BASIC, 'content-type': 'application/json', ...headers },
      body: '{}',
    });
    assert.equal(noBoundary.status, 400);
    assert.equal((await batch(INV, batchBody([get]), {})).status, 403);
  });

  test('retrieves are checked against the metadata like single requests', async () => {
    const body = batchBody([
      httpRequest('GET', 'A_SupplierInvoice?$select=SupplierInvoice,Nope'),
      httpRequest('GET', 'A_SupplierInvoice/$count'),
    ]);
    const text = await (await batch(INV, body)).text();
    assert.deepEqual(statusLines(text), ['400', '200']);
    assert.match(text, /Nope/);
    assert.match(text, /\r\n\r\n1\r\n--batch_/, '$count answers the number as text');
  });
});
