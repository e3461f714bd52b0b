/**
 * Budget check for a request (a purchase requisition, an invoice, an expense): is there enough left
 * of the budget once commitments (open orders) and actuals (postings) are counted?
 *
 * - available = budget − commitments − actuals, before the request;
 * - withinBudget = no error issue and requested ≤ available (a credit, negative, always fits);
 * - consumedPercent = (commitments + actuals) / budget × 100, before the request, 2 decimals;
 *   consumedPercentAfterRequest includes the request. With a zero budget they read "0.00" when
 *   nothing is consumed and "100.00" otherwise.
 * An amount in another currency than the budget is the issue currency_mismatch and left out of the
 * sums — it is never converted here. Malformed Money throws LL_ERR_MONEY_*.
 */
import type { Decimal } from 'decimal.js';
import { MoneyDecimal, minorUnits, toDecimal, type Money } from '../canonical/money.js';
import { hasNoErrors, issue, type ValidationIssue } from './validation-issue.js';

export interface BudgetCheckInput {
  readonly budget: Money;
  readonly commitments: readonly Money[];
  readonly actuals: readonly Money[];
  readonly requested: Money;
  /** What the budget is for, used in messages: "cost center 10101101, 2025". */
  readonly label?: string | undefined;
}

export interface BudgetCheckResult {
  readonly withinBudget: boolean;
  readonly available: Money;
  readonly consumedPercent: string;
  readonly consumedPercentAfterRequest: string;
  readonly issues: readonly ValidationIssue[];
}

function percent(part: Decimal, whole: Decimal): string {
  if (whole.isZero()) return part.isZero() ? '0.00' : '100.00';
  return part.times(100).dividedBy(whole).toFixed(2, MoneyDecimal.ROUND_HALF_UP);
}

export function checkBudget(input: BudgetCheckInput): BudgetCheckResult {
  const currency = input.budget.currency;
  const decimals = minorUnits(currency);
  const show = (d: Decimal): string => `${d.toFixed(decimals)} ${currency}`;
  const of = input.label === undefined ? '' : ` for ${input.label}`;
  const issues: ValidationIssue[] = [];
  const total = (list: readonly Money[], path: string): Decimal => {
    let sum = new MoneyDecimal(0);
    for (const [i, m] of list.entries()) {
      if (m.currency !== currency) {
        issues.push(
          issue(
            'currency_mismatch',
            `${path}/${i}`,
            `An amount of ${m.amount} ${m.currency} cannot be counted against the ${currency} budget${of}; convert it to ${currency} first`,
          ),
        );
        continue;
      }
      sum = sum.plus(toDecimal(m));
    }
    return sum;
  };
  const budget = toDecimal(input.budget);
  const consumed = total(input.commitments, 'commitments').plus(total(input.actuals, 'actuals'));
  const available = budget.minus(consumed);
  let requested = new MoneyDecimal(0);
  if (input.requested.currency !== currency) {
    issues.push(
      issue(
        'currency_mismatch',
        'requested',
        `The request is in ${input.requested.currency} but the budget${of} is in ${currency}; convert it to ${currency} first`,
      ),
    );
  } else {
    requested = toDecimal(input.requested);
  }
  if (budget.isNegative())
    issues.push(
      issue(
        'budget_negative',
        'budget',
        `The budget${of} is negative (${show(budget)}); ask controlling to correct it`,
      ),
    );
  if (requested.isPositive() && !requested.isZero() && requested.greaterThan(available)) {
    const left = available.isNegative()
      ? `the budget is already overspent by ${show(available.negated())}`
      : `only ${show(available)} is left`;
    issues.push(
      issue(
        'over_budget',
        'requested',
        `The request of ${show(requested)} exceeds the budget${of}: ${left} of ${show(budget)}; ask the budget owner for more budget or reduce the request`,
      ),
    );
  }
  return {
    withinBudget: hasNoErrors(issues),
    available: { amount: (available.isZero() ? new MoneyDecimal(0) : available).toFixed(decimals), currency },
    consumedPercent: percent(consumed, budget),
    consumedPercentAfterRequest: percent(consumed.plus(requested), budget),
    issues,
  };
}
