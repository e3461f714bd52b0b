/**
 * Loads a mapping set from YAML text into a `MappingSet`: checked, hashed, its tables compiled by
 * specificity and its transforms compiled once (they are evaluated per call).
 */
import { LedgerlinkError } from '../canonical/errors.js';
import { contentHash, versionOf } from './content-hash.js';
import type { FixtureCase } from './fixture-cases.js';
import { LookupTable, WILDCARD } from './lookup-table.js';
import { checkMappingSet, readYaml, type MappingSetContent } from './mapping-set-document.js';
import type { LookupResult, MappingSet } from './mapping-set.js';
import {
  defaultTransformLimits,
  evaluateTransform,
  type CompiledTransform,
  type TransformLimits,
} from './transform-expressions.js';

export interface LoadOptions {
  /** Where the text came from, for messages: a file name, `request`, a stored version. */
  readonly source?: string;
  readonly limits?: Partial<TransformLimits>;
}

function noRule(message: string, detail: Record<string, unknown> & { path: string; message: string }): LedgerlinkError {
  return new LedgerlinkError('LL_ERR_MAPPING_NO_RULE', message, { details: [detail] });
}

export class LoadedMappingSet implements MappingSet {
  readonly version: string;
  readonly label: string;
  readonly hash: string;
  private readonly tables: ReadonlyMap<string, LookupTable>;

  constructor(
    readonly content: MappingSetContent,
    private readonly compiled: ReadonlyMap<string, CompiledTransform>,
    /** The YAML text as given (what is stored and shown). */
    readonly text: string,
    readonly source: string,
  ) {
    this.label = content.label;
    this.hash = contentHash(content);
    this.version = versionOf(this.label, this.hash);
    this.tables = new Map(
      Object.entries(content.lookups).map(([name, t]) => [name, new LookupTable(name, t.keys, t.rows)]),
    );
  }

  /** The fixture cases written in the set itself. */
  get tests(): readonly FixtureCase[] {
    return this.content.tests;
  }

  private table(name: string): LookupTable {
    const table = this.tables.get(name);
    if (table === undefined) {
      throw noRule(`Mapping set ${this.version} has no lookup table ${name}`, {
        path: `lookups.${name}`,
        message: 'no such lookup table',
        table: name,
        version: this.version,
      });
    }
    return table;
  }

  tryLookup(table: string, keys: Readonly<Record<string, string>>): LookupResult | null {
    return this.table(table).find(keys);
  }

  lookup(table: string, keys: Readonly<Record<string, string>>): LookupResult {
    const compiled = this.table(table);
    const found = compiled.find(keys);
    if (found !== null) return found;
    const asked = Object.fromEntries(compiled.keys.map((k) => [k, keys[k]]));
    throw noRule(`No row of ${table} in mapping set ${this.version} matches ${JSON.stringify(asked)}`, {
      path: `lookups.${table}`,
      message: 'no row matches',
      table,
      keys: asked,
      version: this.version,
    });
  }

  mapStatus(map: string, value: string): string {
    const statuses = this.content.statusMaps[map];
    if (statuses === undefined) {
      throw noRule(`Mapping set ${this.version} has no status map ${map}`, {
        path: `statusMaps.${map}`,
        message: 'no such status map',
        map,
        version: this.version,
      });
    }
    const mapped = Object.hasOwn(statuses, value) ? statuses[value] : statuses[WILDCARD];
    if (mapped !== undefined) return mapped;
    throw noRule(
      `Status map ${map} in mapping set ${this.version} has no entry for ${JSON.stringify(value)} and no "*" fallback`,
      {
        path: `statusMaps.${map}`,
        message: 'status not mapped',
        map,
        value,
        version: this.version,
      },
    );
  }

  async transform(name: string, input: unknown): Promise<unknown> {
    const compiled = this.compiled.get(name);
    if (compiled === undefined) {
      throw noRule(`Mapping set ${this.version} has no transform ${name}`, {
        path: `transforms.${name}`,
        message: 'no such transform',
        transform: name,
        version: this.version,
      });
    }
    return evaluateTransform(compiled, input);
  }
}

/** Parses and checks YAML text; LL_ERR_MAPPING_INVALID lists every problem with its path and line. */
export function loadMappingSet(text: string, options: LoadOptions = {}): LoadedMappingSet {
  const source = options.source ?? 'mapping set';
  const limits = { ...defaultTransformLimits, ...options.limits };
  const { value, problems } = readYaml(text, source);
  const checked = checkMappingSet(value, problems, limits);
  return new LoadedMappingSet(checked.content, checked.transforms, text, source);
}
