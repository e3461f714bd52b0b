/**
 * Runs fixture cases against a set: each case passes, or answers its differences field by field
 * (expected vs actual). A case expecting an error passes when the evaluation fails with that code.
 */
import { isLedgerlinkError } from '../canonical/errors.js';
import { caseKind, type FixtureCase } from './fixture-cases.js';
import type { MappingSet } from './mapping-set.js';

export interface CaseDifference {
  /** Where in the output: a result field, a JSON path (`lines[0].amount`), or `(output)`. */
  readonly path: string;
  /** Left out when the value is absent on that side. */
  readonly expected?: unknown;
  readonly actual?: unknown;
}

export interface CaseResult {
  readonly name: string;
  /** Where the case is written: `tests` of the set, or a cases file. */
  readonly source: string;
  readonly kind: 'lookup' | 'status' | 'transform';
  readonly target: string;
  readonly passed: boolean;
  readonly differences: readonly CaseDifference[];
  /** The error the evaluation raised, when it raised one. */
  readonly error?: { readonly code: string; readonly message: string };
}

export interface CaseSummary {
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
}

export interface SourcedCase {
  readonly case: FixtureCase;
  readonly source: string;
}

const ROOT = '(output)';
const child = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path === ROOT ? '' : path}[${key}]` : path === ROOT ? key : `${path}.${key}`;

function difference(path: string, expected: unknown, actual: unknown): CaseDifference {
  return { path, ...(expected === undefined ? {} : { expected }), ...(actual === undefined ? {} : { actual }) };
}

/** Deep differences between two JSON values; an absent value and null are the same. */
export function jsonDifferences(expected: unknown, actual: unknown, path = ROOT): CaseDifference[] {
  const e = expected === undefined ? null : expected;
  const a = actual === undefined ? null : actual;
  if (Array.isArray(e) && Array.isArray(a)) {
    const out: CaseDifference[] = [];
    for (let i = 0; i < Math.max(e.length, a.length); i++) out.push(...jsonDifferences(e[i], a[i], child(path, i)));
    return out;
  }
  if (isRecord(e) && isRecord(a)) {
    const out: CaseDifference[] = [];
    for (const key of new Set([...Object.keys(e), ...Object.keys(a)]))
      out.push(...jsonDifferences(e[key], a[key], child(path, key)));
    return out;
  }
  return Object.is(e, a) ? [] : [difference(path, expected, actual)];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function evaluate(set: MappingSet, c: FixtureCase): Promise<unknown> {
  if ('lookup' in c) return set.lookup(c.lookup, c.input);
  if ('status' in c) return set.mapStatus(c.status, c.input);
  return set.transform(c.transform, c.input);
}

function compare(c: FixtureCase, actual: unknown): CaseDifference[] {
  if ('lookup' in c) {
    const expected = (c.expect ?? {}) as Record<string, string>;
    const got = actual as Record<string, string>;
    return Object.entries(expected)
      .filter(([field, value]) => got[field] !== value)
      .map(([field, value]) => difference(field, value, got[field]));
  }
  return jsonDifferences(c.expect, actual);
}

export async function runCase(set: MappingSet, sourced: SourcedCase): Promise<CaseResult> {
  const c = sourced.case;
  const base = { name: c.name, source: sourced.source, ...caseKind(c) };
  let actual: unknown;
  try {
    actual = await evaluate(set, c);
  } catch (error) {
    if (!isLedgerlinkError(error)) throw error;
    const raised = { code: error.code, message: error.message };
    const passed = c.expectError === error.code;
    const differences = passed
      ? []
      : [difference(ROOT, c.expectError === undefined ? c.expect : { error: c.expectError }, { error: error.code })];
    return { ...base, passed, differences, error: raised };
  }
  if (c.expectError !== undefined) {
    return { ...base, passed: false, differences: [difference(ROOT, { error: c.expectError }, actual)] };
  }
  const differences = compare(c, actual);
  return { ...base, passed: differences.length === 0, differences };
}

/** Runs the cases in order; a failure of one case never stops the others. */
export async function runCases(
  set: MappingSet,
  cases: readonly SourcedCase[],
): Promise<{ results: CaseResult[]; summary: CaseSummary }> {
  const results: CaseResult[] = [];
  for (const sourced of cases) results.push(await runCase(set, sourced));
  const passed = results.filter((r) => r.passed).length;
  return { results, summary: { total: results.length, passed, failed: results.length - passed } };
}

/** The set's own `tests:` as sourced cases. */
export function ownCases(tests: readonly FixtureCase[], source = 'tests'): SourcedCase[] {
  return tests.map((c) => ({ case: c, source }));
}
