/** The Concur simulator over real HTTP: token rotation, FIS paging, per-item codes, sample documents served exactly. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createConcurSimulator, DEFAULT_FIXTURES_DIR } from './concur-simulator.js';

const FIS = '/financialintegration/fi/v4/companies/transactiontypes/expense/transactions';

describe('concur simulator', () => {
  const sim = createConcurSimulator();
  const client = sim.clients[0]!;
  let base = '';
  let access = '';

  const token = async (form: Record<string, string>): Promise<Response> =>
    fetch(`${base}/oauth2/v0/token`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: client.clientId, client_secret: client.clientSecret, ...form }),
    });
  const login = async (): Promise<{ access_token: string; refresh_token: string; geolocation: string }> =>
    (await (
      await token({
        grant_type: 'password',
        credtype: 'authtoken',
        username: client.companyUuid,
        password: client.companyToken,
      })
    ).json()) as {
      access_token: string;
      refresh_token: string;
      geolocation: string;
    };
  const call = async (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${access}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const results = async (r: Response): Promise<{ docId: string; code: number; message: string }[]> => {
    assert.equal(r.status, 200);
    return ((await r.json()) as { results: { docId: string; code: number; message: string }[] }).results;
  };

  before(async () => {
    base = await sim.server.start();
  });
  after(async () => sim.server.stop());
  beforeEach(async () => {
    await fetch(`${base}/_sim/reset`, { method: 'POST' });
    access = (await login()).access_token;
  });

  test('the sample documents are seeded READY and served with their numbers as written', async () => {
    assert.equal(sim.seededIds.length, 4);
    const body = await (await call('GET', FIS)).text();
    const page = JSON.parse(body) as { content: { id: string; docStatus: string }[]; page: { totalElements: number } };
    assert.equal(page.page.totalElements, 4);
    assert.ok(page.content.every((d) => d.docStatus === 'READY'));
    const sample = readFileSync(join(DEFAULT_FIXTURES_DIR, 'CDFDE0F4CACE4426A913-Example-6.1.2.json'), 'utf8');
    for (const literal of [
      '"entryExchangeRate": 1.01814882032668',
      '"cardTransactionAmount": 55.1',
      '"totalApprovedAmount": 79.1',
    ]) {
      assert.ok(sample.includes(literal));
      assert.ok(body.includes(literal.replace(': ', ':')), literal);
    }
  });

  test('refresh tokens rotate: the new one works once, the old one is refused', async () => {
    const first = await login();
    assert.equal(first.geolocation, base);
    const rotated = (await (
      await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token })
    ).json()) as { refresh_token: string };
    assert.notEqual(rotated.refresh_token, first.refresh_token);
    const reused = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    assert.equal(reused.status, 400);
    assert.equal(((await reused.json()) as { error: string }).error, 'invalid_grant');
    assert.equal((await token({ grant_type: 'refresh_token', refresh_token: rotated.refresh_token })).status, 200);
    assert.equal(
      (await token({ grant_type: 'password', credtype: 'authtoken', username: client.companyUuid, password: 'wrong' }))
        .status,
      400,
    );
  });

  test('expired tokens and missing tokens get 401', async () => {
    await fetch(`${base}/_sim/faults`, { method: 'POST', body: JSON.stringify({ expireTokens: true }) });
    const expired = await call('GET', FIS);
    assert.equal(expired.status, 401);
    assert.match(expired.headers.get('www-authenticate') ?? '', /invalid_token/);
    access = (await login()).access_token;
    assert.equal((await call('GET', FIS)).status, 200);
    access = 'nope';
    assert.equal((await call('GET', FIS)).status, 401);
  });

  test('paging: 0-based pages of `limit` with a next link', async () => {
    const docs = Array.from({ length: 30 }, (_, i) => ({
      id: `doc-${i}`,
      docType: 'expense',
      companyId: '1',
      document: { report: { reportId: `R${i}` } },
      docStatus: 'READY',
    }));
    for (const doc of docs)
      assert.equal(
        (await fetch(`${base}/_sim/fis/documents`, { method: 'POST', body: JSON.stringify(doc) })).status,
        201,
      );
    const first = (await (await call('GET', FIS)).json()) as {
      content: unknown[];
      page: Record<string, number>;
      links: { rel: string; href: string }[];
    };
    assert.equal(first.content.length, 25);
    assert.deepEqual(first.page, { size: 25, totalElements: 34, totalPages: 2, number: 0 });
    const next = first.links.find((l) => l.rel === 'next')!.href;
    const second = (await (
      await fetch(next, { headers: { authorization: `Bearer ${access}` } })
    ).json()) as typeof first;
    assert.equal(second.content.length, 9);
    assert.equal(
      second.links.find((l) => l.rel === 'next'),
      undefined,
    );
    assert.equal((await call('GET', `${FIS}?limit=0`)).status, 400);
  });

  test('acknowledge, then confirm the posting; per-item codes for repeats and for a posting before acknowledgement', async () => {
    const [a, b] = sim.seededIds;
    const early = await results(
      await call('POST', `${FIS}/postingconfirmations`, {
        systemId: 'S4',
        postingConfirmations: [
          {
            docId: a,
            overallPostingStatusCode: 'success',
            postingDocs: [
              { companyId: '1010', documentNumber: '5100000001', fiscalYear: '2024', postingDate: '2024-05-01' },
            ],
          },
        ],
      }),
    );
    assert.equal(early[0]!.code, 111);
    assert.deepEqual(
      (await results(await call('POST', `${FIS}/acknowledgements`, { ids: [a, b, 'missing'], systemId: 'S4' }))).map(
        (r) => r.code,
      ),
      [0, 0, 104],
    );
    assert.equal(
      (await results(await call('POST', `${FIS}/acknowledgements`, { ids: [a], systemId: 'S4' })))[0]!.code,
      101,
    );
    const listed = (await (await call('GET', FIS)).json()) as { content: { id: string }[] };
    assert.ok(!listed.content.some((d) => d.id === a));
    const confirmation = {
      docId: a,
      overallPostingStatusCode: 'success',
      postingDocs: [{ companyId: '1010', documentNumber: '5100000001', fiscalYear: '2024', postingDate: '2024-05-01' }],
    };
    assert.equal(
      (
        await results(
          await call('POST', `${FIS}/postingconfirmations`, {
            systemId: 'OTHER',
            postingConfirmations: [confirmation],
          }),
        )
      )[0]!.code,
      99,
    );
    assert.equal(
      (
        await results(
          await call('POST', `${FIS}/postingconfirmations`, { systemId: 'S4', postingConfirmations: [confirmation] }),
        )
      )[0]!.code,
      0,
    );
    assert.equal(
      (
        await results(
          await call('POST', `${FIS}/postingconfirmations`, { systemId: 'S4', postingConfirmations: [confirmation] }),
        )
      )[0]!.code,
      113,
    );
    assert.equal(
      (
        await results(
          await call('POST', `${FIS}/postingconfirmations`, {
            systemId: 'S4',
            postingConfirmations: [{ docId: b, overallPostingStatusCode: 'maybe' }],
          }),
        )
      )[0]!.code,
      198,
    );
    const recorded = (await (await fetch(`${base}/_sim/documents?reference=${a}`)).json()) as {
      kind: string;
      id: string;
      lines: { side: string; amount: string }[];
    }[];
    assert.equal(recorded[0]!.kind, 'posting_confirmation');
    assert.equal(recorded[0]!.id, '5100000001');
    assert.deepEqual(
      recorded[0]!.lines.map((l) => `${l.side}${l.amount}`),
      ['D250', 'C250', 'D50', 'C50', 'D12.5', 'C12.5', 'D12.5', 'C12.5'],
    );
  });

  test('payment confirmation after posting; a duplicate is NOOP; seeded 199 is answered once', async () => {
    const doc = sim.seededIds[1]!;
    await call('POST', `${FIS}/acknowledgements`, { ids: [doc], systemId: 'S4' });
    const payment = {
      docId: doc,
      processingStatusCode: 'CP',
      clearingDetails: [
        {
          clearingDate: '2024-05-03',
          clearingAmount: 10,
          clearingCurrency: 'EUR',
          clearingReference: { paymentDocument: '1500000001' },
        },
      ],
    };
    assert.equal(
      (
        await results(
          await call('POST', `${FIS}/paymentconfirmations`, { systemId: 'S4', processingConfirmation: [payment] }),
        )
      )[0]!.code,
      103,
    );
    await call('POST', `${FIS}/postingconfirmations`, {
      systemId: 'S4',
      postingConfirmations: [
        {
          docId: doc,
          overallPostingStatusCode: 'success',
          postingDocs: [
            { companyId: '1010', documentNumber: '5100000002', fiscalYear: '2024', postingDate: '2024-05-02' },
          ],
        },
      ],
    });
    await fetch(`${base}/_sim/seed`, { method: 'POST', body: JSON.stringify({ itemCodes: { [doc]: 199 } }) });
    assert.equal(
      (
        await results(
          await call('POST', `${FIS}/paymentconfirmations`, { systemId: 'S4', processingConfirmation: [payment] }),
        )
      )[0]!.code,
      199,
    );
    assert.equal(
      (
        await results(
          await call('POST', `${FIS}/paymentconfirmations`, { systemId: 'S4', processingConfirmation: [payment] }),
        )
      )[0]!.code,
      0,
    );
    const dup = (
      await results(
        await call('POST', `${FIS}/paymentconfirmations`, { systemId: 'S4', processingConfirmation: [payment] }),
      )
    )[0]!;
    assert.deepEqual([dup.code, dup.message], [113, 'NOOP']);
    const paid = (await (await fetch(`${base}/_sim/documents?kind=payment_confirmation&reference=${doc}`)).json()) as {
      currency: string;
      lines: { amount: string }[];
    }[];
    assert.equal(paid.length, 1);
    assert.equal(paid[0]!.currency, 'EUR');
    assert.equal(paid[0]!.lines[0]!.amount, '10');
  });

  test('the VAT sample implies Dr net, Dr reclaimable tax, Cr employee gross', async () => {
    const vat = sim.seededIds.find((id) => id === 'f7a675d035bc44419cc0df2389c5b10c')!;
    await call('POST', `${FIS}/acknowledgements`, { ids: [vat], systemId: 'S4' });
    await call('POST', `${FIS}/postingconfirmations`, {
      systemId: 'S4',
      postingConfirmations: [
        {
          docId: vat,
          overallPostingStatusCode: 'success',
          postingDocs: [
            { companyId: '1010', documentNumber: '5100000003', fiscalYear: '2024', postingDate: '2024-05-02' },
          ],
        },
      ],
    });
    const [doc] = (await (await fetch(`${base}/_sim/documents?reference=${vat}`)).json()) as {
      lines: Record<string, string>[];
    }[];
    assert.deepEqual(doc!.lines, [
      { account: '37', side: 'D', amount: '8.4', costCenter: '11-KING' },
      { account: 'INPUT_TAX', side: 'D', amount: '1.6', taxCode: 'DEVAT' },
      { account: 'EMPL', side: 'C', amount: '10', partner: '49038128' },
    ]);
  });

  test('list items: create, duplicate code refused, update, page', async () => {
    const created = await call('POST', '/list/v4/items', { listId: 'cc', code: '1000', value: 'Top management' });
    assert.equal(created.status, 201);
    assert.equal((await call('POST', '/list/v4/items', { listId: 'cc', code: '1000', value: 'again' })).status, 409);
    const { id } = (await created.json()) as { id: string };
    assert.equal((await call('PUT', `/list/v4/items/${id}`, { value: 'Board' })).status, 200);
    const children = (await (await call('GET', '/list/v4/lists/cc/children')).json()) as {
      content: { code: string; value: string }[];
    };
    assert.deepEqual(
      children.content.map((c) => [c.code, c.value]),
      [['1000', 'Board']],
    );
  });
  test('report and receipt pages stand in for the web pages the hub links to; unknown ids are 404', async () => {
    const report = await fetch(`${base}/ui/reports/F071FADEA6B142DD884A`);
    assert.equal(report.status, 200);
    assert.match(report.headers.get('content-type') ?? '', /text\/html/);
    const html = await report.text();
    assert.match(html, /Expense report F071FADEA6B142DD884A/);
    assert.match(html, /German Employee \(49038128\)/);
    assert.match(html, /Laundry 2019-06-05 10 EUR/);
    const receipt = await fetch(`${base}/ui/receipts/3743278630A334AD813CF3C274E777C7`);
    assert.equal(receipt.status, 200);
    assert.match(await receipt.text(), /Receipt 3743278630A334AD813CF3C274E777C7.*F071FADEA6B142DD884A/s);
    assert.equal((await fetch(`${base}/ui/reports/NOPE`)).status, 404);
    assert.equal((await fetch(`${base}/ui/receipts/%3Cscript%3E`)).status, 404);
  });
});
