/**
 * Collects every problem found while checking a mapping set, each with its path in the YAML
 * (`lookups.expense-account.rows[2].entity`) and, when the YAML is at hand, its line, and turns them
 * into one LL_ERR_MAPPING_INVALID error naming the source.
 */
import type { Document, LineCounter } from 'yaml';
import { LedgerlinkError, type ErrorDetail } from '../canonical/errors.js';

export type PathSegment = string | number;

/** `['lookups', 'a-b', 'rows', 2, 'entity']` → `lookups.a-b.rows[2].entity`. */
export function dottedPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out === '' ? '(root)' : out;
}

export interface YamlPositions {
  readonly doc: Document;
  readonly lines: LineCounter;
}

export class SetProblems {
  private readonly found: ErrorDetail[] = [];

  constructor(
    private readonly source: string,
    private readonly positions?: YamlPositions,
  ) {}

  get count(): number {
    return this.found.length;
  }

  add(segments: readonly PathSegment[], message: string, extra: Record<string, unknown> = {}): void {
    const line = this.lineOf(segments);
    this.found.push({ path: dottedPath(segments), message, ...(line === undefined ? {} : { line }), ...extra });
  }

  /** Throws LL_ERR_MAPPING_INVALID with every problem when there is at least one. */
  throwIfAny(): void {
    if (this.found.length === 0) return;
    const first = this.found[0]!;
    const more = this.found.length > 1 ? ` (and ${this.found.length - 1} more)` : '';
    throw new LedgerlinkError(
      'LL_ERR_MAPPING_INVALID',
      `Mapping set ${this.source} is invalid: ${first.path}: ${first.message}${more}`,
      {
        details: this.found.map((d) => ({ ...d, source: this.source })),
      },
    );
  }

  private lineOf(segments: readonly PathSegment[]): number | undefined {
    if (this.positions === undefined) return undefined;
    for (let n = segments.length; n > 0; n--) {
      const node = this.positions.doc.getIn(segments.slice(0, n), true) as { range?: readonly number[] } | undefined;
      const offset = node?.range?.[0];
      if (typeof offset === 'number') return this.positions.lines.linePos(offset).line;
    }
    return undefined;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Type name for messages: `number`, `list`, `mapping`, `null`… */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}
