/**
 * The port's confirmations as FIS v4 request bodies (`FIS_REQUESTS` of the contract facts): a
 * posting confirmation item and a payment confirmation item with the published clearing reference.
 */
import { parseMoney } from '../../canonical/money.js';
import { JsonNumber, type JsonObject } from '../../canonical/strict-json.js';
import type { PaymentConfirmation, PostingConfirmation } from '../ports/expense-port.js';
import { FIS_REQUESTS } from './concur-contract-facts.js';

/** A `postingConfirmations[]` item. */
export function postingConfirmationBody(c: PostingConfirmation): JsonObject {
  if (c.status === 'success') {
    return {
      docId: c.documentId,
      overallPostingStatusCode: 'success',
      postingDocs: c.erpDocuments.map((d) => ({
        companyId: d.companyCode,
        documentNumber: d.documentNumber,
        fiscalYear: d.fiscalYear,
        postingDate: d.postingDate,
      })),
      systemMessages: [],
    };
  }
  return {
    docId: c.documentId,
    overallPostingStatusCode: 'error',
    postingDocs: [],
    systemMessages: c.messages.map((m) => ({
      ...(m.lineItemId === undefined ? {} : { concurTransactionLineItemId: m.lineItemId }),
      ...(m.id === undefined ? {} : { messageId: m.id }),
      messageLanguage: 'EN',
      messageLongText: (m.longText ?? m.shortText).slice(0, FIS_REQUESTS.systemMessage.textMaxLength),
      messageShortText: m.shortText.slice(0, FIS_REQUESTS.systemMessage.textMaxLength),
    })),
  };
}

const PAYMENT_CODES = { paid: 'CP', partly_paid: 'PP', reversed: 'RE', obsolete: 'OB' } as const;

/** A `processingConfirmation[]` item; amounts written from their decimal text as JSON numbers. */
export function paymentConfirmationBody(c: PaymentConfirmation): JsonObject {
  return {
    docId: c.documentId,
    processingStatusCode: PAYMENT_CODES[c.status],
    clearingDetails: c.clearings.map((d) => {
      const reference = clearingReference(d.reference ?? {});
      return {
        clearingDate: d.clearingDate,
        clearingAmount: new JsonNumber(parseMoney(d.amount.amount, d.amount.currency).amount),
        clearingCurrency: d.amount.currency,
        ...(Object.keys(reference).length === 0 ? {} : { clearingReference: reference }),
      };
    }),
  };
}

/**
 * The published `clearingReference` (`FIS_REQUESTS.clearingReference`: companyCode,
 * financialDocumentId, fiscalYear, paymentRef, paymentMethod E|C) from the ERP's payment facts: the
 * clearing (payment) document is the `financialDocumentId`; `paymentRef` is
 * `companyCode/document/fiscalYear`, as in the vendor's example (`US01/667799/2019/2`, without the
 * trailing item number we do not have). Keys the contract does not name are not sent.
 */
export function clearingReference(given: Readonly<Record<string, string>>): Record<string, string> {
  const companyCode = given['companyCode'];
  const financialDocumentId = given['financialDocumentId'] ?? given['clearingDocument'] ?? given['accountingDocument'];
  const fiscalYear = given['fiscalYear'];
  const paymentRef =
    given['paymentRef'] ??
    (companyCode !== undefined && financialDocumentId !== undefined && fiscalYear !== undefined
      ? `${companyCode}/${financialDocumentId}/${fiscalYear}`
      : financialDocumentId);
  const method = given['paymentMethod'];
  const out: Record<string, string> = {};
  for (const [key, value] of [
    ['companyCode', companyCode],
    ['financialDocumentId', financialDocumentId],
    ['fiscalYear', fiscalYear],
    ['paymentRef', paymentRef],
    [
      'paymentMethod',
      method !== undefined && (FIS_REQUESTS.paymentMethods as readonly string[]).includes(method) ? method : undefined,
    ],
  ] as const) {
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}
