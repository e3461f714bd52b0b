/**
 * What a mapping set is to the rest of the hub (DESIGN.md section 6). A set is one YAML document:
 *
 * ```yaml
 * label: demo                       # human label; the version is `${label}@${hash.slice(0, 12)}`
 * description: Demo estate coding
 * lookups:                          # tables: key fields → result fields
 *   expense-account:
 *     keys: [account, entity]       # the input fields a lookup is made with
 *     rows:                         # "*" in a key field matches any value; non-key fields are the result
 *       - { account: "474230", entity: "*", glAccount: "61008000" }
 *       - { account: "474230", entity: "2910", glAccount: "61008100" }
 * statusMaps:                       # vendor status → canonical value; "*" is the fallback
 *   coupa-supplier: { active: approved, inactive: inactive }
 * transforms:                       # JSONata, with decimal functions on decimal strings (never floats)
 *   invoice-reference: '$substring(number, 0, 16)'
 * tests:                            # fixture cases `ledgerlink mappings test` runs
 *   - name: taxi anywhere
 *     lookup: expense-account
 *     input: { account: "474230", entity: "1010" }
 *     expect: { glAccount: "61008000" }
 * ```
 *
 * A lookup answers the row with the most non-wildcard key fields that match; among equally specific
 * rows the first in the file wins. Every value is a string. The hash is SHA-256 over the set's
 * content in canonical form, so formatting and comments do not change the version.
 *
 * Implemented by `LoadedMappingSet` (load-mapping-set.ts, from `loadMappingSet(text)`) and
 * `CachedMappingSetSource` (mapping-set-source.ts); the format in full is in docs/mappings.md.
 */

/** The result fields of the lookup row that matched. */
export type LookupResult = Readonly<Record<string, string>>;

export interface MappingSet {
  /** `${label}@${first 12 hex of hash}`: what runs record and replays choose. */
  readonly version: string;
  readonly label: string;
  /** SHA-256 (hex) of the canonical content. */
  readonly hash: string;
  /** The most specific matching row's result; throws LL_ERR_MAPPING_NO_RULE naming the table and keys when none. */
  lookup(table: string, keys: Readonly<Record<string, string>>): LookupResult;
  /** Like `lookup`, but null when no row matches (an unknown table still throws). */
  tryLookup(table: string, keys: Readonly<Record<string, string>>): LookupResult | null;
  /** The mapped status; throws LL_ERR_MAPPING_NO_RULE when neither the value nor "*" is mapped. */
  mapStatus(map: string, value: string): string;
  /** Evaluates a named JSONata transform over plain JSON input (amounts as decimal strings). */
  transform(name: string, input: unknown): Promise<unknown>;
}

/** Where flows get their mapping set: the current published one, or the one a run used before. */
export interface MappingSetSource {
  current(): Promise<MappingSet>;
  /** LL_ERR_NOT_FOUND when no set has that version. */
  byVersion(version: string): Promise<MappingSet>;
}

/** The set a run maps with: the version it recorded (a replay on the same mapping), else the current one. */
export function mappingSetFor(source: MappingSetSource, version: string | null): Promise<MappingSet> {
  return version === null ? source.current() : source.byVersion(version);
}
