/**
 * Fixture cases given apart from a set: a `<name>.cases.yaml` file next to `<name>.yaml`, or the
 * `cases` of a `POST /v1/mappings/test` request. Either is a list of cases or a mapping with one
 * `tests:` list, each case in the shape of a set's own `tests:`.
 */
import type { SourcedCase } from './case-runner.js';
import { checkCases } from './fixture-cases.js';
import type { LoadedMappingSet } from './load-mapping-set.js';
import { caseTargetsOf, readYaml } from './mapping-set-document.js';
import { isPlainObject, SetProblems, type PathSegment } from './set-problems.js';

function listOf(value: unknown, problems: SetProblems): { list: unknown; at: PathSegment[] } {
  if (isPlainObject(value)) {
    for (const key of Object.keys(value))
      if (key !== 'tests') problems.add([key], 'unknown section in a cases file (expected tests)');
    return { list: value['tests'], at: ['tests'] };
  }
  return { list: value, at: [] };
}

function checked(value: unknown, source: string, set: LoadedMappingSet, problems: SetProblems): SourcedCase[] {
  const { list, at } = listOf(value, problems);
  const cases = checkCases(list, at, caseTargetsOf(set.content), problems);
  problems.throwIfAny();
  return cases.map((c) => ({ case: c, source }));
}

/** Cases from a cases file's YAML text, checked against the set they test (LL_ERR_MAPPING_INVALID). */
export function parseCasesText(text: string, source: string, set: LoadedMappingSet): SourcedCase[] {
  const { value, problems } = readYaml(text, source);
  return checked(value, source, set, problems);
}

/** Cases given as plain values (a request body), checked against the set. */
export function checkCasesValue(value: unknown, source: string, set: LoadedMappingSet): SourcedCase[] {
  return checked(value, source, set, new SetProblems(source));
}
