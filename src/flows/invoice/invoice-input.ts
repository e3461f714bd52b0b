/**
 * What invoice posting reads from its events: which procurement invoice version an event is about.
 * Pure; no I/O.
 *
 * Event payload (webhook `invoice.approved` / `invoice.matched` and the poller alike):
 *   `{ "invoice": { "id": "4711", "updated-at": "2025-03-01T10:00:00Z" } }` (`updatedAt` accepted too;
 *   the rest of the invoice may be sent, the flow reads the current record from procurement).
 * The version is the invoice's change time in procurement, so the same invoice version delivered by
 * webhook and found by the poller gives one run key, and one posting.
 */
import { asJsonObject, type JsonValue, ownText, ownValue } from '../../canonical/strict-json.js';

export const INVOICE_APPROVED = 'invoice.approved';
export const INVOICE_MATCHED = 'invoice.matched';
export const INVOICE_EVENTS: ReadonlySet<string> = new Set([INVOICE_APPROVED, INVOICE_MATCHED]);

/** Procurement's document type for invoices on integration history records and errors. */
export const INVOICE_DOCUMENT_TYPE = 'InvoiceHeader';

export interface InvoiceVersion {
  readonly invoiceId: string;
  readonly updatedAt: string;
}

/** The invoice and version an event is about, or undefined when the payload does not say. */
export function invoiceVersionOf(payload: JsonValue): InvoiceVersion | undefined {
  const root = asJsonObject(payload);
  const invoice = root === undefined ? undefined : asJsonObject(ownValue(root, 'invoice'));
  if (invoice === undefined) return undefined;
  const invoiceId = ownText(invoice, ['id']);
  const updatedAt = ownText(invoice, ['updated-at', 'updatedAt']);
  return invoiceId === undefined || updatedAt === undefined ? undefined : { invoiceId, updatedAt };
}

/** The dedupe key of one invoice version, the same for the poller and a webhook sender that uses it. */
export function invoiceDedupeKey(invoiceId: string, updatedAt: string): string {
  return `invoice:${invoiceId}:${updatedAt}`;
}
