/**
 * The expense platform as flows see it (SAP Concur Financial Integration Service): approved
 * documents waiting for the ERP, their acknowledgement, the posting confirmation (ERP document
 * numbers, or the ERP's messages), the payment confirmation, and list values published for users
 * to pick from. One document per call, so a flow step acts on one document and its outcome.
 *
 * Item results the platform answers inside a successful HTTP call are classified: "already done"
 * (acknowledged or confirmed before) is a success with `alreadyDone`; "retry later" throws
 * LL_ERR_REMOTE_TRANSIENT; "do not retry" and every other refusal throw LL_ERR_REMOTE_REJECTED with
 * the platform's code in the details.
 */
import type { ExpenseReport, MoneyShape } from '../../canonical/model/index.js';

export type ExpenseDocType = 'expense' | 'invoice' | 'cashadvance';

/** One journal line of the document as the platform computed it (per entry allocation). */
export interface ExpenseJournalLine {
  readonly entryId: string;
  readonly allocationId: string;
  /** The expense account code the platform assigned. */
  readonly account: string;
  /** Who pays and who is owed (COMP, EMPL, IBCP, CBCP, COPD, …). */
  readonly payer: string;
  readonly payee: string;
  /** What the payee is owed. */
  readonly gross: MoneyShape;
  /** The expense, including tax that cannot be reclaimed. */
  readonly netOfReclaim: MoneyShape;
  /**
   * Per tax of the line (one per jurisdiction): the reclaimable input tax `amount` (zero when the tax
   * cannot be reclaimed) and, when the platform gives it, the tax charged (`taxAmount`), so a partly
   * deductible tax (amount below taxAmount) can be told from a fully deductible one.
   */
  readonly taxReclaims: readonly {
    readonly taxCode: string;
    readonly amount: MoneyShape;
    readonly taxAmount?: MoneyShape;
  }[];
  readonly costCenter?: string;
  /** The account the payee's side clears against (card clearing, employee), when given. */
  readonly clearingAccount?: string;
}

export interface ExpenseDocument {
  /** The platform's id of this document (what acknowledgement and confirmations name). */
  readonly documentId: string;
  readonly docType: ExpenseDocType;
  readonly companyId: string;
  readonly status: string;
  /** The report's revision (FIS `revisionNumber`): a resubmitted report is a new version. */
  readonly revision?: string;
  /** The canonical report, with its company card charges and applied cash advances. */
  readonly report: ExpenseReport;
  readonly journal: readonly ExpenseJournalLine[];
  /**
   * Cash advance money the employee handed back (FIS `cashAdvanceReturnsAmount`), in the report
   * currency, when the report names it. A bank receipt in the ERP: recorded, never posted by the hub.
   */
  readonly cashAdvanceReturns?: MoneyShape;
}

/** One line of the posting the platform computed for an issued cash advance (FIS `journalData[]`). */
export interface CashAdvanceJournalLine {
  /** The platform's account code (the cash advance clearing account, a receivable from the employee). */
  readonly account: string;
  readonly side: 'D' | 'C';
  /** In the advance's currency. */
  readonly amount: MoneyShape;
  readonly payer: string;
  readonly payee: string;
  readonly paymentCode?: string;
}

/**
 * A cash advance issued to an employee (FIS docType `cashadvance`): the company pays the employee
 * the advance, which is a receivable from them until a report applies it.
 */
export interface CashAdvanceDocument {
  readonly documentId: string;
  readonly docType: 'cashadvance';
  readonly companyId: string;
  readonly status: string;
  /** The platform's id of the advance (what a report's application names). */
  readonly cashAdvanceId: string;
  readonly name?: string;
  readonly employeeId: string;
  readonly employeeName?: string;
  /** The advance as issued (FIS `requestAmount` in `currencyAlphaCode`). */
  readonly amount: MoneyShape;
  /** The employee's reimbursement currency and the rate from the advance's currency to it. */
  readonly employeeCurrency?: string;
  readonly exchangeRate?: string;
  /** RFC 3339 timestamps as the platform gives them. */
  readonly requestedAt?: string;
  readonly issuedAt: string;
  /** The clearing account code the advance names (FIS `cashAdvanceData.clearingAccountCode`), when it names one. */
  readonly clearingAccountCode?: string;
  readonly paymentMethod?: string;
  /** FIS `isTest` = Y. */
  readonly test: boolean;
  readonly journal: readonly CashAdvanceJournalLine[];
}

/** A document waiting in the platform's READY queue, by id (read in full by its run). */
export interface ReadyDocumentRef {
  readonly documentId: string;
  readonly docType: ExpenseDocType;
  readonly status: string;
  /** The report's revision (FIS `revisionNumber`) when the document names one. */
  readonly revision?: string;
}

export interface ItemOutcome {
  readonly documentId: string;
  /** The platform's per-item code (0 done, 101/113 done before). */
  readonly code: number;
  readonly alreadyDone: boolean;
  readonly message: string;
}

export interface ErpPostingDocument {
  readonly companyCode: string;
  readonly documentNumber: string;
  readonly fiscalYear: string;
  /** YYYY-MM-DD */
  readonly postingDate: string;
}

export type PostingConfirmation =
  | { readonly documentId: string; readonly status: 'success'; readonly erpDocuments: readonly ErpPostingDocument[] }
  | {
      readonly documentId: string;
      readonly status: 'error';
      /**
       * What the owner reads in the platform (FIS: the audit trail), each at most 1300 characters:
       * `id` an external message identifier (the hub's issue code), `lineItemId` the report line it concerns.
       */
      readonly messages: readonly {
        readonly shortText: string;
        readonly longText?: string;
        readonly id?: string;
        readonly lineItemId?: string;
      }[];
    };

export interface PaymentConfirmation {
  readonly documentId: string;
  /** Paid, partly paid, reversed, obsolete. */
  readonly status: 'paid' | 'partly_paid' | 'reversed' | 'obsolete';
  readonly clearings: readonly {
    readonly clearingDate: string;
    readonly amount: MoneyShape;
    readonly reference?: Readonly<Record<string, string>>;
  }[];
}

export interface ListValue {
  readonly code: string;
  readonly value: string;
  /** False deletes the item from the list (users can no longer pick it); default true. */
  readonly active?: boolean;
}

/** A list item as the platform holds it, read back (drift). */
export interface HeldListValue {
  readonly id: string;
  readonly code: string;
  readonly value: string;
  readonly active: boolean;
}

export interface ExpensePort {
  /** Every document waiting for the ERP (all pages). */
  readyDocuments(docType?: ExpenseDocType): Promise<ExpenseDocument[]>;
  /** One document by its id, whatever its status (READY, ACKNOWLEDGED, confirmed), or null when unknown. */
  readDocument(documentId: string, docType?: ExpenseDocType): Promise<ExpenseDocument | null>;
  /**
   * Documents waiting for the ERP, by id (and revision) only: one document the hub cannot read must
   * not hold up the others, so each is read in full by its own run (readDocument, readCashAdvance),
   * where a document that cannot be read becomes that run's exception.
   */
  readyDocumentRefs(docType: ExpenseDocType): Promise<ReadyDocumentRef[]>;
  /** One issued cash advance by its document id, whatever its status, or null when unknown. */
  readCashAdvance(documentId: string): Promise<CashAdvanceDocument | null>;
  /** Tells the platform the document was taken (it can no longer be recalled mid-integration). */
  acknowledge(documentId: string, docType?: ExpenseDocType): Promise<ItemOutcome>;
  confirmPosting(confirmation: PostingConfirmation, docType?: ExpenseDocType): Promise<ItemOutcome>;
  confirmPayment(confirmation: PaymentConfirmation, docType?: ExpenseDocType): Promise<ItemOutcome>;
  /**
   * Makes the list hold these codes with these values (creates missing, updates changed); a value
   * with `active: false` is deleted from the list when present.
   */
  publishListValues(
    listId: string,
    values: readonly ListValue[],
  ): Promise<{ created: number; updated: number; unchanged: number; deactivated?: number }>;
  /** The items of a list users can pick from (deleted items are not listed), all pages. */
  listValues?(listId: string): Promise<HeldListValue[]>;
}
