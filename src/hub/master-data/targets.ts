/**
 * What each target system should hold, computed from the hub's master data, and how far a target is
 * from it. Pure: used by the publishing flow (which writes only the differences) and by drift
 * (`GET /v1/master-data/drift`, `ledgerlink drift`), so both judge a target the same way.
 *
 * Procurement (Coupa):
 * - `accounts`: one account per company code × expense GL account × cost center of that company
 *   code, segments `[companyCode, glAccount, costCenter]`, in the chart of accounts `COA <companyCode>`;
 *   active while the legal entity is active, the GL account is not blocked and the cost center is
 *   neither blocked nor expired. Accounts only the ERP posts to (reconciliation, balance sheet) are
 *   not offered.
 * - `projects`: lookup value per WBS element (lookup "Projects"), active while released and postable.
 * - `taxCodes`: lookup value `<companyCode>-<taxCode>` (lookup "Tax Codes"), active while in force.
 * Expense (Concur): list `costCenters` (code = cost center) and list `projects` (code = WBS element).
 */
import type { CostCenter } from '../../canonical/model/master-data.js';
import type { DimensionValue, HeldDimensionValue, HeldListValue, ListValue } from '../../connectors/port.js';
import {
  computeDrift,
  type ActualDimensionValue,
  type DimensionDrift,
  type ExpectedDimensionValue,
} from '../../validation/index.js';
import type { HeldMasterData, HeldRecord } from './entries.js';

export const PROCUREMENT_DIMENSIONS = ['accounts', 'projects', 'taxCodes'] as const;
export type ProcurementDimension = (typeof PROCUREMENT_DIMENSIONS)[number];
export const EXPENSE_DIMENSIONS = ['costCenters', 'projects'] as const;
export type ExpenseDimension = (typeof EXPENSE_DIMENSIONS)[number];

/** List ids used when `flows.masterData.expenseLists` names none. */
export const DEFAULT_EXPENSE_LISTS: Readonly<Record<ExpenseDimension, string>> = {
  costCenters: 'cost-centers',
  projects: 'projects',
};

export const PROJECTS_LOOKUP = 'Projects';
export const TAX_CODES_LOOKUP = 'Tax Codes';
export const chartOfAccountsOf = (companyCode: string): string => `COA ${companyCode}`;

/** A value a target should hold: how drift sees it, and what is written to make the target hold it. */
export interface Publishable<V> {
  readonly expected: ExpectedDimensionValue;
  readonly value: V;
}

/** The cost center version in force on `today`, else the one that started last. */
function versionToday(versions: readonly HeldRecord<CostCenter>[], today: string): HeldRecord<CostCenter> {
  const sorted = [...versions].sort((a, b) => (a.record.validFrom < b.record.validFrom ? -1 : 1));
  return (
    sorted.find((v) => v.record.validFrom <= today && (v.record.validTo === undefined || today <= v.record.validTo)) ??
    sorted[sorted.length - 1]!
  );
}

/** One cost center per company code and code (its version in force today). */
function costCentersByCompany(held: HeldMasterData, today: string): Map<string, HeldRecord<CostCenter>[]> {
  const byCode = new Map<string, HeldRecord<CostCenter>[]>();
  for (const c of held.costCenters) {
    const id = `${c.record.companyCode}\u0000${c.record.code}`;
    byCode.set(id, [...(byCode.get(id) ?? []), c]);
  }
  const out = new Map<string, HeldRecord<CostCenter>[]>();
  for (const versions of byCode.values()) {
    const chosen = versionToday(versions, today);
    out.set(chosen.record.companyCode, [...(out.get(chosen.record.companyCode) ?? []), chosen]);
  }
  return out;
}

/** Active unless retired for a reason other than expiry; expiry is passed as `validTo` so drift says "expired". */
function expectedOf(
  key: string,
  name: string,
  retiredReason: string | null,
  validTo: string | undefined,
): ExpectedDimensionValue {
  return {
    key,
    name,
    active: retiredReason === null || retiredReason === 'expired',
    ...(retiredReason === 'expired' && validTo !== undefined ? { validTo } : {}),
  };
}

function isActive(expected: ExpectedDimensionValue, today: string): boolean {
  return expected.active && (expected.validTo === undefined || expected.validTo >= today);
}

export function procurementValues(
  held: HeldMasterData,
  today: string,
): Record<ProcurementDimension, Publishable<DimensionValue>[]> {
  const entities = new Map(held.legalEntities.map((e) => [e.record.companyCode, e]));
  const centers = costCentersByCompany(held, today);
  const accounts: Publishable<DimensionValue>[] = [];
  for (const gl of held.glAccounts) {
    if (gl.record.type !== 'expense' || (!gl.record.postingAllowed && !gl.record.blocked)) continue;
    const cc = gl.record.companyCode;
    const entityRetired = entities.get(cc)?.retiredReason ?? null;
    for (const center of centers.get(cc) ?? []) {
      const segments = [cc, gl.record.number, center.record.code];
      const reason = entityRetired ?? gl.retiredReason ?? center.retiredReason;
      const expected = expectedOf(
        segments.join('-'),
        `${cc} ${gl.record.name} ${center.record.name}`,
        reason,
        center.record.validTo,
      );
      accounts.push({
        expected,
        value: {
          kind: 'account',
          chartOfAccounts: chartOfAccountsOf(cc),
          name: expected.name,
          segments,
          active: isActive(expected, today),
        },
      });
    }
  }
  const projects = held.projects.map((p) => {
    const reason = p.retiredReason ?? (p.record.status !== 'released' || !p.record.postingAllowed ? 'inactive' : null);
    const expected = expectedOf(p.record.wbsElement, p.record.name, reason, p.record.validTo);
    const value: DimensionValue = {
      kind: 'lookup_value',
      lookup: PROJECTS_LOOKUP,
      code: expected.key,
      name: expected.name,
      active: isActive(expected, today),
    };
    return { expected, value };
  });
  const taxCodes = held.taxCodes.map((t) => {
    const expected = expectedOf(
      `${t.record.companyCode}-${t.record.code}`,
      t.record.description ?? t.record.code,
      t.retiredReason,
      t.record.validTo,
    );
    const value: DimensionValue = {
      kind: 'lookup_value',
      lookup: TAX_CODES_LOOKUP,
      code: expected.key,
      name: expected.name,
      active: isActive(expected, today),
    };
    return { expected, value };
  });
  return { accounts, projects, taxCodes };
}

export function expenseValues(held: HeldMasterData, today: string): Record<ExpenseDimension, Publishable<ListValue>[]> {
  const seen = new Set<string>();
  const costCenters: Publishable<ListValue>[] = [];
  for (const list of costCentersByCompany(held, today).values()) {
    for (const c of list) {
      if (seen.has(c.record.code)) continue;
      seen.add(c.record.code);
      const expected = expectedOf(c.record.code, c.record.name, c.retiredReason, c.record.validTo);
      costCenters.push({
        expected,
        value: { code: expected.key, value: expected.name, active: isActive(expected, today) },
      });
    }
  }
  const projects = held.projects.map((p) => {
    const reason = p.retiredReason ?? (p.record.status !== 'released' || !p.record.postingAllowed ? 'inactive' : null);
    const expected = expectedOf(p.record.wbsElement, p.record.name, reason, p.record.validTo);
    return { expected, value: { code: expected.key, value: expected.name, active: isActive(expected, today) } };
  });
  return { costCenters, projects };
}

/** The suite's accounts and lookup values grouped by the dimension they belong to; other lookups are left out. */
export function procurementActuals(
  held: readonly HeldDimensionValue[],
): Record<ProcurementDimension, ActualDimensionValue[]> {
  const out: Record<ProcurementDimension, ActualDimensionValue[]> = { accounts: [], projects: [], taxCodes: [] };
  for (const v of held) {
    if (v.kind === 'account') out.accounts.push({ key: v.segments.join('-'), name: v.name, active: v.active });
    else if (v.lookup === PROJECTS_LOOKUP) out.projects.push({ key: v.code, name: v.name, active: v.active });
    else if (v.lookup === TAX_CODES_LOOKUP) out.taxCodes.push({ key: v.code, name: v.name, active: v.active });
  }
  return out;
}

export function listActuals(held: readonly HeldListValue[]): ActualDimensionValue[] {
  return held.map((v) => ({ key: v.code, name: v.value, active: v.active }));
}

/** Drift of one dimension of a target. */
export function driftOf<V>(
  expected: readonly Publishable<V>[],
  actual: readonly ActualDimensionValue[],
  today: string,
): DimensionDrift {
  return computeDrift(
    expected.map((p) => p.expected),
    actual,
    today,
  );
}

/** True when the target lacks something, holds it stale or inactive, or still offers a retired value. */
export function hasDrift(drift: DimensionDrift): boolean {
  return (
    drift.missing.length + drift.stale.length + drift.activeAfterRetirement.length + drift.inactiveInTarget.length > 0
  );
}

/**
 * The writes that close a drift: missing, stale and inactive-in-target values as they should be
 * (active), values still active after retirement deactivated. Unexpected values are left alone: the
 * hub never deletes what it did not publish.
 */
export function writesFor<V>(expected: readonly Publishable<V>[], drift: DimensionDrift): V[] {
  const byKey = new Map(expected.map((p) => [p.expected.key, p.value]));
  const keys = [...drift.missing, ...drift.stale, ...drift.inactiveInTarget, ...drift.activeAfterRetirement].map(
    (d) => d.key,
  );
  return keys.flatMap((key) => {
    const value = byKey.get(key);
    return value === undefined ? [] : [value];
  });
}
