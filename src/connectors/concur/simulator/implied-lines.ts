/**
 * The balanced posting a FIS document implies (see the sample documents' README): an expense report
 * (Dr net of reclaim, Dr reclaimable tax, Cr the payee gross) or an issued cash advance.
 */
import { field, list, RawNumber, text, type FisValue } from './fis-json.js';

/** A posting as the document implies it: Dr net of reclaim, Dr reclaimable tax, Cr the payee (gross). */
export interface ImpliedLine {
  readonly account: string;
  readonly side: 'D' | 'C';
  readonly amount: string;
  readonly costCenter?: string;
  readonly taxCode?: string;
  readonly partner?: string;
}

/** Decimal text of a JSON number's source text (exponents shifted out), or undefined. */
export function decimalText(value: FisValue | undefined): string | undefined {
  if (!(value instanceof RawNumber))
    return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? value : undefined;
  if (/^-?\d+(\.\d+)?$/.test(value.text)) return value.text;
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(value.text);
  if (m === null) return undefined;
  const [, sign = '', int = '0', frac = '', exp = '0'] = m;
  const digits = int + frac;
  const point = int.length + Number(exp);
  const padded =
    point <= 0
      ? '0'.repeat(1 - point) + digits
      : point > digits.length
        ? digits + '0'.repeat(point - digits.length)
        : digits;
  const at = Math.max(point, 1);
  const whole = padded.slice(0, at).replace(/^0+(?=\d)/, '');
  const fraction = padded.slice(at).replace(/0+$/, '');
  const out = fraction === '' ? whole : `${whole}.${fraction}`;
  return sign === '-' && /[1-9]/.test(out) ? `-${out}` : out;
}

/** Collects implied lines; a negative amount swaps debit and credit. */
function lineCollector(): { lines: ImpliedLine[]; push: (line: ImpliedLine) => void } {
  const lines: ImpliedLine[] = [];
  const push = (line: ImpliedLine): void => {
    if (line.amount.startsWith('-'))
      lines.push({ ...line, side: line.side === 'D' ? 'C' : 'D', amount: line.amount.slice(1) });
    else lines.push(line);
  };
  return { lines, push };
}

/** The balanced posting a FIS document implies: an expense report (see the fixtures' README) or an issued cash advance. */
export function impliedLines(document: FisValue, docType = 'expense'): ImpliedLine[] {
  if (docType === 'cashadvance') return cashAdvanceLines(document);
  const { lines, push } = lineCollector();
  const employeeId = text(field(field(document, 'employee'), 'employeeId'));
  for (const entry of list(field(document, 'expenseEntry'))) {
    const clearing = text(field(entry, 'clearingAccountCode'));
    for (const allocation of list(field(entry, 'allocation'))) {
      const costCenter =
        text(field(allocation, 'allocationCustom3Code')) === 'CC'
          ? text(field(allocation, 'allocationCustom4Code'))
          : undefined;
      const cc = costCenter === undefined ? {} : { costCenter };
      const taxes = list(field(allocation, 'tax'));
      for (const journal of list(field(allocation, 'journal'))) {
        const net = decimalText(field(journal, 'amountNetOfReclaim')) ?? decimalText(field(journal, 'amountNetOfTax'));
        const gross = decimalText(field(journal, 'amountGross'));
        const account = text(field(journal, 'journalAccountCode')) ?? '';
        if (net !== undefined) push({ account, side: 'D', amount: net, ...cc });
        const guids = list(field(journal, 'taxGuid')).map((g) => text(g));
        for (const tax of taxes) {
          const reclaim = decimalText(field(tax, 'amountReclaim'));
          if (reclaim === undefined || /^-?0(\.0+)?$/.test(reclaim)) continue;
          if (guids.length > 0 && !guids.includes(text(field(tax, 'taxGuid')))) continue;
          const taxCode = text(field(tax, 'taxAuthorityLabel')) ?? text(field(tax, 'taxReclaimCode')) ?? 'TAX';
          push({ account: 'INPUT_TAX', side: 'D', amount: reclaim, taxCode });
        }
        const payee = text(field(journal, 'journalPayee')) ?? '';
        const partner = payee === 'EMPL' ? employeeId : payee;
        if (gross !== undefined)
          push({ account: clearing ?? payee, side: 'C', amount: gross, ...(partner === undefined ? {} : { partner }) });
      }
    }
  }
  // An applied cash advance (amount negative when it reduces what the employee is owed): Dr employee, Cr its clearing account.
  for (const application of list(field(document, 'cashAdvanceApplication'))) {
    const applied = decimalText(field(application, 'cashAdvanceApplicationAmount'));
    if (applied === undefined) continue;
    const clearing = text(field(application, 'cashAdvanceClearingAccountCode')) ?? 'CASH_ADVANCE';
    push({ account: clearing, side: 'D', amount: applied });
    push({ account: 'EMPL', side: 'C', amount: applied, ...(employeeId === undefined ? {} : { partner: employeeId }) });
  }
  return lines;
}

/** An issued cash advance: its `journalData` lines (DR/CR), the employee credited with the net. */
function cashAdvanceLines(document: FisValue): ImpliedLine[] {
  const { lines, push } = lineCollector();
  const employeeId = text(field(field(document, 'employeeData'), 'employeeId'));
  for (const journal of list(field(document, 'journalData'))) {
    const amount = decimalText(field(journal, 'amount'));
    if (amount === undefined) continue;
    const debit = text(field(journal, 'debitOrCredit')) !== 'CR';
    push({ account: text(field(journal, 'accountCode')) ?? '', side: debit ? 'D' : 'C', amount });
    push({
      account: text(field(journal, 'payee')) ?? 'EMPL',
      side: debit ? 'C' : 'D',
      amount,
      ...(employeeId === undefined ? {} : { partner: employeeId }),
    });
  }
  return lines;
}
