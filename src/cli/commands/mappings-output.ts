/** How the mappings commands print: invalid sets with file, line and path; case results; diffs. */
import type { LedgerlinkError } from '../../canonical/errors.js';
import type { CaseDifference, CaseResult } from '../../mapping/case-runner.js';
import type { MappingSetDiff } from '../../mapping/mapping-set-diff.js';
import type { CommandIo } from '../cli-support.js';

const shown = (value: unknown): string => (value === undefined ? '(absent)' : JSON.stringify(value));

/** `error: …`, then one line per problem: `file:line path: message`. */
export function printInvalid(error: LedgerlinkError, io: CommandIo): void {
  io.err(`error: ${error.message} [${error.code}]`);
  for (const detail of error.details) {
    const source = typeof detail['source'] === 'string' ? detail['source'] : '';
    const line = typeof detail['line'] === 'number' ? `:${detail['line']}` : '';
    const where = `${source}${line}`;
    io.err(`  ${where === '' ? '' : `${where} `}${detail.path ?? ''}: ${detail.message}`);
  }
}

function printDifference(d: CaseDifference, io: CommandIo): void {
  io.out(`        ${d.path}: expected ${shown(d.expected)}, actual ${shown(d.actual)}`);
}

export function printCaseResults(results: readonly CaseResult[], io: CommandIo): void {
  for (const r of results) {
    io.out(`  ${r.passed ? 'ok  ' : 'FAIL'}  ${r.name} (${r.kind} ${r.target}) [${r.source}]`);
    if (!r.passed) {
      for (const d of r.differences) printDifference(d, io);
      if (r.error !== undefined) io.out(`        raised ${r.error.code}: ${r.error.message}`);
    }
  }
}

const row = (r: Readonly<Record<string, string>>): string => JSON.stringify(r);

/** The differences, one per line, `+` added, `-` removed, `~` changed. */
export function printDiff(diff: MappingSetDiff, io: CommandIo): void {
  if (diff.label !== undefined) io.out(`~ label: ${diff.label.before} → ${diff.label.after}`);
  if (diff.description !== undefined)
    io.out(`~ description: ${shown(diff.description.before)} → ${shown(diff.description.after)}`);
  for (const t of diff.lookups) {
    io.out(
      `${t.change === 'added' ? '+' : t.change === 'removed' ? '-' : '~'} lookup ${t.table}${t.change === 'changed' ? '' : ` (${t.change})`}`,
    );
    if (t.keys !== undefined) io.out(`    keys: ${t.keys.before.join(', ')} → ${t.keys.after.join(', ')}`);
    for (const r of t.rowsRemoved) io.out(`    - ${row(r)}`);
    for (const r of t.rowsAdded) io.out(`    + ${row(r)}`);
    for (const c of t.rowsChanged) io.out(`    ~ ${row(c.before)} → ${row(c.after)}`);
    if (t.orderChanged) io.out('    ~ row order changed (decides ties between equally specific rows)');
  }
  for (const m of diff.statusMaps) {
    io.out(
      `${m.change === 'added' ? '+' : m.change === 'removed' ? '-' : '~'} status map ${m.map}${m.change === 'changed' ? '' : ` (${m.change})`}`,
    );
    for (const e of m.removed) io.out(`    - ${e.status}: ${e.value}`);
    for (const e of m.added) io.out(`    + ${e.status}: ${e.value}`);
    for (const e of m.changed) io.out(`    ~ ${e.status}: ${e.before} → ${e.after}`);
  }
  for (const t of diff.transforms) {
    io.out(
      `${t.change === 'added' ? '+' : t.change === 'removed' ? '-' : '~'} transform ${t.name}${t.change === 'changed' ? '' : ` (${t.change})`}`,
    );
    if (t.before !== undefined) io.out(`    - ${t.before}`);
    if (t.after !== undefined) io.out(`    + ${t.after}`);
  }
  if (diff.tests !== undefined) io.out(`~ tests: ${diff.tests.before} → ${diff.tests.after} cases (or cases changed)`);
}
