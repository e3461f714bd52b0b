/**
 * The SAP S/4HANA connector's resilience against its simulator over real HTTP: the circuit breaker
 * and rate limiter wired into its clients, writes whose answer is lost after the commit (the effect
 * ledger's lookup-before-create), and a CSRF session that expires between two writes.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { expectCode, setFaults } from '../contract/fault-contract.js';
import { CircuitBreaker } from '../http/circuit-breaker.js';
import type { ExchangeRecord } from '../http/http-types.js';
import type { ErpJournalEntry, ErpSupplierInvoice } from '../ports/erp-port.js';
import { DEFAULT_CIRCUIT_BREAKER, DEFAULT_RATE_PER_SECOND } from './client.js';
import { SapS4HanaConnector } from './connector.js';
import { createSapSimulator } from './simulator/sap-simulator.js';

const sim = createSapSimulator();
let base = '';
const eur = (amount: string) => ({ amount, currency: 'EUR' });
const invoice = (reference: string): ErpSupplierInvoice => ({
  reference,
  companyCode: '1010',
  vendorId: '17300001',
  documentDate: '2025-03-05',
  postingDate: '2025-03-10',
  gross: eur('1190.00'),
  lines: [
    { glAccount: '61003000', side: 'D', amount: eur('600.00'), costCenter: '10101101', taxCode: 'V1' },
    { glAccount: '63003000', side: 'D', amount: eur('400.00'), project: 'P-1010-0001.1', taxCode: 'V1' },
  ],
  taxes: [{ taxCode: 'V1', amount: eur('190.00') }],
});
const journalEntry = (reference: string): ErpJournalEntry => ({
  reference,
  companyCode: '1010',
  documentDate: '2025-03-31',
  postingDate: '2025-03-31',
  lines: [
    { glAccount: '61008000', side: 'D', amount: eur('250.10'), costCenter: '10101101' },
    { glAccount: '11001000', side: 'C', amount: eur('250.10') },
  ],
});
const simDocuments = async (reference: string): Promise<{ kind: string; id: string }[]> =>
  (await (await fetch(`${base}/_sim/documents?reference=${encodeURIComponent(reference)}`)).json()) as {
    kind: string;
    id: string;
  }[];

/** A connector whose exchanges are recorded, so tests see what reached the wire. */
function recordingConnector(options: Partial<ConstructorParameters<typeof SapS4HanaConnector>[0]> = {}): {
  connector: SapS4HanaConnector;
  exchanges: ExchangeRecord[];
} {
  const exchanges: ExchangeRecord[] = [];
  const connector = new SapS4HanaConnector({
    baseUrl: base,
    user: sim.credentials.user,
    password: sim.credentials.password,
    timeoutMs: 1_000,
    onExchange: (record) => exchanges.push(record),
    ...options,
  });
  return { connector, exchanges };
}

before(async () => {
  base = await sim.server.start();
});
after(async () => sim.server.stop());

describe('sap-s4hana connector resilience', () => {
  beforeEach(async () => {
    await fetch(`${base}/_sim/reset`, { method: 'POST' });
  });

  test('rate limiter and circuit breaker are on by default, shared by OData and SOAP, and can be switched off', () => {
    const { connector } = recordingConnector();
    assert.equal(connector.client.rateLimiter?.ratePerSecond, DEFAULT_RATE_PER_SECOND);
    assert.equal(connector.client.circuitBreaker?.failureThreshold, DEFAULT_CIRCUIT_BREAKER.failureThreshold);
    assert.equal(connector.client.circuitBreaker?.openMs, DEFAULT_CIRCUIT_BREAKER.openMs);
    const tuned = recordingConnector({ rateLimit: 4, circuitBreaker: { failureThreshold: 2 } }).connector;
    assert.equal(tuned.client.rateLimiter?.ratePerSecond, 4);
    assert.equal(tuned.client.circuitBreaker?.failureThreshold, 2);
    const bare = recordingConnector({ rateLimit: false, circuitBreaker: false }).connector;
    assert.equal(bare.client.rateLimiter, undefined);
    assert.equal(bare.client.circuitBreaker, undefined);
  });

  test('the breaker opens after N consecutive 503s, refuses without calling the tenant, and closes after a good probe', async () => {
    let now = 1_000_000;
    const { connector, exchanges } = recordingConnector({
      circuitBreaker: { failureThreshold: 3, openMs: 60_000, now: () => now },
    });
    const read = () => connector.findVendors({ name: 'Atlas' });
    await setFaults(base, { errorRate: 1, errorStatus: 503 });
    for (let i = 0; i < 3; i++) await expectCode(read, 'LL_ERR_REMOTE_TRANSIENT');
    assert.deepEqual(
      exchanges.map((e) => e.status),
      [503, 503, 503],
    );
    assert.equal(connector.client.circuitBreaker?.state, 'open');

    const refusals: unknown[] = [];
    for (const call of [
      read,
      () => connector.postSupplierInvoice(invoice('RE-OPEN-1')),
      () => connector.postJournalEntry(journalEntry('JE-OPEN-1')),
    ]) {
      const { retryAfterMs } = await expectCode(call, 'LL_ERR_REMOTE_TRANSIENT');
      assert.equal(retryAfterMs, 60_000);
      refusals.push(await call().catch((error: unknown) => error));
    }
    assert.ok(refusals.every((error) => CircuitBreaker.isRefusal(error)));
    assert.equal(exchanges.length, 3, 'an open circuit sends nothing, for OData reads, OData writes and SOAP alike');

    await setFaults(base, {});
    now += 60_000;
    assert.equal(connector.client.circuitBreaker?.state, 'half_open');
    assert.deepEqual(
      (await read()).map((v) => v.vendorId),
      ['17300002'],
    );
    assert.equal(connector.client.circuitBreaker?.state, 'closed');
    assert.ok(exchanges.length > 3 && exchanges.slice(3).every((e) => e.status === 200));
    assert.equal((await connector.postJournalEntry(journalEntry('JE-CLOSED-1'))).kind, 'journal_entry');
  });

  test('a failed probe opens the breaker again without a second call', async () => {
    let now = 0;
    const { connector, exchanges } = recordingConnector({
      circuitBreaker: { failureThreshold: 2, openMs: 5_000, now: () => now },
    });
    const read = () => connector.findVendors({ name: 'Atlas' });
    await setFaults(base, { errorRate: 1, errorStatus: 503 });
    await expectCode(read, 'LL_ERR_REMOTE_TRANSIENT');
    await expectCode(read, 'LL_ERR_REMOTE_TRANSIENT');
    now += 5_000;
    await expectCode(read, 'LL_ERR_REMOTE_TRANSIENT');
    assert.equal(exchanges.length, 3, 'the probe reached the tenant');
    assert.equal(connector.client.circuitBreaker?.state, 'open');
    await expectCode(read, 'LL_ERR_REMOTE_TRANSIENT');
    assert.equal(exchanges.length, 3);
  });

  test('rejections and auth failures do not open the breaker: the tenant is answering', async () => {
    const { connector } = recordingConnector({ circuitBreaker: { failureThreshold: 1 } });
    await connector.postSupplierInvoice(invoice('RE-DUP-1'));
    await expectCode(() => connector.postSupplierInvoice(invoice('RE-DUP-1')), 'LL_ERR_REMOTE_REJECTED');
    assert.equal(connector.client.circuitBreaker?.state, 'closed');
    const wrong = recordingConnector({ password: 'wrong', circuitBreaker: { failureThreshold: 1 } }).connector;
    await expectCode(() => wrong.findVendors({ name: 'Atlas' }), 'LL_ERR_REMOTE_AUTH');
    assert.equal(wrong.client.circuitBreaker?.state, 'closed');
  });

  test('supplier invoice committed but its answer dropped: unknown outcome, found by reference, a second post is a duplicate', async () => {
    const { connector, exchanges } = recordingConnector();
    await setFaults(base, { dropAfterCommit: { count: 1 } });
    await expectCode(() => connector.postSupplierInvoice(invoice('RE-DROP-1')), 'LL_ERR_REMOTE_TRANSIENT');
    assert.equal(exchanges.at(-1)?.method, 'POST');
    assert.equal(exchanges.at(-1)?.status, undefined, 'the write got no answer');
    const found = await connector.findDocumentByReference('supplier_invoice', 'RE-DROP-1', {
      companyCode: '1010',
      vendorId: '17300001',
    });
    assert.deepEqual(found, {
      kind: 'supplier_invoice',
      documentId: '5105600001',
      fiscalYear: '2025',
      companyCode: '1010',
    });
    await expectCode(() => connector.postSupplierInvoice(invoice('RE-DROP-1')), 'LL_ERR_REMOTE_REJECTED');
    assert.deepEqual(
      (await simDocuments('RE-DROP-1')).map((d) => [d.kind, d.id]),
      [['supplier_invoice', '5105600001/2025']],
    );
  });

  test('journal entry committed but its SOAP answer dropped: unknown outcome, found by reference, a second post is a duplicate', async () => {
    const { connector, exchanges } = recordingConnector();
    await setFaults(base, { dropAfterCommit: { count: 1 } });
    await expectCode(() => connector.postJournalEntry(journalEntry('JE-DROP-1')), 'LL_ERR_REMOTE_TRANSIENT');
    assert.equal(exchanges.at(-1)?.status, undefined, 'the write got no answer');
    const found = await connector.findDocumentByReference('journal_entry', 'JE-DROP-1', { companyCode: '1010' });
    assert.deepEqual(found, {
      kind: 'journal_entry',
      documentId: '0100000001',
      fiscalYear: '2025',
      companyCode: '1010',
    });
    const duplicate = await connector.postJournalEntry(journalEntry('JE-DROP-1')).catch((error: unknown) => error);
    await expectCode(() => Promise.reject(duplicate), 'LL_ERR_REMOTE_REJECTED');
    assert.match(String((duplicate as Error).message), /already posted as accounting document 0100000001/);
    assert.deepEqual(
      (await simDocuments('JE-DROP-1')).map((d) => [d.kind, d.id]),
      [['journal_entry', '0100000001/1010/2025']],
    );
    assert.equal(
      (await connector.postJournalEntry(journalEntry('JE-DROP-2'))).documentId,
      '0100000002',
      'another reference still posts',
    );
  });

  test('a CSRF session that expires between two writes costs one token refetch, and the second write goes through', async () => {
    const { connector, exchanges } = recordingConnector();
    await connector.postSupplierInvoice(invoice('RE-CSRF-A'));
    assert.equal(connector.client.csrf.fetchCount, 1);
    await setFaults(base, { expireTokens: true });
    const mark = exchanges.length;
    const second = await connector.postSupplierInvoice(invoice('RE-CSRF-B'));
    assert.equal(second.documentId, '5105600002');
    assert.equal(connector.client.csrf.fetchCount, 2, 'exactly one refetch');
    assert.deepEqual(
      exchanges.slice(mark).map((e) => [e.method, e.status]),
      [
        ['POST', 403],
        ['GET', 200],
        ['POST', 201],
      ],
    );
    assert.deepEqual(
      (await simDocuments('RE-CSRF-B')).map((d) => d.id),
      ['5105600002/2025'],
    );
  });
});
