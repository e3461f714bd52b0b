/**
 * One lookup table, compiled: rows ordered by specificity (the number of key fields that are not
 * "*"), most specific first, and within equal specificity in file order, so the first row that
 * matches is the answer.
 */
import { LedgerlinkError } from '../canonical/errors.js';
import type { LookupResult } from './mapping-set.js';

export const WILDCARD = '*';

export interface LookupTableContent {
  readonly keys: readonly string[];
  readonly rows: readonly Readonly<Record<string, string>>[];
  readonly description?: string;
}

interface CompiledRow {
  /** Key values in the order of the table's keys; "*" matches anything. */
  readonly match: readonly string[];
  readonly specificity: number;
  readonly index: number;
  readonly result: LookupResult;
}

export class LookupTable {
  private readonly rows: readonly CompiledRow[];

  constructor(
    readonly name: string,
    readonly keys: readonly string[],
    rows: readonly Readonly<Record<string, string>>[],
  ) {
    const keySet = new Set(keys);
    this.rows = rows
      .map((row, index) => {
        const match = keys.map((k) => row[k] ?? WILDCARD);
        const result = Object.freeze(Object.fromEntries(Object.entries(row).filter(([field]) => !keySet.has(field))));
        return { match, specificity: match.filter((v) => v !== WILDCARD).length, index, result };
      })
      .sort((a, b) => b.specificity - a.specificity || a.index - b.index);
  }

  /** The most specific matching row's result fields, or null. Every key field must be given. */
  find(input: Readonly<Record<string, string>>): LookupResult | null {
    const values = this.keys.map((key) => {
      const value = input[key];
      if (typeof value !== 'string') {
        throw new LedgerlinkError(
          'LL_ERR_MAPPING_NO_RULE',
          `Lookup ${this.name} needs key field "${key}" as a string`,
          {
            details: [
              {
                path: `lookups.${this.name}`,
                message: `key field "${key}" is ${value === undefined ? 'missing' : `a ${typeof value}`}`,
                table: this.name,
                key,
              },
            ],
          },
        );
      }
      return value;
    });
    for (const row of this.rows) {
      if (row.match.every((expected, i) => expected === WILDCARD || expected === values[i])) return row.result;
    }
    return null;
  }

  /** The key tuple a row is identified by, for duplicate checks and diffs. */
  static keyTuple(keys: readonly string[], row: Readonly<Record<string, string>>): string {
    return JSON.stringify(keys.map((k) => row[k] ?? null));
  }
}
