/** The Concur connector against its simulator over real HTTP: the contract of issue 3 for the expense platform. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Decimal } from 'decimal.js';
import { Value } from 'typebox/value';
import { isLedgerlinkError, type LedgerlinkError } from '../../canonical/errors.js';
import { ExpenseReportSchema } from '../../canonical/model/index.js';
import { JsonNumber, parseStrictJson, type JsonValue } from '../../canonical/strict-json.js';
import { describeFaultContract, expectCode, setFaults } from '../contract/fault-contract.js';
import { createConcurSimulator, DEFAULT_FIXTURES_DIR } from './simulator/concur-simulator.js';
import { cashAdvanceApplication, issuedCashAdvanceDocument } from './simulator/fis-cash-advance-samples.js';
import { ConcurConnector, classifyItem } from './connector.js';
import { arr, at, str, toExpenseDocument } from './translate.js';

const SAMPLES = [
  'B1041655B4CE4171BDAA-Example-1.1.json',
  'F071FADEA6B142DD884A-Example-2.1.json',
  '460EFDDC98634EA9A0AD-Example-4.1.json',
  'CDFDE0F4CACE4426A913-Example-6.1.2.json',
];

/** The source text of a number in a sample document. */
function source(value: JsonValue | undefined): string {
  assert.ok(value instanceof JsonNumber, 'a JSON number in the sample');
  return value.text;
}

function same(amount: string, sourceText: string, what: string): void {
  assert.ok(new Decimal(amount).equals(new Decimal(sourceText)), `${what}: ${amount} is not ${sourceText}`);
  assert.match(amount, /^-?\d+\.\d{2}$/, `${what} as a decimal string`);
}

function expenseDoc(id: string, amountText: string, currency = 'EUR'): string {
  return (
    `{"id":"${id}","docType":"expense","companyId":"1010","docStatus":"READY","document":{"employee":{"employeeId":"E-1"},` +
    `"report":{"reportId":"R-${id}","reportName":"Credits","employeeCurrencyAlphaCode":"${currency}","reportSubmitDate":"2024-05-01T10:00:00.000Z","totalApprovedAmount":${amountText}},` +
    `"expenseEntry":[{"entryId":"${id}-1","expenseTypeCode":"AIRFR","entryDate":"2024-04-30T00:00:00.000Z","entryApprovedAmount":${amountText},"entryIsPersonal":"N",` +
    `"allocation":[{"allocationId":"${id}-a","allocationPercentage":100,"journal":[{"journalAccountCode":"474100","journalPayer":"COMP","journalPayee":"EMPL",` +
    `"amountGross":${amountText},"amountNetOfReclaim":${amountText}}],"tax":[]}]}],"cashAdvanceApplication":[]}}`
  );
}

/** A document with two entries on one company-billed card charge, in EUR, a credit. */
function cardDoc(id: string): string {
  const entry = (n: number, amountText: string): string =>
    `{"entryId":"${id}-${n}","expenseTypeCode":"AIRFR","entryDate":"2024-04-29T00:00:00.000Z","entryApprovedAmount":${amountText},"entryIsPersonal":"N",` +
    `"cardTransactionID":"T-9","cardProgramTypeCode":"VI","cardTransactionAmount":-12.3,"cardTransactionCurrency":"EUR",` +
    `"allocation":[{"allocationId":"${id}-${n}a","allocationPercentage":100,"journal":[{"journalAccountCode":"474100","journalPayer":"COMP","journalPayee":"CBCP",` +
    `"amountGross":${amountText},"amountNetOfReclaim":${amountText}}],"tax":[]}]}`;
  return (
    `{"id":"${id}","docType":"expense","companyId":"1010","docStatus":"READY","document":{"employee":{"employeeId":"E-1"},` +
    `"report":{"reportId":"R-${id}","reportName":"Card","employeeCurrencyAlphaCode":"EUR","reportSubmitDate":"2024-05-01T10:00:00.000Z"},` +
    `"expenseEntry":[${entry(1, '-10.00')},${entry(2, '-2.30')}],"cashAdvanceApplication":[]}}`
  );
}

/** The LL_ERR_VALIDATION the call throws. */
async function refusal(call: () => Promise<unknown>): Promise<LedgerlinkError> {
  let caught: unknown;
  try {
    await call();
  } catch (error) {
    caught = error;
  }
  assert.ok(
    isLedgerlinkError(caught) && caught.code === 'LL_ERR_VALIDATION',
    `expected LL_ERR_VALIDATION, got ${String(caught)}`,
  );
  return caught;
}

describe('concur connector contract', () => {
  const sim = createConcurSimulator();
  const credentials = sim.clients[0]!;
  const rotated: string[] = [];
  let connector: ConcurConnector;
  const make = (grant: { refreshToken: string } | { companyRequestToken: string }): ConcurConnector =>
    new ConcurConnector({
      baseUrl: sim.server.url,
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      companyUuid: credentials.companyUuid,
      ...grant,
      onRefreshTokenRotated: (token) => {
        rotated.push(token);
      },
      systemId: 'S4-1010',
      timeoutMs: 1_500,
    });
  const simPost = (path: string, body: string): Promise<Response> =>
    fetch(`${sim.server.url}${path}`, { method: 'POST', body });

  before(async () => {
    await sim.server.start();
    connector = make({ companyRequestToken: credentials.companyToken });
  });
  after(async () => sim.server.stop());
  beforeEach(async () => {
    await simPost('/_sim/reset', '');
  });

  test('one document is read by its id whatever its status, with its approval time and receipt links', async () => {
    const id = 'f7a675d035bc44419cc0df2389c5b10c';
    await connector.acknowledge(id);
    assert.equal(
      (await connector.readyDocuments()).some((d) => d.documentId === id),
      false,
      'no longer READY',
    );
    const doc = await connector.readDocument(id);
    assert.ok(doc !== null);
    assert.equal(doc.status, 'ACKNOWLEDGED');
    assert.equal(doc.report.approvedAt, '2019-06-05T22:35:06.433Z');
    assert.deepEqual(doc.report.entries[0]!.attachments, [
      {
        kind: 'receipt',
        uri: 'urn:concur:receipt:3743278630A334AD813CF3C274E777C7',
        name: 'receipt 3743278630A334AD813CF3C274E777C7',
      },
    ]);
    assert.deepEqual(doc.report.attachments, doc.report.entries[0]!.attachments);
    assert.equal(await connector.readDocument('no-such-document'), null);
  });

  test('each sample document is read with every amount exact', async () => {
    const documents = await connector.readyDocuments();
    assert.equal(documents.length, 4);
    for (const file of SAMPLES) {
      const sample = at(
        arr(at(parseStrictJson(readFileSync(join(DEFAULT_FIXTURES_DIR, file), 'utf8')), 'fIDocuments'))[0],
        'document',
      );
      const doc = documents.find((d) => d.report.id === str(at(at(sample, 'report'), 'reportId')));
      assert.ok(doc !== undefined, file);
      assert.deepEqual(
        [...Value.Errors(ExpenseReportSchema, doc.report)],
        [],
        `${file} is a valid canonical ExpenseReport`,
      );
      const total = at(at(sample, 'report'), 'totalApprovedAmount');
      if (total instanceof JsonNumber) same(doc.report.total.amount, source(total), `${file} total`);
      else assert.equal(doc.report.total.amount, '30.00', 'without a total, the sum of the entries');
      const entries = arr(at(sample, 'expenseEntry'));
      assert.equal(doc.report.entries.length, entries.length);
      let line = 0;
      entries.forEach((entry, i) => {
        const canonical = doc.report.entries[i]!;
        same(canonical.amount.amount, source(at(entry, 'entryApprovedAmount')), `${file} entry ${i}`);
        assert.equal(canonical.exchangeRate, source(at(entry, 'entryExchangeRate')));
        arr(at(entry, 'allocation')).forEach((allocation, j) => {
          assert.equal(canonical.allocations[j]!.percent, source(at(allocation, 'allocationPercentage')));
          for (const journal of arr(at(allocation, 'journal'))) {
            const read = doc.journal[line++]!;
            same(read.gross.amount, source(at(journal, 'amountGross')), `${file} gross`);
            same(read.netOfReclaim.amount, source(at(journal, 'amountNetOfReclaim')), `${file} net of reclaim`);
          }
          arr(at(allocation, 'tax')).forEach((tax, t) => {
            same(canonical.taxLines[t]!.taxAmount.amount, source(at(tax, 'amountTax')), `${file} tax`);
            same(canonical.taxLines[t]!.reclaimableAmount!.amount, source(at(tax, 'amountReclaim')), `${file} reclaim`);
          });
        });
      });
      assert.equal(line, doc.journal.length);
    }
    const vat = documents.find((d) => d.report.currency === 'EUR')!;
    assert.deepEqual(vat.journal[0]!.taxReclaims, [
      { taxCode: 'DEVAT', amount: { amount: '1.60', currency: 'EUR' }, taxAmount: { amount: '1.60', currency: 'EUR' } },
    ]);
    assert.equal(vat.report.reimbursableAmount.amount, '10.00');
    const card = documents.find((d) => d.report.cardTransactions.length > 0)!;
    assert.equal(card.report.id, 'CDFDE0F4CACE4426A913');
    assert.deepEqual(card.report.cardTransactions, [
      {
        id: '111112589312803',
        refs: { concur: '111112589312803' },
        cardAccountId: 'D14510F8D27A1E4EA9D3A1355B74F192',
        cardProgram: 'AX',
        billing: 'individual',
        statementReference: '111112589312803',
        merchantName: 'Dollar',
        transactionDate: '2008-04-17',
        billedAmount: { amount: '56.10', currency: 'USD' },
        originalAmount: { amount: '55.10', currency: 'USD' },
      },
    ]);
    const [rental, postage] = card.report.entries;
    assert.deepEqual(
      [rental!.paymentType, rental!.cardTransactionId, rental!.amount],
      ['company_card', '111112589312803', { amount: '56.10', currency: 'USD' }],
    );
    assert.deepEqual(
      [postage!.paymentType, postage!.cardTransactionId, postage!.amount],
      ['cash', undefined, { amount: '23.00', currency: 'USD' }],
    );
    assert.deepEqual(
      card.journal.map((l) => [l.payer, l.payee, l.gross.amount]),
      [
        ['COMP', 'IBCP', '56.10'],
        ['COMP', 'EMPL', '23.00'],
      ],
    );
    assert.deepEqual([card.report.total.amount, card.report.reimbursableAmount.amount], ['79.10', '23.00']);
    for (const doc of documents) {
      assert.deepEqual(doc.report.cashAdvances, [], `${doc.report.id}: the samples apply no cash advance`);
      if (doc !== card) assert.deepEqual(doc.report.cardTransactions, [], `${doc.report.id}: no card charge`);
    }
  });

  test('a company-billed card entry without a posted amount; a card charge is listed once', () => {
    const item = parseStrictJson(cardDoc('cbcp-1'));
    const doc = toExpenseDocument(item);
    assert.deepEqual(doc.report.cardTransactions, [
      {
        id: 'T-9',
        refs: { concur: 'T-9' },
        cardProgram: 'VI',
        billing: 'company',
        transactionDate: '2024-04-29',
        billedAmount: { amount: '-12.30', currency: 'EUR' },
      },
    ]);
    assert.deepEqual(
      doc.report.entries.map((e) => [e.paymentType, e.cardTransactionId]),
      [
        ['company_card', 'T-9'],
        ['company_card', 'T-9'],
      ],
    );
    assert.deepEqual([...Value.Errors(ExpenseReportSchema, doc.report)], []);
  });

  test('cash advance applications: read exactly, the reimbursable amount net of them, below and above the payout', async () => {
    const applying = (id: string, amountText: string, applications: string[], returned = '0'): string =>
      expenseDoc(id, amountText)
        .replace('"cashAdvanceApplication":[]', `"cashAdvanceApplication":[${applications.join(',')}]`)
        .replace('"reportName":"Credits"', `"reportName":"Trip","cashAdvanceReturnsAmount":${returned}`);
    const below = applying(
      'advance-below',
      '200.00',
      [cashAdvanceApplication('6A107A548D1B4B49BBF370DF02EC890D', '-50.25')],
      '12.5',
    );
    const above = applying('advance-above', '200.00', [
      cashAdvanceApplication('CA-300', '-300', null),
      cashAdvanceApplication('CA-REV', '10'),
    ]);
    for (const body of [below, above]) assert.equal((await simPost('/_sim/fis/documents', body)).status, 201);
    const read = await connector.readDocument('advance-below');
    assert.ok(read !== null);
    assert.deepEqual(read.report.cashAdvances, [
      {
        id: '6A107A548D1B4B49BBF370DF02EC890D',
        refs: { concur: '6A107A548D1B4B49BBF370DF02EC890D' },
        appliedAmount: { amount: '50.25', currency: 'EUR' },
        clearingAccountCode: '12345',
      },
    ]);
    assert.equal(read.report.reimbursableAmount.amount, '149.75', 'owed 200.00 less the 50.25 applied');
    assert.deepEqual(read.cashAdvanceReturns, { amount: '12.50', currency: 'EUR' });
    assert.deepEqual([...Value.Errors(ExpenseReportSchema, read.report)], []);
    const over = (await connector.readDocument('advance-above'))!;
    assert.deepEqual(
      over.report.cashAdvances.map((a) => [a.id, a.appliedAmount.amount, a.clearingAccountCode]),
      [
        ['CA-300', '300.00', undefined],
        ['CA-REV', '-10.00', '12345'],
      ],
    );
    assert.equal(over.report.reimbursableAmount.amount, '-90.00', 'the employee owes the company 90.00');
    assert.deepEqual(over.cashAdvanceReturns, { amount: '0.00', currency: 'EUR' });
    assert.deepEqual([...Value.Errors(ExpenseReportSchema, over.report)], []);
  });

  test('a cash advance application of another transaction type is refused, naming the type and where it is', async () => {
    const body = expenseDoc('advance-type-3', '40.00').replace(
      '"cashAdvanceApplication":[]',
      `"cashAdvanceApplication":[${cashAdvanceApplication('CA-1', '-40', '12345', 3)}]`,
    );
    assert.equal((await simPost('/_sim/fis/documents', body)).status, 201);
    const error = await refusal(() => connector.readDocument('advance-type-3'));
    assert.match(
      error.message,
      /transaction type 3 at document\.cashAdvanceApplication\[0\]\.cashAdvanceTransactionType is not 2/,
    );
    assert.equal(error.details[0]!['path'], 'document.cashAdvanceApplication[0].cashAdvanceTransactionType');
  });

  test('an issued cash advance: listed among ready cash advances, read exactly, acknowledged and confirmed as docType cashadvance', async () => {
    const body = issuedCashAdvanceDocument({
      documentId: 'ca-doc-1',
      cashAdvanceId: 'FE884EE31617CF4CABE36C7FC44512A1',
      employeeId: '12345ID',
      amount: '150.10',
      currency: 'USD',
      name: 'Cash Advance Testing 3',
    });
    assert.equal((await simPost('/_sim/fis/documents', body)).status, 201);
    assert.deepEqual(await connector.readyDocumentRefs('cashadvance'), [
      { documentId: 'ca-doc-1', docType: 'cashadvance', status: 'READY' },
    ]);
    assert.ok(!(await connector.readyDocuments()).some((d) => d.documentId === 'ca-doc-1'), 'not an expense document');
    assert.equal(await connector.readDocument('ca-doc-1'), null, 'not found as an expense document');
    assert.deepEqual(await connector.readCashAdvance('ca-doc-1'), {
      documentId: 'ca-doc-1',
      docType: 'cashadvance',
      companyId: '821599',
      status: 'READY',
      cashAdvanceId: 'FE884EE31617CF4CABE36C7FC44512A1',
      name: 'Cash Advance Testing 3',
      employeeId: '12345ID',
      employeeName: 'FirstName LastName',
      amount: { amount: '150.10', currency: 'USD' },
      employeeCurrency: 'USD',
      exchangeRate: '1',
      requestedAt: '2018-03-03T02:16:51.363Z',
      issuedAt: '2018-03-06T03:54:36.993Z',
      paymentMethod: '0',
      test: false,
      journal: [
        {
          account: '12345',
          side: 'D',
          amount: { amount: '150.10', currency: 'USD' },
          payer: 'COMP',
          payee: 'EMPL',
          paymentCode: 'Cash',
        },
      ],
    });
    assert.equal(await connector.readCashAdvance('no-such-advance'), null);
    assert.equal((await connector.acknowledge('ca-doc-1', 'cashadvance')).code, 0);
    assert.deepEqual(await connector.readyDocumentRefs('cashadvance'), []);
    const confirmation = {
      documentId: 'ca-doc-1',
      status: 'success' as const,
      erpDocuments: [
        { companyCode: '1710', documentNumber: '5105600009', fiscalYear: '2024', postingDate: '2024-05-02' },
      ],
    };
    assert.equal((await connector.confirmPosting(confirmation, 'cashadvance')).code, 0);
    const [recorded] = (await (
      await fetch(`${sim.server.url}/_sim/documents?reference=ca-doc-1&kind=posting_confirmation`)
    ).json()) as {
      id: string;
      currency: string;
      lines: { account: string; side: string; amount: string; partner?: string }[];
    }[];
    assert.deepEqual([recorded!.id, recorded!.currency], ['5105600009', 'USD']);
    assert.deepEqual(recorded!.lines, [
      { account: '12345', side: 'D', amount: '150.10' },
      { account: 'EMPL', side: 'C', amount: '150.10', partner: '12345ID' },
    ]);
  });

  test('cash advances the contract does not describe are refused when read, and still listed', async () => {
    const returned = issuedCashAdvanceDocument({
      documentId: 'ca-type-2',
      employeeId: 'E-1',
      amount: '20',
      currency: 'EUR',
      transactionType: 2,
    });
    const atm = issuedCashAdvanceDocument({
      documentId: 'ca-card',
      employeeId: 'E-1',
      amount: '20',
      currency: 'EUR',
    }).replace('"cardTransactionID":null', '"cardTransactionID":"T-77"');
    const unbalanced = issuedCashAdvanceDocument({
      documentId: 'ca-journal',
      employeeId: 'E-1',
      amount: '20',
      currency: 'EUR',
    }).replace('"amount":20', '"amount":19.99');
    for (const body of [returned, atm, unbalanced])
      assert.equal((await simPost('/_sim/fis/documents', body)).status, 201);
    assert.deepEqual((await connector.readyDocumentRefs('cashadvance')).map((d) => d.documentId).sort(), [
      'ca-card',
      'ca-journal',
      'ca-type-2',
    ]);
    const type = await refusal(() => connector.readCashAdvance('ca-type-2'));
    assert.match(type.message, /transaction type 2 at document\.cashAdvanceData\.transactionType is not 1 \(issued\)/);
    assert.match(
      (await refusal(() => connector.readCashAdvance('ca-card'))).message,
      /drawn on a company card \(card transaction T-77\)/,
    );
    assert.match(
      (await refusal(() => connector.readCashAdvance('ca-journal'))).message,
      /\(19\.99 EUR\) differ from requestAmount \(20\.00 EUR\)/,
    );
  });

  test('negative and float-breaking amounts arrive exact', async () => {
    assert.equal((await simPost('/_sim/fis/documents', expenseDoc('credit-1', '-15.25'))).status, 201);
    assert.equal((await simPost('/_sim/fis/documents', expenseDoc('big-1', '12345678901234567.89'))).status, 201);
    const documents = await connector.readyDocuments();
    const credit = documents.find((d) => d.documentId === 'credit-1')!;
    assert.equal(credit.report.entries[0]!.amount.amount, '-15.25');
    assert.equal(credit.journal[0]!.gross.amount, '-15.25');
    assert.equal(credit.report.reimbursableAmount.amount, '-15.25');
    assert.equal(documents.find((d) => d.documentId === 'big-1')!.report.total.amount, '12345678901234567.89');
  });

  test('list paging: every READY document across several pages', async () => {
    for (let i = 0; i < 56; i++)
      assert.equal((await simPost('/_sim/fis/documents', expenseDoc(`page-${i}`, `${i}.05`))).status, 201);
    const documents = await connector.readyDocuments();
    assert.equal(documents.length, 60);
    assert.equal(new Set(documents.map((d) => d.documentId)).size, 60);
  });

  test('acknowledge, then confirm the posting; repeats are already done', async () => {
    const [doc] = await connector.readyDocuments();
    const id = doc!.documentId;
    assert.deepEqual(await connector.acknowledge(id), {
      documentId: id,
      code: 0,
      alreadyDone: false,
      // The published acknowledgement answer carries an empty errorMessage on success.
      message: '',
    });
    assert.ok(!(await connector.readyDocuments()).some((d) => d.documentId === id));
    assert.equal((await connector.acknowledge(id)).code, 101);
    const confirmation = {
      documentId: id,
      status: 'success' as const,
      erpDocuments: [
        { companyCode: '1010', documentNumber: '1900000042', fiscalYear: '2024', postingDate: '2024-05-02' },
      ],
    };
    assert.equal((await connector.confirmPosting(confirmation)).alreadyDone, false);
    const again = await connector.confirmPosting(confirmation);
    assert.deepEqual([again.code, again.alreadyDone], [113, true]);
    const recorded = (await (
      await fetch(`${sim.server.url}/_sim/documents?reference=${id}&kind=posting_confirmation`)
    ).json()) as { id: string }[];
    assert.deepEqual(
      recorded.map((d) => d.id),
      ['1900000042'],
    );
    const payment = {
      documentId: id,
      status: 'paid' as const,
      clearings: [
        {
          clearingDate: '2024-05-10',
          amount: { amount: '30.00', currency: 'USD' },
          reference: { clearingDocument: '1500000007', fiscalYear: '2024', companyCode: '1010' },
        },
      ],
    };
    assert.equal((await connector.confirmPayment(payment)).code, 0);
    const repeated = await connector.confirmPayment(payment);
    assert.deepEqual([repeated.code, repeated.alreadyDone], [298, true]);
    const paid = (await (
      await fetch(`${sim.server.url}/_sim/documents?reference=${id}&kind=payment_confirmation`)
    ).json()) as { lines: { amount: string }[] }[];
    assert.equal(paid[0]!.lines[0]!.amount, '30.00');
  });

  test('a posting confirmation before acknowledgement is refused with its code', async () => {
    const id = sim.seededIds[0]!;
    let caught: unknown;
    try {
      await connector.confirmPosting({
        documentId: id,
        status: 'error',
        messages: [{ shortText: 'Period 2024/05 is closed' }],
      });
    } catch (error) {
      caught = error;
    }
    assert.ok(isLedgerlinkError(caught));
    assert.equal(caught.code, 'LL_ERR_REMOTE_REJECTED');
    assert.equal(caught.details[0]!['itemCode'], 111);
  });

  test('per-item codes: 199 retry later, 198 do not retry, 101/113 done', async () => {
    const id = sim.seededIds[1]!;
    await simPost('/_sim/seed', JSON.stringify({ itemCodes: { [id]: 199 } }));
    await expectCode(() => connector.acknowledge(id), 'LL_ERR_REMOTE_TRANSIENT');
    await simPost('/_sim/seed', JSON.stringify({ itemCodes: { [id]: 198 } }));
    await expectCode(() => connector.acknowledge(id), 'LL_ERR_REMOTE_REJECTED');
    assert.equal((await connector.acknowledge(id)).code, 0);
    await simPost('/_sim/seed', JSON.stringify({ recall: [sim.seededIds[2]] }));
    await expectCode(() => connector.acknowledge(sim.seededIds[2]!), 'LL_ERR_REMOTE_REJECTED');
    assert.equal(classifyItem({ docId: 'x', code: 101, message: '' }, 'acknowledgements').alreadyDone, true);
    assert.equal(classifyItem({ docId: 'x', code: 113, message: '' }, 'postingconfirmations').alreadyDone, true);
    assert.throws(() => classifyItem({ docId: 'x', code: 104, message: '' }, 'acknowledgements'), /104/);
  });

  test('documents acknowledged at the same time share requests; each gets its own answer, a refused one alone', async () => {
    const documents = (await connector.readyDocuments()).slice(0, 4);
    const [recalled, ...others] = documents.map((d) => d.documentId);
    await simPost('/_sim/seed', JSON.stringify({ recall: [recalled] }));
    const route = 'POST /financialintegration/fi/v4/companies/transactiontypes/expense/transactions/acknowledgements';
    const count = async (): Promise<number> =>
      ((await (await fetch(`${sim.server.url}/_sim/requests`)).json()) as { byRoute: Record<string, number> }).byRoute[
        route
      ] ?? 0;
    const before = await count();
    const outcomes = await Promise.allSettled([recalled!, ...others].map((id) => connector.acknowledge(id)));
    assert.equal(outcomes[0]!.status, 'rejected', 'the recalled document is refused');
    assert.equal((outcomes[0] as PromiseRejectedResult).reason.code, 'LL_ERR_REMOTE_REJECTED');
    for (const [index, outcome] of outcomes.slice(1).entries()) {
      assert.equal(outcome.status, 'fulfilled');
      assert.equal(
        (outcome as PromiseFulfilledResult<{ documentId: string; code: number }>).value.documentId,
        others[index],
      );
    }
    assert.equal(
      (await count()) - before,
      3,
      'two leave at once (two may be under way), the two that waited for them together',
    );
  });

  test('refresh tokens rotate: the callback gets each new one and the old one is refused', async () => {
    const before = rotated.length;
    const fresh = make({ companyRequestToken: credentials.companyToken });
    await fresh.readyDocuments();
    assert.equal(rotated.length, before + 1);
    const first = rotated.at(-1)!;
    await setFaults(sim.server.url, { expireTokens: true });
    await fresh.readyDocuments();
    assert.equal(rotated.length, before + 2);
    const second = rotated.at(-1)!;
    assert.notEqual(second, first);
    const reuse = await fetch(`${sim.server.url}/oauth2/v0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: first,
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
      }),
    });
    assert.equal(reuse.status, 400);
    const restarted = make({ refreshToken: second });
    assert.equal((await restarted.readyDocuments()).length, 4);
    assert.equal(rotated.length, before + 3);
    await expectCode(() => make({ refreshToken: first }).readyDocuments(), 'LL_ERR_REMOTE_AUTH');
  });

  test('token expiry mid-run: the run goes on with a new token', async () => {
    for (let i = 0; i < 30; i++) await simPost('/_sim/fis/documents', expenseDoc(`mid-${i}`, '1.00'));
    const documents = await connector.readyDocuments();
    await setFaults(sim.server.url, { expireTokens: true });
    for (const doc of documents.slice(0, 3)) assert.equal((await connector.acknowledge(doc.documentId)).code, 0);
    assert.equal((await connector.readyDocuments()).length, documents.length - 3);
  });

  test('list values: created, updated, unchanged', async () => {
    assert.deepEqual(
      await connector.publishListValues('cost-centers', [
        { code: '1000', value: 'Board' },
        { code: '2000', value: 'Sales' },
      ]),
      { created: 2, updated: 0, unchanged: 0, deactivated: 0 },
    );
    assert.deepEqual(
      await connector.publishListValues('cost-centers', [
        { code: '1000', value: 'Board' },
        { code: '2000', value: 'Sales EMEA' },
      ]),
      { created: 0, updated: 1, unchanged: 1, deactivated: 0 },
    );
  });

  test('list values: an inactive value is deleted from the list, read back without it, and can be created again', async () => {
    await connector.publishListValues('projects', [
      { code: 'P-1', value: 'Rollout' },
      { code: 'P-2', value: 'Pilot' },
    ]);
    assert.deepEqual((await connector.listValues('projects')).map((v) => [v.code, v.value, v.active]).sort(), [
      ['P-1', 'Rollout', true],
      ['P-2', 'Pilot', true],
    ]);
    assert.deepEqual(
      await connector.publishListValues('projects', [
        { code: 'P-2', value: 'Pilot', active: false },
        { code: 'P-9', value: 'Never', active: false },
      ]),
      { created: 0, updated: 0, unchanged: 1, deactivated: 1 },
    );
    assert.deepEqual(
      (await connector.listValues('projects')).map((v) => v.code),
      ['P-1'],
    );
    assert.deepEqual(await connector.publishListValues('projects', [{ code: 'P-2', value: 'Pilot' }]), {
      created: 1,
      updated: 0,
      unchanged: 0,
      deactivated: 0,
    });
    assert.deepEqual((await connector.listValues('projects')).map((v) => v.code).sort(), ['P-1', 'P-2']);
  });

  describeFaultContract('concur', { simulatorUrl: () => sim.server.url, call: () => connector.readyDocuments() });
});
