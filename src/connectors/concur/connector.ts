/**
 * The SAP Concur connector: ExpensePort over the Financial Integration Service v4 and List Item v4.
 * Per-item service codes answered inside HTTP 200 (`FIS_SERVICE_CODES`) are classified here: 0 done;
 * 101 (already acknowledged), 113 (confirmation already posted) and 298 (a payment confirmation
 * answered NOOP: it already exists) done before, a success; 199 (unknown, retry later)
 * LL_ERR_REMOTE_TRANSIENT; 198 (invalid, do not retry) and every other refusal (99 systemId mismatch,
 * 102/112 recalled, 103 not ready, 104/116 not found, 105/115 wrong type, 111 not acknowledged, 114
 * unknown state) LL_ERR_REMOTE_REJECTED with the code in the details.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import type {
  CashAdvanceDocument,
  ExpenseDocType,
  ExpenseDocument,
  ExpensePort,
  ItemOutcome,
  HeldListValue,
  ListValue,
  PaymentConfirmation,
  PostingConfirmation,
  ReadyDocumentRef,
} from '../ports/expense-port.js';
import { FIS_SERVICE_CODES } from './concur-contract-facts.js';
import { ConcurHttpClient, type ConcurClientOptions, type FisOperation, type ItemResult } from './client.js';
import { documentIdOf, toCashAdvanceDocument } from './fis-cash-advances.js';
import { at, str } from './fis-values.js';
import { paymentConfirmationBody, postingConfirmationBody, SYSTEM, toExpenseDocument } from './translate.js';
import type { ContractCheckable, ContractFinding } from '../ports/contract-check.js';
import { checkConcurContract } from './contract-check.js';
import { refusedAsAWhole, RequestCoalescer } from '../http/request-coalescer.js';
import type { JsonObject, JsonValue } from '../../canonical/strict-json.js';

export type ConcurConnectorOptions = ConcurClientOptions;

const ALREADY_DONE: ReadonlySet<number> = new Set([101, 113, FIS_SERVICE_CODES.noop]);
const RETRY_LATER = 199;

/** The outcome of one per-item result, or the coded error it stands for. */
export function classifyItem(result: ItemResult, operation: string): ItemOutcome {
  if (result.code === 0 || ALREADY_DONE.has(result.code)) {
    return {
      documentId: result.docId,
      code: result.code,
      alreadyDone: result.code !== 0 || result.result === 'NOOP',
      message: result.message,
    };
  }
  const meaning = FIS_SERVICE_CODES.codes[result.code]?.description ?? 'refused';
  const details = [
    {
      message: result.message === '' ? meaning : result.message,
      itemCode: result.code,
      documentId: result.docId,
      operation,
      system: SYSTEM,
    },
  ];
  const message = `${SYSTEM} ${operation} for ${result.docId}: ${result.code} (${meaning})`;
  if (result.code === RETRY_LATER)
    return throwing(new LedgerlinkError('LL_ERR_REMOTE_TRANSIENT', message, { details }));
  return throwing(new LedgerlinkError('LL_ERR_REMOTE_REJECTED', message, { details }));
}

function throwing(error: LedgerlinkError): never {
  throw error;
}

/** Each operation's array field in the request body (FinancialIntegrationService.swagger2.json). */
const ITEM_FIELDS: Record<FisOperation, string> = {
  acknowledgements: 'ids',
  postingconfirmations: 'postingConfirmations',
  paymentconfirmations: 'processingConfirmation',
};

/**
 * Items one request carries at most. The published contract takes an array and states no maximum;
 * 50 keeps a refused request small to send again item by item.
 */
export const FIS_ITEMS_PER_REQUEST = 50;

interface FisItem {
  readonly docType: ExpenseDocType;
  readonly operation: FisOperation;
  readonly documentId: string;
  readonly element: JsonValue;
}

export class ConcurConnector implements ExpensePort, ContractCheckable {
  readonly client: ConcurHttpClient;
  readonly #systemId: string;
  /** Acknowledgements and confirmations of documents posted at the same time share requests. */
  readonly #items: RequestCoalescer<FisItem, ItemResult>;

  constructor(options: ConcurConnectorOptions) {
    this.client = new ConcurHttpClient(options);
    this.#systemId = options.systemId;
    this.#items = new RequestCoalescer<FisItem, ItemResult>({
      maxItems: FIS_ITEMS_PER_REQUEST,
      maxInFlight: 2,
      splitWhen: refusedAsAWhole,
      send: (_key, items) => this.sendItems(items),
    });
  }

  /** Requests that carried acknowledgements and confirmations so far. */
  get itemRequests(): number {
    return this.#items.requests;
  }

  /** Read-only check of the tenant against concur-contract-facts.ts (token, one FIS page). */
  checkContract(): Promise<ContractFinding[]> {
    return checkConcurContract(this.client, this.#systemId);
  }

  async readyDocuments(docType: ExpenseDocType = 'expense'): Promise<ExpenseDocument[]> {
    const items = await this.client.readyDocuments(docType);
    return items.map(toExpenseDocument);
  }

  async readDocument(documentId: string, docType: ExpenseDocType = 'expense'): Promise<ExpenseDocument | null> {
    const items = await this.client.readyDocuments(docType, documentId);
    const documents = items.map(toExpenseDocument).filter((d) => d.documentId === documentId);
    return documents[0] ?? null;
  }

  async readyDocumentRefs(docType: ExpenseDocType): Promise<ReadyDocumentRef[]> {
    const items = await this.client.readyDocuments(docType);
    return items.map((item) => {
      const revision = str(at(at(at(item, 'document'), 'report'), 'revisionNumber'));
      return {
        documentId: documentIdOf(item),
        docType,
        status: str(at(item, 'docStatus')) ?? 'READY',
        ...(revision === undefined ? {} : { revision }),
      };
    });
  }

  async readCashAdvance(documentId: string): Promise<CashAdvanceDocument | null> {
    const items = await this.client.readyDocuments('cashadvance', documentId);
    const item = items.find((i) => str(at(i, 'id')) === documentId);
    return item === undefined ? null : toCashAdvanceDocument(item);
  }

  acknowledge(documentId: string, docType: ExpenseDocType = 'expense'): Promise<ItemOutcome> {
    return this.one({
      docType,
      operation: 'acknowledgements',
      documentId,
      element: documentId,
    });
  }

  confirmPosting(confirmation: PostingConfirmation, docType: ExpenseDocType = 'expense'): Promise<ItemOutcome> {
    return this.one({
      docType,
      operation: 'postingconfirmations',
      documentId: confirmation.documentId,
      element: postingConfirmationBody(confirmation),
    });
  }

  confirmPayment(confirmation: PaymentConfirmation, docType: ExpenseDocType = 'expense'): Promise<ItemOutcome> {
    return this.one({
      docType,
      operation: 'paymentconfirmations',
      documentId: confirmation.documentId,
      element: paymentConfirmationBody(confirmation),
    });
  }

  async publishListValues(
    listId: string,
    values: readonly ListValue[],
  ): Promise<{ created: number; updated: number; unchanged: number; deactivated: number }> {
    // Our codes are first-level items: the code is the item's shortCode (its long code is the same at level 1).
    const existing = new Map((await this.client.listItems(listId)).map((item) => [item.shortCode, item]));
    const counts = { created: 0, updated: 0, unchanged: 0, deactivated: 0 };
    for (const value of values) {
      const held = existing.get(value.code);
      if (value.active === false) {
        if (held === undefined) counts.unchanged++;
        else {
          await this.client.deleteListItem(listId, held.id);
          counts.deactivated++;
        }
      } else if (held === undefined) {
        await this.client.createListItem(listId, value.code, value.value);
        counts.created++;
      } else if (held.value !== value.value) {
        await this.client.updateListItem(held.id, held.shortCode, value.value);
        counts.updated++;
      } else counts.unchanged++;
    }
    return counts;
  }

  async listValues(listId: string): Promise<HeldListValue[]> {
    return (await this.client.listItems(listId)).map((item) => ({
      id: item.id,
      code: item.shortCode,
      value: item.value,
      active: true,
    }));
  }

  private async one(item: FisItem): Promise<ItemOutcome> {
    const result = await this.#items.submit(`${item.docType}/${item.operation}`, item);
    return classifyItem({ ...result, docId: item.documentId }, item.operation);
  }

  /** One request for several documents' items; each document's result found by its `docId`. */
  private async sendItems(items: readonly FisItem[]): Promise<(ItemResult | Error)[]> {
    const { docType, operation } = items[0]!;
    const body: JsonObject = { [ITEM_FIELDS[operation]]: items.map((i) => i.element) };
    const results = await this.client.post(docType, operation, body);
    return items.map(
      ({ documentId }) =>
        results.find((r) => r.docId === documentId) ??
        (items.length === 1 && results.length === 1
          ? results[0]!
          : new LedgerlinkError(
              'LL_ERR_REMOTE_TRANSIENT',
              `${SYSTEM} ${operation} answered no result for ${documentId}`,
              {
                details: [{ message: 'no per-item result', documentId, operation }],
              },
            )),
    );
  }
}
