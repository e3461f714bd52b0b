/**
 * Coding rules: which cost centers, projects and tax codes may be combined with a range of GL
 * accounts in a company code (CodingRule in the canonical model).
 *
 * - Only rules in force on the posting date whose account ranges hold the account apply.
 * - A `deny` rule forbids the combination it lists: it matches when every list it has contains the
 *   line's value (a list the rule does not have matches anything; a list the line has no value for
 *   does not match). A deny rule with no lists closes the account range.
 * - `allow` rules are alternatives: when any apply, the line must satisfy at least one — its values
 *   are in each list the rule has, and it carries the dimensions the rule requires. When none is
 *   satisfied, the issues of the closest one (fewest problems, then lowest id) are reported.
 */
import type { CodingRule } from '../canonical/model/master-data.js';
import { dimensionKey } from './dimension-key.js';
import { isValidOn } from './master-data-index.js';
import { issue, type ValidationIssue } from './validation-issue.js';

/** A line's coding values: the codes as given, and the ids of the records they resolved to. */
export interface CodingValues {
  readonly companyCode: string;
  readonly account: string;
  readonly date: string;
  readonly costCenter?: { readonly code: string; readonly id?: string } | undefined;
  readonly project?: { readonly code: string; readonly id?: string } | undefined;
  readonly taxCode?: { readonly code: string; readonly id?: string } | undefined;
}

/** Account numbers are compared as equal-length strings: the shorter is left-padded with zeros. */
function accountInRange(account: string, from: string, to: string): boolean {
  const width = Math.max(account.length, from.length, to.length);
  const a = account.padStart(width, '0');
  return from.padStart(width, '0') <= a && a <= to.padStart(width, '0');
}

function appliesTo(rule: CodingRule, values: CodingValues): boolean {
  if (!isValidOn(rule, values.date)) return false;
  const account = values.account.trim();
  return rule.accounts.some((r) => accountInRange(account, r.from.trim(), r.to.trim()));
}

function listHas(list: readonly string[], value: { readonly code: string; readonly id?: string }): boolean {
  const key = dimensionKey(value.code);
  return list.some((entry) => entry === value.id || dimensionKey(entry) === key);
}

/** undefined: the rule has no such list (anything goes); true/false: the value is (not) listed. */
function listed(list: readonly string[] | undefined, value: CodingValues['costCenter']): boolean | undefined {
  if (list === undefined) return undefined;
  if (value === undefined) return false;
  return listHas(list, value);
}

function denyMatches(rule: CodingRule, values: CodingValues): boolean {
  const checks = [
    listed(rule.costCenters, values.costCenter),
    listed(rule.projects, values.project),
    listed(rule.taxCodes, values.taxCode),
  ];
  return checks.every((c) => c !== false);
}

function allowProblems(rule: CodingRule, values: CodingValues): ValidationIssue[] {
  const problems: ValidationIssue[] = [];
  const where = `rule "${rule.name}" for GL account ${values.account} in company code ${values.companyCode}`;
  if (rule.requireCostCenter && values.costCenter === undefined) {
    problems.push(issue('cost_center_required', 'costCenter', `A cost center is required by ${where}; add one`));
  }
  if (rule.requireProject && values.project === undefined) {
    problems.push(issue('project_required', 'project', `A project (WBS element) is required by ${where}; add one`));
  }
  const dims = [
    ['costCenter', 'Cost center', rule.costCenters, values.costCenter],
    ['project', 'Project', rule.projects, values.project],
    ['taxCode', 'Tax code', rule.taxCodes, values.taxCode],
  ] as const;
  for (const [path, label, list, value] of dims) {
    if (list === undefined || value === undefined || listHas(list, value)) continue;
    const allowed = list.slice(0, 5).join(', ') + (list.length > 5 ? ', …' : '');
    problems.push(
      issue(
        'combination_not_allowed',
        path,
        `${label} ${value.code} may not be used with GL account ${values.account}: ${where} allows only ${allowed}`,
      ),
    );
  }
  return problems;
}

/** Issues from the company code's coding rules for one line; empty when the combination may be posted. */
export function checkCodingRules(rules: readonly CodingRule[], values: CodingValues): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  let best: ValidationIssue[] | undefined;
  let anyAllow = false;
  let satisfied = false;
  for (const rule of rules) {
    if (!appliesTo(rule, values)) continue;
    if (rule.effect === 'deny') {
      if (denyMatches(rule, values)) {
        issues.push(
          issue(
            'combination_not_allowed',
            'account',
            `This coding may not be posted: rule "${rule.name}" forbids it for GL account ${values.account} in company code ${values.companyCode}; change the account or cost objects`,
          ),
        );
      }
      continue;
    }
    anyAllow = true;
    if (satisfied) continue;
    const problems = allowProblems(rule, values);
    if (problems.length === 0) satisfied = true;
    else if (best === undefined || problems.length < best.length) best = problems;
  }
  if (anyAllow && !satisfied && best !== undefined) issues.push(...best);
  return issues;
}
