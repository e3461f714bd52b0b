/**
 * What a target system (procurement, expense) lacks or still offers, compared with the ERP's
 * dimension values — one dimension at a time (cost centers, GL accounts, projects…), for
 * `GET /v1/master-data/drift` and `ledgerlink drift`.
 *
 * An ERP value is retired when it is inactive (blocked, closed) or its `validTo` is before `today`
 * (the last valid day still counts as current). Keys are compared as `dimensionKey` does (numeric
 * codes without leading zeros); names after collapsing whitespace.
 * - missing: current in the ERP, absent from the target;
 * - stale: current in both, names differ;
 * - activeAfterRetirement: retired in the ERP, still active in the target;
 * - inactiveInTarget: current in the ERP, present but inactive in the target;
 * - unexpected: in the target (active or not), unknown to the ERP.
 * Every list is sorted by key.
 */
import { dimensionKey } from './dimension-key.js';

export interface ExpectedDimensionValue {
  readonly key: string;
  readonly name: string;
  readonly active: boolean;
  readonly validTo?: string | undefined;
}

export interface ActualDimensionValue {
  readonly key: string;
  readonly name: string;
  readonly active: boolean;
}

export interface DimensionDrift {
  readonly missing: readonly { readonly key: string; readonly name: string }[];
  readonly stale: readonly { readonly key: string; readonly expectedName: string; readonly actualName: string }[];
  readonly activeAfterRetirement: readonly {
    readonly key: string;
    readonly name: string;
    readonly reason: 'inactive' | 'expired';
    readonly validTo?: string;
  }[];
  readonly inactiveInTarget: readonly { readonly key: string; readonly name: string }[];
  readonly unexpected: readonly { readonly key: string; readonly name: string; readonly active: boolean }[];
}

function byKey(a: { key: string }, b: { key: string }): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function sameName(a: string, b: string): boolean {
  return a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();
}

/** Drift of one dimension. `today` is 'YYYY-MM-DD'. */
export function computeDrift(
  expected: readonly ExpectedDimensionValue[],
  actual: readonly ActualDimensionValue[],
  today: string,
): DimensionDrift {
  const actualByKey = new Map<string, ActualDimensionValue>();
  for (const a of actual) if (!actualByKey.has(dimensionKey(a.key))) actualByKey.set(dimensionKey(a.key), a);
  const expectedKeys = new Set<string>();
  const missing: { key: string; name: string }[] = [];
  const stale: { key: string; expectedName: string; actualName: string }[] = [];
  const activeAfterRetirement: { key: string; name: string; reason: 'inactive' | 'expired'; validTo?: string }[] = [];
  const inactiveInTarget: { key: string; name: string }[] = [];

  for (const e of expected) {
    const key = dimensionKey(e.key);
    if (expectedKeys.has(key)) continue;
    expectedKeys.add(key);
    const expired = e.validTo !== undefined && e.validTo < today;
    const current = e.active && !expired;
    const target = actualByKey.get(key);
    if (current) {
      if (target === undefined) missing.push({ key: e.key, name: e.name });
      else if (!target.active) inactiveInTarget.push({ key: e.key, name: e.name });
      else if (!sameName(e.name, target.name))
        stale.push({ key: e.key, expectedName: e.name, actualName: target.name });
    } else if (target?.active === true) {
      activeAfterRetirement.push({
        key: e.key,
        name: e.name,
        reason: e.active ? 'expired' : 'inactive',
        ...(e.validTo === undefined ? {} : { validTo: e.validTo }),
      });
    }
  }
  const unexpected = actual
    .filter((a) => !expectedKeys.has(dimensionKey(a.key)))
    .map((a) => ({ key: a.key, name: a.name, active: a.active }));

  return {
    missing: missing.sort(byKey),
    stale: stale.sort(byKey),
    activeAfterRetirement: activeAfterRetirement.sort(byKey),
    inactiveInTarget: inactiveInTarget.sort(byKey),
    unexpected: unexpected.sort(byKey),
  };
}

/** Drift of several dimensions at once: `{ costCenter: { expected, actual }, … }` → `{ costCenter: drift, … }`. */
export function computeDriftByDimension<K extends string>(
  dimensions: Readonly<
    Record<
      K,
      { readonly expected: readonly ExpectedDimensionValue[]; readonly actual: readonly ActualDimensionValue[] }
    >
  >,
  today: string,
): Record<K, DimensionDrift> {
  const result = {} as Record<K, DimensionDrift>;
  for (const name of Object.keys(dimensions).sort() as K[]) {
    result[name] = computeDrift(dimensions[name].expected, dimensions[name].actual, today);
  }
  return result;
}
