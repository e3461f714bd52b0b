/**
 * The ERP documents an approved expense report becomes, built from the platform's journal lines
 * once they are mapped to ERP coding. Pure: no I/O.
 *
 * Each mapped line says who is owed (its payment policy). Lines are grouped by policy and each group
 * is one ERP document:
 * - `employee` (out of pocket, payee EMPL): a supplier invoice to the employee vendor; Dr expense net
 *   of reclaim, input tax per tax code (the ERP books it to its input tax account), Cr the employee
 *   for the gross. When the group owes the company (credits exceed expenses) it is a journal entry
 *   instead, the employee debited; so is a group with an entry taxed by several jurisdictions (one
 *   input tax line per jurisdiction, each with its own tax code, the employee credited).
 * - `card` (IBCP/CBCP): a journal entry; Dr expense, Dr input tax account per tax, Cr the card
 *   issuer vendor of the company code, or the card clearing account when no vendor is configured.
 *   A personal item on the card (`personal_card`) joins it: Dr the employee vendor, Cr the card.
 * - `company_paid` (COPD): a journal entry; Dr expense and input tax, Cr the clearing account the
 *   document names (mapped) or the configured one.
 * - `cash_advance`: the advances the report applies, one journal entry (expense-cash-advance.ts).
 * A negative amount (a credit or rebate) swaps debit and credit. Every document is checked to
 * balance per currency before it is returned.
 */
import { assertBalanced, sidedAmount, type JournalLine } from '../../canonical/journal.js';
import { add, compare, isZero, sum, zero, type Money } from '../../canonical/money.js';
import { LedgerlinkError } from '../../canonical/errors.js';
import type { ErpInvoiceLine, ErpJournalEntry, ErpSupplierInvoice } from '../../connectors/port.js';
import { cashAdvancePosting, type AdvanceParties, type MappedAdvance } from './expense-cash-advance.js';

export type PaymentPolicy = 'employee' | 'card' | 'company_paid' | 'personal_card';
export type PostingGroup = 'employee' | 'card' | 'company_paid' | 'cash_advance';

export interface MappedTax {
  /** The platform's tax code (e.g. DEVAT). */
  readonly sourceCode: string;
  /** The ERP's tax code and the GL account reclaimable input tax goes to. */
  readonly taxCode: string;
  readonly account: string;
  readonly amount: Money;
}

/** One journal line of the report with ERP coding. */
export interface MappedLine {
  readonly entryId: string;
  readonly expenseType: string;
  readonly entryDate: string;
  /** The platform's expense account code the GL account was mapped from. */
  readonly sourceAccount: string;
  readonly glAccount: string;
  readonly costCenter?: string;
  readonly policy: PaymentPolicy;
  readonly gross: Money;
  readonly netOfReclaim: Money;
  readonly taxes: readonly MappedTax[];
  /** The GL account the payee side clears against (company-paid lines). */
  readonly clearingAccount?: string;
  /** Receipt image ids of the entry, named in the line text. */
  readonly receipts: readonly string[];
}

/** The parties of a report's postings; `documentDate` is the approval date, the document date of every posting. */
export interface PostingParties extends AdvanceParties {
  readonly cardVendor?: string;
  readonly cardClearingAccount?: string;
}

export type PlannedPosting =
  | {
      readonly group: PostingGroup;
      readonly kind: 'supplier_invoice';
      readonly invoice: Omit<ErpSupplierInvoice, 'reference'>;
    }
  | {
      readonly group: PostingGroup;
      readonly kind: 'journal_entry';
      readonly entry: Omit<ErpJournalEntry, 'reference'>;
    };

type EntryLine = ErpJournalEntry['lines'][number];

const GROUP_OF: Readonly<Record<PaymentPolicy, PostingGroup>> = {
  employee: 'employee',
  card: 'card',
  personal_card: 'card',
  company_paid: 'company_paid',
};

function lineText(line: MappedLine): string {
  const receipt = line.receipts[0];
  return (
    receipt === undefined ? `${line.expenseType} ${line.entryDate}` : `${line.expenseType} rcpt ${receipt}`
  ).slice(0, 50);
}

function missing(message: string, path: string): never {
  throw new LedgerlinkError('LL_ERR_VALIDATION', message, { details: [{ path, message }] });
}

/**
 * The tax code the expense line carries: its tax's code, or none when it has no reclaimable tax or
 * taxes of several jurisdictions (each input tax line then carries its own code).
 */
export function expenseTaxCode(line: Pick<MappedLine, 'taxes'>): string | undefined {
  const codes = new Set(line.taxes.map((t) => t.taxCode));
  return codes.size === 1 ? line.taxes[0]?.taxCode : undefined;
}

/** Expense and (unless the ERP books it from the tax codes) input tax debits of one line; a credit swaps sides. */
function expenseLines(line: MappedLine, withTaxLines = true): EntryLine[] {
  const out: EntryLine[] = [];
  const taxCode = expenseTaxCode(line);
  if (!isZero(line.netOfReclaim)) {
    out.push({
      glAccount: line.glAccount,
      ...sidedAmount(line.netOfReclaim),
      ...(line.costCenter === undefined ? {} : { costCenter: line.costCenter }),
      ...(taxCode === undefined ? {} : { taxCode }),
      text: lineText(line),
    });
  }
  for (const tax of withTaxLines ? line.taxes : []) {
    if (!isZero(tax.amount))
      out.push({
        glAccount: tax.account,
        ...sidedAmount(tax.amount),
        taxCode: tax.taxCode,
        taxBase: sidedAmount(line.netOfReclaim).amount,
        text: `Input tax ${tax.sourceCode}`.slice(0, 50),
      });
  }
  return out;
}

function toJournalLines(lines: readonly EntryLine[]): JournalLine[] {
  return lines.map((l) => ({ account: l.vendorId ?? l.glAccount, side: l.side, amount: l.amount }));
}

/** The counter lines of a group: one per counter account (or vendor), for the signed sum of its gross. */
function counterLines(
  lines: readonly MappedLine[],
  counterOf: (line: MappedLine) => { glAccount: string; vendorId?: string },
  text: string,
): EntryLine[] {
  const totals = new Map<string, { glAccount: string; vendorId?: string; total: Money }>();
  for (const line of lines) {
    const counter = counterOf(line);
    const key = `${counter.vendorId ?? ''}|${counter.glAccount}`;
    const held = totals.get(key);
    totals.set(key, { ...counter, total: held === undefined ? line.gross : add(held.total, line.gross) });
  }
  return [...totals.values()]
    .filter((c) => !isZero(c.total))
    .map((c) => ({
      glAccount: c.glAccount,
      ...(c.vendorId === undefined ? {} : { vendorId: c.vendorId }),
      ...sidedAmount(c.total, true),
      text,
    }));
}

function journal(group: PostingGroup, parties: PostingParties, lines: EntryLine[]): PlannedPosting {
  assertBalanced(toJournalLines(lines));
  return {
    group,
    kind: 'journal_entry',
    entry: {
      companyCode: parties.entity,
      documentType: 'SA',
      documentDate: parties.documentDate,
      postingDate: parties.postingDate,
      headerText: parties.headerText,
      lines,
    },
  };
}

function employeeVendorOf(parties: PostingParties, why: string): string {
  return (
    parties.employeeVendor ??
    missing(
      `The employee has no vendor account in the ERP for company code ${parties.entity}; ${why}`,
      'employeeVendor',
    )
  );
}

function employeePosting(lines: readonly MappedLine[], parties: PostingParties): PlannedPosting {
  const vendorId = employeeVendorOf(parties, 'create one carrying the personnel number as its reference, then retry');
  const gross = sum(
    lines.map((l) => l.gross),
    parties.currency,
  );
  const text = `${parties.headerText} owed to employee`.slice(0, 50);
  // A supplier invoice item carries one tax code and its tax is booked per code on the item's base:
  // an entry taxed by several jurisdictions on the same base cannot be split without misstating
  // each base, so such a report, like one where the employee owes the company, is a journal entry.
  if (
    compare(gross, zero(parties.currency)) < 0 ||
    lines.some((l) => l.taxes.length > 1 && expenseTaxCode(l) === undefined)
  ) {
    const entryLines = [
      ...lines.flatMap((l) => expenseLines(l)),
      ...counterLines(lines, () => ({ glAccount: vendorId, vendorId }), text),
    ];
    return journal('employee', parties, entryLines);
  }
  const items: ErpInvoiceLine[] = lines.flatMap((l) => expenseLines(l, false));
  const taxTotals = new Map<string, Money>();
  for (const tax of lines.flatMap((l) => l.taxes))
    taxTotals.set(tax.taxCode, add(taxTotals.get(tax.taxCode) ?? zero(parties.currency), tax.amount));
  const taxes = [...taxTotals.entries()]
    .filter(([, amount]) => !isZero(amount))
    .map(([taxCode, amount]) => ({ taxCode, amount }));
  assertBalanced([
    ...items.map((l) => ({ side: l.side, amount: l.amount })),
    ...taxes.map((t) => sidedAmount(t.amount)),
    { side: 'C' as const, amount: gross },
  ]);
  return {
    group: 'employee',
    kind: 'supplier_invoice',
    invoice: {
      companyCode: parties.entity,
      vendorId,
      documentDate: parties.documentDate,
      postingDate: parties.postingDate,
      gross,
      lines: items,
      taxes,
      headerText: parties.headerText,
    },
  };
}

function cardPosting(lines: readonly MappedLine[], parties: PostingParties): PlannedPosting {
  const card =
    parties.cardVendor === undefined
      ? {
          glAccount:
            parties.cardClearingAccount ??
            missing(
              `No card vendor nor card clearing account is configured for company code ${parties.entity}; set flows.expensePosting.cardVendors or cardClearingAccount`,
              'cardVendors',
            ),
        }
      : { glAccount: parties.cardVendor, vendorId: parties.cardVendor };
  const business = lines.filter((l) => l.policy === 'card');
  const personal = lines.filter((l) => l.policy === 'personal_card');
  const text = `${parties.headerText} company card`.slice(0, 50);
  const entryLines = [...business.flatMap((l) => expenseLines(l)), ...counterLines(business, () => card, text)];
  if (personal.length > 0) {
    // The employee owes the company for personal charges on the card: Dr employee, Cr the card.
    const employee = employeeVendorOf(
      parties,
      'personal charges on the company card are recovered from it; create one, then retry',
    );
    const owed = sum(
      personal.map((l) => l.gross),
      parties.currency,
    );
    if (!isZero(owed)) {
      entryLines.push({
        glAccount: employee,
        vendorId: employee,
        ...sidedAmount(owed),
        text: `${parties.headerText} personal card items`.slice(0, 50),
      });
      entryLines.push({
        ...card,
        ...sidedAmount(owed, true),
        text: `${parties.headerText} personal card items`.slice(0, 50),
      });
    }
  }
  return journal('card', parties, entryLines);
}

function companyPaidPosting(lines: readonly MappedLine[], parties: PostingParties): PlannedPosting {
  const text = `${parties.headerText} company paid`.slice(0, 50);
  const counter = (line: MappedLine): { glAccount: string } => ({
    glAccount:
      line.clearingAccount ??
      missing(
        `No clearing account for the company-paid entry ${line.entryId}; map the document's clearing account or set flows.expensePosting.companyPaidClearingAccount`,
        'clearingAccount',
      ),
  });
  return journal('company_paid', parties, [
    ...lines.flatMap((l) => expenseLines(l)),
    ...counterLines(lines, counter, text),
  ]);
}

/** The ERP documents of a report, one per payment policy group that has a non-zero line, and one for its applied cash advances. */
export function plannedPostings(
  lines: readonly MappedLine[],
  parties: PostingParties,
  advances: readonly MappedAdvance[] = [],
): PlannedPosting[] {
  const byGroup = new Map<PostingGroup, MappedLine[]>();
  for (const line of lines) {
    if (isZero(line.gross) && isZero(line.netOfReclaim)) continue;
    const group = GROUP_OF[line.policy];
    byGroup.set(group, [...(byGroup.get(group) ?? []), line]);
  }
  const out: PlannedPosting[] = [];
  const employee = byGroup.get('employee');
  if (employee !== undefined) out.push(employeePosting(employee, parties));
  const card = byGroup.get('card');
  if (card !== undefined) out.push(cardPosting(card, parties));
  const companyPaid = byGroup.get('company_paid');
  if (companyPaid !== undefined) out.push(companyPaidPosting(companyPaid, parties));
  const applied = cashAdvancePosting(advances, parties);
  if (applied !== undefined) out.push(applied);
  return out;
}
