/**
 * Mappings put together: the mapping module (parse, hash, evaluate) over the publication store, for
 * the app, the API and the CLI. Flows get the `MappingSetSource` from here through the app
 * (`app.mappings.source`, also handed to `flowsFrom`).
 */
import { relative } from 'node:path';
import { isLedgerlinkError, LedgerlinkError } from '../../canonical/errors.js';
import { MappingSetStore, type MappingActor, type MappingSetRecord } from './mapping-set-store.js';
import { loadMappingSet, type LoadedMappingSet } from '../../mapping/load-mapping-set.js';
import { findSetFiles, loadSetFile } from '../../mapping/mapping-files.js';
import { CachedMappingSetSource } from '../../mapping/mapping-set-source.js';
import type { Store } from '../../store/port.js';

export interface Mappings {
  readonly sets: MappingSetStore;
  /** What flows read: the current set, or the set of a run being replayed. */
  readonly source: CachedMappingSetSource;
  /** Checks YAML text and registers it pending approval (the same content answers the stored set). */
  register(
    text: string,
    by: MappingActor,
    source?: string,
  ): Promise<{ set: LoadedMappingSet; record: MappingSetRecord; created: boolean }>;
}

export function createMappings(store: Store): Mappings {
  const sets = new MappingSetStore(store);
  const source = new CachedMappingSetSource({
    current: () => sets.current(),
    byVersion: async (version) => {
      const stored = await sets.get(version);
      return stored === undefined ? undefined : { version: stored.version, content: stored.content };
    },
  });
  return {
    sets,
    source,
    async register(text, by, from = 'request') {
      const set = loadMappingSet(text, { source: from });
      const { record, created } = await sets.register(
        { version: set.version, label: set.label, hash: set.hash, content: text },
        by,
      );
      return { set, record, created };
    },
  };
}

/**
 * Config as code: each set in the mappings directory whose content is not stored yet is recorded as
 * published by `config:<file>` (see MappingSetStore.recordFromConfig). An invalid set stops start-up
 * with LL_ERR_CONFIG_INVALID. Answers the versions it published.
 */
export async function publishMappingsDirectory(mappings: Mappings, directory: string): Promise<string[]> {
  const published: string[] = [];
  try {
    for (const entry of findSetFiles([directory])) {
      const { set } = loadSetFile({ file: entry.file });
      const file = relative(directory, entry.file);
      const { created } = await mappings.sets.recordFromConfig(
        { version: set.version, label: set.label, hash: set.hash, content: set.text },
        file,
      );
      if (created) published.push(set.version);
    }
  } catch (error) {
    if (isLedgerlinkError(error) && error.code === 'LL_ERR_MAPPING_INVALID') {
      throw new LedgerlinkError('LL_ERR_CONFIG_INVALID', `mappings.directory: ${error.message}`, {
        details: error.details.map((d) => ({
          ...d,
          path: `mappings.directory: ${String(d['source'] ?? directory)}${d.path === undefined ? '' : ` ${d.path}`}`,
        })),
        cause: error,
      });
    }
    throw error;
  }
  return published;
}
