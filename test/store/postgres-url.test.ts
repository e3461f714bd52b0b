/** Ledgerlink's own parameters in a postgres:// location: `schema` and `pool_size`, taken off before pg sees the URL. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isLedgerlinkError } from '../../src/canonical/errors.js';
import { openStore } from '../../src/store/open-store.js';
import { parsePostgresUrl } from '../../src/store/postgres/postgres-url.js';
import { createTestDatabase } from '../helpers/stores.js';

describe('postgres locations', () => {
  test('schema and pool_size are read and removed from the connection string; the rest stays', () => {
    const options = parsePostgresUrl(
      'postgres://hub:secret@db.internal:5432/ledgerlink?schema=hub&pool_size=25&application_name=ledgerlink-worker',
    );
    assert.deepEqual(options, {
      connectionString: 'postgres://hub:secret@db.internal:5432/ledgerlink?application_name=ledgerlink-worker',
      schema: 'hub',
      poolSize: 25,
    });
    assert.deepEqual(parsePostgresUrl('postgres://db/ledgerlink'), { connectionString: 'postgres://db/ledgerlink' });
  });

  test('a pool_size that is not 1-1000 is refused with LL_ERR_CONFIG_INVALID', () => {
    for (const bad of ['0', '1001', '-1', '2.5', 'ten', '']) {
      assert.throws(
        () => parsePostgresUrl(`postgres://db/ledgerlink?pool_size=${bad}`),
        (error: unknown) => isLedgerlinkError(error) && error.code === 'LL_ERR_CONFIG_INVALID',
        `pool_size=${bad}`,
      );
    }
  });

  test('a store opened with pool_size=2 works with more concurrent queries than connections', async () => {
    const database = await createTestDatabase('postgres', 'pool_size');
    const url = new URL(database.location);
    url.searchParams.set('pool_size', '2');
    const store = await openStore(url.toString(), { migrate: true });
    try {
      await Promise.all(Array.from({ length: 8 }, () => store.ping()));
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
