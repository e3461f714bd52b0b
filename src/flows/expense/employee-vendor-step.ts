/**
 * Employees as vendors: the step `onboard-payee` of expense posting makes the report's employee an
 * ERP vendor before their first report posts, by the steps supplier onboarding takes for a supplier:
 *   decision in a replayed payload → already linked (identity map) → the vendor carrying the
 *   personnel number as our reference → dedupe (vendors with the employee's IBAN, and vendors of
 *   a similar name that belong to no employee; any of them is a review, LL_ERR_DUPLICATE_SUSPECT for
 *   the vendor master team) → create → link (identity map; the personnel number is the vendor's
 *   external reference in the ERP).
 * The vendor is created through the effect ledger under a key shared by every run that needs this
 * employee's vendor (`sharedKey`), so three reports arriving together create it once: the first
 * creates it, the others wait for that effect (LL_ERR_EFFECT_IN_PROGRESS, retried) and reuse it.
 * The vendor is a person (SAP business partner category 1) with the supplier roles, extended to the
 * employee's company code, with the bank accounts the directory or HR feed holds.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import type { DirectoryPort, DirectoryUser, ErpPort, ErpVendor, NewVendor } from '../../connectors/port.js';
import { PAYEE_ONBOARDING_STEP, type StepContext, type StepHandler } from '../../engine/step-api.js';
import type { IdentityMap, VendorMasterCopy } from '../../hub/ports.js';
import { matchSupplier } from '../../validation/supplier-match.js';
import { normaliseSupplier } from '../../validation/supplier-normalise.js';
import { resolutionOf } from '../supplier/supplier-input.js';
import type { EmployeeFacts } from './expense-posting-steps.js';

export { PAYEE_ONBOARDING_STEP };

/** The identity map's entity type for employees: `<directory>:<personnel number>` ↔ directory id, ERP vendor. */
export const EMPLOYEE_ENTITY = 'employee';

export interface EmployeeVendorSettings {
  /** AP reconciliation account of new employee vendors (required to create one). */
  readonly reconciliationAccount: string;
  /** Payment terms by company code, "*" as fallback (the ERP's default when unset). */
  readonly paymentTerms?: Readonly<Record<string, string>>;
  /** Name similarity from which a person reviews (default 0.85). */
  readonly reviewAbove?: number;
}

type System<P> = { readonly system: string; readonly port: P };

export interface EmployeeVendorDeps {
  readonly erp: System<ErpPort>;
  readonly directory: System<DirectoryPort>;
  readonly identity: IdentityMap;
  readonly settings: EmployeeVendorSettings;
  readonly vendorMaster?: VendorMasterCopy;
}

/** What the step records in the run's state (`employeeVendor`). */
export interface EmployeeVendorOutcome {
  readonly vendorId: string;
  readonly how: 'created' | 'reused' | 'linked';
  readonly reason: string;
}

export function employeeCanonicalId(directorySystem: string, personnelNumber: string): string {
  return `${directorySystem}:${personnelNumber}`;
}

/** Whether the enrich step's employee needs a vendor made first (none found, none blocked). */
export function needsEmployeeVendor(employee: EmployeeFacts): boolean {
  return employee.vendorId === undefined && employee.blockedVendorId === undefined;
}

function splitName(user: DirectoryUser): { firstName: string; lastName: string } {
  return { firstName: user.employee.givenName, lastName: user.employee.familyName };
}

/** The new vendor: a person named as in the directory, our reference the personnel number. */
export function newEmployeeVendor(
  user: DirectoryUser,
  employee: EmployeeFacts,
  settings: EmployeeVendorSettings,
): NewVendor {
  const bankAccounts = (user.bankAccounts ?? []).map((b) => {
    const checked = normaliseSupplier({
      name: employee.name,
      iban: b.iban,
      ...(b.bic === undefined ? {} : { bic: b.bic }),
    });
    return {
      iban: checked.supplier.iban ?? b.iban,
      ...(checked.supplier.bic === undefined ? {} : { bic: checked.supplier.bic }),
      holderName: b.holderName ?? employee.name,
    };
  });
  const terms = settings.paymentTerms?.[employee.entity] ?? settings.paymentTerms?.['*'];
  return {
    reference: employee.personnelNumber.slice(0, 20),
    name: employee.name,
    person: splitName(user),
    country: bankAccounts[0]?.iban.slice(0, 2) ?? '',
    bankAccounts,
    companyCodes: [
      {
        companyCode: employee.entity,
        reconciliationAccount: settings.reconciliationAccount,
        ...(terms === undefined ? {} : { paymentTerms: terms }),
      },
    ],
  };
}

function invalidBank(employee: EmployeeFacts, user: DirectoryUser): LedgerlinkError | undefined {
  const issues = (user.bankAccounts ?? []).flatMap((b, i) =>
    normaliseSupplier({ name: employee.name, iban: b.iban, ...(b.bic === undefined ? {} : { bic: b.bic }) })
      .issues.filter((issue) => issue.severity === 'error' && /^(iban|bic)_/.test(issue.code))
      .map((issue) => ({ code: issue.code, path: `bankAccounts/${i}`, message: issue.message })),
  );
  if (issues.length === 0) return undefined;
  return new LedgerlinkError(
    'LL_ERR_VALIDATION',
    `Employee ${employee.personnelNumber} (${employee.name}) cannot become an ERP vendor: the bank account in the directory is not valid; correct it there, then retry`,
    { details: issues },
  );
}

function duplicateSuspect(employee: EmployeeFacts, candidates: readonly ErpVendor[], reasons: Map<string, string[]>) {
  const list = candidates.map((v) => `${v.vendorId} "${v.name}" (${(reasons.get(v.vendorId) ?? []).join('; ')})`);
  return new LedgerlinkError(
    'LL_ERR_DUPLICATE_SUSPECT',
    `Employee ${employee.personnelNumber} (${employee.name}) may already be ERP vendor ${list.join(', ')}; replay with "resolution": { "action": "link", "vendorId": "…" } or { "action": "create" }`,
    {
      details: candidates.map((v) => ({
        path: 'employee',
        message: `ERP vendor ${v.vendorId} "${v.name}"${v.blocked ? ', blocked' : ''}: ${(reasons.get(v.vendorId) ?? []).join('; ')}`,
        vendorId: v.vendorId,
        name: v.name,
        blocked: v.blocked,
        reasons: reasons.get(v.vendorId) ?? [],
      })),
    },
  );
}

/**
 * Vendors that may already be this employee: the same IBAN (whoever's vendor it is), or a similar
 * name in the review band among vendors that belong to no employee (a namesake's vendor carries
 * their own personnel number and is not a duplicate).
 */
async function suspects(deps: EmployeeVendorDeps, employee: EmployeeFacts, user: DirectoryUser) {
  const ibans = (user.bankAccounts ?? []).map((b) => b.iban.replace(/\s+/g, '').toUpperCase());
  const reads = [
    ...ibans.map((iban) => deps.erp.port.findVendors({ iban })),
    ...(user.employee.familyName.length >= 3 ? [deps.erp.port.findVendors({ name: user.employee.familyName })] : []),
  ];
  const byId = new Map<string, ErpVendor>();
  for (const found of await Promise.all(reads)) for (const v of found) byId.set(v.vendorId, v);
  const vendors = [...byId.values()].filter((v) => v.ibans.some((i) => ibans.includes(i)) || v.reference === undefined);
  const checked = normaliseSupplier({ name: employee.name, ...(ibans[0] === undefined ? {} : { iban: ibans[0] }) });
  const result = matchSupplier(checked.supplier, vendors, {
    ...(deps.settings.reviewAbove === undefined ? {} : { reviewAbove: deps.settings.reviewAbove }),
  });
  const reasons = new Map(result.candidates.map((c) => [c.vendorId, [...c.reasons]]));
  if (result.decision === 'create') return { found: [] as ErpVendor[], reasons };
  const ids = new Set(
    result.candidates
      .filter((c) => result.decision === 'link' || c.score >= (deps.settings.reviewAbove ?? 0.85))
      .map((c) => c.vendorId),
  );
  return { found: vendors.filter((v) => ids.has(v.vendorId)), reasons };
}

async function vendorById(erp: ErpPort, vendorId: string): Promise<ErpVendor | undefined> {
  return (await erp.findVendors({ vendorId })).find((v) => v.vendorId === vendorId);
}

/**
 * A vendor a person chose for the employee takes the personnel number as its reference, so later
 * reports find it without this step; one that carries another reference keeps it (it may be a
 * supplier's, which its onboarding finds it by) and later reports find it through the identity map.
 */
async function markReference(ctx: StepContext, deps: EmployeeVendorDeps, vendor: ErpVendor, reference: string) {
  if (vendor.reference !== undefined) return;
  await ctx.effect({
    system: deps.erp.system,
    name: `employee-vendor-reference-${vendor.vendorId}`,
    lookup: async () =>
      (await vendorById(deps.erp.port, vendor.vendorId))?.reference === reference ? vendor.vendorId : null,
    create: async () => {
      await deps.erp.port.updateVendor(vendor.vendorId, { reference }, vendor.version ?? '*');
      return vendor.vendorId;
    },
  });
}

async function decide(ctx: StepContext, deps: EmployeeVendorDeps, employee: EmployeeFacts, user: DirectoryUser) {
  const canonicalId = employeeCanonicalId(deps.directory.system, employee.personnelNumber);
  const reference = employee.personnelNumber.slice(0, 20);
  const resolution = resolutionOf(ctx.run.input);
  if (resolution?.action === 'link') {
    const vendor = await vendorById(deps.erp.port, resolution.vendorId);
    if (vendor === undefined)
      throw new LedgerlinkError(
        'LL_ERR_VALIDATION',
        `The review decision links employee ${employee.personnelNumber} to ERP vendor ${resolution.vendorId}, which ${deps.erp.system} does not have; correct the vendor number and replay`,
        { details: [{ path: 'resolution.vendorId', message: 'no such vendor', vendorId: resolution.vendorId }] },
      );
    await markReference(ctx, deps, vendor, reference);
    return {
      vendorId: vendor.vendorId,
      how: 'linked' as const,
      reason: `a person decided to link vendor ${vendor.vendorId}`,
    };
  }
  const linked = await deps.identity.remoteIdOf(EMPLOYEE_ENTITY, canonicalId, deps.erp.system);
  if (linked !== null)
    return { vendorId: linked, how: 'reused' as const, reason: `already linked to vendor ${linked}` };
  const own = (await deps.erp.port.findVendors({ reference })).find((v) => v.companyCodes.includes(employee.entity));
  const sharedKey = `employee-vendor:${deps.erp.system}:${deps.directory.system}:${employee.personnelNumber}`;
  if (own !== undefined) {
    // A retry after this step's creation lost its answer: the ledger learns the vendor was found by reference.
    if (ctx.attempt > 1)
      await ctx.effect({
        system: deps.erp.system,
        name: 'employee-vendor',
        sharedKey,
        lookup: async () => own.vendorId,
        create: async () => own.vendorId,
      });
    return {
      vendorId: own.vendorId,
      how: 'reused' as const,
      reason: `vendor ${own.vendorId} carries the personnel number`,
    };
  }
  if (resolution?.action !== 'create') {
    const { found, reasons } = await suspects(deps, employee, user);
    // Created by another report's run since the lookup above: that vendor is the employee's.
    const theirs = found.find((v) => v.reference === reference && v.companyCodes.includes(employee.entity));
    if (theirs !== undefined)
      return {
        vendorId: theirs.vendorId,
        how: 'reused' as const,
        reason: `vendor ${theirs.vendorId} carries the personnel number`,
      };
    if (found.length > 0) throw duplicateSuspect(employee, found, reasons);
  }
  const created = await ctx.effect({
    system: deps.erp.system,
    name: 'employee-vendor',
    // One vendor per employee, whichever report (or flow) needs it first.
    sharedKey,
    lookup: async () =>
      (await deps.erp.port.findVendors({ reference })).find((v) => v.companyCodes.includes(employee.entity))
        ?.vendorId ?? null,
    create: () => deps.erp.port.createVendor(newEmployeeVendor(user, employee, deps.settings)),
  });
  return {
    vendorId: created.remoteId,
    how: created.reused ? ('reused' as const) : ('created' as const),
    reason:
      resolution?.action === 'create' ? 'a person decided to create a new vendor' : 'no vendor resembles the employee',
  };
}

/** The step: makes (or finds) the employee's vendor, links it, and goes on to `next` with the employee's vendorId. */
export function employeeVendorStep(deps: EmployeeVendorDeps, next: string): StepHandler {
  return async (ctx) => {
    const employee = ctx.run.state['employee'] as EmployeeFacts;
    if (!needsEmployeeVendor(employee)) return { next };
    const user = await deps.directory.port.findByEmployeeNumber(employee.personnelNumber);
    if (user === null)
      throw new LedgerlinkError(
        'LL_ERR_VALIDATION',
        `Employee ${employee.personnelNumber} is no longer in the directory`,
        {
          details: [{ path: 'employeeId', message: 'not in the directory', employeeId: employee.personnelNumber }],
        },
      );
    const bad = invalidBank(employee, user);
    if (bad !== undefined) throw bad;
    const outcome: EmployeeVendorOutcome = await decide(ctx, deps, employee, user);
    const canonicalId = employeeCanonicalId(deps.directory.system, employee.personnelNumber);
    // The ID is written back to the hub's identity map: the directory (the system of record for people) has no vendor field.
    await deps.identity.link(EMPLOYEE_ENTITY, canonicalId, deps.directory.system, user.employee.id);
    await deps.identity.link(EMPLOYEE_ENTITY, canonicalId, deps.erp.system, outcome.vendorId);
    const vendor = await vendorById(deps.erp.port, outcome.vendorId);
    if (vendor !== undefined) deps.vendorMaster?.upsert([vendor]);
    // A vendor blocked in the ERP is reported by the pre-posting check (validate), not posted to.
    const payee = vendor?.blocked === true ? { blockedVendorId: outcome.vendorId } : { vendorId: outcome.vendorId };
    return { next, state: { employee: { ...employee, ...payee }, employeeVendor: outcome } };
  };
}
