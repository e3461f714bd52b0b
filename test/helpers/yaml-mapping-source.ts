/**
 * A mapping set read straight from a YAML file, for flow tests while the hub's mapping store is not
 * wired: lookups by specificity (the most non-wildcard key fields; the first row among equals),
 * status maps with "*" fallback. Transforms are not evaluated.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { LedgerlinkError } from '../../src/canonical/errors.js';
import type { LookupResult, MappingSet, MappingSetSource } from '../../src/mapping/mapping-set.js';

interface SetFile {
  label: string;
  lookups?: Record<string, { keys: string[]; rows: Record<string, string>[] }>;
  statusMaps?: Record<string, Record<string, string>>;
}

export function yamlMappingSource(file: string): MappingSetSource {
  const text = readFileSync(file, 'utf8');
  const content = parse(text) as SetFile;
  const hash = createHash('sha256').update(text).digest('hex');
  const version = `${content.label}@${hash.slice(0, 12)}`;
  const tryLookup = (table: string, keys: Readonly<Record<string, string>>): LookupResult | null => {
    const spec = content.lookups?.[table];
    if (spec === undefined) throw new LedgerlinkError('LL_ERR_MAPPING_NO_RULE', `Mapping set ${version} has no table ${table}`);
    let best: { score: number; row: Record<string, string> } | undefined;
    for (const row of spec.rows) {
      let score = 0;
      const matches = spec.keys.every((k) => {
        const value = String(row[k]);
        if (value === '*') return true;
        score++;
        return value === keys[k];
      });
      if (matches && (best === undefined || score > best.score)) best = { score, row };
    }
    if (best === undefined) return null;
    const result: Record<string, string> = {};
    for (const [k, v] of Object.entries(best.row)) if (!spec.keys.includes(k)) result[k] = String(v);
    return result;
  };
  const set: MappingSet = {
    version,
    label: content.label,
    hash,
    lookup(table, keys) {
      const found = tryLookup(table, keys);
      if (found === null) {
        throw new LedgerlinkError('LL_ERR_MAPPING_NO_RULE', `No rule in mapping table ${table} matches ${JSON.stringify(keys)}`, { details: [{ message: 'no rule', table, keys }] });
      }
      return found;
    },
    tryLookup,
    mapStatus(map, value) {
      const found = content.statusMaps?.[map]?.[value] ?? content.statusMaps?.[map]?.['*'];
      if (found === undefined) throw new LedgerlinkError('LL_ERR_MAPPING_NO_RULE', `Status map ${map} has no value for ${value}`);
      return found;
    },
    transform: () => Promise.reject(new Error('transforms are not evaluated by the test mapping source')),
  };
  return { current: () => Promise.resolve(set), byVersion: () => Promise.resolve(set) };
}
