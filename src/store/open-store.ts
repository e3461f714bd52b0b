/** Opens the store a location names: a `postgres://` URL, or a SQLite file path (the default). */
import type { Store } from './port.js';
import { PostgresStore, parsePostgresUrl } from './postgres/store.js';
import { SqliteStore } from './sqlite/store.js';

export const DEFAULT_DB_PATH = './data/ledgerlink.db';

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location);
}

export async function openStore(
  location: string = DEFAULT_DB_PATH,
  options: { migrate?: boolean } = {},
): Promise<Store> {
  const store: Store = isPostgresUrl(location)
    ? await PostgresStore.open(parsePostgresUrl(location))
    : new SqliteStore({ path: location });
  try {
    if (options.migrate === true) await store.migrate();
    else await store.assertSchemaUsable();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
