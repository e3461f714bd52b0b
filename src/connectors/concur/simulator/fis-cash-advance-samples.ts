/**
 * FIS cash advance documents for tests and the demo, in the shape of the sample document of
 * Concur's Financial Integration Service documentation (docType `cashadvance`): `employeeData`,
 * `cashAdvanceData` (transactionType 1 = issued) and `journalData` (Dr the cash advance clearing
 * account, the company paying the employee). And the `cashAdvanceApplication[]` item an expense
 * report carries when it applies an advance (cashAdvanceTransactionType 2 = applied to a report).
 *
 * Built as JSON text so amounts stay JSON numbers with their source text exactly as given.
 */

export interface IssuedCashAdvance {
  /** The FIS document id. */
  readonly documentId: string;
  /** The advance's id (what a report's application names); default: derived from the document id. */
  readonly cashAdvanceId?: string;
  readonly employeeId: string;
  readonly firstName?: string;
  readonly lastName?: string;
  /** Decimal text, written as a JSON number. */
  readonly amount: string;
  readonly currency: string;
  /** The clearing account code of the journal line (default "12345", as in the sample). */
  readonly accountCode?: string;
  readonly issuedDate?: string;
  readonly name?: string;
  /** `transactionType` (default 1, issued). */
  readonly transactionType?: number;
  readonly companyId?: string;
}

function jsonNumber(text: string): string {
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new Error(`${text} is not a decimal number`);
  return text;
}

/** The advance id the builders use when none is given: 32 upper-case hex-like characters from the document id. */
export function cashAdvanceIdOf(documentId: string): string {
  return documentId
    .replace(/[^0-9A-Za-z]/g, '')
    .toUpperCase()
    .padEnd(32, '0')
    .slice(0, 32);
}

/** One `cashadvance` FIS document (`{ id, docType, companyId, document, docStatus }`) as JSON text. */
export function issuedCashAdvanceDocument(advance: IssuedCashAdvance): string {
  const id = advance.cashAdvanceId ?? cashAdvanceIdOf(advance.documentId);
  const q = (value: string | undefined): string => (value === undefined ? 'null' : JSON.stringify(value));
  const employee =
    `{"employeeFirstName":${q(advance.firstName ?? 'FirstName')},"employeeLastName":${q(advance.lastName ?? 'LastName')},"employeeId":${q(advance.employeeId)},` +
    `"employeeMI":null,"employeeOrgUnit1Code":null,"employeeOrgUnit2Code":null,"employeeCustom1Code":null}`;
  const data =
    `{"locationName":null,"exchangeRate":1,"countryCode":null,"currencyAlphaCode":${q(advance.currency)},"cashAdvanceId":${q(id)},` +
    `"clearingAccountCode":null,"purpose":null,"paymentMethod":0,"requestAmount":${jsonNumber(advance.amount)},"requestDate":"2018-03-03T02:16:51.363Z",` +
    `"issuedDate":${q(advance.issuedDate ?? '2018-03-06T03:54:36.993Z')},"isTest":"N","countrySubCode":null,"requestedDisbursementDate":null,` +
    `"travelStartDate":null,"travelEndDate":null,"currencyNumCode":null,"expensePayIndicator":"N","employeeCurrencyAlphaCode":${q(advance.currency)},` +
    `"cardAccountID":null,"cardTransactionID":null,"cardTransactionAmount":null,"cardTransactionCurrency":null,"cardTransactionPostedAmount":null,` +
    `"cardTransactionPostedCurrency":null,"transactionType":${advance.transactionType ?? 1},"name":${q(advance.name ?? 'Cash Advance')}}`;
  const journal = `[{"accountCode":${q(advance.accountCode ?? '12345')},"amount":${jsonNumber(advance.amount)},"payee":"EMPL","debitOrCredit":"DR","payer":"COMP","paymentCode":"Cash"}]`;
  return (
    `{"id":${q(advance.documentId)},"docType":"cashadvance","companyId":${q(advance.companyId ?? '821599')},` +
    `"document":{"employeeData":${employee},"cashAdvanceData":${data},"journalData":${journal}},"docStatus":"READY"}`
  );
}

/** One `cashAdvanceApplication[]` item as JSON text; `amount` is the FIS amount (negative reduces what the employee is owed). */
export function cashAdvanceApplication(
  cashAdvanceId: string,
  amount: string,
  clearingAccountCode: string | null = '12345',
  transactionType = 2,
): string {
  return (
    `{"cashAdvanceClearingAccountCode":${clearingAccountCode === null ? 'null' : JSON.stringify(clearingAccountCode)},` +
    `"cashAdvanceId":${JSON.stringify(cashAdvanceId)},"cashAdvanceApplicationAmount":${jsonNumber(amount)},"cashAdvanceTransactionType":${transactionType}}`
  );
}
