/**
 * What the operations commands share: the configuration and the store opened (schema checked, not
 * migrated), an engine over them without a worker, and the audited actor `cli:<os user>`.
 */
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { loadConfig, type LedgerlinkConfig } from '../../config/load-config.js';
import { Engine } from '../../engine/engine.js';
import { isPostgresUrl, openStore } from '../../store/open-store.js';
import { describeLocation, storeLocation, UsageError } from '../cli-support.js';

export interface SessionOptions {
  readonly db?: string;
  readonly config?: string;
}

export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli:unknown';
  }
}

export async function withEngine<T>(options: SessionOptions, use: (engine: Engine, config: LedgerlinkConfig) => Promise<T>): Promise<T> {
  const config = await loadConfig({ path: options.config });
  const location = storeLocation(options.db);
  if (!isPostgresUrl(location) && !existsSync(location)) throw new UsageError(`No database at ${location}`);
  const store = await openStore(location, { migrate: false });
  try {
    const status = await store.migrationStatus();
    if (status.current === 0) throw new UsageError(`${describeLocation(location)} has no Ledgerlink schema; run ledgerlink migrate first`);
    const engine = new Engine({ store, flows: [], settings: config.engine, owners: config.exceptionOwners, processes: config.processes, retention: config.retention });
    return await use(engine, config);
  } finally {
    await store.close();
  }
}
