/**
 * The expense simulator's FIS v4 document queue: documents waiting (READY), acknowledged, posted
 * (POSTING_CONFIRMED_SUCCESS / _FAILURE), paid (PAYMENT_CONFIRMED_*), recalled; the per-item service
 * codes Concur answers inside an HTTP 200 for acknowledgements, posting and payment confirmations
 * (`FIS_SERVICE_CODES` of the contract facts; 298 NOOP for a payment confirmation already recorded).
 */
import { FIS_PAGE, FIS_REQUESTS } from '../concur-contract-facts.js';
import { field, isObject, list, plainFis, text, type FisObject, type FisValue } from './fis-json.js';

export type DocStatus = (typeof FIS_PAGE.docStatuses)[number];

/** Service codes of the contract (v4.financial-integration.markdown, "Service Codes", and the payment example's 298). */
export const ItemCode = {
  OK: 0,
  SYSTEM_MISMATCH: 99,
  ALREADY_ACKNOWLEDGED: 101,
  RECALLED: 102,
  NOT_READY: 103,
  NOT_FOUND: 104,
  WRONG_TYPE: 105,
  NOT_ACKNOWLEDGED: 111,
  RECALLED_AFTER_ACK: 112,
  ALREADY_CONFIRMED: 113,
  WRONG_TYPE_FOR_CONFIRMATION: 115,
  NOT_FOUND_FOR_CONFIRMATION: 116,
  INVALID: 198,
  UNKNOWN: 199,
  NOOP: 298,
} as const;

export interface ItemResult {
  readonly docId: string;
  readonly code: number;
  readonly message: string;
  /** The system the document is bound to (answered as `systemId`). */
  readonly systemId: string | null;
}

export interface FisDocument {
  readonly id: string;
  readonly docType: string;
  readonly companyId: string;
  readonly entityId: string | null;
  readonly companyUuid: string | null;
  /** The ERP system the document is bound to once acknowledged (or seeded with). */
  erpSystemId: string | null;
  status: DocStatus;
  readonly document: FisValue;
  postingConfirmation: FisObject | undefined;
  readonly paymentConfirmations: FisObject[];
}

const STATUSES: ReadonlySet<string> = new Set(FIS_PAGE.docStatuses);
const PAID_STATUS: Readonly<Record<string, DocStatus>> = {
  CP: 'PAYMENT_CONFIRMED_SUCCESS',
  PP: 'PAYMENT_CONFIRMED_SUCCESS',
  RE: 'PAYMENT_CONFIRMED_REVERSED',
  OB: 'PAYMENT_CONFIRMED_OBSOLETE',
};
const PAYABLE: ReadonlySet<DocStatus> = new Set(['POSTING_CONFIRMED_SUCCESS', ...Object.values(PAID_STATUS)]);

export class FisQueue {
  private readonly documents = new Map<string, FisDocument>();
  /** Codes to answer once for a document's next item (simulates Concur's 199/198 answers). */
  private readonly forced = new Map<string, number>();

  add(entry: FisObject): FisDocument {
    const id = text(field(entry, 'id'));
    const document = field(entry, 'document');
    if (id === undefined || id === '' || !isObject(document))
      throw new Error('a FIS document needs an id and a document object');
    const status = text(field(entry, 'docStatus')) ?? 'READY';
    const stored: FisDocument = {
      id,
      docType: text(field(entry, 'docType')) ?? 'expense',
      companyId: text(field(entry, 'companyId')) ?? '',
      entityId: text(field(entry, 'entityId')) ?? null,
      companyUuid: text(field(entry, 'companyUuid')) ?? null,
      erpSystemId: text(field(entry, 'erpSystemId')) || null,
      status: STATUSES.has(status) ? (status as DocStatus) : 'READY',
      document,
      postingConfirmation: undefined,
      paymentConfirmations: [],
    };
    this.documents.set(id, stored);
    return stored;
  }

  clear(): void {
    this.documents.clear();
    this.forced.clear();
  }

  get(id: string): FisDocument | undefined {
    return this.documents.get(id);
  }

  /** Every document held, whatever its status. */
  all(): FisDocument[] {
    return [...this.documents.values()];
  }

  forceCode(docId: string, code: number): void {
    this.forced.set(docId, code);
  }

  recall(docId: string): void {
    const doc = this.documents.get(docId);
    if (doc !== undefined) doc.status = 'RECALLED';
  }

  /**
   * The documents a GET answers, of one type: with `docId` only that one; READY ones only unless
   * `ignoreDocumentStatus=yes` ("If no, only documents that have not been acknowledged/confirmed are
   * returned"; absent is read as no).
   */
  select(docType: string, docId: string | null, ignoreStatus: boolean): FisDocument[] {
    return [...this.documents.values()].filter(
      (d) => d.docType === docType && (docId === null || d.id === docId) && (ignoreStatus || d.status === 'READY'),
    );
  }

  acknowledge(docType: string, docId: string, systemId: string): ItemResult {
    const doc = this.documents.get(docId);
    if (doc === undefined) return result(docId, ItemCode.NOT_FOUND, 'This document does not exist in the FI database.');
    if (doc.docType !== docType)
      return result(docId, ItemCode.WRONG_TYPE, `This document is not of type ${docType}.`, doc);
    const forced = this.takeForced(doc);
    if (forced !== undefined) return forced;
    if (doc.status === 'RECALLED') return result(docId, ItemCode.RECALLED, 'This document has been recalled.', doc);
    if (doc.erpSystemId !== null && doc.erpSystemId !== systemId)
      return result(
        docId,
        ItemCode.SYSTEM_MISMATCH,
        'System ID in request does not match system ID in FI database.',
        doc,
      );
    if (doc.status !== 'READY')
      return result(
        docId,
        ItemCode.ALREADY_ACKNOWLEDGED,
        `This document was previously acknowledged by SystemId: ${doc.erpSystemId ?? 'null'}.`,
        doc,
      );
    doc.status = 'ACKNOWLEDGED';
    doc.erpSystemId = systemId;
    return result(docId, ItemCode.OK, '', doc);
  }

  confirmPosting(docType: string, item: FisObject, systemId: string): ItemResult {
    const docId = text(field(item, 'docId')) ?? '';
    const doc = this.documents.get(docId);
    if (doc === undefined) return result(docId, ItemCode.NOT_FOUND_FOR_CONFIRMATION, 'This document does not exist.');
    if (doc.docType !== docType)
      return result(docId, ItemCode.WRONG_TYPE_FOR_CONFIRMATION, `This document is not of type ${docType}.`, doc);
    const forced = this.takeForced(doc);
    if (forced !== undefined) return forced;
    if (doc.status === 'RECALLED')
      return result(docId, ItemCode.RECALLED_AFTER_ACK, 'This document has been recalled.', doc);
    if (doc.status === 'READY')
      return result(docId, ItemCode.NOT_ACKNOWLEDGED, 'This document has not been acknowledged.', doc);
    if (doc.erpSystemId !== systemId)
      return result(
        docId,
        ItemCode.SYSTEM_MISMATCH,
        'System ID in request does not match system ID in FI database.',
        doc,
      );
    if (doc.status !== 'ACKNOWLEDGED' && doc.status !== 'POSTING_CONFIRMED_FAILURE')
      return result(docId, ItemCode.ALREADY_CONFIRMED, 'Confirmation has been posted for this document.', doc);
    const status = text(field(item, 'overallPostingStatusCode'));
    const postingDocs = list(field(item, 'postingDocs'));
    if (!(FIS_REQUESTS.overallPostingStatusCodes as readonly (string | undefined)[]).includes(status))
      return result(docId, ItemCode.INVALID, 'overallPostingStatusCode must be success or error', doc);
    if (
      status === 'success' &&
      (postingDocs.length === 0 || !postingDocs.every((p) => text(field(p, 'documentNumber')) !== undefined))
    ) {
      return result(docId, ItemCode.INVALID, 'a successful posting needs postingDocs with documentNumber', doc);
    }
    if (status === 'error' && list(field(item, 'systemMessages')).length === 0) {
      return result(docId, ItemCode.INVALID, 'an error confirmation needs systemMessages', doc);
    }
    doc.status = status === 'success' ? 'POSTING_CONFIRMED_SUCCESS' : 'POSTING_CONFIRMED_FAILURE';
    doc.postingConfirmation = item;
    return result(docId, ItemCode.OK, '', doc);
  }

  /** A payment confirmation; the same payment reference confirmed again is 298 NOOP, not an error. */
  confirmPayment(docType: string, item: FisObject, systemId: string): ItemResult & { readonly recorded: boolean } {
    const docId = text(field(item, 'docId')) ?? '';
    const doc = this.documents.get(docId);
    const refused = (code: number, message: string): ItemResult & { readonly recorded: boolean } => ({
      ...result(docId, code, message, doc),
      recorded: false,
    });
    if (doc === undefined) return refused(ItemCode.NOT_FOUND_FOR_CONFIRMATION, 'This document does not exist.');
    if (doc.docType !== docType)
      return refused(ItemCode.WRONG_TYPE_FOR_CONFIRMATION, `This document is not of type ${docType}.`);
    const forced = this.takeForced(doc);
    if (forced !== undefined) return { ...forced, recorded: false };
    if (doc.erpSystemId !== null && systemId !== '' && doc.erpSystemId !== systemId)
      return refused(ItemCode.SYSTEM_MISMATCH, 'System ID in request does not match system ID in FI database.');
    if (!PAYABLE.has(doc.status)) return refused(ItemCode.NOT_READY, 'This document is not posting confirmed.');
    const code = text(field(item, 'processingStatusCode')) ?? '';
    const paid = PAID_STATUS[code];
    if (paid === undefined) return refused(ItemCode.INVALID, 'processingStatusCode must be CP, PP, RE or OB');
    const method = paymentRefOf(item, 'paymentMethod');
    if (method !== undefined && !(FIS_REQUESTS.paymentMethods as readonly string[]).includes(method))
      return refused(ItemCode.INVALID, 'paymentMethod must be E or C');
    const ref = paymentRefOf(item, 'paymentRef');
    const key = JSON.stringify(plainFis(item));
    const repeated = doc.paymentConfirmations.some((p) =>
      ref !== undefined
        ? paymentRefOf(p, 'paymentRef') === ref && text(field(p, 'processingStatusCode')) === code
        : JSON.stringify(plainFis(p)) === key,
    );
    if (repeated) return refused(ItemCode.NOOP, `Payment confirmation already exist ${ref ?? docId}.`);
    doc.paymentConfirmations.push(item);
    doc.status = paid;
    return { ...result(docId, ItemCode.OK, '', doc), recorded: true };
  }

  private takeForced(doc: FisDocument): ItemResult | undefined {
    const code = this.forced.get(doc.id);
    if (code === undefined) return undefined;
    this.forced.delete(doc.id);
    return result(
      doc.id,
      code,
      code === ItemCode.UNKNOWN
        ? 'Unknown error, please try again later.'
        : 'Invalid request - this same request will not work if tried again.',
      doc,
    );
  }
}

/** A clearing reference field of a payment confirmation item (an object, or an array of them as the Swagger types it). */
export function paymentRefOf(item: FisValue, key: string): string | undefined {
  for (const detail of list(field(item, 'clearingDetails'))) {
    const ref = field(detail, 'clearingReference');
    const value = text(field(Array.isArray(ref) ? ref[0] : ref, key));
    if (value !== undefined) return value;
  }
  return undefined;
}

function result(docId: string, code: number, message: string, doc?: FisDocument): ItemResult {
  return { docId, code, message, systemId: doc?.erpSystemId ?? null };
}
