/**
 * A `MappingSetSource` over any store of set texts, given as two small functions, so this module stays
 * free of store imports. Parsed sets are cached by version (a version names immutable content); the
 * current version is asked of the store on every `current()`, so a publication made by another process
 * is seen at once.
 *
 * - `current()`: the published set. With none published it throws LL_ERR_MAPPING_NO_RULE (class
 *   `mapping`): the remedy is the same as for a missing rule, publish a set and replay.
 * - `byVersion(v)`: the set a run used before, for a "same version" replay; LL_ERR_NOT_FOUND when no
 *   set has that version. A stored text whose content does not hash to its version is refused
 *   (LL_ERR_MAPPING_INVALID): the store was edited behind the hub's back.
 */
import { LedgerlinkError } from '../canonical/errors.js';
import { loadMappingSet, type LoadedMappingSet } from './load-mapping-set.js';
import type { MappingSetSource } from './mapping-set.js';
import type { TransformLimits } from './transform-expressions.js';

export interface StoredSetText {
  readonly version: string;
  readonly content: string;
}

export interface MappingSetLoader {
  /** The published set's version and text, or undefined when none is published. */
  current(): Promise<StoredSetText | undefined>;
  /** The stored set with this version (whatever its status), or undefined. */
  byVersion(version: string): Promise<StoredSetText | undefined>;
}

export interface CachedSourceOptions {
  /** Parsed sets kept in memory (least recently used dropped first); default 32. */
  readonly cacheSize?: number;
  readonly limits?: Partial<TransformLimits>;
}

export class CachedMappingSetSource implements MappingSetSource {
  private readonly cache = new Map<string, LoadedMappingSet>();
  private readonly cacheSize: number;

  constructor(
    private readonly loader: MappingSetLoader,
    private readonly options: CachedSourceOptions = {},
  ) {
    this.cacheSize = Math.max(1, options.cacheSize ?? 32);
  }

  async current(): Promise<LoadedMappingSet> {
    const stored = await this.loader.current();
    if (stored === undefined) {
      throw new LedgerlinkError('LL_ERR_MAPPING_NO_RULE', 'No mapping set is published; publish one, then replay', {
        details: [{ path: 'mappings', message: 'no published mapping set' }],
      });
    }
    return this.parsed(stored);
  }

  async byVersion(version: string): Promise<LoadedMappingSet> {
    const cached = this.hit(version);
    if (cached !== undefined) return cached;
    const stored = await this.loader.byVersion(version);
    if (stored === undefined) {
      throw new LedgerlinkError('LL_ERR_NOT_FOUND', `No mapping set has version ${version}`, {
        details: [{ path: 'version', message: 'unknown mapping set version', version }],
      });
    }
    return this.parsed(stored);
  }

  private hit(version: string): LoadedMappingSet | undefined {
    const set = this.cache.get(version);
    if (set !== undefined) {
      this.cache.delete(version);
      this.cache.set(version, set);
    }
    return set;
  }

  private parsed(stored: StoredSetText): LoadedMappingSet {
    const cached = this.hit(stored.version);
    if (cached !== undefined) return cached;
    const set = loadMappingSet(stored.content, {
      source: stored.version,
      ...(this.options.limits === undefined ? {} : { limits: this.options.limits }),
    });
    if (set.version !== stored.version) {
      throw new LedgerlinkError(
        'LL_ERR_MAPPING_INVALID',
        `Stored mapping set ${stored.version} does not hash to its version (it hashes to ${set.version})`,
        {
          details: [
            {
              path: 'version',
              message: 'content does not match the stored version',
              stored: stored.version,
              computed: set.version,
            },
          ],
        },
      );
    }
    this.cache.set(set.version, set);
    while (this.cache.size > this.cacheSize) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    return set;
  }
}
