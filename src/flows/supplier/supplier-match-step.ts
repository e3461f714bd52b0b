/**
 * The match step's decision: is the supplier already an ERP vendor? In order:
 * 1. a person's decision from a replayed payload (`resolution`);
 * 2. the identity map (the supplier was linked before, e.g. an earlier version);
 * 3. the ERP vendor number procurement already holds, when that vendor exists;
 * 4. `matchSupplier` over candidates read from the ERP by tax number, IBAN and name, plus similar
 *    names from the in-memory vendor master: exact tax number or IBAN → link; a name in the review
 *    band → LL_ERR_DUPLICATE_SUSPECT with the candidates and scores; otherwise create.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import type { Supplier } from '../../canonical/model/index.js';
import type { ErpPort, ErpVendor } from '../../connectors/port.js';
import type { IdentityMap, SupplierLookup } from '../../hub/ports.js';
import type { JsonValue } from '../../canonical/strict-json.js';
import { matchSupplier } from '../../validation/supplier-match.js';
import type { NormalisedSupplier } from '../../validation/supplier-normalise.js';
import { nameSearchTerms, resolutionOf, SUPPLIER_ENTITY } from './supplier-input.js';

export interface MatchCandidate {
  readonly vendorId: string;
  readonly name: string;
  readonly country: string | null;
  readonly blocked: boolean;
  readonly score: number;
  readonly reasons: readonly string[];
}

export interface MatchDecision {
  readonly decision: 'link' | 'create';
  readonly vendorId?: string;
  /** The vendor linked to, as read. */
  readonly vendor?: { readonly vendorId: string; readonly name: string; readonly blocked: boolean };
  readonly reason: string;
  readonly candidates: readonly MatchCandidate[];
}

export interface MatchDeps {
  readonly erp: { readonly system: string; readonly port: ErpPort };
  readonly procurementSystem: string;
  readonly identity: IdentityMap;
  readonly index: SupplierLookup;
  readonly reviewAbove?: number;
}

export interface MatchSubject {
  readonly canonicalId: string;
  readonly supplier: Supplier;
  readonly checked: NormalisedSupplier;
  readonly erpVendorNumber: string | null;
  readonly input: JsonValue;
}

const linkTo = (vendor: ErpVendor, reason: string, candidates: readonly MatchCandidate[] = []): MatchDecision => ({
  decision: 'link',
  vendorId: vendor.vendorId,
  vendor: { vendorId: vendor.vendorId, name: vendor.name, blocked: vendor.blocked },
  reason,
  candidates,
});

async function vendorById(erp: ErpPort, vendorId: string): Promise<ErpVendor | undefined> {
  return (await erp.findVendors({ vendorId })).find((v) => v.vendorId === vendorId);
}

async function candidatesFor(deps: MatchDeps, checked: NormalisedSupplier): Promise<ErpVendor[]> {
  const byId = new Map<string, ErpVendor>();
  if (deps.index.loaded) for (const v of deps.index.nameShortlist(checked.matchName, 10)) byId.set(v.vendorId, v);
  const reads = [
    ...(checked.taxNumber === undefined ? [] : [deps.erp.port.findVendors({ taxNumber: checked.taxNumber })]),
    ...(checked.iban === undefined ? [] : [deps.erp.port.findVendors({ iban: checked.iban })]),
    ...nameSearchTerms(checked.name, checked.legalForm).map((name) => deps.erp.port.findVendors({ name })),
  ];
  // Read from the ERP now: these win over the in-memory copy.
  for (const found of await Promise.all(reads)) for (const v of found) byId.set(v.vendorId, v);
  return [...byId.values()];
}

function duplicateSuspect(subject: MatchSubject, candidates: readonly MatchCandidate[]): LedgerlinkError {
  const best = candidates[0];
  const who = `Supplier ${subject.supplier.id} "${subject.checked.name}"${subject.checked.country === undefined ? '' : ` (${subject.checked.country})`}`;
  const message =
    best === undefined
      ? `${who} may duplicate an ERP vendor`
      : `${who} may already be ERP vendor ${best.vendorId} "${best.name}" (score ${best.score.toFixed(3)}: ${best.reasons.join('; ')}); compare the ${candidates.length} candidate(s), then replay with "resolution": { "action": "link", "vendorId": "…" } or { "action": "create" }`;
  return new LedgerlinkError('LL_ERR_DUPLICATE_SUSPECT', message, {
    details: candidates.map((c) => ({
      path: 'supplier',
      message: `ERP vendor ${c.vendorId} "${c.name}"${c.country === null ? '' : ` (${c.country})`}${c.blocked ? ', blocked' : ''}: score ${c.score.toFixed(3)}; ${c.reasons.join('; ')}`,
      vendorId: c.vendorId,
      name: c.name,
      country: c.country,
      blocked: c.blocked,
      score: c.score,
      reasons: c.reasons,
    })),
  });
}

export async function decideMatch(deps: MatchDeps, subject: MatchSubject): Promise<MatchDecision> {
  const resolution = resolutionOf(subject.input);
  if (resolution?.action === 'create')
    return { decision: 'create', reason: 'a person decided to create a new vendor', candidates: [] };
  if (resolution?.action === 'link') {
    const vendor = await vendorById(deps.erp.port, resolution.vendorId);
    if (vendor === undefined) {
      throw new LedgerlinkError(
        'LL_ERR_VALIDATION',
        `The review decision links to ERP vendor ${resolution.vendorId}, which ${deps.erp.system} does not have; correct the vendor number and replay`,
        {
          details: [{ path: 'resolution.vendorId', message: 'no such vendor', vendorId: resolution.vendorId }],
        },
      );
    }
    return linkTo(vendor, `a person decided to link vendor ${vendor.vendorId}`);
  }
  const linked = await deps.identity.remoteIdOf(SUPPLIER_ENTITY, subject.canonicalId, deps.erp.system);
  const known = linked ?? subject.erpVendorNumber;
  if (known !== null) {
    const vendor = await vendorById(deps.erp.port, known);
    if (vendor !== undefined)
      return linkTo(
        vendor,
        linked === null ? `procurement holds vendor number ${known}` : `already linked to vendor ${known}`,
      );
  }
  const vendors = await candidatesFor(deps, subject.checked);
  const result = matchSupplier(
    subject.checked,
    vendors,
    deps.reviewAbove === undefined ? {} : { reviewAbove: deps.reviewAbove },
  );
  const byId = new Map(vendors.map((v) => [v.vendorId, v]));
  const candidates: MatchCandidate[] = result.candidates.map((c) => {
    const v = byId.get(c.vendorId);
    return {
      vendorId: c.vendorId,
      name: v?.name ?? '',
      country: v?.country ?? null,
      blocked: v?.blocked ?? false,
      score: c.score,
      reasons: c.reasons,
    };
  });
  if (result.decision === 'review') throw duplicateSuspect(subject, candidates);
  if (result.decision === 'link' && result.vendorId !== undefined) {
    const vendor = byId.get(result.vendorId)!;
    return linkTo(vendor, candidates[0]?.reasons.join('; ') ?? 'exact match', candidates);
  }
  return {
    decision: 'create',
    reason:
      candidates.length === 0
        ? 'no similar vendor'
        : `best name score ${candidates[0]!.score.toFixed(3)} is below the review band`,
    candidates,
  };
}
