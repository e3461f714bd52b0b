/**
 * Journal entries posted through the SOAP service `JournalEntryBulkCreateRequest`. Entries of
 * documents posted at the same time leave together in one bulk request (the WSDL takes
 * `JournalEntryCreateRequest` unbounded), each with its own message header; the tenant confirms each
 * on its own, and each caller reads the confirmation whose `ReferenceID` (BusinessDocumentMessageHeader)
 * is its message ID, or, where the tenant leaves that optional field out, the confirmation in its
 * request's position. A request
 * the service refuses as a whole (a SOAP `Client` fault: one entry breaking the schema) is sent again
 * entry by entry, so each entry gets the answer it would have had alone.
 */
import { randomUUID } from 'node:crypto';
import { LedgerlinkError } from '../../canonical/errors.js';
import type { ErpDocumentRef, ErpJournalEntry } from '../ports/erp-port.js';
import { refusedAsAWhole, RequestCoalescer } from '../http/request-coalescer.js';
import { SYSTEM, type SapClient } from './client.js';
import {
  JOURNAL_ENTRY_ACTION,
  JOURNAL_ENTRY_PATH,
  journalConfirmations,
  journalEntriesEnvelope,
  type JournalConfirmation,
  type JournalEntryMessage,
} from './journal-entry-envelope.js';

/** Entries one bulk request carries at most. */
export const JOURNAL_ENTRIES_PER_REQUEST = 50;

const messageId = (): string => randomUUID().replace(/-/g, '');

export class JournalEntryPosting {
  private readonly bulk: RequestCoalescer<JournalEntryMessage, JournalConfirmation>;

  constructor(private readonly client: SapClient) {
    this.bulk = new RequestCoalescer<JournalEntryMessage, JournalConfirmation>({
      maxItems: JOURNAL_ENTRIES_PER_REQUEST,
      maxInFlight: 2,
      splitWhen: refusedAsAWhole,
      send: (_key, messages) => this.send(messages),
    });
  }

  async post(entry: ErpJournalEntry): Promise<ErpDocumentRef> {
    const confirmation = await this.bulk.submit('journal-entries', { entry, messageId: messageId() });
    if (
      confirmation.maxSeverity >= 3 ||
      /^0+$/.test(confirmation.accountingDocument) ||
      confirmation.accountingDocument === ''
    ) {
      const details = confirmation.notes.map((message) => ({ message, system: SYSTEM }));
      const closed = confirmation.notes.some((n) => /posting period .* is not open/i.test(n));
      throw new LedgerlinkError(
        closed ? 'LL_ERR_VALIDATION' : 'LL_ERR_REMOTE_REJECTED',
        `${SYSTEM} rejected the journal entry: ${confirmation.notes.join('; ')}`,
        { details },
      );
    }
    return {
      kind: 'journal_entry',
      documentId: confirmation.accountingDocument,
      fiscalYear: confirmation.fiscalYear,
      companyCode: confirmation.companyCode,
    };
  }

  private async send(messages: readonly JournalEntryMessage[]): Promise<(JournalConfirmation | LedgerlinkError)[]> {
    const bulkId = messages.length === 1 ? messages[0]!.messageId : messageId();
    const text = await this.client.soapCall(
      JOURNAL_ENTRY_PATH,
      JOURNAL_ENTRY_ACTION,
      journalEntriesEnvelope(messages, bulkId, new Date().toISOString()),
    );
    const confirmations = journalConfirmations(text) ?? [];
    return messages.map(
      (m, index) =>
        confirmations.find((c) => c.referenceId === m.messageId) ??
        (messages.length === 1 ? confirmations[0] : undefined) ??
        confirmations[index] ??
        new LedgerlinkError('LL_ERR_REMOTE_TRANSIENT', `${SYSTEM} answered the journal entry without a confirmation`, {
          details: [{ message: text.slice(0, 300), system: SYSTEM }],
        }),
    );
  }
}
