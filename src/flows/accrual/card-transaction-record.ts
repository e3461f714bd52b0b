/**
 * Company card charges not yet on an expense report, for period-end accruals. The expense platform's
 * Financial Integration Service hands card charges over only on the documents that carry them (its
 * document types are expense, invoice, cashadvance, payroll and obligation; see fis-cards.ts), so a
 * charge not yet on a report reaches the hub from the card feed: `card_transaction.posted` posted to
 * /v1/events/<expense system>, e.g. by the card program's daily statement import:
 *
 *   { "type": "card_transaction.posted",
 *     "transaction": { "id": "<issuer's transaction id, FIS cardTransactionID>", "companyCode": "1010",
 *                      "transactionDate": "2019-06-20", "amount": { "amount": "56.10", "currency": "EUR" },
 *                      "cardAccountId"?: "…", "merchantName"?: "…" } }
 *
 * Flow `card-transaction`, run key `card-transaction:<expense system>:<transaction id>:1` (a charge
 * is kept once however often it is sent); one step, `record`, checks it and keeps it as the run's
 * facts (entity, amount, the transaction date as its approval), writing nothing anywhere. Expense
 * posting records which charges a report carries (identity map, `card_transaction`); the accrual
 * source leaves those out, since the report is posted or accrued itself.
 */
import { isLedgerlinkError, LedgerlinkError } from '../../canonical/errors.js';
import { parseMoney } from '../../canonical/money.js';
import { CARD_ON_REPORT, CARD_TRANSACTION_FLOW } from '../../canonical/processes.js';
import { asJsonObject, ownText, ownValue, type JsonValue } from '../../canonical/strict-json.js';
import type { ExpenseDocument } from '../../connectors/port.js';
import type { FlowDefinition, InboundEvent, StepHandler } from '../../engine/step-api.js';
import type { IdentityMap } from '../../hub/ports.js';

export const CARD_TRANSACTION_POSTED = 'card_transaction.posted';

export interface CardTransactionOptions {
  readonly expense: { readonly system: string };
  readonly maxAttempts?: number;
}

/** The card charge an event carries, read strictly: amount a decimal string, date YYYY-MM-DD. */
export interface RecordedCardTransaction {
  readonly id: string;
  readonly companyCode: string;
  readonly transactionDate: string;
  readonly amount: { readonly amount: string; readonly currency: string };
  readonly cardAccountId?: string;
  readonly merchantName?: string;
}

function transactionOf(payload: JsonValue): Record<string, JsonValue> | undefined {
  const root = asJsonObject(payload);
  return root === undefined ? undefined : asJsonObject(ownValue(root, 'transaction'));
}

function invalid(message: string, path: string): LedgerlinkError {
  return new LedgerlinkError('LL_ERR_VALIDATION', `Card transaction not kept: ${message}; send it again corrected`, {
    details: [{ path, message }],
  });
}

export function readCardTransaction(payload: JsonValue): RecordedCardTransaction {
  const tx = transactionOf(payload);
  const id = tx === undefined ? undefined : ownText(tx, ['id']);
  if (tx === undefined || id === undefined) throw invalid('no transaction id', 'transaction.id');
  const companyCode = ownText(tx, ['companyCode']);
  if (companyCode === undefined) throw invalid('no company code', 'transaction.companyCode');
  const transactionDate = ownText(tx, ['transactionDate']);
  if (
    transactionDate === undefined ||
    !/^\d{4}-\d{2}-\d{2}$/.test(transactionDate) ||
    Number.isNaN(Date.parse(transactionDate))
  )
    throw invalid('transactionDate must be YYYY-MM-DD', 'transaction.transactionDate');
  const amount = asJsonObject(ownValue(tx, 'amount'));
  const currency = amount === undefined ? undefined : ownText(amount, ['currency']);
  if (amount === undefined || currency === undefined)
    throw invalid('amount needs amount and currency', 'transaction.amount');
  const money = parseMoney(ownValue(amount, 'amount'), currency, 'transaction.amount.amount');
  const cardAccountId = ownText(tx, ['cardAccountId']);
  const merchantName = ownText(tx, ['merchantName']);
  return {
    id,
    companyCode,
    transactionDate,
    amount: { amount: money.amount, currency: money.currency },
    ...(cardAccountId === undefined ? {} : { cardAccountId }),
    ...(merchantName === undefined ? {} : { merchantName }),
  };
}

export function cardTransactionFlow(o: CardTransactionOptions): FlowDefinition {
  const record: StepHandler = async (ctx) => {
    const transaction = readCardTransaction(ctx.run.input);
    return {
      done: true as const,
      state: { transaction },
      facts: {
        entity: transaction.companyCode,
        amount: transaction.amount,
        approvedAt: Date.parse(`${transaction.transactionDate}T00:00:00Z`),
      },
    };
  };
  return {
    name: CARD_TRANSACTION_FLOW,
    firstStep: 'record',
    ...(o.maxAttempts === undefined ? {} : { maxAttempts: o.maxAttempts }),
    route(event: InboundEvent) {
      if (event.system !== o.expense.system || event.eventType !== CARD_TRANSACTION_POSTED) return null;
      const tx = transactionOf(event.payload);
      const id = tx === undefined ? undefined : ownText(tx, ['id']);
      if (id === undefined)
        throw new LedgerlinkError(
          'LL_ERR_RUN_KEY_INVALID',
          'A card_transaction.posted event needs "transaction": { "id", … }; ask the sender to include it',
          { details: [{ path: 'transaction.id', message: 'required' }] },
        );
      return { documentId: id, version: '1', input: event.payload };
    },
    steps: { record },
  };
}

/**
 * Records the card charges a report carries (identity map `card_transaction`, `<expense>:<id>` ↔
 * `<expense>:report` `<report document>:<id>`), so accruals leave them out. A charge already linked
 * to another report keeps its first link.
 */
export async function noteCardsOnReport(
  identity: IdentityMap,
  expenseSystem: string,
  documentId: string,
  document: ExpenseDocument,
): Promise<void> {
  for (const card of document.report.cardTransactions) {
    try {
      await identity.link(
        CARD_ON_REPORT,
        `${expenseSystem}:${card.id}`,
        `${expenseSystem}:report`,
        `${documentId}:${card.id}`,
      );
    } catch (error) {
      // Linked to another report before: that report accounts for the charge.
      if (!isLedgerlinkError(error) || error.code !== 'LL_ERR_ILLEGAL_TRANSITION') throw error;
    }
  }
}
