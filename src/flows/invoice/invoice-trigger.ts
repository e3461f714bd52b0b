/**
 * How invoice posting is configured and triggered: its options, and the poller on procurement's
 * approved, unexported invoices changed since its cursor (each version an `invoice.approved` event).
 */
import { INVOICE_POSTING } from '../../canonical/processes.js';
import type { ErpPort, ProcurementPort } from '../../connectors/port.js';
import type { PollerDefinition } from '../../engine/step-api.js';
import type { CodingChecker, IdentityMap, PostingLookup, VendorMasterCopy } from '../../hub/ports.js';
import type { MappingSetSource } from '../../mapping/mapping-set.js';
import type { PostingCheckPolicy } from '../../validation/posting-check.js';
import { INVOICE_APPROVED, invoiceDedupeKey } from './invoice-input.js';
import type { MatchSettings } from './invoice-po-match.js';

export interface InvoicePostingOptions {
  readonly erp: { readonly system: string; readonly port: ErpPort };
  readonly procurement: { readonly system: string; readonly port: ProcurementPort };
  readonly identity: IdentityMap;
  readonly mappings: MappingSetSource;
  /** Coding and period check against the ERP's master data; none: the ERP's own checks only. */
  readonly coding?: CodingChecker;
  /** The hub's copy of the ERP vendor master: a blocked supplier is found before posting. */
  readonly vendorMaster?: VendorMasterCopy;
  /** Which failures of the pre-posting check go back to procurement and which wait in the hub. */
  readonly postingCheck?: PostingCheckPolicy;
  /** Earlier postings of the invoice: a version after a posted one is posted as reversal + new posting. */
  readonly postings?: PostingLookup;
  /** An invoice posted before that comes back changed: `reverse` (default) or `keep` the earlier posting. */
  readonly reopened?: 'reverse' | 'keep';
  readonly match: MatchSettings;
  /** The invoice's page in procurement, for the approval evidence link; without it none is made. */
  readonly invoicePageUrl?: (invoiceId: string) => string;
  /** Where the first poll starts (RFC 3339): invoices changed before are left alone; the time of that poll when unset. */
  readonly pollFrom?: string;
  readonly pollIntervalMs?: number;
  readonly schedule?: readonly string[];
  readonly webhook?: boolean;
  readonly maxAttempts?: number;
  readonly now?: () => number;
}

export function invoicePoller(o: InvoicePostingOptions): PollerDefinition {
  return {
    name: `${INVOICE_POSTING}:approved-invoices`,
    system: o.procurement.system,
    intervalMs: o.pollIntervalMs ?? 60_000,
    ...(o.schedule === undefined ? {} : { schedule: o.schedule }),
    async poll(ctx) {
      const since = ctx.cursor ?? o.pollFrom ?? new Date(ctx.now).toISOString();
      const found = await o.procurement.port.invoicesToExport(since);
      let cursor = since;
      const events = found.map((item) => {
        if (Date.parse(item.updatedAt) > Date.parse(cursor)) cursor = item.updatedAt;
        return {
          eventType: INVOICE_APPROVED,
          dedupeKey: invoiceDedupeKey(item.invoice.id, item.updatedAt),
          payload: { invoice: { id: item.invoice.id, 'updated-at': item.updatedAt } },
        };
      });
      // Invoices changed at the cursor's instant are read again next time; the inbox stores each version once.
      return { events, cursor };
    },
  };
}
