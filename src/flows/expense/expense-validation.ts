/**
 * The coding combinations the validate step of expense posting asks the hub's coding checker about
 * (hub/ports.ts: `CodingChecker`, with the period calendar beside it).
 */
import type { CodingInput } from '../../hub/ports.js';
import { expenseTaxCode, type MappedLine } from './expense-journal.js';

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
      add({
        entity,
        account: line.glAccount,
        date,
        currency,
        ...(line.costCenter === undefined ? {} : { costCenter: line.costCenter }),
        ...(taxCode === undefined ? {} : { taxCode }),
      });
      for (const tax of line.taxes) add({ entity, account: tax.account, taxCode: tax.taxCode, date, currency });
    }
    if (line.clearingAccount !== undefined) add({ entity, account: line.clearingAccount, date, currency });
    if (
      (line.policy === 'card' || line.policy === 'personal_card') &&
      policy.cardVendors?.[entity] === undefined &&
      policy.cardClearingAccount !== undefined
    ) {
      add({ entity, account: policy.cardClearingAccount, date, currency });
    }
  }
  return [...out.values()];
}
