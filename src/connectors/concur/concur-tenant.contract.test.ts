/**
 * The Concur connector against its simulator on what a real tenant insists on (the contract facts):
 * the token's geolocation for refreshes and API calls, `docId` with `ignoreDocumentStatus=yes`, both
 * GET envelopes and both document formats, the published clearing reference, List Item v4 by
 * `shortCode` with 1-based pages of 100, and deleting an item from the one list meant.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createConcurSimulator, type ConcurSimulatorOptions } from './simulator/concur-simulator.js';
import { ConcurConnector } from './connector.js';
import type { ConcurConnectorOptions } from './connector.js';

type Grant = { refreshToken: string; geolocation?: string } | { companyRequestToken: string };

function harness(options: ConcurSimulatorOptions = {}) {
  const sim = createConcurSimulator(options);
  const credentials = sim.clients[0]!;
  const rotations: { token: string; geolocation: string | undefined }[] = [];
  const make = (grant: Grant, extra: Partial<ConcurConnectorOptions> = {}): ConcurConnector =>
    new ConcurConnector({
      baseUrl: sim.server.url,
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      companyUuid: credentials.companyUuid,
      ...grant,
      onRefreshTokenRotated: (token, geolocation) => {
        rotations.push({ token, geolocation });
      },
      systemId: 'S4-1010',
      timeoutMs: 1_500,
      ...extra,
    });
  const company = (): ConcurConnector => make({ companyRequestToken: credentials.companyToken });
  return { sim, make, company, rotations };
}

describe('concur connector against what a tenant insists on', () => {
  const h = harness({ geolocation: (url) => url.replace('127.0.0.1', 'localhost') });
  before(async () => {
    await h.sim.server.start();
  });
  after(async () => h.sim.server.stop());
  beforeEach(async () => {
    await fetch(`${h.sim.server.url}/_sim/reset`, { method: 'POST' });
    h.rotations.length = 0;
  });

  test('the token is stored with its geolocation; API calls and refreshes go there', async () => {
    const geo = h.sim.server.url.replace('127.0.0.1', 'localhost');
    const connector = h.company();
    assert.equal((await connector.readyDocuments()).length, 4);
    assert.deepEqual(
      h.rotations.map((r) => r.geolocation),
      [geo],
    );
    const stored = h.rotations[0]!;
    // A process started later with what was stored refreshes at the geolocation and reads there.
    const later = h.make({ refreshToken: stored.token, geolocation: geo });
    assert.equal((await later.readyDocuments()).length, 4);
    assert.equal(h.rotations.length, 2);
    assert.equal(h.rotations[1]!.geolocation, geo);
    // Refreshing anywhere else is refused (code 16, "user lives elsewhere").
    const elsewhere = h.make({ refreshToken: h.rotations[1]!.token });
    await assert.rejects(elsewhere.readyDocuments());
  });

  test('one document is read by docId with ignoreDocumentStatus=yes after it was acknowledged', async () => {
    const connector = h.company();
    const [first] = await connector.readyDocuments();
    const id = first!.documentId;
    await connector.acknowledge(id);
    assert.ok(!(await connector.readyDocuments()).some((d) => d.documentId === id));
    assert.equal((await connector.readDocument(id))?.documentId, id);
  });

  test('a repeated payment confirmation with the published clearing reference is NOOP, a success', async () => {
    const connector = h.company();
    const [first] = await connector.readyDocuments();
    const id = first!.documentId;
    await connector.acknowledge(id);
    await connector.confirmPosting({
      documentId: id,
      status: 'success',
      erpDocuments: [
        { companyCode: '1010', documentNumber: '1900000042', fiscalYear: '2024', postingDate: '2024-05-02' },
      ],
    });
    const payment = {
      documentId: id,
      status: 'paid' as const,
      clearings: [
        {
          clearingDate: '2024-05-10',
          amount: { amount: '30.00', currency: 'USD' },
          reference: {
            clearingDocument: '1500000007',
            accountingDocument: '1900000042',
            fiscalYear: '2024',
            companyCode: '1010',
          },
        },
      ],
    };
    assert.deepEqual([(await connector.confirmPayment(payment)).code], [0]);
    const again = await connector.confirmPayment(payment);
    assert.deepEqual([again.code, again.alreadyDone], [298, true]);
    const [paid] = (await (
      await fetch(`${h.sim.server.url}/_sim/documents?reference=${id}&kind=payment_confirmation`)
    ).json()) as { raw: { clearingDetails: { clearingReference: Record<string, string> }[] } }[];
    assert.deepEqual(paid!.raw.clearingDetails[0]!.clearingReference, {
      companyCode: '1010',
      financialDocumentId: '1500000007',
      fiscalYear: '2024',
      paymentRef: '1010/1500000007/2024',
    });
  });

  test('list values: more than one page of 100 by shortCode; an item is deleted from the one list meant', async () => {
    const deletes: string[] = [];
    const connector = h.make(
      { companyRequestToken: h.sim.clients[0]!.companyToken },
      { onExchange: (r) => void (r.method === 'DELETE' && deletes.push(new URL(r.url).pathname)) },
    );
    const values = Array.from({ length: 130 }, (_, i) => ({
      code: `CC${String(i).padStart(3, '0')}`,
      value: `Center ${i}`,
    }));
    assert.deepEqual(await connector.publishListValues('cost-centers', values), {
      created: 130,
      updated: 0,
      unchanged: 0,
      deactivated: 0,
    });
    assert.equal((await connector.listValues('cost-centers')).length, 130);
    await connector.publishListValues('projects', [{ code: 'CC000', value: 'Center 0' }]);
    const outcome = await connector.publishListValues('cost-centers', [
      { code: 'CC000', value: 'Center 0', active: false },
      { code: 'CC001', value: 'Renamed' },
    ]);
    assert.deepEqual(outcome, { created: 0, updated: 1, unchanged: 0, deactivated: 1 });
    const held = await connector.listValues('cost-centers');
    assert.equal(held.length, 129);
    assert.equal(deletes.length, 1);
    assert.match(deletes[0]!, /^\/list\/v4\/lists\/cost-centers\/items\/[0-9a-f-]{36}$/);
    assert.equal(held.find((v) => v.code === 'CC001')?.value, 'Renamed');
    assert.deepEqual(
      (await connector.listValues('projects')).map((v) => v.code),
      ['CC000'],
    );
  });
});

describe('concur connector reading the envelope of the published examples', () => {
  const h = harness({ legacyEnvelope: true });
  before(async () => {
    await h.sim.server.start();
  });
  after(async () => h.sim.server.stop());

  test('{fIDocuments, nextPage} pages are read like v4 pages', async () => {
    const connector = h.make({ companyRequestToken: h.sim.clients[0]!.companyToken }, { pageSize: 3 });
    const docs = await connector.readyDocuments();
    assert.deepEqual(docs.map((d) => d.documentId).sort(), [...h.sim.seededIds].sort());
  });
});
