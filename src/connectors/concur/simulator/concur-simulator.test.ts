/**
 * The Concur simulator over real HTTP: token answers and rotation, FIS paging and envelopes, per-item
 * results as published (top-level arrays), refusals of what the contract does not allow, List v4.
 */
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
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> =>
    fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${access}`, 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  /** The published answer: a top-level array of per-item results. */
  const results = async (r: Response): Promise<{ docId: string; code: number; message: string }[]> => {
    assert.equal(r.status, 200);
    const answer = (await r.json()) as { docId: string; code: number; errorMessage: string | null }[];
    assert.ok(Array.isArray(answer));
    return answer.map((a) => ({ docId: a.docId, code: a.code, message: a.errorMessage ?? '' }));
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
    const asText = (await (await call('GET', FIS)).json()) as { content: { document: unknown }[] };
    assert.ok(asText.content.every((d) => typeof d.document === 'string'));
    const body = await (await call('GET', FIS, undefined, { DocumentFormatAs: 'json' })).text();
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
    const first = (await login()) as Awaited<ReturnType<typeof login>> & Record<string, unknown>;
    assert.equal(first.geolocation, base);
    assert.equal(first['expires_in'], '3600');
    assert.equal(typeof first['id_token'], 'string');
    const rotated = (await (
      await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token })
    ).json()) as { refresh_token: string };
    assert.notEqual(rotated.refresh_token, first.refresh_token);
    const reused = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    assert.equal(reused.status, 400);
    assert.deepEqual(await reused.json(), {
      code: 108,
      error: 'invalid_grant',
      error_description: 'bad or expired refresh token',
      geolocation: base,
    });
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

  test('refusals: unknown parameters, bad values, an unknown docType, bodies off the request model', async () => {
    for (const query of ['offset=0', 'ignoreDocumentStatus=true', `systemId=${'x'.repeat(51)}`, 'page=-1'])
      assert.equal((await call('GET', `${FIS}?${query}`)).status, 400, query);
    assert.equal((await call('GET', FIS, undefined, { DocumentFormatAs: 'xml' })).status, 400);
    const wrongType = await call('GET', FIS.replace('/expense/', '/expenses/'));
    assert.equal(wrongType.status, 400);
    assert.equal(((await wrongType.json()) as { status: number }).status, 400);
    assert.equal((await call('GET', FIS.replace('/expense/', '/payroll/'))).status, 200);
    const [a] = sim.seededIds;
    for (const [op, body] of [
      ['acknowledgements', { ids: [a] }],
      ['acknowledgements', { ids: [a], systemId: 'S4', extra: 1 }],
      [
        'postingconfirmations',
        { systemId: 'S4', postingConfirmations: [{ docId: a, overallPostingStatusCode: 'success' }] },
      ],
      ['paymentconfirmations', { systemId: 'S4', processingConfirmation: [{ docId: a, processingStatusCode: 'CP' }] }],
      [
        'paymentconfirmations',
        {
          systemId: 'S4',
          processingConfirmation: [
            {
              docId: a,
              processingStatusCode: 'CP',
              clearingDetails: [{ clearingReference: { paymentDocument: '1' } }],
            },
          ],
        },
      ],
    ] as const)
      assert.equal((await call('POST', `${FIS}/${op}`, body)).status, 400, `${op} ${JSON.stringify(body)}`);
  });

  test('ignoreDocumentStatus=yes with docId reads a document whatever its status; the example envelope on request', async () => {
    const [a] = sim.seededIds;
    await call('POST', `${FIS}/acknowledgements`, { ids: [a], systemId: 'S4' });
    const ready = (await (await call('GET', `${FIS}?docId=${a}`)).json()) as { content: unknown[] };
    assert.equal(ready.content.length, 0);
    const any = (await (await call('GET', `${FIS}?docId=${a}&ignoreDocumentStatus=yes`)).json()) as {
      content: { id: string; docStatus: string }[];
    };
    assert.deepEqual(
      any.content.map((d) => [d.id, d.docStatus]),
      [[a, 'ACKNOWLEDGED']],
    );
    const legacy = createConcurSimulator({ legacyEnvelope: true });
    const url = await legacy.server.start();
    try {
      const login2 = (await (
        await fetch(`${url}/oauth2/v0/token`, {
          method: 'POST',
          body: new URLSearchParams({
            client_id: client.clientId,
            client_secret: client.clientSecret,
            grant_type: 'password',
            credtype: 'authtoken',
            username: client.companyUuid,
            password: client.companyToken,
          }),
        })
      ).json()) as { access_token: string };
      const answer = (await (
        await fetch(`${url}${FIS}`, { headers: { authorization: `Bearer ${login2.access_token}` } })
      ).json()) as Record<string, unknown>;
      assert.deepEqual(Object.keys(answer), ['fIDocuments', 'offset', 'nextPage', 'numberReturned']);
      assert.equal(answer['numberReturned'], 4);
    } finally {
      await legacy.server.stop();
    }
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
            systemMessages: [],
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
      systemMessages: [],
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
            postingConfirmations: [
              { docId: b, overallPostingStatusCode: 'maybe', postingDocs: [], systemMessages: [] },
            ],
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
          receiver: { receiverId: '49038128', receiverName: 'German Employee', receiverType: 'EMPLOYEE' },
          clearingReference: {
            companyCode: '1010',
            financialDocumentId: '1500000001',
            fiscalYear: '2024',
            paymentRef: '1010/1500000001/2024/1',
            paymentMethod: 'E',
          },
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
          systemMessages: [],
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
    // The published payment confirmation example answers a repeat with 298 NOOP, not an error.
    assert.deepEqual([dup.code, dup.message], [298, 'Payment confirmation already exist 1010/1500000001/2024/1.']);
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
          systemMessages: [],
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

  test('list items (List Item v4): create by shortCode, long codes, 1-based pages of 100, update, delete from one list', async () => {
    const listId = '80edb3fa-c15e-a34a-b97f-f2ec291ab44f';
    const created = await call('POST', '/list/v4/items', { listId, shortCode: '1000', value: 'Top management' });
    assert.equal(created.status, 201);
    const top = (await created.json()) as { id: string; code: string; level: number; lists: unknown[] };
    assert.deepEqual([top.code, top.level, top.lists], ['1000', 1, [{ id: listId, hasChildren: false }]]);
    const child = (await (
      await call('POST', '/list/v4/items', { listId, parentId: top.id, shortCode: 'A', value: 'Unit A' })
    ).json()) as { code: string; level: number };
    assert.deepEqual([child.code, child.level], ['1000-A', 2]);
    const duplicate = await call('POST', '/list/v4/items', { listId, shortCode: '1000', value: 'again' });
    assert.equal(duplicate.status, 400);
    assert.deepEqual(Object.keys((await duplicate.json()) as object).sort(), [
      'error',
      'httpStatus',
      'path',
      'timestamp',
    ]);
    const byCode = await call('POST', '/list/v4/items', { listId, code: '2000', value: 'no shortCode' });
    assert.equal(byCode.status, 400);
    assert.equal(
      ((await byCode.json()) as { validationErrors: { source: string }[] }).validationErrors[0]!.source,
      'code',
    );
    assert.equal((await call('PUT', `/list/v4/items/${top.id}`, { value: 'Board' })).status, 400);
    assert.equal((await call('PUT', `/list/v4/items/${top.id}`, { shortCode: '1000', value: 'Board' })).status, 200);
    for (let i = 0; i < 120; i++) await call('POST', '/list/v4/items', { listId, shortCode: `X${i}`, value: `V${i}` });
    assert.equal((await call('GET', `/list/v4/lists/${listId}/children?page=0`)).status, 400);
    assert.equal((await call('GET', `/list/v4/lists/${listId}/children?limit=100`)).status, 400);
    const first = (await (await call('GET', `/list/v4/lists/${listId}/children`)).json()) as {
      content: { shortCode: string; value: string }[];
      page: Record<string, number>;
    };
    assert.deepEqual(first.page, { size: 100, totalElements: 121, totalPages: 2, number: 1 });
    const second = (await (await call('GET', `/list/v4/lists/${listId}/children?page=2`)).json()) as typeof first;
    assert.equal(second.content.length, 21);
    const found = (await (
      await call('GET', `/list/v4/lists/${listId}/children?shortCode=1000`)
    ).json()) as typeof first;
    assert.deepEqual(
      found.content.map((c) => [c.shortCode, c.value]),
      [['1000', 'Board']],
    );
    assert.equal((await call('DELETE', `/list/v4/lists/other-list/items/${top.id}`)).status, 404);
    assert.equal((await call('DELETE', `/list/v4/lists/${listId}/items/${top.id}`)).status, 204);
    const after = (await (
      await call('GET', `/list/v4/lists/${listId}/children?shortCode=1000`)
    ).json()) as typeof first;
    assert.equal(after.content.length, 0);
    const deleted = (await (
      await call('GET', `/list/v4/lists/${listId}/children?shortCode=1000&isDeleted=true`)
    ).json()) as { content: { isDeleted: boolean }[] };
    assert.equal(deleted.content[0]!.isDeleted, true);
  });
  test('with a geolocation configured, API calls and refreshes must go there', async () => {
    const geoSim = createConcurSimulator({ geolocation: (url) => url.replace('127.0.0.1', 'localhost') });
    const url = await geoSim.server.start();
    const geo = url.replace('127.0.0.1', 'localhost');
    try {
      const form = (extra: Record<string, string>): URLSearchParams =>
        new URLSearchParams({ client_id: client.clientId, client_secret: client.clientSecret, ...extra });
      const first = (await (
        await fetch(`${url}/oauth2/v0/token`, {
          method: 'POST',
          body: form({
            grant_type: 'password',
            credtype: 'authtoken',
            username: client.companyUuid,
            password: client.companyToken,
          }),
        })
      ).json()) as { access_token: string; refresh_token: string; geolocation: string };
      assert.equal(first.geolocation, geo);
      const auth = { authorization: `Bearer ${first.access_token}` };
      assert.equal((await fetch(`${url}${FIS}`, { headers: auth })).status, 401);
      assert.equal((await fetch(`${geo}${FIS}`, { headers: auth })).status, 200);
      const away = await fetch(`${url}/oauth2/v0/token`, {
        method: 'POST',
        body: form({ grant_type: 'refresh_token', refresh_token: first.refresh_token }),
      });
      assert.deepEqual(await away.json(), {
        code: 16,
        error: 'invalid_request',
        error_description: 'user lives elsewhere',
        geolocation: geo,
      });
      const there = await fetch(`${geo}/oauth2/v0/token`, {
        method: 'POST',
        body: form({ grant_type: 'refresh_token', refresh_token: first.refresh_token }),
      });
      assert.equal(there.status, 200);
    } finally {
      await geoSim.server.stop();
    }
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
