/**
 * What changed between two mapping sets: per lookup table the rows added, removed and changed (rows
 * are matched by their key tuple), whether rows kept in both changed order (which decides ties between
 * equally specific rows); status map entries added, removed and changed; transforms added, removed and
 * changed; the label, description and fixture cases.
 */
import { canonicalJson } from '../canonical/canonical-json.js';
import { LookupTable, type LookupTableContent } from './lookup-table.js';
import type { MappingSetContent } from './mapping-set-document.js';

type Row = Readonly<Record<string, string>>;
export type Change = 'added' | 'removed' | 'changed';

export interface TableDiff {
  readonly table: string;
  readonly change: Change;
  readonly keys?: { readonly before: readonly string[]; readonly after: readonly string[] };
  readonly rowsAdded: readonly Row[];
  readonly rowsRemoved: readonly Row[];
  readonly rowsChanged: readonly { readonly before: Row; readonly after: Row }[];
  readonly orderChanged: boolean;
}

export interface StatusMapDiff {
  readonly map: string;
  readonly change: Change;
  readonly added: readonly { readonly status: string; readonly value: string }[];
  readonly removed: readonly { readonly status: string; readonly value: string }[];
  readonly changed: readonly { readonly status: string; readonly before: string; readonly after: string }[];
}

export interface TransformDiff {
  readonly name: string;
  readonly change: Change;
  readonly before?: string;
  readonly after?: string;
}

export interface MappingSetDiff {
  readonly identical: boolean;
  readonly label?: { readonly before: string; readonly after: string };
  readonly description?: { readonly before: string | null; readonly after: string | null };
  readonly lookups: readonly TableDiff[];
  readonly statusMaps: readonly StatusMapDiff[];
  readonly transforms: readonly TransformDiff[];
  readonly tests?: { readonly before: number; readonly after: number };
}

const emptyTable: LookupTableContent = { keys: [], rows: [] };

function names(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}

function diffTable(
  table: string,
  before: LookupTableContent | undefined,
  after: LookupTableContent | undefined,
): TableDiff | undefined {
  const change: Change = before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
  const a = before ?? emptyTable;
  const b = after ?? emptyTable;
  const sameKeys = canonicalJson(a.keys) === canonicalJson(b.keys);
  if (!sameKeys && change === 'changed') {
    return {
      table,
      change,
      keys: { before: a.keys, after: b.keys },
      rowsAdded: b.rows,
      rowsRemoved: a.rows,
      rowsChanged: [],
      orderChanged: false,
    };
  }
  const keys = sameKeys ? a.keys : before === undefined ? b.keys : a.keys;
  const byTuple = (rows: readonly Row[]) => new Map(rows.map((row) => [LookupTable.keyTuple(keys, row), row]));
  const left = byTuple(a.rows);
  const right = byTuple(b.rows);
  const rowsRemoved = [...left].filter(([tuple]) => !right.has(tuple)).map(([, row]) => row);
  const rowsAdded = [...right].filter(([tuple]) => !left.has(tuple)).map(([, row]) => row);
  const rowsChanged = [...left]
    .filter(([tuple, row]) => right.has(tuple) && canonicalJson(row) !== canonicalJson(right.get(tuple)))
    .map(([tuple, row]) => ({ before: row, after: right.get(tuple)! }));
  const keptOrderBefore = [...left.keys()].filter((t) => right.has(t));
  const keptOrderAfter = [...right.keys()].filter((t) => left.has(t));
  const orderChanged = canonicalJson(keptOrderBefore) !== canonicalJson(keptOrderAfter);
  const descriptionChanged = (a.description ?? null) !== (b.description ?? null);
  if (
    change === 'changed' &&
    rowsAdded.length + rowsRemoved.length + rowsChanged.length === 0 &&
    !orderChanged &&
    !descriptionChanged
  )
    return undefined;
  return { table, change, rowsAdded, rowsRemoved, rowsChanged, orderChanged };
}

function diffStatusMap(map: string, before: Row | undefined, after: Row | undefined): StatusMapDiff | undefined {
  const a = before ?? {};
  const b = after ?? {};
  const statuses = names(a, b);
  const added = statuses.filter((s) => a[s] === undefined).map((status) => ({ status, value: b[status]! }));
  const removed = statuses.filter((s) => b[s] === undefined).map((status) => ({ status, value: a[status]! }));
  const changed = statuses
    .filter((s) => a[s] !== undefined && b[s] !== undefined && a[s] !== b[s])
    .map((status) => ({ status, before: a[status]!, after: b[status]! }));
  const change: Change = before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
  if (change === 'changed' && added.length + removed.length + changed.length === 0) return undefined;
  return { map, change, added, removed, changed };
}

export function diffMappingSets(before: MappingSetContent, after: MappingSetContent): MappingSetDiff {
  const lookups = names(before.lookups, after.lookups)
    .map((t) => diffTable(t, before.lookups[t], after.lookups[t]))
    .filter((d): d is TableDiff => d !== undefined);
  const statusMaps = names(before.statusMaps, after.statusMaps)
    .map((m) => diffStatusMap(m, before.statusMaps[m], after.statusMaps[m]))
    .filter((d): d is StatusMapDiff => d !== undefined);
  const transforms: TransformDiff[] = [];
  for (const name of names(before.transforms, after.transforms)) {
    const a = before.transforms[name];
    const b = after.transforms[name];
    if (a === b) continue;
    const change: Change = a === undefined ? 'added' : b === undefined ? 'removed' : 'changed';
    transforms.push({
      name,
      change,
      ...(a === undefined ? {} : { before: a }),
      ...(b === undefined ? {} : { after: b }),
    });
  }
  const testsChanged = canonicalJson(before.tests) !== canonicalJson(after.tests);
  const descriptionBefore = before.description ?? null;
  const descriptionAfter = after.description ?? null;
  return {
    identical: canonicalJson(before) === canonicalJson(after),
    ...(before.label === after.label ? {} : { label: { before: before.label, after: after.label } }),
    ...(descriptionBefore === descriptionAfter
      ? {}
      : { description: { before: descriptionBefore, after: descriptionAfter } }),
    lookups,
    statusMaps,
    transforms,
    ...(testsChanged ? { tests: { before: before.tests.length, after: after.tests.length } } : {}),
  };
}
