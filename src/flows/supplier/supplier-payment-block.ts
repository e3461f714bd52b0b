/**
 * Payment blocks flow back from the ERP. A poller reads the vendor master changed since its cursor
 * (in full on a process's first poll), keeps the in-memory vendor master of the supplier lookup
 * current, and raises `vendor.changed` for each vendor linked to a hub supplier, once per vendor
 * version (its ETag). The run moves the supplier to blocked_for_payment or back to active along the
 * canonical state table and records the change on the procurement side as an integration history
 * record of the supplier (Coupa's monitoring page: it has no payment-block field on suppliers).
 */
import { SUPPLIER_PAYMENT_BLOCK } from '../../canonical/processes.js';
import type { ErpPort, ErpVendor, ProcurementPort } from '../../connectors/port.js';
import { ownText, type JsonValue } from '../../canonical/strict-json.js';
import type {
  FlowDefinition,
  InboundEvent,
  PollerDefinition,
  PolledEvent,
  StepContext,
} from '../../engine/step-api.js';
import type { IdentityMap, SupplierLookup, SupplierStates } from '../../hub/ports.js';
import { SUPPLIER_ENTITY } from './supplier-input.js';
import { applyPaymentBlock } from './supplier-state-record.js';
import { recordIntegrationOnce } from '../integration-record-effect.js';

export const VENDOR_CHANGED = 'vendor.changed';

export interface SupplierPaymentBlockOptions {
  readonly erp: { readonly system: string; readonly port: ErpPort };
  readonly procurement: { readonly system: string; readonly port: ProcurementPort };
  readonly identity: IdentityMap;
  readonly states: SupplierStates;
  readonly index: SupplierLookup;
  readonly pollIntervalMs?: number;
  readonly maxAttempts?: number;
  readonly now?: () => number;
}

function vendorEvent(vendor: ErpVendor): PolledEvent {
  const version = vendor.version ?? (vendor.blocked ? 'blocked' : 'open');
  return {
    eventType: VENDOR_CHANGED,
    dedupeKey: `vendor:${vendor.vendorId}:${version}`,
    payload: { vendor: { id: vendor.vendorId, version, blocked: vendor.blocked, name: vendor.name } },
  };
}

function vendorPoller(o: SupplierPaymentBlockOptions): PollerDefinition {
  return {
    name: `${SUPPLIER_PAYMENT_BLOCK}:vendor-master`,
    system: o.erp.system,
    intervalMs: o.pollIntervalMs ?? 60_000,
    async poll(ctx) {
      // This process's copy of the vendor master starts with a full read; later polls read changes.
      const full = !o.index.loaded;
      const vendors = await o.erp.port.vendorsChangedSince(full ? null : ctx.cursor);
      if (full) o.index.replaceAll(vendors, await o.states.list());
      else o.index.upsert(vendors);
      const events: PolledEvent[] = [];
      for (const vendor of vendors) {
        if ((await o.identity.canonicalIdOf(SUPPLIER_ENTITY, o.erp.system, vendor.vendorId)) !== null)
          events.push(vendorEvent(vendor));
      }
      return { events, cursor: new Date(ctx.now).toISOString() };
    },
  };
}

function vendorOf(input: JsonValue): { id: string; blocked: boolean } | undefined {
  if (input === null || typeof input !== 'object' || Array.isArray(input) || !('vendor' in input)) return undefined;
  const vendor = input['vendor'];
  const id = vendor === undefined ? undefined : ownText(vendor, ['id']);
  if (
    id === undefined ||
    vendor === null ||
    typeof vendor !== 'object' ||
    Array.isArray(vendor) ||
    !('blocked' in vendor)
  )
    return undefined;
  return { id, blocked: vendor['blocked'] === true };
}

export function supplierPaymentBlockFlow(o: SupplierPaymentBlockOptions): FlowDefinition {
  const now = o.now ?? Date.now;

  const apply = async (ctx: StepContext) => {
    const vendor = vendorOf(ctx.run.input);
    if (vendor === undefined) return { done: true as const, state: { skipped: 'no vendor in the event' } };
    const supplierId = await o.identity.canonicalIdOf(SUPPLIER_ENTITY, o.erp.system, vendor.id);
    if (supplierId === null)
      return { done: true as const, state: { skipped: `vendor ${vendor.id} is not linked to a supplier` } };
    const changed = await applyPaymentBlock(o.states, supplierId, vendor.id, vendor.blocked, now());
    if (changed === undefined) return { done: true as const, state: { supplierId, unchanged: true } };
    o.index.noteState(changed.record);
    const procurementId =
      changed.record.procurementId ?? (await o.identity.remoteIdOf(SUPPLIER_ENTITY, supplierId, o.procurement.system));
    if (procurementId !== null) {
      await recordIntegrationOnce(ctx, {
        system: o.procurement.system,
        port: o.procurement.port,
        kind: 'history',
        name: 'payment-block-history',
        record: {
          documentType: 'Supplier',
          documentId: procurementId,
          status: vendor.blocked ? 'payment blocked in ERP' : 'payment block lifted in ERP',
          alertType: 'Functional',
          responses: [
            { code: vendor.blocked ? 'PAYMENT_BLOCKED' : 'PAYMENT_UNBLOCKED', message: changed.record.reason ?? '' },
          ],
        },
      });
    }
    return { done: true as const, state: { supplierId, from: changed.from, to: changed.record.status } };
  };

  return {
    name: SUPPLIER_PAYMENT_BLOCK,
    firstStep: 'apply-block',
    ...(o.maxAttempts === undefined ? {} : { maxAttempts: o.maxAttempts }),
    pollers: [vendorPoller(o)],
    route(event: InboundEvent) {
      if (event.system !== o.erp.system || event.eventType !== VENDOR_CHANGED) return null;
      const vendor =
        event.payload !== null &&
        typeof event.payload === 'object' &&
        !Array.isArray(event.payload) &&
        'vendor' in event.payload
          ? event.payload['vendor']
          : undefined;
      const id = vendor === undefined ? undefined : ownText(vendor, ['id']);
      const version = vendor === undefined ? undefined : ownText(vendor, ['version']);
      if (id === undefined || version === undefined) return null;
      return { documentId: id, version, input: event.payload };
    },
    steps: { 'apply-block': apply },
  };
}
