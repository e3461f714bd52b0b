/**
 * Both stores for every store, engine and flow test: a fresh SQLite file in a temp folder, and a fresh
 * PostgreSQL schema (LEDGERLINK_TEST_PG, default postgres://postgres@127.0.0.1:5432/test). When
 * PostgreSQL cannot be reached the test fails and says how to start it; it is never skipped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/port.js';

export type StoreKind = 'sqlite' | 'postgres';
export const storeKinds: readonly StoreKind[] = ['sqlite', 'postgres'];

export const testPostgresUrl = process.env['LEDGERLINK_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';

const HOW_TO_START =
  'PostgreSQL is needed for the store tests. Start it with: ' +
  'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start ' +
  '(or point LEDGERLINK_TEST_PG at a server you can use).';

export interface TestDatabase {
  readonly kind: StoreKind;
  /** What `openStore` and `--db` take: a SQLite path or a postgres URL with `?schema=`. */
  readonly location: string;
  drop(): Promise<void>;
}

/** A fresh, empty database of the given kind, labelled for debugging. */
export async function createTestDatabase(kind: StoreKind, label: string): Promise<TestDatabase> {
  const slug = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 30);
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `ll-${slug}-`));
    return {
      kind,
      location: join(dir, 'ledgerlink.db'),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `t_${slug}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  try {
    await admin.connect();
  } catch (cause) {
    throw new Error(`${HOW_TO_START} (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
  }
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.end();
  const url = new URL(testPostgresUrl);
  url.searchParams.set('schema', schema);
  return {
    kind,
    location: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: testPostgresUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}

export interface TestStore {
  readonly store: Store;
  readonly database: TestDatabase;
  close(): Promise<void>;
}

/** A migrated store on a fresh database; `close` closes it and drops the database. */
export async function openTestStore(kind: StoreKind, label: string): Promise<TestStore> {
  const database = await createTestDatabase(kind, label);
  const store = await openStore(database.location, { migrate: true });
  return {
    store,
    database,
    close: async () => {
      await store.close();
      await database.drop();
    },
  };
}
