/**
 * Company card charges of a FIS expense document, as the canonical CardTransaction (cash advances:
 * fis-cash-advances.ts).
 *
 * FIS field names used, all seen in the sample documents (../shared/fixtures/concur-fis/):
 * on `expenseEntry[]` `cardTransactionID`, `cardAccountID` (an opaque GUID, not a card number),
 * `cardProgramTypeCode`, `cardTransactionAmount`/`cardTransactionCurrency`,
 * `cardTransactionPostedAmount`/`cardTransactionPostedCurrency`, `entryVendorDescription`,
 * `entryDate`; on `journal[]` `journalPayer`/`journalPayee` and `cardTransactionReferenceNumber`.
 *
 * Not in the samples nor in the vendor contract [gap], so not read: any card number (masked, BIN or
 * last four), a card transaction date or posting date of its own (the entry date is used as the
 * transaction date), and the merchant's country.
 */
import type { CardTransaction, MoneyShape } from '../../canonical/model/index.js';
import type { JsonValue } from '../../canonical/strict-json.js';
import { arr, at, date, invalid, optionalAmount, str, SYSTEM } from './fis-values.js';

/** Payer/payee codes of a company card: individually billed and company-billed, company paid. */
const CARD_BILLING: Readonly<Record<string, NonNullable<CardTransaction['billing']>>> = {
  IBCP: 'individual',
  CBCP: 'company',
};

export function isCardCode(code: string): boolean {
  return Object.hasOwn(CARD_BILLING, code);
}

/**
 * The card charge behind one entry, or undefined when the entry has none. An entry is a card
 * charge when it names a `cardTransactionID` or when a journal line has IBCP or CBCP as payer or
 * payee; `codes` are the payer and payee codes of the entry's journal lines.
 */
export function readCardTransaction(
  entry: JsonValue,
  path: string,
  codes: readonly string[],
  currency: string,
): CardTransaction | undefined {
  const cardCodes = [...new Set(codes.filter(isCardCode))];
  const transactionId = str(at(entry, 'cardTransactionID'));
  if (transactionId === undefined && cardCodes.length === 0) return undefined;
  const journalLines = arr(at(entry, 'allocation')).flatMap((allocation) => arr(at(allocation, 'journal')));
  const statementReference = journalLines
    .map((line) => str(at(line, 'cardTransactionReferenceNumber')))
    .find((ref) => ref !== undefined);
  // Several published examples pay entries by card (IBCP/CBCP) with no cardTransactionID, no
  // statement reference and no card amounts: the entry is still paid by company card, but there is
  // no card charge to link it to.
  if (transactionId === undefined && statementReference === undefined) return undefined;
  const id = transactionId ?? statementReference ?? invalid('card transaction without id', `${path}.cardTransactionID`);
  const chargedCurrency = str(at(entry, 'cardTransactionCurrency')) ?? currency;
  const charged = optionalAmount(at(entry, 'cardTransactionAmount'), chargedCurrency, `${path}.cardTransactionAmount`);
  const postedCurrency = str(at(entry, 'cardTransactionPostedCurrency')) ?? chargedCurrency;
  const posted = optionalAmount(
    at(entry, 'cardTransactionPostedAmount'),
    postedCurrency,
    `${path}.cardTransactionPostedAmount`,
  );
  const billedAmount =
    posted ?? charged ?? invalid('card transaction amount missing', `${path}.cardTransactionPostedAmount`);
  const originalAmount = charged !== undefined && !sameMoney(charged, billedAmount) ? charged : undefined;
  // Both codes on one entry would be contradictory; then the billing is left open.
  const billing = cardCodes.length === 1 && cardCodes[0] !== undefined ? CARD_BILLING[cardCodes[0]] : undefined;
  const cardAccountId = str(at(entry, 'cardAccountID'));
  const cardProgram = str(at(entry, 'cardProgramTypeCode'));
  const merchantName = str(at(entry, 'entryVendorDescription'));
  return {
    id,
    refs: { [SYSTEM]: id },
    ...(cardAccountId === undefined ? {} : { cardAccountId }),
    ...(cardProgram === undefined ? {} : { cardProgram }),
    ...(billing === undefined ? {} : { billing }),
    ...(statementReference === undefined ? {} : { statementReference }),
    ...(merchantName === undefined ? {} : { merchantName }),
    transactionDate: date(at(entry, 'entryDate'), `${path}.entryDate`),
    billedAmount,
    ...(originalAmount === undefined ? {} : { originalAmount }),
  };
}

function sameMoney(a: MoneyShape, b: MoneyShape): boolean {
  return a.currency === b.currency && a.amount === b.amount;
}
