/** Connectors built from the configuration reach their simulators with credentials taken by reference. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connectorsFromConfig } from '../../src/composition/connectors-from-config.js';
import { EnvSecretResolver } from '../../src/security/secret-resolver.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { assertCoded } from '../helpers/coded-errors.js';
import { startEstate, type Estate } from '../helpers/estate.js';

describe('connectors from configuration', () => {
  let estate: Estate;
  before(async () => {
    estate = await startEstate();
  });
  after(async () => {
    await estate.stop();
  });

  test('each role is bound to its configured system and answers over HTTP', async () => {
    const connectors = await connectorsFromConfig(resolveConfig({ systems: estate.systems }, 'test', {}));
    assert.equal(connectors.erp?.system, 'erp');
    assert.equal(connectors.procurement?.system, 'procurement');
    const snapshot = await connectors.erp!.port.readMasterData(null);
    assert.ok(snapshot.legalEntities.length >= 3);
    const users = [];
    for await (const user of connectors.directory!.port.listUsers()) users.push(user);
    assert.ok(users.length > 0);
    assert.ok(Array.isArray(await connectors.expense!.port.readyDocuments()));
    assert.ok(Array.isArray(await connectors.procurement!.port.approvedUnexportedInvoices()));
  });

  test('a missing credential or unset variable is a configuration error naming it', async () => {
    const systems = {
      erp: {
        kind: 'sap-s4hana',
        baseUrl: 'http://127.0.0.1:9',
        credentials: { user: { env: 'LL_TEST_UNSET_USER_X' } },
      },
    };
    await assertCoded(
      connectorsFromConfig(resolveConfig({ systems }, 'test', {})),
      'LL_ERR_CONFIG_INVALID',
      /credentials\.password/,
    );
    const full = {
      erp: {
        ...systems.erp,
        credentials: { user: { env: 'LL_TEST_UNSET_USER_X' }, password: { env: 'LL_TEST_UNSET_USER_X' } },
      },
    };
    await assertCoded(
      connectorsFromConfig(resolveConfig({ systems: full }, 'test', {}), new EnvSecretResolver({})),
      'LL_ERR_CONFIG_INVALID',
      /LL_TEST_UNSET_USER_X/,
    );
  });
});
