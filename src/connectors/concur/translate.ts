/**
 * FIS v4 documents (parsed strictly, numbers as JsonNumber) to the canonical ExpenseReport and the
 * journal lines the platform computed,. Every
 * amount goes from the number's source text to a decimal string; none passes through a JS number.
 */
import type {
  ExpenseAllocation,
  ExpenseEntry,
  ExpenseReport,
  ExpenseTaxLine,
  CardTransaction,
  MoneyShape,
} from '../../canonical/model/index.js';
import { add, sum, subtract, zero } from '../../canonical/money.js';
import { Decimal } from 'decimal.js';
import type { JsonValue } from '../../canonical/strict-json.js';
import type { ExpenseDocType, ExpenseDocument, ExpenseJournalLine } from '../ports/expense-port.js';
import { isCardCode, readCardTransaction } from './fis-cards.js';
import { readCashAdvanceApplications, readCashAdvanceReturns } from './fis-cash-advances.js';
import { amount, arr, at, date, decimalText, invalid, obj, optionalAmount, str, SYSTEM } from './fis-values.js';

export { arr, at, obj, str, SYSTEM } from './fis-values.js';
export { paymentConfirmationBody, postingConfirmationBody } from './fis-confirmation-bodies.js';

/** The journal account of a line the platform gave none (null or ""). */
export const NO_ACCOUNT = '';
const UNSTATED_PERCENT = '?';

function apathOf(path: string): string {
  return `${path}.allocation`;
}

/**
 * `allocationPercentage` left out (null) in some published examples, all on single-allocation
 * entries: one allocation is 100 %; several get their share of the entry's allocated gross, or are
 * refused when that total is zero (no share can be told).
 */
function fillUnstatedPercents(allocations: ExpenseAllocation[], path: string): void {
  const unstated = allocations.filter((a) => a.percent === UNSTATED_PERCENT);
  if (unstated.length === 0) return;
  if (allocations.length === 1) {
    allocations[0] = { ...allocations[0]!, percent: '100' };
    return;
  }
  const total = allocations.reduce((acc, a) => acc.plus(a.amount.amount), new Decimal(0));
  if (total.isZero())
    invalid('allocationPercentage missing and the allocations total zero', `${path}[].allocationPercentage`);
  allocations.forEach((a, i) => {
    if (a.percent !== UNSTATED_PERCENT) return;
    const share = new Decimal(a.amount.amount).div(total).times(100).abs().toDecimalPlaces(6);
    allocations[i] = { ...a, percent: share.toFixed() };
  });
}

function paymentType(payees: readonly string[]): ExpenseEntry['paymentType'] {
  if (payees.some(isCardCode)) return 'company_card';
  if (payees.includes('EMPL')) return 'cash';
  return 'company_paid';
}

/** One FIS `content[]` item (or a sample file's `fIDocuments[]` item) to the port's document. */
export function toExpenseDocument(item: JsonValue): ExpenseDocument {
  const documentId = str(at(item, 'id')) ?? invalid('document id missing', 'id');
  const document = obj(at(item, 'document')) ?? invalid('document missing', 'document');
  const report = obj(at(document, 'report')) ?? invalid('report missing', 'document.report');
  const employee = at(document, 'employee');
  const currency =
    str(at(report, 'employeeCurrencyAlphaCode')) ??
    invalid('report currency missing', 'document.report.employeeCurrencyAlphaCode');
  const companyId = str(at(item, 'companyId')) ?? '';
  const journal: ExpenseJournalLine[] = [];
  const cardTransactions = new Map<string, CardTransaction>();
  const entries = arr(at(document, 'expenseEntry')).map((entry, i) => {
    const path = `document.expenseEntry[${i}]`;
    const entryId = str(at(entry, 'entryId')) ?? invalid('entryId missing', `${path}.entryId`);
    const clearing = str(at(entry, 'clearingAccountCode'));
    const payees: string[] = [];
    const payers: string[] = [];
    const allocations: ExpenseAllocation[] = [];
    const taxLines: ExpenseTaxLine[] = [];
    arr(at(entry, 'allocation')).forEach((allocation, j) => {
      const apath = `${path}.allocation[${j}]`;
      const allocationId = str(at(allocation, 'allocationId')) ?? `${entryId}-${j}`;
      const costCenter =
        str(at(allocation, 'allocationCustom3Code')) === 'CC'
          ? str(at(allocation, 'allocationCustom4Code'))
          : undefined;
      const taxes = arr(at(allocation, 'tax'));
      const grossAmounts: MoneyShape[] = [];
      let firstAccount: string | undefined;
      arr(at(allocation, 'journal')).forEach((line, k) => {
        const jpath = `${apath}.journal[${k}]`;
        const gross = amount(at(line, 'amountGross'), currency, `${jpath}.amountGross`);
        const netSource = at(line, 'amountNetOfReclaim') ?? at(line, 'amountNetOfTax');
        const net = amount(netSource, currency, `${jpath}.amountNetOfReclaim`);
        const guids = arr(at(line, 'taxGuid')).map(str);
        const reclaims = taxes
          .filter((tax) => guids.length === 0 || guids.includes(str(at(tax, 'taxGuid'))))
          .flatMap((tax, t) => {
            const reclaim = optionalAmount(at(tax, 'amountReclaim'), currency, `${apath}.tax[${t}].amountReclaim`);
            const charged = optionalAmount(at(tax, 'amountTax'), currency, `${apath}.tax[${t}].amountTax`);
            return reclaim === undefined
              ? []
              : [
                  {
                    taxCode: taxCodeOf(tax),
                    amount: reclaim,
                    ...(charged === undefined ? {} : { taxAmount: charged }),
                  },
                ];
          });
        // Some published examples leave journalAccountCode null or "" on the lines that only move an
        // amount between payer and payee (a personal part of a card charge): read as no account ('').
        const account = str(at(line, 'journalAccountCode')) ?? NO_ACCOUNT;
        const payer = str(at(line, 'journalPayer')) ?? '';
        const payee = str(at(line, 'journalPayee')) ?? '';
        if (account !== NO_ACCOUNT) firstAccount ??= account;
        payers.push(payer);
        payees.push(payee);
        grossAmounts.push(gross);
        journal.push({
          entryId,
          allocationId,
          account,
          payer,
          payee,
          gross,
          netOfReclaim: net,
          taxReclaims: reclaims,
          ...(costCenter === undefined ? {} : { costCenter }),
          ...(clearing === undefined ? {} : { clearingAccount: clearing }),
        });
      });
      taxes.forEach((tax, t) => {
        const tpath = `${apath}.tax[${t}]`;
        const taxAmount = amount(at(tax, 'amountTax'), currency, `${tpath}.amountTax`);
        const reclaim = optionalAmount(at(tax, 'amountReclaim'), currency, `${tpath}.amountReclaim`);
        const country = str(at(tax, 'locationCountryCode'));
        taxLines.push({
          taxCode: taxCodeOf(tax),
          ...(country === undefined ? {} : { country }),
          netAmount: subtract(sum(grossAmounts, currency), taxAmount),
          taxAmount,
          ...(reclaim === undefined ? {} : { reclaimableAmount: reclaim }),
        });
      });
      allocations.push({
        percent: decimalText(at(allocation, 'allocationPercentage')) ?? UNSTATED_PERCENT,
        amount: sum(grossAmounts, currency),
        ...(firstAccount === undefined ? {} : { glAccount: firstAccount }),
        ...(costCenter === undefined ? {} : { costCenter }),
      });
    });
    fillUnstatedPercents(allocations, apathOf(path));
    const card = readCardTransaction(entry, path, [...payers, ...payees], currency);
    if (card !== undefined && !cardTransactions.has(card.id)) cardTransactions.set(card.id, card);
    const cardTransactionId = card?.id;
    const vendorName = str(at(entry, 'entryVendorDescription'));
    const exchangeRate = decimalText(at(entry, 'entryExchangeRate'));
    const originalAmount = spentAmount(entry, currency, path);
    const description = str(at(entry, 'entryDescription'));
    const attachments = receiptsOf(entry);
    const result: ExpenseEntry = {
      id: entryId,
      refs: { [SYSTEM]: entryId },
      expenseType: str(at(entry, 'expenseTypeCode')) ?? invalid('expenseTypeCode missing', `${path}.expenseTypeCode`),
      transactionDate: date(at(entry, 'entryDate'), `${path}.entryDate`),
      ...(vendorName === undefined ? {} : { vendorName }),
      ...(description === undefined ? {} : { description }),
      amount: amount(at(entry, 'entryApprovedAmount'), currency, `${path}.entryApprovedAmount`),
      ...(originalAmount === undefined ? {} : { originalAmount }),
      ...(exchangeRate === undefined ? {} : { exchangeRate }),
      paymentType: paymentType(payees),
      personal: str(at(entry, 'entryIsPersonal')) === 'Y',
      ...(cardTransactionId === undefined ? {} : { cardTransactionId }),
      allocations,
      taxLines,
      attachments,
    };
    return result;
  });
  if (entries.length === 0) invalid('document has no expense entries', 'document.expenseEntry');
  const totalSource = at(report, 'totalApprovedAmount');
  const total =
    totalSource === undefined || totalSource === null
      ? sum(
          entries.map((e) => e.amount),
          currency,
        )
      : amount(totalSource, currency, 'document.report.totalApprovedAmount');
  const owedToEmployee = journal
    .filter((l) => l.payee === 'EMPL')
    .reduce((acc, l) => add(acc, l.gross), zero(currency));
  const cashAdvances = readCashAdvanceApplications(document, currency);
  const cashAdvanceReturns = readCashAdvanceReturns(report, currency);
  const reportId = str(at(report, 'reportId')) ?? documentId;
  const reportKey = str(at(report, 'reportKey'));
  const submittedAt =
    str(at(report, 'reportSubmitDate')) ?? invalid('reportSubmitDate missing', 'document.report.reportSubmitDate');
  // The report reaches payment processing once its last approval is given: the approval time FIS carries.
  const approvedAt = str(at(report, 'reportPaymentProcessingDate'));
  const canonical: ExpenseReport = {
    id: reportId,
    refs: { [SYSTEM]: documentId },
    ...(reportKey === undefined ? {} : { reportNumber: reportKey }),
    name: str(at(report, 'reportName')) ?? reportId,
    employeeId: str(at(employee, 'employeeId')) ?? invalid('employeeId missing', 'document.employee.employeeId'),
    companyCode: companyId === '' ? (str(at(report, 'ledgerCode')) ?? 'DEFAULT') : companyId,
    currency,
    status: 'approved',
    submittedAt,
    ...(approvedAt === undefined ? {} : { approvedAt }),
    entries,
    cardTransactions: [...cardTransactions.values()],
    cashAdvances,
    total,
    reimbursableAmount: subtract(
      owedToEmployee,
      sum(
        cashAdvances.map((advance) => advance.appliedAmount),
        currency,
      ),
    ),
    approvals: [],
    attachments: entries.flatMap((e) => e.attachments),
  };
  const docType = str(at(item, 'docType')) ?? 'expense';
  const revision = str(at(report, 'revisionNumber'));
  return {
    documentId,
    ...(revision === undefined ? {} : { revision }),
    docType: (docType === 'invoice' || docType === 'cashadvance' ? docType : 'expense') satisfies ExpenseDocType,
    companyId,
    status: str(at(item, 'docStatus')) ?? 'READY',
    report: canonical,
    journal,
    ...(cashAdvanceReturns === undefined ? {} : { cashAdvanceReturns }),
  };
}

/**
 * The receipt images of an entry, by the ids FIS gives (`entryReceiptId` for an image the user
 * attached, `entryElectronicReceiptId` for an e-receipt), as `urn:concur:receipt:<id>` links. The
 * image itself is served by Concur's receipt image service, which is not in the contract [gap].
 */
function receiptsOf(entry: JsonValue): ExpenseEntry['attachments'] {
  const out: ExpenseEntry['attachments'] = [];
  const image = str(at(entry, 'entryReceiptId'));
  const electronic = str(at(entry, 'entryElectronicReceiptId'));
  if (image !== undefined && /^[A-Za-z0-9._-]{1,128}$/.test(image))
    out.push({ kind: 'receipt', uri: `urn:concur:receipt:${image}`, name: `receipt ${image}` });
  if (electronic !== undefined && /^[A-Za-z0-9._-]{1,128}$/.test(electronic))
    out.push({ kind: 'receipt', uri: `urn:concur:e-receipt:${electronic}`, name: `e-receipt ${electronic}` });
  return out;
}

/**
 * The amount as spent of an entry in another currency than the report's: `reportEntryTransactionAmount`
 * in `entryCurrAlphaCode`. The entry's other amounts (`entryApprovedAmount`, the journal) are already
 * in the report currency, converted at `entryExchangeRate`.
 */
function spentAmount(entry: JsonValue, reportCurrency: string, path: string): MoneyShape | undefined {
  const spentCurrency = str(at(entry, 'entryCurrAlphaCode'));
  if (spentCurrency === undefined || spentCurrency === reportCurrency) return undefined;
  return optionalAmount(
    at(entry, 'reportEntryTransactionAmount'),
    spentCurrency,
    `${path}.reportEntryTransactionAmount`,
  );
}

function taxCodeOf(tax: JsonValue): string {
  return str(at(tax, 'taxAuthorityLabel')) ?? str(at(tax, 'taxReclaimCode')) ?? str(at(tax, 'taxCode')) ?? 'TAX';
}
