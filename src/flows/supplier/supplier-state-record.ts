/**
 * The hub's supplier state (canonical lifecycle: requested → approved → active ↔ blocked_for_payment
 * → inactive), moved only along the canonical transition table. A supplier linked to its ERP vendor
 * is active, or blocked_for_payment while the ERP blocks that vendor.
 */
import { canTransition, supplierTransitions, transition, type SupplierStatus } from '../../canonical/state-tables.js';
import type { SupplierStateRecord, SupplierStates } from '../../hub/ports.js';

export interface LinkedSupplier {
  readonly supplierId: string;
  readonly procurementSystem: string;
  readonly procurementId: string;
  readonly erpSystem: string;
  readonly erpVendorId: string;
  readonly blocked: boolean;
  readonly now: number;
}

function isSupplierStatus(value: string): value is SupplierStatus {
  return Object.hasOwn(supplierTransitions, value);
}

/** The status a linked supplier should have given the ERP vendor's block. */
export function statusForBlock(blocked: boolean): SupplierStatus {
  return blocked ? 'blocked_for_payment' : 'active';
}

/**
 * Moves from `from` toward `to` along the table; an approved supplier becomes active first. Answers
 * undefined when the table does not allow it (e.g. an inactive supplier stays inactive).
 */
export function nextStatus(from: SupplierStatus, to: SupplierStatus, subject: string): SupplierStatus | undefined {
  if (from === to) return to;
  let at = from;
  if ((at === 'requested' || at === 'approved') && to !== at) {
    if (at === 'requested') at = transition(supplierTransitions, at, 'approved', subject);
    if (to === 'approved') return at;
    at = transition(supplierTransitions, at, 'active', subject);
  }
  if (at === to) return at;
  return canTransition(supplierTransitions, at, to) ? to : undefined;
}

/** Records the supplier as linked (onboarding's link step); answers the record written. */
export async function recordLinkedSupplier(states: SupplierStates, s: LinkedSupplier): Promise<SupplierStateRecord> {
  const existing = await states.get(s.supplierId);
  const from: SupplierStatus = existing !== null && isSupplierStatus(existing.status) ? existing.status : 'approved';
  const status = nextStatus(from, statusForBlock(s.blocked), `supplier ${s.supplierId}`) ?? from;
  const record: SupplierStateRecord = {
    supplierId: s.supplierId,
    status,
    procurementSystem: s.procurementSystem,
    procurementId: s.procurementId,
    erpSystem: s.erpSystem,
    erpVendorId: s.erpVendorId,
    reason: `linked to ${s.erpSystem} vendor ${s.erpVendorId}${s.blocked ? ', which is blocked for payment' : ''}`,
    updatedAt: s.now,
  };
  await states.put(record);
  return record;
}

/**
 * Applies the ERP vendor's block to a linked supplier; answers the new record, or undefined when the
 * state is already right or the table does not allow the move.
 */
export async function applyPaymentBlock(
  states: SupplierStates,
  supplierId: string,
  vendorId: string,
  blocked: boolean,
  now: number,
): Promise<{ record: SupplierStateRecord; from: string } | undefined> {
  const existing = await states.get(supplierId);
  if (existing === null || !isSupplierStatus(existing.status)) return undefined;
  const status = nextStatus(existing.status, statusForBlock(blocked), `supplier ${supplierId}`);
  if (status === undefined || status === existing.status) return undefined;
  const record: SupplierStateRecord = {
    ...existing,
    status,
    erpVendorId: vendorId,
    reason: blocked
      ? `${existing.erpSystem ?? 'ERP'} vendor ${vendorId} is blocked for payment`
      : `${existing.erpSystem ?? 'ERP'} vendor ${vendorId} is no longer blocked`,
    updatedAt: now,
  };
  await states.put(record);
  return { record, from: existing.status };
}
