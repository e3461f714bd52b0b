/**
 * Reads a mapping set's YAML text (duplicate keys and alias bombs refused) and checks its shape. Every
 * problem is reported at once, with its path and line, in one LL_ERR_MAPPING_INVALID error: unknown
 * sections or fields, a row missing a key field, non-string values (an unquoted `61008000` is a YAML
 * number: quote it), two rows with the same key tuple in one table, a transform that does not compile
 * or could compute in floating point, and a test naming a table, status map or transform the set lacks.
 */
import { LineCounter, parseDocument } from 'yaml';
import { LedgerlinkError } from '../canonical/errors.js';
import { checkCases, type CaseTargets, type FixtureCase } from './fixture-cases.js';
import { LookupTable, type LookupTableContent } from './lookup-table.js';
import { isPlainObject, kindOf, SetProblems, type PathSegment } from './set-problems.js';
import { compileTransform, type CompiledTransform, type TransformLimits } from './transform-expressions.js';

/** The set's content as checked: what is hashed, stored and compared. */
export interface MappingSetContent {
  readonly label: string;
  readonly description?: string;
  readonly lookups: Readonly<Record<string, LookupTableContent>>;
  readonly statusMaps: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly transforms: Readonly<Record<string, string>>;
  readonly tests: readonly FixtureCase[];
}

export interface CheckedMappingSet {
  readonly content: MappingSetContent;
  readonly transforms: ReadonlyMap<string, CompiledTransform>;
}

const SECTIONS = new Set(['label', 'description', 'lookups', 'statusMaps', 'transforms', 'tests']);
const TABLE_FIELDS = new Set(['keys', 'rows', 'description']);
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const NAME_RULE = 'letters, digits, ".", "_" or "-", at most 64, starting with a letter or digit';

/** Parses YAML text into plain values; syntax errors and duplicate keys are LL_ERR_MAPPING_INVALID. */
export function readYaml(text: string, source: string): { value: unknown; problems: SetProblems } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true, lineCounter: lines });
  if (doc.errors.length > 0) {
    const details = doc.errors.map((e) => ({
      path: source,
      message: e.message.split('\n')[0] ?? e.message,
      ...(e.linePos?.[0] === undefined ? {} : { line: e.linePos[0].line }),
    }));
    throw new LedgerlinkError(
      'LL_ERR_MAPPING_INVALID',
      `Mapping set ${source} is not valid YAML: ${details[0]?.message ?? ''}`,
      { details },
    );
  }
  try {
    return { value: doc.toJS({ maxAliasCount: 100 }), problems: new SetProblems(source, { doc, lines }) };
  } catch (cause) {
    throw new LedgerlinkError(
      'LL_ERR_MAPPING_INVALID',
      `Mapping set ${source} cannot be read: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        details: [{ path: source, message: 'unreadable YAML' }],
        cause,
      },
    );
  }
}

function checkName(name: string, at: readonly PathSegment[], problems: SetProblems): void {
  if (!NAME_PATTERN.test(name)) problems.add(at, `name must be ${NAME_RULE}`);
}

function checkTable(name: string, raw: unknown, problems: SetProblems): LookupTableContent | undefined {
  const at = ['lookups', name];
  checkName(name, at, problems);
  if (!isPlainObject(raw)) {
    problems.add(at, `a lookup table is a mapping with keys and rows, not ${kindOf(raw)}`);
    return undefined;
  }
  for (const field of Object.keys(raw))
    if (!TABLE_FIELDS.has(field))
      problems.add([...at, field], 'unknown field in a lookup table (expected keys, rows, description)');
  const keys = raw['keys'];
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((k) => typeof k === 'string' && k !== '')) {
    problems.add([...at, 'keys'], 'keys must be a non-empty list of field names');
    return undefined;
  }
  if (new Set(keys).size !== keys.length) problems.add([...at, 'keys'], 'keys names a field twice');
  if (raw['description'] !== undefined && typeof raw['description'] !== 'string')
    problems.add([...at, 'description'], 'description must be a string');
  const rows = raw['rows'];
  if (!Array.isArray(rows)) {
    problems.add([...at, 'rows'], `rows must be a list, not ${kindOf(rows)}`);
    return undefined;
  }
  const firstRowOf = new Map<string, number>();
  rows.forEach((row: unknown, index) => {
    const rowAt = [...at, 'rows', index];
    if (!isPlainObject(row)) {
      problems.add(rowAt, `a row is a mapping of fields to strings, not ${kindOf(row)}`);
      return;
    }
    for (const [field, value] of Object.entries(row)) {
      if (typeof value !== 'string')
        problems.add(
          [...rowAt, field],
          `value must be a string, not ${kindOf(value)}${typeof value === 'number' ? ' (quote it)' : ''}`,
        );
    }
    const missing = (keys as string[]).filter((k) => row[k] === undefined);
    for (const key of missing) problems.add(rowAt, `row lacks key field "${key}" (use "*" to match any value)`);
    if (missing.length > 0) return;
    const tuple = LookupTable.keyTuple(keys as string[], row as Record<string, string>);
    const first = firstRowOf.get(tuple);
    if (first !== undefined)
      problems.add(rowAt, `duplicate key tuple ${tuple}: row ${first} has the same keys`, { duplicateOf: first });
    else firstRowOf.set(tuple, index);
  });
  const description = raw['description'];
  return {
    keys: keys as string[],
    rows: rows as Record<string, string>[],
    ...(typeof description === 'string' ? { description } : {}),
  };
}

function checkStatusMap(name: string, raw: unknown, problems: SetProblems): Record<string, string> | undefined {
  const at = ['statusMaps', name];
  checkName(name, at, problems);
  if (!isPlainObject(raw)) {
    problems.add(at, `a status map is a mapping of vendor status to value, not ${kindOf(raw)}`);
    return undefined;
  }
  for (const [status, value] of Object.entries(raw)) {
    if (typeof value !== 'string') problems.add([...at, status], `value must be a string, not ${kindOf(value)}`);
  }
  return raw as Record<string, string>;
}

function section(raw: Record<string, unknown>, name: string, problems: SetProblems): Record<string, unknown> {
  const value = raw[name];
  if (value === undefined || value === null) return {};
  if (isPlainObject(value)) return value;
  problems.add([name], `${name} must be a mapping, not ${kindOf(value)}`);
  return {};
}

/** Checks parsed YAML as a mapping set; compiles its transforms. Throws LL_ERR_MAPPING_INVALID. */
export function checkMappingSet(raw: unknown, problems: SetProblems, limits: TransformLimits): CheckedMappingSet {
  if (!isPlainObject(raw)) {
    problems.add(
      [],
      `a mapping set is a mapping with label, lookups, statusMaps, transforms and tests, not ${kindOf(raw)}`,
    );
    problems.throwIfAny();
  }
  const doc = raw as Record<string, unknown>;
  for (const key of Object.keys(doc)) {
    if (!SECTIONS.has(key))
      problems.add([key], 'unknown section (expected label, description, lookups, statusMaps, transforms, tests)');
  }
  const label = doc['label'];
  if (typeof label !== 'string') problems.add(['label'], 'a mapping set needs a label (a string)');
  else if (!NAME_PATTERN.test(label)) problems.add(['label'], `label must be ${NAME_RULE}`);
  const description = doc['description'];
  if (description !== undefined && typeof description !== 'string')
    problems.add(['description'], 'description must be a string');

  const lookups: Record<string, LookupTableContent> = {};
  for (const [name, table] of Object.entries(section(doc, 'lookups', problems))) {
    const checked = checkTable(name, table, problems);
    if (checked !== undefined) lookups[name] = checked;
  }
  const statusMaps: Record<string, Record<string, string>> = {};
  for (const [name, map] of Object.entries(section(doc, 'statusMaps', problems))) {
    const checked = checkStatusMap(name, map, problems);
    if (checked !== undefined) statusMaps[name] = checked;
  }
  const transforms: Record<string, string> = {};
  const compiled = new Map<string, CompiledTransform>();
  for (const [name, text] of Object.entries(section(doc, 'transforms', problems))) {
    checkName(name, ['transforms', name], problems);
    if (typeof text !== 'string') {
      problems.add(['transforms', name], `a transform is a JSONata expression (a string), not ${kindOf(text)}`);
      continue;
    }
    transforms[name] = text;
    const result = compileTransform(name, text, limits);
    if (Array.isArray(result))
      for (const p of result)
        problems.add(['transforms', name], p.message, p.position === undefined ? {} : { position: p.position });
    else compiled.set(name, result);
  }
  const tests = checkCases(doc['tests'], ['tests'], caseTargetsOf({ lookups, statusMaps, transforms }), problems);
  problems.throwIfAny();
  const content: MappingSetContent = {
    label: label as string,
    ...(typeof description === 'string' ? { description } : {}),
    lookups,
    statusMaps,
    transforms,
    tests,
  };
  return { content, transforms: compiled };
}

export function caseTargetsOf(content: Pick<MappingSetContent, 'lookups' | 'statusMaps' | 'transforms'>): CaseTargets {
  return {
    lookups: new Map(Object.entries(content.lookups).map(([name, table]) => [name, table.keys])),
    statusMaps: new Set(Object.keys(content.statusMaps)),
    transforms: new Set(Object.keys(content.transforms)),
  };
}
