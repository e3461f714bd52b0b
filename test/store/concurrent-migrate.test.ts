/**
 * Processes started together on a fresh database (several `ledgerlink serve` replicas, or a
 * `ledgerlink migrate` job beside them) all migrate it at start: every one of them opens, each
 * migration is applied once, in order. On PostgreSQL the schema, the migrations table and the
 * migrations are created under one advisory lock; before, all but one failed with a duplicate key in
 * PostgreSQL's catalogue. On SQLite migrations run in one write transaction.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import pg from 'pg';
import { openStore } from '../../src/store/open-store.js';
import { postgresMigrations } from '../../src/store/postgres/migrations.js';
import { createTestDatabase, storeKinds, testPostgresUrl } from '../helpers/stores.js';

const PROCESSES = 4;
const ROUNDS = 3;

/** A location on a database nobody has touched: on PostgreSQL a schema that does not exist yet. */
async function freshLocation(kind: (typeof storeKinds)[number]): Promise<{ location: string; drop(): Promise<void> }> {
  if (kind === 'sqlite') return createTestDatabase('sqlite', 'concurrent_migrate');
  const schema = `t_concurrent_migrate_${randomBytes(4).toString('hex')}`;
  const url = new URL(testPostgresUrl);
  url.searchParams.set('schema', schema);
  return {
    location: url.toString(),
    drop: async () => {
      const admin = new pg.Client({ connectionString: testPostgresUrl });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    },
  };
}

for (const kind of storeKinds) {
  describe(`migrations at start-up, ${PROCESSES} at once [${kind}]`, () => {
    test('every opener succeeds on a fresh database and each migration is applied once', async () => {
      const known = postgresMigrations.map((m) => m.version);
      for (let round = 0; round < ROUNDS; round++) {
        const database = await freshLocation(kind);
        try {
          const started = performance.now();
          const opened = await Promise.allSettled(
            Array.from({ length: PROCESSES }, () => openStore(database.location, { migrate: true })),
          );
          const elapsed = performance.now() - started;
          const failures = opened.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : []));
          for (const o of opened) if (o.status === 'fulfilled') await o.value.close();
          assert.deepEqual(failures, [], `round ${round}: every process opens and migrates`);

          const store = await openStore(database.location);
          try {
            const rows = await store.db.selectFrom('schema_migrations').select('version').orderBy('version').execute();
            assert.deepEqual(
              rows.map((r) => Number(r.version)),
              known,
              'each migration recorded once',
            );
            assert.deepEqual((await store.migrationStatus()).pending, []);
          } finally {
            await store.close();
          }
          if (round === 0)
            console.log(`[${kind}] ${PROCESSES} concurrent migrations of a fresh database: ${Math.round(elapsed)} ms`);
        } finally {
          await database.drop();
        }
      }
    });
  });
}
