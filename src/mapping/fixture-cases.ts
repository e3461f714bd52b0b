/**
 * Fixture cases: input → expected output, written under `tests:` in a set or in a `<name>.cases.yaml`
 * file next to it (the same shape). Each case names exactly one of a lookup table, a status map or a
 * transform, gives its `input`, and either `expect` (the output) or `expectError` (an LL_ERR_* code).
 *
 * - lookup: `input` is the key fields; `expect` names the result fields checked (others are ignored).
 * - status: `input` is the vendor status; `expect` the mapped value.
 * - transform: `input` is any JSON; `expect` is compared with the whole output.
 */
import { isPlainObject, kindOf, type PathSegment, type SetProblems } from './set-problems.js';

interface CaseBase {
  readonly name: string;
  readonly expect?: unknown;
  readonly expectError?: string;
}
export interface LookupCase extends CaseBase {
  readonly lookup: string;
  readonly input: Readonly<Record<string, string>>;
}
export interface StatusCase extends CaseBase {
  readonly status: string;
  readonly input: string;
}
export interface TransformCase extends CaseBase {
  readonly transform: string;
  readonly input: unknown;
}
export type FixtureCase = LookupCase | StatusCase | TransformCase;

/** What cases may name: the set's tables with their key fields, status maps and transforms. */
export interface CaseTargets {
  readonly lookups: ReadonlyMap<string, readonly string[]>;
  readonly statusMaps: ReadonlySet<string>;
  readonly transforms: ReadonlySet<string>;
}

const CASE_FIELDS = new Set(['name', 'lookup', 'status', 'transform', 'input', 'expect', 'expectError']);
const TARGETS = ['lookup', 'status', 'transform'] as const;
const ERROR_CODE = /^LL_ERR_[A-Z0-9_]+$/;

function isStringRecord(value: unknown): value is Record<string, string> {
  return isPlainObject(value) && Object.values(value).every((v) => typeof v === 'string');
}

function checkCase(
  raw: unknown,
  at: readonly PathSegment[],
  targets: CaseTargets,
  problems: SetProblems,
): FixtureCase | undefined {
  if (!isPlainObject(raw)) {
    problems.add(at, `a case must be a mapping, not ${kindOf(raw)}`);
    return undefined;
  }
  const before = problems.count;
  for (const key of Object.keys(raw)) if (!CASE_FIELDS.has(key)) problems.add([...at, key], 'unknown field in a case');
  if (typeof raw['name'] !== 'string' || raw['name'] === '')
    problems.add([...at, 'name'], 'a case needs a name (a string)');
  const named = TARGETS.filter((t) => raw[t] !== undefined);
  if (named.length !== 1)
    problems.add(at, `a case names exactly one of lookup, status, transform (found ${named.length})`);
  if (!('input' in raw)) problems.add([...at, 'input'], 'a case needs an input');
  if ('expect' in raw === 'expectError' in raw) problems.add(at, 'a case gives exactly one of expect, expectError');
  const expectError = raw['expectError'];
  if (expectError !== undefined && (typeof expectError !== 'string' || !ERROR_CODE.test(expectError))) {
    problems.add([...at, 'expectError'], 'expectError must be an LL_ERR_* code');
  }
  const kind = named[0];
  const target = kind === undefined ? undefined : raw[kind];
  if (kind !== undefined && typeof target !== 'string')
    problems.add(
      [...at, kind],
      `${kind} must name a ${kind === 'lookup' ? 'table' : kind === 'status' ? 'status map' : 'transform'}`,
    );
  if (kind === 'lookup' && typeof target === 'string') {
    const keys = targets.lookups.get(target);
    if (keys === undefined) problems.add([...at, 'lookup'], `no lookup table "${target}" in the set`);
    if (!isStringRecord(raw['input']))
      problems.add([...at, 'input'], 'a lookup input is a mapping of key fields to strings');
    else
      for (const key of keys ?? [])
        if (raw['input'][key] === undefined) problems.add([...at, 'input'], `input lacks key field "${key}"`);
    if ('expect' in raw && !isStringRecord(raw['expect']))
      problems.add([...at, 'expect'], 'a lookup expect is a mapping of result fields to strings');
  }
  if (kind === 'status' && typeof target === 'string') {
    if (!targets.statusMaps.has(target)) problems.add([...at, 'status'], `no status map "${target}" in the set`);
    if (typeof raw['input'] !== 'string') problems.add([...at, 'input'], 'a status input is a string');
    if ('expect' in raw && typeof raw['expect'] !== 'string')
      problems.add([...at, 'expect'], 'a status expect is a string');
  }
  if (kind === 'transform' && typeof target === 'string' && !targets.transforms.has(target)) {
    problems.add([...at, 'transform'], `no transform "${target}" in the set`);
  }
  return problems.count === before ? (raw as unknown as FixtureCase) : undefined;
}

/** Checks a list of cases (a set's `tests:` or a cases file), adding problems under `at`. */
export function checkCases(
  raw: unknown,
  at: readonly PathSegment[],
  targets: CaseTargets,
  problems: SetProblems,
): FixtureCase[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.add(at, `tests must be a list of cases, not ${kindOf(raw)}`);
    return [];
  }
  const cases: FixtureCase[] = [];
  raw.forEach((item, index) => {
    const checked = checkCase(item, [...at, index], targets, problems);
    if (checked !== undefined) cases.push(checked);
  });
  return cases;
}

export function caseKind(c: FixtureCase): { kind: 'lookup' | 'status' | 'transform'; target: string } {
  if ('lookup' in c) return { kind: 'lookup', target: c.lookup };
  if ('status' in c) return { kind: 'status', target: c.status };
  return { kind: 'transform', target: c.transform };
}
