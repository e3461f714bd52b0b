/**
 * The ERP's finance dimensions held in Maps, so each coding check is a handful of O(1) lookups.
 *
 * Everything is keyed by company code, then by the dimension's code compared as `dimensionKey` does
 * (numeric codes without leading zeros). A code can have several records: SAP keeps a cost center
 * once per validity interval, so lookups return every version, sorted by `validFrom`, and
 * `versionOn` picks the one in force on a date. Codes are also indexed across company codes, so a
 * check can say "this cost center belongs to company code 1710" instead of just "unknown".
 */
import type {
  CodingRule,
  CostCenter,
  GlAccount,
  LegalEntity,
  Project,
  TaxCode,
} from '../canonical/model/master-data.js';
import { dimensionKey } from './dimension-key.js';

/** What the index is built from: the ERP's master data as the hub holds it. */
export interface MasterDataSnapshotInput {
  readonly legalEntities: readonly LegalEntity[];
  readonly glAccounts: readonly GlAccount[];
  readonly costCenters: readonly CostCenter[];
  readonly projects: readonly Project[];
  readonly taxCodes: readonly TaxCode[];
  readonly codingRules?: readonly CodingRule[];
}

/** A record with an optional validity interval (inclusive ISO dates). */
export interface Dated {
  readonly validFrom?: string | undefined;
  readonly validTo?: string | undefined;
}

export interface MasterDataIndex {
  /** Legal entity by company code. */
  entity(companyCode: string): LegalEntity | undefined;
  account(companyCode: string, accountNumber: string): GlAccount | undefined;
  /** Company codes whose chart holds this account number, sorted. */
  accountCompanyCodes(accountNumber: string): readonly string[];
  /** Every validity version of a cost center in a company code, sorted by validFrom. */
  costCenters(companyCode: string, code: string): readonly CostCenter[];
  costCenterCompanyCodes(code: string): readonly string[];
  /** Project elements by WBS element code (or project code), sorted by validFrom. */
  projects(companyCode: string, code: string): readonly Project[];
  projectCompanyCodes(code: string): readonly string[];
  taxCodes(companyCode: string, code: string): readonly TaxCode[];
  /** The same tax code as defined in any company code, for "other country" messages. */
  taxCodesAnywhere(code: string): readonly TaxCode[];
  /** Coding rules of a company code, sorted by id. */
  codingRules(companyCode: string): readonly CodingRule[];
  readonly size: {
    readonly legalEntities: number;
    readonly glAccounts: number;
    readonly costCenters: number;
    readonly projects: number;
    readonly taxCodes: number;
    readonly codingRules: number;
  };
}

const NONE: readonly never[] = Object.freeze([]);

type Nested<T> = Map<string, Map<string, T[]>>;

function put<T>(map: Nested<T>, companyCode: string, code: string, value: T): void {
  let inner = map.get(companyCode);
  if (inner === undefined) map.set(companyCode, (inner = new Map()));
  const key = dimensionKey(code);
  const list = inner.get(key);
  if (list === undefined) inner.set(key, [value]);
  else list.push(value);
}

function putAnywhere<T>(map: Map<string, T[]>, code: string, value: T): void {
  const key = dimensionKey(code);
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function byValidFrom(a: Dated, b: Dated): number {
  const x = a.validFrom ?? '';
  const y = b.validFrom ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

function sortVersions<T extends Dated>(map: Nested<T>): void {
  for (const inner of map.values()) for (const list of inner.values()) list.sort(byValidFrom);
}

function companyCodesOf(map: Nested<unknown>): Map<string, readonly string[]> {
  const result = new Map<string, string[]>();
  for (const [companyCode, inner] of map) {
    for (const key of inner.keys()) {
      const list = result.get(key);
      if (list === undefined) result.set(key, [companyCode]);
      else list.push(companyCode);
    }
  }
  for (const list of result.values()) list.sort();
  return result;
}

function lookup<T>(map: Nested<T>, companyCode: string, code: string): readonly T[] {
  return map.get(companyCode)?.get(dimensionKey(code)) ?? NONE;
}

/** True when `date` lies within the record's validity (both ends inclusive, open ends allowed). */
export function isValidOn(record: Dated, date: string): boolean {
  return (
    (record.validFrom === undefined || record.validFrom <= date) &&
    (record.validTo === undefined || date <= record.validTo)
  );
}

/** The version in force on `date`, if any. */
export function versionOn<T extends Dated>(versions: readonly T[], date: string): T | undefined {
  for (const v of versions) if (isValidOn(v, date)) return v;
  return undefined;
}

/** Builds the index. Records with the same key keep the first one seen (entities and accounts). */
export function buildMasterDataIndex(snapshot: MasterDataSnapshotInput): MasterDataIndex {
  const entities = new Map<string, LegalEntity>();
  for (const e of snapshot.legalEntities) if (!entities.has(e.companyCode)) entities.set(e.companyCode, e);

  const accounts = new Map<string, Map<string, GlAccount>>();
  const accountOwners = new Map<string, Set<string>>();
  for (const a of snapshot.glAccounts) {
    let inner = accounts.get(a.companyCode);
    if (inner === undefined) accounts.set(a.companyCode, (inner = new Map()));
    const key = dimensionKey(a.number);
    if (!inner.has(key)) inner.set(key, a);
    let owners = accountOwners.get(key);
    if (owners === undefined) accountOwners.set(key, (owners = new Set()));
    owners.add(a.companyCode);
  }
  const accountCompanyCodes = new Map<string, readonly string[]>();
  for (const [key, owners] of accountOwners) accountCompanyCodes.set(key, [...owners].sort());

  const costCenters: Nested<CostCenter> = new Map();
  for (const c of snapshot.costCenters) put(costCenters, c.companyCode, c.code, c);
  sortVersions(costCenters);

  const projects: Nested<Project> = new Map();
  for (const p of snapshot.projects) {
    put(projects, p.companyCode, p.wbsElement, p);
    if (dimensionKey(p.projectCode) !== dimensionKey(p.wbsElement)) put(projects, p.companyCode, p.projectCode, p);
  }
  sortVersions(projects);

  const taxCodes: Nested<TaxCode> = new Map();
  const taxAnywhere = new Map<string, TaxCode[]>();
  for (const t of snapshot.taxCodes) {
    put(taxCodes, t.companyCode, t.code, t);
    putAnywhere(taxAnywhere, t.code, t);
  }
  sortVersions(taxCodes);

  const rules = new Map<string, CodingRule[]>();
  for (const r of snapshot.codingRules ?? []) {
    const list = rules.get(r.companyCode);
    if (list === undefined) rules.set(r.companyCode, [r]);
    else list.push(r);
  }
  for (const list of rules.values()) list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const costCenterOwners = companyCodesOf(costCenters);
  const projectOwners = companyCodesOf(projects);

  return {
    entity: (companyCode) => entities.get(companyCode),
    account: (companyCode, accountNumber) => accounts.get(companyCode)?.get(dimensionKey(accountNumber)),
    accountCompanyCodes: (accountNumber) => accountCompanyCodes.get(dimensionKey(accountNumber)) ?? NONE,
    costCenters: (companyCode, code) => lookup(costCenters, companyCode, code),
    costCenterCompanyCodes: (code) => costCenterOwners.get(dimensionKey(code)) ?? NONE,
    projects: (companyCode, code) => lookup(projects, companyCode, code),
    projectCompanyCodes: (code) => projectOwners.get(dimensionKey(code)) ?? NONE,
    taxCodes: (companyCode, code) => lookup(taxCodes, companyCode, code),
    taxCodesAnywhere: (code) => taxAnywhere.get(dimensionKey(code)) ?? NONE,
    codingRules: (companyCode) => rules.get(companyCode) ?? NONE,
    size: {
      legalEntities: entities.size,
      glAccounts: snapshot.glAccounts.length,
      costCenters: snapshot.costCenters.length,
      projects: snapshot.projects.length,
      taxCodes: snapshot.taxCodes.length,
      codingRules: snapshot.codingRules?.length ?? 0,
    },
  };
}
