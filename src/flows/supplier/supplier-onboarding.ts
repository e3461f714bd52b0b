/**
 * Flow 2, supplier onboarding: an approved procurement supplier becomes (or is linked to) an ERP
 * vendor, and the vendor number goes back to procurement. Triggers: the poller on approved suppliers
 * changed since its cursor, and `supplier.approved` webhooks; both carry the supplier id and its
 * `updated-at`, so either channel gives the same run key. Steps:
 *   normalise → match → (create-vendor | update-vendor) → link → write-back
 * The ERP owns nothing here unless `ownership.suppliers` names it: then the flow links and writes
 * back only, never creating or changing an ERP vendor. See docs/flows.md.
 */
import { SUPPLIER_ONBOARDING } from '../../canonical/processes.js';
import { LedgerlinkError } from '../../canonical/errors.js';
import type { Supplier } from '../../canonical/model/index.js';
import type { ErpPort, ProcurementPort, ProcurementSupplier } from '../../connectors/port.js';
import type { FlowDefinition, InboundEvent, PollerDefinition, StepContext } from '../../engine/step-api.js';
import type { IdentityMap, SupplierLookup, SupplierStates } from '../../hub/ports.js';
import { issuesToError } from '../../validation/validation-issue.js';
import { normaliseSupplier, type NormalisedSupplier } from '../../validation/supplier-normalise.js';
import {
  checksInputOf,
  SUPPLIER_ENTITY,
  supplierCanonicalId,
  supplierVersionOf,
  withoutResolution,
} from './supplier-input.js';
import { decideMatch, type MatchDecision } from './supplier-match-step.js';
import { recordLinkedSupplier } from './supplier-state-record.js';
import { newVendorFor, type VendorPlanSettings } from './supplier-vendor-plan.js';

export const SUPPLIER_APPROVED = 'supplier.approved';

export interface SupplierOnboardingOptions extends VendorPlanSettings {
  readonly erp: { readonly system: string; readonly port: ErpPort };
  readonly procurement: { readonly system: string; readonly port: ProcurementPort };
  readonly identity: IdentityMap;
  readonly states: SupplierStates;
  readonly index: SupplierLookup;
  /** The system of record for suppliers (`ownership.suppliers`); the procurement system when unset. */
  readonly owner?: string;
  /** Name similarity from which a person reviews (default 0.85). */
  readonly reviewAbove?: number;
  readonly pollIntervalMs?: number;
  readonly schedule?: readonly string[];
  /** Where the first poll starts (RFC 3339); the time of that poll when unset. */
  readonly pollFrom?: string;
  readonly webhook?: boolean;
  readonly maxAttempts?: number;
  readonly now?: () => number;
}

interface Normalised {
  readonly supplier: Supplier;
  readonly erpVendorNumber: string | null;
  readonly updatedAt: string;
  readonly checked: NormalisedSupplier;
  readonly warnings: readonly { code: string; message: string; path: string }[];
}

const stateOf = <T>(ctx: StepContext, key: string): T => ctx.run.state[key] as T;

function supplierPoller(o: SupplierOnboardingOptions): PollerDefinition {
  return {
    name: `${SUPPLIER_ONBOARDING}:approved-suppliers`,
    system: o.procurement.system,
    intervalMs: o.pollIntervalMs ?? 60_000,
    ...(o.schedule === undefined ? {} : { schedule: o.schedule }),
    async poll(ctx) {
      const since = ctx.cursor ?? o.pollFrom ?? new Date(ctx.now).toISOString();
      const changed = await o.procurement.port.approvedSuppliersChangedSince(since);
      const events = [];
      let cursor = since;
      for (const item of changed) {
        if (Date.parse(item.updatedAt) > Date.parse(cursor)) cursor = item.updatedAt;
        if (await alreadyOnboarded(o, item)) continue;
        events.push({
          eventType: SUPPLIER_APPROVED,
          dedupeKey: `supplier:${item.supplier.id}:${item.updatedAt}`,
          payload: { supplier: { id: item.supplier.id, 'updated-at': item.updatedAt } },
        });
      }
      return { events, cursor };
    },
  };
}

/** A supplier whose vendor number procurement holds is the one the hub linked: its write-back changed it, nothing to do. */
async function alreadyOnboarded(o: SupplierOnboardingOptions, item: ProcurementSupplier): Promise<boolean> {
  if (item.erpVendorNumber === undefined) return false;
  const linked = await o.identity.remoteIdOf(
    SUPPLIER_ENTITY,
    supplierCanonicalId(o.procurement.system, item.supplier.id),
    o.erp.system,
  );
  return linked === item.erpVendorNumber;
}

export function supplierOnboardingFlow(o: SupplierOnboardingOptions): FlowDefinition {
  const now = o.now ?? Date.now;
  const procurementOwns = o.owner === undefined || o.owner === o.procurement.system;
  const erpOwns = o.owner === o.erp.system;

  const normalise = async (ctx: StepContext) => {
    const version = supplierVersionOf(ctx.run.input);
    const supplierId = version?.supplierId ?? ctx.run.documentId;
    const found = await o.procurement.port.supplierById(supplierId);
    if (found === null) {
      throw new LedgerlinkError(
        'LL_ERR_VALIDATION',
        `Supplier ${supplierId} is not in ${o.procurement.system}; check it was not deleted, then ignore or retry`,
        {
          details: [{ path: 'supplier.id', message: 'not found', supplierId }],
        },
      );
    }
    if (found.supplier.status === 'requested' || found.supplier.status === 'inactive') {
      throw new LedgerlinkError(
        'LL_ERR_VALIDATION',
        `Supplier ${supplierId} (${found.supplier.name}) is not approved in ${o.procurement.system}; approve it there, then retry`,
        {
          details: [{ path: 'supplier.status', message: found.supplier.status, supplierId }],
        },
      );
    }
    const { supplier: checked, issues } = normaliseSupplier(checksInputOf(found.supplier));
    const failure = issuesToError(issues, `Supplier ${supplierId} (${found.supplier.name}) cannot be onboarded`);
    if (failure !== undefined) throw failure;
    const normalised: Normalised = {
      supplier: found.supplier,
      erpVendorNumber: found.erpVendorNumber ?? null,
      updatedAt: found.updatedAt,
      checked,
      warnings: issues.map((i) => ({ code: i.code, message: i.message, path: i.path })),
    };
    const approvedAt = Date.parse(found.updatedAt);
    return { next: 'match', state: { normalised }, ...(Number.isNaN(approvedAt) ? {} : { facts: { approvedAt } }) };
  };

  const match = async (ctx: StepContext) => {
    const n = stateOf<Normalised>(ctx, 'normalised');
    const canonicalId = supplierCanonicalId(o.procurement.system, n.supplier.id);
    const decision: MatchDecision = await decideMatch(
      {
        erp: o.erp,
        procurementSystem: o.procurement.system,
        identity: o.identity,
        index: o.index,
        ...(o.reviewAbove === undefined ? {} : { reviewAbove: o.reviewAbove }),
      },
      {
        canonicalId,
        supplier: n.supplier,
        checked: n.checked,
        erpVendorNumber: n.erpVendorNumber,
        input: ctx.run.input,
      },
    );
    if (decision.decision === 'create') {
      if (erpOwns) {
        throw new LedgerlinkError(
          'LL_ERR_VALIDATION',
          `Supplier ${n.supplier.id} (${n.checked.name}) has no vendor in ${o.erp.system}, which owns the vendor master; create the vendor there, then replay with "resolution": { "action": "link", "vendorId": "<vendor number>" }`,
          { details: [{ path: 'supplier', message: 'no ERP vendor to link', candidates: decision.candidates }] },
        );
      }
      return { next: 'create-vendor', state: { canonicalId, match: decision } };
    }
    const next =
      procurementOwns && decision.vendor !== undefined && decision.vendor.name !== n.checked.name
        ? 'update-vendor'
        : 'link';
    return { next, state: { canonicalId, match: decision } };
  };

  const createVendor = async (ctx: StepContext) => {
    const n = stateOf<Normalised>(ctx, 'normalised');
    const result = await ctx.effect({
      system: o.erp.system,
      name: 'vendor',
      // One ERP vendor per procurement supplier, whatever version of it the run was made for.
      scope: 'document',
      lookup: async (key) => (await o.erp.port.findVendors({ reference: key }))[0]?.vendorId ?? null,
      create: (key) => o.erp.port.createVendor(newVendorFor(n.supplier, n.checked, o, key)),
    });
    const entity =
      o.companyCodes === undefined ? undefined : (o.companyCodes[n.checked.country ?? ''] ?? o.companyCodes['*'])?.[0];
    return {
      next: 'link',
      state: { vendorId: result.remoteId, vendorReference: result.idempotencyKey, created: !result.reused },
      ...(entity === undefined ? {} : { facts: { entity } }),
    };
  };

  /** Procurement owns suppliers: the linked vendor takes the supplier's name (only when it differs). */
  const updateVendor = async (ctx: StepContext) => {
    const n = stateOf<Normalised>(ctx, 'normalised');
    const decision = stateOf<MatchDecision>(ctx, 'match');
    const vendorId = decision.vendorId!;
    await ctx.effect({
      system: o.erp.system,
      name: 'vendor-name',
      lookup: async () => ((await o.erp.port.findVendors({ vendorId }))[0]?.name === n.checked.name ? vendorId : null),
      create: async () => {
        const [current] = await o.erp.port.findVendors({ vendorId });
        if (current?.name !== n.checked.name)
          await o.erp.port.updateVendor(vendorId, { name: n.checked.name }, current?.version ?? '*');
        return vendorId;
      },
    });
    return { next: 'link', state: { vendorId, renamed: true } };
  };

  const link = async (ctx: StepContext) => {
    const n = stateOf<Normalised>(ctx, 'normalised');
    const canonicalId = stateOf<string>(ctx, 'canonicalId');
    const vendorId = stateOf<string | undefined>(ctx, 'vendorId') ?? stateOf<MatchDecision>(ctx, 'match').vendorId!;
    await o.identity.link(SUPPLIER_ENTITY, canonicalId, o.procurement.system, n.supplier.id);
    await o.identity.link(SUPPLIER_ENTITY, canonicalId, o.erp.system, vendorId);
    const [vendor] = await o.erp.port.findVendors({ vendorId });
    if (vendor !== undefined) o.index.upsert([vendor]);
    const record = await recordLinkedSupplier(o.states, {
      supplierId: canonicalId,
      procurementSystem: o.procurement.system,
      procurementId: n.supplier.id,
      erpSystem: o.erp.system,
      erpVendorId: vendorId,
      blocked: vendor?.blocked ?? false,
      now: now(),
    });
    o.index.noteState(record);
    const entity = vendor?.companyCodes[0];
    return {
      next: 'write-back',
      state: { vendorId, supplierStatus: record.status },
      ...(entity === undefined ? {} : { facts: { entity } }),
    };
  };

  const writeBack = async (ctx: StepContext) => {
    const n = stateOf<Normalised>(ctx, 'normalised');
    const vendorId = stateOf<string>(ctx, 'vendorId');
    if (n.erpVendorNumber === vendorId) return { done: true as const, state: { writtenBack: false } };
    const result = await ctx.effect({
      system: o.procurement.system,
      name: 'vendor-number',
      lookup: async () =>
        (await o.procurement.port.supplierById(n.supplier.id))?.erpVendorNumber === vendorId ? vendorId : null,
      create: async () => {
        await o.procurement.port.writeBackVendorNumber(n.supplier.id, vendorId);
        return vendorId;
      },
    });
    return { done: true as const, state: { writtenBack: true, reused: result.reused }, facts: { postedAt: now() } };
  };

  return {
    name: SUPPLIER_ONBOARDING,
    firstStep: 'normalise',
    ...(o.maxAttempts === undefined ? {} : { maxAttempts: o.maxAttempts }),
    pollers:
      o.pollIntervalMs === undefined && o.schedule === undefined && o.webhook === true ? [] : [supplierPoller(o)],
    route(event: InboundEvent) {
      if (event.system !== o.procurement.system || event.eventType !== SUPPLIER_APPROVED) return null;
      const version = supplierVersionOf(event.payload);
      if (version === undefined) {
        throw new LedgerlinkError(
          'LL_ERR_RUN_KEY_INVALID',
          'A supplier.approved event needs "supplier": { "id", "updated-at" }; ask the sender to include them',
          {
            details: [{ path: 'supplier', message: 'id and updated-at required' }],
          },
        );
      }
      // A decision on a duplicate suspect comes only with a replay (audited, by a person), never with an event.
      return { documentId: version.supplierId, version: version.updatedAt, input: withoutResolution(event.payload) };
    },
    steps: {
      normalise,
      match,
      'create-vendor': createVendor,
      'update-vendor': updateVendor,
      link,
      'write-back': writeBack,
    },
  };
}
