/**
 * The one shape every check in this folder reports problems in. Checks return issues rather than
 * throwing; a caller that must refuse a document turns the error-level issues into an
 * LL_ERR_VALIDATION exception with `issuesToError`.
 */
import { LedgerlinkError } from '../canonical/errors.js';

/** `error` stops the document; `warning` is shown to the user and the document goes on. */
export type IssueSeverity = 'error' | 'warning';

export interface ValidationIssue {
  /** Stable snake_case code, meant for programs (e.g. `cost_center_not_valid_on_date`). */
  readonly code: string;
  /** What is wrong and what the user can do about it, in finance terms. */
  readonly message: string;
  /** The input field concerned, slash separated (`costCenter`, `lines/2/unitPrice`). */
  readonly path: string;
  readonly severity: IssueSeverity;
}

export function issue(code: string, path: string, message: string, severity: IssueSeverity = 'error'): ValidationIssue {
  return { code, message, path, severity };
}

/** True when no issue is an error (warnings allowed). */
export function hasNoErrors(issues: readonly ValidationIssue[]): boolean {
  return issues.every((i) => i.severity !== 'error');
}

/**
 * LL_ERR_VALIDATION carrying the error-level issues as details (code, path, message, severity), or
 * undefined when there is none.
 */
export function issuesToError(
  issues: readonly ValidationIssue[],
  summary = 'Document failed validation',
): LedgerlinkError | undefined {
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length === 0) return undefined;
  const first = errors[0]?.message ?? '';
  const message = errors.length === 1 ? `${summary}: ${first}` : `${summary}: ${first} (and ${errors.length - 1} more)`;
  return new LedgerlinkError('LL_ERR_VALIDATION', message, {
    details: errors.map((i) => ({ path: i.path, message: i.message, code: i.code, severity: i.severity })),
  });
}
