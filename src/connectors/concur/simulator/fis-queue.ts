/**
 * The expense simulator's FIS v4 document queue: documents waiting (READY), acknowledged, posted
 * (POSTING_CONFIRMED_SUCCESS / _FAILURE), recalled; the per-item result codes Concur answers inside
 * an HTTP 200 for acknowledgements, posting confirmations and payment confirmations.
 */
import { field, isObject, list, plainFis, RawNumber, text, type FisObject, type FisValue } from './fis-json.js';

export type DocStatus =
  'READY' | 'ACKNOWLEDGED' | 'POSTING_CONFIRMED_SUCCESS' | 'POSTING_CONFIRMED_FAILURE' | 'RECALLED';

/** Per-item codes of the contract: 0 ok, 99 systemId mismatch, 101 already acknowledged, 102/112
 * recalled, 103 not ready, 104/116 not found, 111 not acknowledged, 113 already posted, 198 invalid,
 * 199 unknown (retry later). */
export const ItemCode = {
  OK: 0,
  SYSTEM_MISMATCH: 99,
  ALREADY_ACKNOWLEDGED: 101,
  RECALLED: 102,
  NOT_READY: 103,
  NOT_FOUND: 104,
  NOT_ACKNOWLEDGED: 111,
  RECALLED_AFTER_ACK: 112,
  ALREADY_CONFIRMED: 113,
  NOT_FOUND_FOR_CONFIRMATION: 116,
  INVALID: 198,
  UNKNOWN: 199,
} as const;

export interface ItemResult {
  readonly docId: string;
  readonly code: number;
  readonly message: string;
}

export interface FisDocument {
  readonly id: string;
  readonly docType: string;
  readonly companyId: string;
  /** The ERP system the document is bound to once acknowledged (or seeded with). */
  erpSystemId: string | null;
  status: DocStatus;
  readonly document: FisValue;
  postingConfirmation: FisObject | undefined;
  readonly paymentConfirmations: FisObject[];
}

/** A posting as the document implies it: Dr net of reclaim, Dr reclaimable tax, Cr the payee (gross). */
export interface ImpliedLine {
  readonly account: string;
  readonly side: 'D' | 'C';
  readonly amount: string;
  readonly costCenter?: string;
  readonly taxCode?: string;
  readonly partner?: string;
}

export class FisQueue {
  private readonly documents = new Map<string, FisDocument>();
  /** Codes to answer once for a document's next item (simulates Concur's 199/198 answers). */
  private readonly forced = new Map<string, number>();

  add(entry: FisObject): FisDocument {
    const id = text(field(entry, 'id'));
    const document = field(entry, 'document');
    if (id === undefined || id === '' || !isObject(document))
      throw new Error('a FIS document needs an id and a document object');
    const status = text(field(entry, 'docStatus'));
    const stored: FisDocument = {
      id,
      docType: text(field(entry, 'docType')) ?? 'expense',
      companyId: text(field(entry, 'companyId')) ?? '',
      erpSystemId: text(field(entry, 'erpSystemId')) || null,
      status:
        status === 'ACKNOWLEDGED' || status === 'POSTING_CONFIRMED_SUCCESS' || status === 'POSTING_CONFIRMED_FAILURE'
          ? status
          : 'READY',
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

  /** Documents waiting for the ERP (READY), of one type, optionally for one document id. */
  waiting(docType: string, docId: string | null): FisDocument[] {
    return [...this.documents.values()].filter(
      (d) => d.docType === docType && (docId === null ? d.status === 'READY' : d.id === docId),
    );
  }

  acknowledge(docType: string, docId: string, systemId: string): ItemResult {
    const doc = this.lookup(docType, docId);
    if (doc === undefined) return result(docId, ItemCode.NOT_FOUND, 'document not found');
    const forced = this.takeForced(docId);
    if (forced !== undefined) return forced;
    if (doc.status === 'RECALLED') return result(docId, ItemCode.RECALLED, 'document was recalled');
    if (doc.erpSystemId !== null && doc.erpSystemId !== systemId)
      return result(docId, ItemCode.SYSTEM_MISMATCH, 'systemId does not match');
    if (doc.status !== 'READY') return result(docId, ItemCode.ALREADY_ACKNOWLEDGED, 'document already acknowledged');
    doc.status = 'ACKNOWLEDGED';
    doc.erpSystemId = systemId;
    return result(docId, ItemCode.OK, 'acknowledged');
  }

  confirmPosting(docType: string, item: FisObject, systemId: string): ItemResult {
    const docId = text(field(item, 'docId')) ?? '';
    const doc = this.lookup(docType, docId);
    if (doc === undefined) return result(docId, ItemCode.NOT_FOUND_FOR_CONFIRMATION, 'document not found');
    const forced = this.takeForced(docId);
    if (forced !== undefined) return forced;
    if (doc.status === 'RECALLED') return result(docId, ItemCode.RECALLED_AFTER_ACK, 'document was recalled');
    if (doc.status === 'READY') return result(docId, ItemCode.NOT_ACKNOWLEDGED, 'document has not been acknowledged');
    if (doc.erpSystemId !== systemId) return result(docId, ItemCode.SYSTEM_MISMATCH, 'systemId does not match');
    if (doc.status === 'POSTING_CONFIRMED_SUCCESS')
      return result(docId, ItemCode.ALREADY_CONFIRMED, 'posting confirmation already posted');
    const status = text(field(item, 'overallPostingStatusCode'));
    const postingDocs = list(field(item, 'postingDocs'));
    if (status !== 'success' && status !== 'error')
      return result(docId, ItemCode.INVALID, 'overallPostingStatusCode must be success or error');
    if (
      status === 'success' &&
      (postingDocs.length === 0 || !postingDocs.every((p) => text(field(p, 'documentNumber')) !== undefined))
    ) {
      return result(docId, ItemCode.INVALID, 'a successful posting needs postingDocs with documentNumber');
    }
    if (status === 'error' && list(field(item, 'systemMessages')).length === 0) {
      return result(docId, ItemCode.INVALID, 'an error confirmation needs systemMessages');
    }
    doc.status = status === 'success' ? 'POSTING_CONFIRMED_SUCCESS' : 'POSTING_CONFIRMED_FAILURE';
    doc.postingConfirmation = item;
    return result(docId, ItemCode.OK, 'posting confirmation recorded');
  }

  confirmPayment(docType: string, item: FisObject): ItemResult & { readonly recorded: boolean } {
    const docId = text(field(item, 'docId')) ?? '';
    const doc = this.lookup(docType, docId);
    if (doc === undefined) return { ...result(docId, ItemCode.NOT_FOUND, 'document not found'), recorded: false };
    const forced = this.takeForced(docId);
    if (forced !== undefined) return { ...forced, recorded: false };
    if (doc.status !== 'POSTING_CONFIRMED_SUCCESS')
      return { ...result(docId, ItemCode.NOT_READY, 'document is not posted'), recorded: false };
    const code = text(field(item, 'processingStatusCode'));
    if (code !== 'CP' && code !== 'PP' && code !== 'RE' && code !== 'OB') {
      return { ...result(docId, ItemCode.INVALID, 'processingStatusCode must be CP, PP, RE or OB'), recorded: false };
    }
    const key = JSON.stringify(plainFis(item));
    if (doc.paymentConfirmations.some((p) => JSON.stringify(plainFis(p)) === key)) {
      return { ...result(docId, ItemCode.ALREADY_CONFIRMED, 'NOOP'), recorded: false };
    }
    doc.paymentConfirmations.push(item);
    return { ...result(docId, ItemCode.OK, 'payment confirmation recorded'), recorded: true };
  }

  private lookup(docType: string, docId: string): FisDocument | undefined {
    const doc = this.documents.get(docId);
    return doc !== undefined && doc.docType === docType ? doc : undefined;
  }

  private takeForced(docId: string): ItemResult | undefined {
    const code = this.forced.get(docId);
    if (code === undefined) return undefined;
    this.forced.delete(docId);
    return result(
      docId,
      code,
      code === ItemCode.UNKNOWN ? 'unknown error, retry later' : 'invalid request, do not retry',
    );
  }
}

function result(docId: string, code: number, message: string): ItemResult {
  return { docId, code, message };
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
