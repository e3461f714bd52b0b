/**
 * Encryption at rest and master-key rotation on both stores: payloads, run inputs and state,
 * exception details and secrets are sealed; rotating from key A to key B re-wraps every record;
 * records stay readable with A and B in the ring and with B alone; ciphertext moved to another row
 * does not decrypt; a dump of the database holds no token, credential or card number in clear.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { LedgerlinkError } from '../../src/canonical/errors.js';
import { ownText } from '../../src/canonical/strict-json.js';
import { maskAuditDataWith } from '../../src/engine/audit-log.js';
import { dispatchInbox } from '../../src/engine/dispatcher.js';
import { Engine } from '../../src/engine/engine.js';
import type { FlowDefinition } from '../../src/engine/step-api.js';
import { TokenStore } from '../../src/security/api-tokens.js';
import { EnvelopePayloadCodec } from '../../src/security/envelope-payload-codec.js';
import { cardNumberMasker } from '../../src/security/json-pan-masking.js';
import { masterKeyStatus, rotateMasterKey } from '../../src/security/key-rotation.js';
import { Keyring } from '../../src/security/master-keys.js';
import { SecretStore } from '../../src/security/secret-store.js';
import { dumpDatabase, storedRow } from '../helpers/database-dump.js';
import { fastSettings } from '../helpers/engine-fixture.js';
import { openTestStore, storeKinds, type TestStore } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';

const PAN = '4111111111111111';
const REMOTE_PAN = '5555555555554444';
const CREDENTIAL = 'erp-password-Zq81-do-not-leak';

/** Takes every event; a step that fails when asked to, quoting a card number the way a remote might. */
const cardFlow: FlowDefinition = {
  name: 'cards',
  firstStep: 'post',
  route: (event) => ({ documentId: ownText(event.payload, ['id']) ?? event.id, version: '1', input: event.payload }),
  steps: {
    post: async (ctx) => {
      if (ownText(ctx.run.input, ['fail']) === 'yes') {
        throw new LedgerlinkError('LL_ERR_VALIDATION', `card ${REMOTE_PAN} is blocked`, {
          details: [{ path: 'card', message: `remote says ${REMOTE_PAN}` }],
        });
      }
      return { done: true, state: { remoteCard: REMOTE_PAN, posted: true } };
    },
  },
};

const codecFor = (ring: Keyring): EnvelopePayloadCodec => new EnvelopePayloadCodec(ring);
const readerOver = (t: TestStore, ring: Keyring): Engine =>
  new Engine({ store: t.store, flows: [], protection: { codec: codecFor(ring), masker: cardNumberMasker } });

async function rejectsWith(code: string, action: () => Promise<unknown>): Promise<void> {
  await assert.rejects(action, (error: unknown) => error instanceof LedgerlinkError && error.code === code);
}

for (const kind of storeKinds) {
  describe(`encryption at rest and key rotation [${kind}]`, () => {
    let t: TestStore;
    let engine: Engine;
    const keyA = randomBytes(32);
    const keyB = randomBytes(32);
    const ringA = new Keyring([['A', keyA]], 'A');
    let okRun = '';
    let failedRun = '';
    let tokenSecret = '';

    before(async () => {
      maskAuditDataWith(cardNumberMasker.maskValue);
      t = await openTestStore(kind, 'at_rest');
      engine = new Engine({
        store: t.store,
        flows: [cardFlow],
        settings: fastSettings,
        protection: { codec: codecFor(ringA), masker: cardNumberMasker },
      });
      await engine.startWorker();
      const event = (id: string, extra: string): Parameters<Engine['accept']>[0] => ({
        system: 'expense',
        eventType: 'expense_report.approved',
        deliveryId: `dlv-${id}`,
        correlationId: undefined,
        contentType: 'application/json',
        body: `{"id":"${id}","memo":"Hotel, card ${PAN}","card":${PAN},"amount":"980.00"${extra}}`,
        headers: { 'x-card': PAN },
      });
      await engine.accept(event('RPT-OK', ''));
      await engine.accept(event('RPT-FAIL', ',"fail":"yes"'));
      okRun = (
        await waitFor(
          'the run to succeed',
          async () => (await engine.listRuns({ documentId: 'RPT-OK', status: 'succeeded' })).runs[0],
        )
      ).id;
      failedRun = (
        await waitFor(
          'the run to fail',
          async () => (await engine.listRuns({ documentId: 'RPT-FAIL', status: 'exception' })).runs[0],
        )
      ).id;
      await engine.stopWorker(2_000);
      await new SecretStore(t.store, ringA).set('erp.password', CREDENTIAL, { actor: 'cli:test' });
      tokenSecret = (await new TokenStore(t.store).create({ name: 'ops', roles: ['operator'] })).secret;
    });
    after(async () => t.close());

    test('payloads, headers, run input and state, exception details and secrets are sealed under key A', async () => {
      const status = await masterKeyStatus(t.store);
      for (const where of [
        'inbox_events.payload',
        'inbox_events.headers',
        'runs.input',
        'runs.state',
        'exceptions.details',
        'secrets',
      ]) {
        assert.deepEqual(Object.keys(status[where] ?? {}), ['A'], `${where}: ${JSON.stringify(status[where])}`);
      }
      const run = await storedRow(t.store, 'runs', okRun);
      assert.match(String(run['input']), /^lle1:A:/);
    });

    test('reads open transparently, with card numbers masked', async () => {
      const detail = (await engine.getRun(okRun))!;
      assert.deepEqual(JSON.parse(detail.input), {
        id: 'RPT-OK',
        memo: 'Hotel, card 411111******1111',
        card: '411111******1111',
        amount: '980.00',
      });
      assert.deepEqual(detail.state, { remoteCard: '555555******4444', posted: true });
      const failed = (await engine.getRun(failedRun))!;
      assert.equal(failed.exceptions[0]!.message, 'card 555555******4444 is blocked');
      assert.equal(failed.steps[0]!.errorMessage, 'card 555555******4444 is blocked');
      assert.equal(await new SecretStore(t.store, ringA).get('erp.password'), CREDENTIAL);
    });

    test('a database dump holds no token secret, credential value or card number in clear', async () => {
      const dump = await dumpDatabase(t.store);
      assert.ok(
        dump.includes('RPT-OK') && dump.includes('erp.password') && dump.includes('audit_log: '),
        'the dump sees the tables',
      );
      for (const secret of [PAN, REMOTE_PAN, CREDENTIAL, tokenSecret, 'Hotel, card']) {
        assert.ok(!dump.includes(secret), `the dump contains ${secret.slice(0, 12)}…`);
      }
    });

    test('ciphertext copied into another row does not decrypt', async () => {
      const source = await storedRow(t.store, 'runs', okRun);
      const target = await storedRow(t.store, 'runs', failedRun);
      try {
        await sql`UPDATE runs SET input = ${String(source['input'])} WHERE id = ${failedRun}`.execute(t.store.db);
        await rejectsWith('LL_ERR_DECRYPTION_FAILED', () => engine.getRun(failedRun));
        // the state column of the same row is sealed for its own column, too
        await sql`UPDATE runs SET input = ${String(target['state'])} WHERE id = ${failedRun}`.execute(t.store.db);
        await rejectsWith('LL_ERR_DECRYPTION_FAILED', () => engine.getRun(failedRun));
      } finally {
        await sql`UPDATE runs SET input = ${String(target['input'])} WHERE id = ${failedRun}`.execute(t.store.db);
      }
    });

    test('rotation to B re-wraps every record; interrupted, it continues where it stopped', async () => {
      const ringAB = ringA.withKey('B', keyB, { current: true });
      let batches = 0;
      await assert.rejects(
        rotateMasterKey(t.store, ringAB, {
          actor: 'cli:test',
          batchSize: 1,
          onBatch: () => {
            if (++batches === 2) throw new Error('interrupted');
          },
        }),
        /interrupted/,
      );
      const partial = await masterKeyStatus(t.store);
      assert.ok(
        Object.values(partial).some((counts) => (counts['A'] ?? 0) > 0),
        'the interrupted rotation left some records under A',
      );
      const report = await rotateMasterKey(t.store, ringAB, { actor: 'cli:test', batchSize: 2 });
      assert.equal(report.to, 'B');
      const status = await masterKeyStatus(t.store);
      for (const [where, counts] of Object.entries(status))
        assert.deepEqual(Object.keys(counts), ['B'], `${where}: ${JSON.stringify(counts)}`);
      const audit = await t.store.db
        .selectFrom('audit_log')
        .select(['actor', 'data'])
        .where('action', '=', 'keys.rotated')
        .execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.actor, 'cli:test');

      const readWithAB = (await readerOver(t, ringAB).getRun(okRun))!;
      assert.equal(JSON.parse(readWithAB.input).memo, 'Hotel, card 411111******1111');
    });

    test('with A removed from the ring every record still reads; without B nothing does', async () => {
      const ringB = new Keyring([['B', keyB]], 'B');
      const reader = readerOver(t, ringB);
      assert.deepEqual((await reader.getRun(okRun))!.state, { remoteCard: '555555******4444', posted: true });
      assert.equal(JSON.parse((await reader.getRun(failedRun))!.input).fail, 'yes');
      assert.equal(await new SecretStore(t.store, ringB).get('erp.password'), CREDENTIAL);
      await rejectsWith('LL_ERR_MASTER_KEY_UNKNOWN', () => readerOver(t, ringA).getRun(okRun));
      await rejectsWith('LL_ERR_MASTER_KEY_UNKNOWN', () => new SecretStore(t.store, ringA).get('erp.password'));
    });

    test('a hub without a master key refuses encrypted records instead of misreading them', async () => {
      const plain = new Engine({ store: t.store, flows: [] });
      await rejectsWith('LL_ERR_MASTER_KEY_MISSING', () => plain.getRun(okRun));
    });

    test('dispatch: an event under a key the ring lacks is quarantined; without any key events wait', async () => {
      const ringB = new Keyring([['B', keyB]], 'B');
      const writer = new Engine({
        store: t.store,
        flows: [cardFlow],
        protection: { codec: codecFor(ringB), masker: cardNumberMasker },
      });
      const lost = await writer.accept({
        system: 'expense',
        eventType: 'x',
        deliveryId: 'dlv-lost',
        correlationId: undefined,
        contentType: 'application/json',
        body: '{"id":"RPT-LOST"}',
        headers: {},
      });
      const keyless = new Engine({ store: t.store, flows: [cardFlow], settings: fastSettings });
      await rejectsWith('LL_ERR_MASTER_KEY_MISSING', () => dispatchInbox(keyless.deps, 10));
      const waiting = await t.store.db
        .selectFrom('inbox_events')
        .select('status')
        .where('id', '=', lost.eventId)
        .executeTakeFirstOrThrow();
      assert.equal(waiting.status, 'received', 'a hub without a key leaves the event for a hub that has one');

      const wrongRing = new Engine({
        store: t.store,
        flows: [cardFlow],
        settings: fastSettings,
        protection: { codec: codecFor(ringA), masker: cardNumberMasker },
      });
      await wrongRing.startWorker();
      try {
        const row = await waitFor('the event quarantined', async () =>
          t.store.db
            .selectFrom('inbox_events')
            .select(['status', 'note'])
            .where('id', '=', lost.eventId)
            .where('status', '=', 'quarantined')
            .executeTakeFirst(),
        );
        assert.match(String(row.note), /LL_ERR_MASTER_KEY_UNKNOWN/);
      } finally {
        await wrongRing.stopWorker(2_000);
      }
    });
  });
}
