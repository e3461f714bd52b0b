/**
 * The map step of expense posting, pure: every journal line of an expense document gets its ERP
 * coding from the mapping set. Tables (all keys are strings, "*" a wildcard):
 * - `expense-account` [account, entity] → glAccount: the platform's expense account code per company
 *   code. A per diem above the legal rate comes as its own journal line with its own account code,
 *   so it maps to its own GL account here.
 * - `expense-tax` [authority, entity, treatment] → taxCode (the ERP's), account (optional; the input
 *   tax account, else `flows.expensePosting.inputTaxAccount`). `treatment` is `deductible` (all the
 *   tax charged can be reclaimed) or `partly_deductible` (only part of it), so a partly deductible tax
 *   can take its own ERP tax code; a table keyed [authority, entity] only ignores it. A tax nothing
 *   of which can be reclaimed (non-deductible) is not looked up: the platform's net of reclaim
 *   already holds it, so it is expense, with no input tax line and no tax code.
 * - `expense-payment` [payer, payee] → policy: employee | card | company_paid | personal_card.
 * - `expense-cost-center` [costObject, entity] → costCenter: the platform's cost object; when no row
 *   matches, the employee's cost center from the directory.
 * - `expense-clearing-account` [account, entity] → glAccount: the clearing account a company-paid
 *   entry names; when no row matches, `flows.expensePosting.companyPaidClearingAccount`.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import { compare, isZero, negate, zero, type Money } from '../../canonical/money.js';
import type { ExpenseDocument } from '../../connectors/port.js';
import type { MappingSet } from '../../mapping/mapping-set.js';
import type { MappedLine, MappedTax, PaymentPolicy } from './expense-journal.js';

export interface CodingDefaults {
  readonly entity: string;
  /** The employee's cost center (directory), used when a line's cost object has no mapping. */
  readonly employeeCostCenter?: string;
  readonly inputTaxAccount?: string;
  readonly companyPaidClearingAccount?: string;
}

const POLICIES: ReadonlySet<string> = new Set<PaymentPolicy>(['employee', 'card', 'company_paid', 'personal_card']);

function noRule(message: string, details: Record<string, unknown>): never {
  throw new LedgerlinkError('LL_ERR_MAPPING_NO_RULE', message, { details: [{ message, ...details }] });
}

function field(
  row: Readonly<Record<string, string>>,
  name: string,
  table: string,
  keys: Record<string, string>,
): string {
  const value = row[name];
  if (value === undefined || value === '')
    noRule(
      `Mapping table ${table} has no ${name} for ${JSON.stringify(keys)}; add it to the row and publish the mapping set`,
      { table, keys },
    );
  return value;
}

function policyOf(set: MappingSet, payer: string, payee: string, personal: boolean): PaymentPolicy | undefined {
  const keys = { payer, payee };
  const policy = field(set.lookup('expense-payment', keys), 'policy', 'expense-payment', keys);
  if (!POLICIES.has(policy))
    noRule(
      `Mapping table expense-payment maps ${payer} → ${payee} to "${policy}", which is not employee, card, company_paid or personal_card`,
      { table: 'expense-payment', keys },
    );
  if (!personal) return policy as PaymentPolicy;
  // A personal item: on a company card the employee owes the company; paid by the employee, nothing is posted.
  if (policy === 'card' || policy === 'personal_card') return 'personal_card';
  return undefined;
}

/** Whether the reclaimable part is all of the tax charged (a credit's amounts are both negative). */
function treatmentOf(reclaim: {
  readonly amount: Money;
  readonly taxAmount?: Money;
}): 'deductible' | 'partly_deductible' {
  if (reclaim.taxAmount === undefined) return 'deductible';
  const magnitude = (m: Money): Money => (compare(m, zero(m.currency)) < 0 ? negate(m) : m);
  return compare(magnitude(reclaim.amount), magnitude(reclaim.taxAmount)) < 0 ? 'partly_deductible' : 'deductible';
}

/** The ERP coding of every journal line of the document (personal items paid privately are left out). */
export function mapExpenseLines(document: ExpenseDocument, set: MappingSet, defaults: CodingDefaults): MappedLine[] {
  const entries = new Map(document.report.entries.map((e) => [e.id, e]));
  const entity = defaults.entity;
  const out: MappedLine[] = [];
  for (const line of document.journal) {
    const entry = entries.get(line.entryId);
    const policy = policyOf(set, line.payer, line.payee, entry?.personal === true);
    if (policy === undefined) continue;
    const accountKeys = { account: line.account, entity };
    const glAccount = field(set.lookup('expense-account', accountKeys), 'glAccount', 'expense-account', accountKeys);
    const taxes: MappedTax[] = line.taxReclaims
      .filter((reclaim) => !isZero(reclaim.amount))
      .map((reclaim) => {
        const keys = { authority: reclaim.taxCode, entity, treatment: treatmentOf(reclaim) };
        const row = set.lookup('expense-tax', keys);
        const account = row['account'] ?? defaults.inputTaxAccount;
        if (account === undefined || account === '') {
          noRule(
            `No input tax account for tax code ${reclaim.taxCode} in company code ${entity}; add account to mapping table expense-tax or set flows.expensePosting.inputTaxAccount`,
            { table: 'expense-tax', keys },
          );
        }
        return {
          sourceCode: reclaim.taxCode,
          taxCode: field(row, 'taxCode', 'expense-tax', keys),
          account,
          amount: reclaim.amount,
        };
      });
    const mappedCostCenter =
      line.costCenter === undefined
        ? null
        : set.tryLookup('expense-cost-center', { costObject: line.costCenter, entity });
    const costCenter = mappedCostCenter?.['costCenter'] ?? defaults.employeeCostCenter;
    let clearingAccount: string | undefined;
    if (policy === 'company_paid') {
      const named =
        line.clearingAccount === undefined
          ? null
          : set.tryLookup('expense-clearing-account', { account: line.clearingAccount, entity });
      clearingAccount = named?.['glAccount'] ?? defaults.companyPaidClearingAccount;
    }
    out.push({
      entryId: line.entryId,
      expenseType: entry?.expenseType ?? line.account,
      entryDate: entry?.transactionDate ?? '',
      sourceAccount: line.account,
      glAccount,
      ...(costCenter === undefined ? {} : { costCenter }),
      policy,
      gross: line.gross,
      netOfReclaim: line.netOfReclaim,
      taxes,
      ...(clearingAccount === undefined ? {} : { clearingAccount }),
      receipts: (entry?.attachments ?? []).map((a) => a.uri.slice(a.uri.lastIndexOf(':') + 1)),
    });
  }
  return out;
}
