/**
 * Journal lines and the balance rule: in every currency a journal touches, debits equal credits.
 * Amounts are Money (decimal strings); a line may carry a negative amount (reversal postings), which
 * counts on its own side with its sign.
 */
import type { Decimal } from 'decimal.js';
import { LedgerlinkError } from './errors.js';
import { assertCurrency, compare, minorUnits, MoneyDecimal, negate, toDecimal, zero, type Money } from './money.js';

export type JournalSide = 'D' | 'C';

export interface JournalLine {
  account: string;
  side: JournalSide;
  amount: Money;
  costCenter?: string;
  project?: string;
  taxCode?: string;
  partner?: string;
  text?: string;
}

/** What the balance rule needs of a line; canonical JournalEntry lines and JournalLine both fit. */
export type BalanceLine = Pick<JournalLine, 'side' | 'amount'>;

export interface CurrencyBalance {
  currency: string;
  /** Sum of debit lines. */
  debit: string;
  /** Sum of credit lines. */
  credit: string;
  /** debit − credit; "0.00" (in the currency's decimals) when balanced. */
  difference: string;
}

type Lines = readonly BalanceLine[] | { readonly lines: readonly BalanceLine[] };

function linesOf(journal: Lines): readonly BalanceLine[] {
  return 'lines' in journal ? journal.lines : journal;
}

/** Debit and credit totals per currency, sorted by currency code. */
export function balanceByCurrency(journal: Lines): CurrencyBalance[] {
  const totals = new Map<string, { debit: Decimal; credit: Decimal }>();
  linesOf(journal).forEach((line, index) => {
    const currency = assertCurrency(line.amount.currency, `lines/${index}/amount/currency`);
    const value = toDecimal(line.amount);
    let total = totals.get(currency);
    if (total === undefined) {
      total = { debit: new MoneyDecimal(0), credit: new MoneyDecimal(0) };
      totals.set(currency, total);
    }
    if (line.side === 'D') total.debit = total.debit.plus(value);
    else if (line.side === 'C') total.credit = total.credit.plus(value);
    else {
      throw new LedgerlinkError(
        'LL_ERR_VALIDATION',
        `Journal line ${index} has side ${JSON.stringify(line.side)}; expected D or C`,
        {
          details: [{ path: `lines/${index}/side`, message: 'side must be D or C' }],
        },
      );
    }
  });
  return [...totals.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, { debit, credit }]) => {
      const decimals = minorUnits(currency);
      const difference = debit.minus(credit);
      return {
        currency,
        debit: debit.toFixed(decimals),
        credit: credit.toFixed(decimals),
        difference: (difference.isZero() ? new MoneyDecimal(0) : difference).toFixed(decimals),
      };
    });
}

/** True when every currency's debits equal its credits (an empty journal is trivially balanced). */
export function isBalanced(journal: Lines): boolean {
  return balanceByCurrency(journal).every((b) => new MoneyDecimal(b.difference).isZero());
}

/** Throws LL_ERR_JOURNAL_UNBALANCED with one detail per currency that does not balance. */
export function assertBalanced(journal: Lines): void {
  const unbalanced = balanceByCurrency(journal).filter((b) => !new MoneyDecimal(b.difference).isZero());
  if (unbalanced.length === 0) return;
  throw new LedgerlinkError(
    'LL_ERR_JOURNAL_UNBALANCED',
    `Journal does not balance in ${unbalanced.map((b) => `${b.currency} (difference ${b.difference})`).join(', ')}`,
    {
      details: unbalanced.map((b) => ({
        path: `currency/${b.currency}`,
        message: `debits ${b.debit} ≠ credits ${b.credit} ${b.currency}`,
        ...b,
      })),
    },
  );
}

/**
 * The side and size of a signed amount: a debit for a positive amount, a credit of its absolute value
 * for a negative one (a credit or rebate swaps the sides); `credit` turns both around.
 */
export function sidedAmount(amount: Money, credit = false): { side: JournalSide; amount: Money } {
  const negative = compare(amount, zero(amount.currency)) < 0;
  return { side: negative !== credit ? 'C' : 'D', amount: negative ? negate(amount) : amount };
}
