/** The secret store and the secret resolver on both stores. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { LedgerlinkError } from '../../src/canonical/errors.js';
import { Keyring } from '../../src/security/master-keys.js';
import { EnvSecretResolver } from '../../src/security/secret-resolver.js';
import { SecretStore } from '../../src/security/secret-store.js';
import { dumpDatabase } from '../helpers/database-dump.js';
import { openTestStore, storeKinds, type TestStore } from '../helpers/stores.js';

const isCode = (code: string) => (error: unknown) => error instanceof LedgerlinkError && error.code === code;

for (const kind of storeKinds) {
  describe(`secret store [${kind}]`, () => {
    let t: TestStore;
    let secrets: SecretStore;
    const ring = new Keyring([['k1', randomBytes(32)]], 'k1');
    let clock = 1_000;

    before(async () => {
      t = await openTestStore(kind, 'secret_store');
      secrets = new SecretStore(t.store, ring, { clock: () => clock });
    });
    after(async () => t.close());

    test('set, get, replace, list and delete; audited without the value', async () => {
      const created = await secrets.set('coupa.clientSecret', 's3cr3t-one', { actor: 'cli:alice' });
      assert.deepEqual(created, {
        name: 'coupa.clientSecret',
        keyId: 'k1',
        createdAt: 1_000,
        updatedAt: 1_000,
        created: true,
      });
      assert.equal(await secrets.get('coupa.clientSecret'), 's3cr3t-one');
      clock = 2_000;
      const replaced = await secrets.set('coupa.clientSecret', 's3cr3t-two ünïcode', { actor: 'cli:alice' });
      assert.equal(replaced.created, false);
      assert.equal(replaced.createdAt, 1_000);
      assert.equal(await secrets.get('coupa.clientSecret'), 's3cr3t-two ünïcode');
      await secrets.set('sap.password', 'pw', { actor: 'cli:bob' });
      assert.deepEqual(await secrets.list(), [
        { name: 'coupa.clientSecret', keyId: 'k1', createdAt: 1_000, updatedAt: 2_000 },
        { name: 'sap.password', keyId: 'k1', createdAt: 2_000, updatedAt: 2_000 },
      ]);
      assert.equal(await secrets.delete('sap.password', { actor: 'cli:bob' }), true);
      assert.equal(await secrets.delete('sap.password'), false);
      assert.equal(await secrets.get('sap.password'), undefined);

      const audit = await t.store.db
        .selectFrom('audit_log')
        .select(['actor', 'action', 'subject'])
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        audit.map((a) => `${a.actor} ${a.action} ${a.subject}`),
        [
          'cli:alice secret.created secret:coupa.clientSecret',
          'cli:alice secret.replaced secret:coupa.clientSecret',
          'cli:bob secret.created secret:sap.password',
          'cli:bob secret.deleted secret:sap.password',
        ],
      );
      const dump = await dumpDatabase(t.store);
      assert.ok(!dump.includes('s3cr3t'), 'no value in clear anywhere, audit included');
    });

    test('bad names and empty values are refused; a store without a master key cannot read or write', async () => {
      await assert.rejects(secrets.set('../etc', 'x'), isCode('LL_ERR_BAD_REQUEST'));
      await assert.rejects(secrets.set('ok', ''), isCode('LL_ERR_BAD_REQUEST'));
      const keyless = new SecretStore(t.store, undefined);
      await assert.rejects(keyless.set('x', 'y'), isCode('LL_ERR_MASTER_KEY_MISSING'));
      await assert.rejects(keyless.get('coupa.clientSecret'), isCode('LL_ERR_MASTER_KEY_MISSING'));
      assert.equal((await keyless.list()).length, 1, 'listing needs no key');
    });

    test('the resolver reads { env } from the environment and { secret } from the store; a missing one names itself', async () => {
      const resolver = new EnvSecretResolver({ COUPA_ID: 'client-42' }, secrets);
      assert.equal(await resolver.resolve({ env: 'COUPA_ID' }), 'client-42');
      assert.equal(await resolver.resolve({ secret: 'coupa.clientSecret' }), 's3cr3t-two ünïcode');
      await assert.rejects(
        resolver.resolve({ env: 'NOPE' }),
        (error: unknown) => isCode('LL_ERR_CONFIG_INVALID')(error) && /NOPE/.test((error as Error).message),
      );
      await assert.rejects(
        resolver.resolve({ secret: 'concur.refreshToken' }),
        (error: unknown) =>
          isCode('LL_ERR_CONFIG_INVALID')(error) && /concur\.refreshToken/.test((error as Error).message),
      );
    });
  });
}
