/**
 * SAP Concur rotates refresh tokens on use: the one sent stops working. The newest is kept in the
 * secret store with its geolocation, so a restarted hub goes on with it; a newly configured credential
 * sets the kept one aside. Against the expense simulator, whose refresh tokens work once, on both stores.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { connectorsFromConfig } from '../../src/composition/connectors-from-config.js';
import {
  ProcessRefreshTokens,
  type RefreshTokenKeeper,
  rotatedTokenSecretName,
  StoredRefreshTokens,
} from '../../src/composition/rotated-refresh-tokens.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { Keyring } from '../../src/security/master-keys.js';
import { EnvSecretResolver } from '../../src/security/secret-resolver.js';
import { SecretStore } from '../../src/security/secret-store.js';
import { assertCoded } from '../helpers/coded-errors.js';
import { startEstate, type Estate } from '../helpers/estate.js';
import { openTestStore, storeKinds, type TestStore } from '../helpers/stores.js';

type ExpenseSystem = { baseUrl: string; credentials: Record<string, { env: string }> };

for (const kind of storeKinds) {
  describe(`rotated Concur refresh tokens [${kind}]`, () => {
    let estate: Estate;
    let t: TestStore;
    let secrets: SecretStore;

    before(async () => {
      estate = await startEstate();
      t = await openTestStore(kind, 'rotated_tokens');
      secrets = new SecretStore(t.store, new Keyring([['k1', randomBytes(32)]], 'k1'));
    });
    after(async () => {
      await estate.stop();
      await t.close();
    });

    const expense = (): ExpenseSystem => (estate.systems as Record<string, ExpenseSystem>)['expense']!;
    /** A refresh token from the company request token grant, as an app's first authorisation gives it. */
    const firstRefreshToken = async (): Promise<string> => {
      const c = expense().credentials;
      const value = (key: string): string => process.env[c[key]!.env] ?? '';
      const answer = await fetch(`${expense().baseUrl}/oauth2/v0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          client_id: value('clientId'),
          client_secret: value('clientSecret'),
          grant_type: 'password',
          username: value('companyUuid'),
          password: value('companyToken'),
          credtype: 'authtoken',
        }),
      });
      return ((await answer.json()) as { refresh_token: string }).refresh_token;
    };
    /** The connectors of a hub process started with `refreshToken` configured (no company token). */
    const start = async (refreshToken: string, keeper: RefreshTokenKeeper = new StoredRefreshTokens(secrets)) => {
      const { companyToken: _unused, ...credentials } = expense().credentials;
      const systems = { expense: { ...expense(), credentials: { ...credentials, refreshToken: { env: 'LL_T_RT' } } } };
      const env = { ...process.env, LL_T_RT: refreshToken };
      return connectorsFromConfig(resolveConfig({ systems }, 'test', env), new EnvSecretResolver(env), keeper);
    };

    test('a restart goes on with the newest rotated token; the configured one has stopped working', async () => {
      const configured = await firstRefreshToken();
      const first = await start(configured);
      assert.ok(Array.isArray(await first.expense!.port.readyDocuments()));
      const kept = JSON.parse((await secrets.get(rotatedTokenSecretName('expense'))) ?? '{}') as Record<string, string>;
      assert.notEqual(kept['refreshToken'], configured, 'the rotated token is kept');
      assert.equal(kept['geolocation'], expense().baseUrl);

      const restarted = await start(configured);
      assert.ok(Array.isArray(await restarted.expense!.port.readyDocuments()), 'the kept token works after a restart');

      // Kept only in the process, the restart would present the configured token, which no longer works.
      const inMemory = await start(configured, new ProcessRefreshTokens());
      await assertCoded(inMemory.expense!.port.readyDocuments(), 'LL_ERR_REMOTE_AUTH');
    });

    test('a newly configured refresh token sets the kept one aside', async () => {
      const reauthorised = await firstRefreshToken();
      const before = await secrets.get(rotatedTokenSecretName('expense'));
      const connectors = await start(reauthorised);
      assert.ok(Array.isArray(await connectors.expense!.port.readyDocuments()));
      assert.notEqual(await secrets.get(rotatedTokenSecretName('expense')), before);
    });
  });
}
