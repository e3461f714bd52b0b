/**
 * Cash advances in FIS v4 documents: the applications of an expense report and the issued advance
 * of a `cashadvance` document, read strictly (unknown transaction types refused, amounts from the
 * JSON number's source text, never through a JS number).
 *
 * Field names, from the sample documents of Concur's Financial Integration Service documentation
 * (developer.concur.com, Financial Integration Service):
 * - expense document, `document.cashAdvanceApplication[]`: `cashAdvanceId`,
 *   `cashAdvanceApplicationAmount` (report currency; negative reduces what the employee is owed),
 *   `cashAdvanceClearingAccountCode`, `cashAdvanceTransactionType` (2 = applied to a report);
 *   `document.report.cashAdvanceReturnsAmount` (cash the employee handed back).
 * - cash advance document: `document.employeeData{employeeId, employeeFirstName, employeeLastName}`,
 *   `document.cashAdvanceData{cashAdvanceId, name, currencyAlphaCode, requestAmount, requestDate,
 *   issuedDate, exchangeRate, employeeCurrencyAlphaCode, clearingAccountCode, paymentMethod, isTest,
 *   transactionType (1 = issued), cardTransactionID}`, `document.journalData[]{accountCode, amount,
 *   debitOrCredit (DR|CR), payer, payee, paymentCode}`.
 * Other transaction types are not documented with their meaning, so they are refused rather than
 * guessed at.
 */
import type { CashAdvance, MoneyShape } from '../../canonical/model/index.js';
import { add, compare, negate, subtract, zero } from '../../canonical/money.js';
import type { JsonValue } from '../../canonical/strict-json.js';
import type { CashAdvanceDocument, CashAdvanceJournalLine } from '../ports/expense-port.js';
import { amount, at, date, decimalText, invalid, obj, optionalAmount, str, SYSTEM } from './fis-values.js';

/** `cashAdvanceTransactionType` of an application to a report. */
const APPLIED_TO_REPORT = '2';
/** `transactionType` of an issued advance. */
const ISSUED = '1';

/** The array under `key`, or [] when absent or null; anything else is refused. */
function listAt(value: JsonValue | undefined, key: string, path: string): JsonValue[] {
  const found = at(value, key);
  if (found === undefined || found === null) return [];
  return Array.isArray(found) ? found : invalid(`${key} is not an array`, path);
}

/**
 * The cash advances a report applies, from `cashAdvanceApplication[]`, in the report currency. The
 * canonical `appliedAmount` is what the application takes off the employee's reimbursement: the FIS
 * amount with its sign turned (FIS −50 applies 50).
 */
export function readCashAdvanceApplications(document: JsonValue, currency: string): CashAdvance[] {
  return listAt(document, 'cashAdvanceApplication', 'document.cashAdvanceApplication').map((application, i) => {
    const path = `document.cashAdvanceApplication[${i}]`;
    if (obj(application) === undefined) invalid('a cash advance application is not an object', path);
    const type = str(at(application, 'cashAdvanceTransactionType'));
    if (type !== APPLIED_TO_REPORT) {
      invalid(
        `cash advance transaction type ${type ?? '(none)'} at ${path}.cashAdvanceTransactionType is not 2 (applied to a report); only applications to a report are posted, other types are not read`,
        `${path}.cashAdvanceTransactionType`,
      );
    }
    const id = str(at(application, 'cashAdvanceId')) ?? invalid('cashAdvanceId missing', `${path}.cashAdvanceId`);
    const applied = amount(
      at(application, 'cashAdvanceApplicationAmount'),
      currency,
      `${path}.cashAdvanceApplicationAmount`,
    );
    const clearingAccountCode = str(at(application, 'cashAdvanceClearingAccountCode'));
    return {
      id,
      refs: { [SYSTEM]: id },
      appliedAmount: negate(applied),
      ...(clearingAccountCode === undefined ? {} : { clearingAccountCode }),
    };
  });
}

/** `report.cashAdvanceReturnsAmount`: cash the employee handed back, in the report currency. */
export function readCashAdvanceReturns(report: JsonValue, currency: string): MoneyShape | undefined {
  return optionalAmount(at(report, 'cashAdvanceReturnsAmount'), currency, 'document.report.cashAdvanceReturnsAmount');
}

function journalLine(line: JsonValue, currency: string, path: string): CashAdvanceJournalLine {
  const side = str(at(line, 'debitOrCredit'));
  if (side !== 'DR' && side !== 'CR')
    invalid(`debitOrCredit ${side ?? '(none)'} is neither DR nor CR`, `${path}.debitOrCredit`);
  const payer = str(at(line, 'payer')) ?? invalid('payer missing', `${path}.payer`);
  const payee = str(at(line, 'payee')) ?? invalid('payee missing', `${path}.payee`);
  if (payer !== 'COMP' || payee !== 'EMPL') {
    invalid(
      `journal line paid by ${payer} to ${payee}; only advances the company (COMP) pays to the employee (EMPL) are posted`,
      `${path}.payee`,
    );
  }
  const paymentCode = str(at(line, 'paymentCode'));
  return {
    account: str(at(line, 'accountCode')) ?? invalid('accountCode missing', `${path}.accountCode`),
    side: side === 'DR' ? 'D' : 'C',
    amount: amount(at(line, 'amount'), currency, `${path}.amount`),
    payer,
    payee,
    ...(paymentCode === undefined ? {} : { paymentCode }),
  };
}

/** One FIS `content[]` item of docType `cashadvance` to the port's CashAdvanceDocument. */
export function toCashAdvanceDocument(item: JsonValue): CashAdvanceDocument {
  const documentId = str(at(item, 'id')) ?? invalid('document id missing', 'id');
  const docType = str(at(item, 'docType'));
  if (docType !== undefined && docType !== 'cashadvance')
    invalid(`document ${documentId} is of type ${docType}, not cashadvance`, 'docType');
  const document = obj(at(item, 'document')) ?? invalid('document missing', 'document');
  const employee = obj(at(document, 'employeeData')) ?? invalid('employeeData missing', 'document.employeeData');
  const data = obj(at(document, 'cashAdvanceData')) ?? invalid('cashAdvanceData missing', 'document.cashAdvanceData');
  const base = 'document.cashAdvanceData';
  const type = str(at(data, 'transactionType'));
  if (type !== ISSUED) {
    invalid(
      `cash advance transaction type ${type ?? '(none)'} at ${base}.transactionType is not 1 (issued); only issued advances are posted, other types are not read`,
      `${base}.transactionType`,
    );
  }
  const cardTransaction = str(at(data, 'cardTransactionID'));
  if (cardTransaction !== undefined) {
    invalid(
      `the advance was drawn on a company card (card transaction ${cardTransaction}); it is not owed to the employee and is not posted as an advance`,
      `${base}.cardTransactionID`,
    );
  }
  const currency =
    str(at(data, 'currencyAlphaCode')) ?? invalid('currencyAlphaCode missing', `${base}.currencyAlphaCode`);
  const requested = amount(at(data, 'requestAmount'), currency, `${base}.requestAmount`);
  if (compare(requested, zero(currency)) <= 0)
    invalid(`requestAmount ${requested.amount} ${currency} is not a positive advance`, `${base}.requestAmount`);
  const journal = listAt(document, 'journalData', 'document.journalData').map((line, i) =>
    journalLine(line, currency, `document.journalData[${i}]`),
  );
  if (journal.length === 0) invalid('journalData has no lines', 'document.journalData');
  // The journal lines are read in the advance's currency: they must add up to the advance, or nothing is posted.
  const net = journal.reduce(
    (acc, l) => (l.side === 'D' ? add(acc, l.amount) : subtract(acc, l.amount)),
    zero(currency),
  );
  if (compare(net, requested) !== 0) {
    invalid(
      `journalData debits less credits (${net.amount} ${currency}) differ from requestAmount (${requested.amount} ${currency})`,
      'document.journalData',
    );
  }
  const issuedAt = str(at(data, 'issuedDate')) ?? invalid('issuedDate missing', `${base}.issuedDate`);
  date(issuedAt, `${base}.issuedDate`);
  const names = [str(at(employee, 'employeeFirstName')), str(at(employee, 'employeeLastName'))].filter(
    (n) => n !== undefined,
  );
  const name = str(at(data, 'name'));
  const employeeCurrency = str(at(data, 'employeeCurrencyAlphaCode'));
  const exchangeRate = decimalText(at(data, 'exchangeRate'));
  const requestedAt = str(at(data, 'requestDate'));
  const clearingAccountCode = str(at(data, 'clearingAccountCode'));
  const paymentMethod = str(at(data, 'paymentMethod'));
  return {
    documentId,
    docType: 'cashadvance',
    companyId: str(at(item, 'companyId')) ?? '',
    status: str(at(item, 'docStatus')) ?? 'READY',
    cashAdvanceId: str(at(data, 'cashAdvanceId')) ?? invalid('cashAdvanceId missing', `${base}.cashAdvanceId`),
    ...(name === undefined ? {} : { name }),
    employeeId: str(at(employee, 'employeeId')) ?? invalid('employeeId missing', 'document.employeeData.employeeId'),
    ...(names.length === 0 ? {} : { employeeName: names.join(' ') }),
    amount: requested,
    ...(employeeCurrency === undefined ? {} : { employeeCurrency }),
    ...(exchangeRate === undefined ? {} : { exchangeRate }),
    ...(requestedAt === undefined ? {} : { requestedAt }),
    issuedAt,
    ...(clearingAccountCode === undefined ? {} : { clearingAccountCode }),
    ...(paymentMethod === undefined ? {} : { paymentMethod }),
    test: str(at(data, 'isTest')) === 'Y',
    journal,
  };
}

/** The id of a FIS `content[]` item, read without the rest of the document. */
export function documentIdOf(item: JsonValue): string {
  return str(at(item, 'id')) ?? invalid('document id missing', 'id');
}
