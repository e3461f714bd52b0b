/**
 * What the validate step of expense posting asks of the hub: the period calendar (configuration
 * with overrides, and closures learned from the ERP) and the coding check against the ERP's master
 * data. The composition root provides both; the flow only states the questions.
 */
import { expenseTaxCode, type MappedLine } from './expense-journal.js';

export interface PeriodCalendarProvider {
  /** The status of the period `date` (YYYY-MM-DD) falls in for the entity. */
  status(entity: string, date: string): Promise<{ readonly period: string; readonly open: boolean; readonly reason?: string }>;
  /** Records that the ERP refused a posting because the period (YYYY-MM) is closed. */
  recordClosure(entity: string, period: string, reason: string): Promise<void>;
}

/** One coding combination to check (the shape of POST /v1/validate/coding). */
export interface CodingInput {
  readonly entity: string;
  readonly account: string;
  readonly costCenter?: string;
  readonly project?: string;
  readonly taxCode?: string;
  readonly date: string;
  readonly currency?: string;
}

export interface CodingIssue {
  readonly code: string;
  readonly message: string;
  readonly path: string;
}

export interface CodingChecker {
  /** Every error-level issue of the combinations (warnings left out), each naming what to fix. */
  check(inputs: readonly CodingInput[]): Promise<readonly CodingIssue[]>;
}

/** The distinct coding combinations a report's postings use: expense lines, input tax, clearing accounts. */
export function codingInputs(
  lines: readonly MappedLine[],
  entity: string,
  date: string,
  currency: string,
  policy: { readonly cardClearingAccount?: string; readonly cardVendors?: Readonly<Record<string, string>> },
): CodingInput[] {
  const out = new Map<string, CodingInput>();
  const add = (input: CodingInput): void => {
    out.set(JSON.stringify([input.account, input.costCenter ?? '', input.taxCode ?? '']), input);
  };
  for (const line of lines) {
    if (line.policy !== 'personal_card') {
      const taxCode = expenseTaxCode(line);
      add({ entity, account: line.glAccount, date, currency, ...(line.costCenter === undefined ? {} : { costCenter: line.costCenter }), ...(taxCode === undefined ? {} : { taxCode }) });
      for (const tax of line.taxes) add({ entity, account: tax.account, taxCode: tax.taxCode, date, currency });
    }
    if (line.clearingAccount !== undefined) add({ entity, account: line.clearingAccount, date, currency });
    if ((line.policy === 'card' || line.policy === 'personal_card') && policy.cardVendors?.[entity] === undefined && policy.cardClearingAccount !== undefined) {
      add({ entity, account: policy.cardClearingAccount, date, currency });
    }
  }
  return [...out.values()];
}
