/**
 * The ERP's dimensions as master data entries (kind, stable key, record, validity, retirement) and
 * back. Pure: the date that decides whether a validity has ended is an argument.
 *
 * Keys: legal entities by company code; GL accounts, projects (WBS elements) and tax codes by company
 * code and code; cost centers by company code, code and first valid day — SAP keeps a cost center
 * once per validity interval, and ending an interval (a new `validTo`) is a new version of the same
 * key. A value is retired when it is blocked, closed, inactive, its validity has ended, or the ERP no
 * longer has it (deleted, found by a full read).
 */
import type { CostCenter, GlAccount, LegalEntity, Project, TaxCode } from '../../canonical/model/master-data.js';
import type { MasterDataSnapshot } from '../../connectors/port.js';
import type { MasterDataEntry } from '../ports.js';
import type { MasterDataSnapshotInput } from '../../validation/index.js';

export const MASTER_DATA_KINDS = ['legal_entity', 'gl_account', 'cost_center', 'project', 'tax_code'] as const;
export type MasterDataKind = (typeof MASTER_DATA_KINDS)[number];

export function isMasterDataKind(value: string): value is MasterDataKind {
  return (MASTER_DATA_KINDS as readonly string[]).includes(value);
}

type AnyRecord = LegalEntity | GlAccount | CostCenter | Project | TaxCode;

/** Why a record is retired on `today` (YYYY-MM-DD), or null when it is current. */
export function retirementOf(kind: MasterDataKind, record: AnyRecord, today: string): string | null {
  switch (kind) {
    case 'legal_entity':
      return (record as LegalEntity).active ? null : 'inactive';
    case 'gl_account':
      // An account only the ERP posts to (postingAllowed false) is current, just never published.
      return (record as GlAccount).blocked ? 'blocked' : null;
    case 'cost_center': {
      const center = record as CostCenter;
      if (center.blocked) return 'blocked';
      return center.validTo !== undefined && center.validTo < today ? 'expired' : null;
    }
    case 'project': {
      const project = record as Project;
      if (project.status === 'closed') return 'closed';
      return project.validTo !== undefined && project.validTo < today ? 'expired' : null;
    }
    case 'tax_code': {
      const tax = record as TaxCode;
      return tax.validTo !== undefined && tax.validTo < today ? 'expired' : null;
    }
  }
}

function keyOf(kind: MasterDataKind, record: AnyRecord): string {
  switch (kind) {
    case 'legal_entity':
      return record.companyCode;
    case 'gl_account':
      return `${record.companyCode}/${(record as GlAccount).number}`;
    case 'cost_center':
      return `${record.companyCode}/${(record as CostCenter).code}/${(record as CostCenter).validFrom}`;
    case 'project':
      return `${record.companyCode}/${(record as Project).wbsElement}`;
    case 'tax_code':
      return `${record.companyCode}/${(record as TaxCode).code}`;
  }
}

function entry(kind: MasterDataKind, record: AnyRecord, today: string): MasterDataEntry {
  const dated = record as { validFrom?: string; validTo?: string };
  const reason = retirementOf(kind, record, today);
  return {
    kind,
    key: keyOf(kind, record),
    record: record as unknown as Readonly<Record<string, unknown>>,
    validFrom: dated.validFrom ?? null,
    validTo: dated.validTo ?? null,
    retired: reason !== null,
    retiredReason: reason,
  };
}

/** Every record of a snapshot as an entry, retirement judged on `today`. */
export function entriesOf(snapshot: MasterDataSnapshot, today: string): MasterDataEntry[] {
  return [
    ...snapshot.legalEntities.map((r) => entry('legal_entity', r, today)),
    ...snapshot.glAccounts.map((r) => entry('gl_account', r, today)),
    ...snapshot.costCenters.map((r) => entry('cost_center', r, today)),
    ...snapshot.projects.map((r) => entry('project', r, today)),
    ...snapshot.taxCodes.map((r) => entry('tax_code', r, today)),
  ];
}

/** An entry as the hub holds it, with retirement judged again on `today` (validity ends as days pass). */
export interface HeldRecord<T> {
  readonly record: T;
  readonly retiredReason: string | null;
}

export interface HeldMasterData {
  readonly legalEntities: readonly HeldRecord<LegalEntity>[];
  readonly glAccounts: readonly HeldRecord<GlAccount>[];
  readonly costCenters: readonly HeldRecord<CostCenter>[];
  readonly projects: readonly HeldRecord<Project>[];
  readonly taxCodes: readonly HeldRecord<TaxCode>[];
}

/** The newest entries grouped by kind; a deleted value stays retired, others are judged on `today`. */
export function heldMasterData(
  entries: readonly Pick<MasterDataEntry, 'kind' | 'record' | 'retiredReason'>[],
  today: string,
): HeldMasterData {
  const out = { legalEntities: [], glAccounts: [], costCenters: [], projects: [], taxCodes: [] } as {
    legalEntities: HeldRecord<LegalEntity>[];
    glAccounts: HeldRecord<GlAccount>[];
    costCenters: HeldRecord<CostCenter>[];
    projects: HeldRecord<Project>[];
    taxCodes: HeldRecord<TaxCode>[];
  };
  for (const e of entries) {
    if (!isMasterDataKind(e.kind)) continue;
    const record = e.record as unknown as AnyRecord;
    const retiredReason = e.retiredReason === 'deleted' ? 'deleted' : retirementOf(e.kind, record, today);
    const held = { record, retiredReason };
    if (e.kind === 'legal_entity') out.legalEntities.push(held as HeldRecord<LegalEntity>);
    else if (e.kind === 'gl_account') out.glAccounts.push(held as HeldRecord<GlAccount>);
    else if (e.kind === 'cost_center') out.costCenters.push(held as HeldRecord<CostCenter>);
    else if (e.kind === 'project') out.projects.push(held as HeldRecord<Project>);
    else out.taxCodes.push(held as HeldRecord<TaxCode>);
  }
  return out;
}

/**
 * What the validation index is built from: every value the ERP still has (deleted ones are left out;
 * blocked and expired ones stay, so a check can say "blocked" or "expired" instead of "unknown").
 */
export function validationSnapshotOf(
  entries: readonly Pick<MasterDataEntry, 'kind' | 'record' | 'retiredReason'>[],
): MasterDataSnapshotInput {
  const present = entries.filter((e) => e.retiredReason !== 'deleted');
  const of = <T>(kind: MasterDataKind): T[] =>
    present.filter((e) => e.kind === kind).map((e) => e.record as unknown as T);
  return {
    legalEntities: of<LegalEntity>('legal_entity'),
    glAccounts: of<GlAccount>('gl_account'),
    costCenters: of<CostCenter>('cost_center'),
    projects: of<Project>('project'),
    taxCodes: of<TaxCode>('tax_code'),
  };
}
