/**
 * The services flows consume from the hub, as ports: flows import this file of the hub and nothing
 * else; the composition root hands them the store-backed implementations in this folder.
 */
import type { JsonValue } from '../canonical/strict-json.js';
import type { ErpVendor } from '../connectors/port.js';
import type { CodingInput } from '../validation/coding.js';

export type { CodingInput } from '../validation/coding.js';
export type { MappingSetSource } from '../mapping/mapping-set.js';

/**
 * The identity map (DESIGN.md section 4): which remote ID one canonical object has in each system.
 * Flows receive it from the composition root; links are kept for good.
 */
export interface IdentityMap {
  /** Records the link; linking the same pair again is a no-op, a conflicting link is LL_ERR_ILLEGAL_TRANSITION. */
  link(entityType: string, canonicalId: string, system: string, remoteId: string): Promise<void>;
  remoteIdOf(entityType: string, canonicalId: string, system: string): Promise<string | null>;
  canonicalIdOf(entityType: string, system: string, remoteId: string): Promise<string | null>;
}

/** A write the effect ledger confirmed, with the run that made it. */
export interface PostingRecord {
  readonly runId: string;
  readonly runKey: string;
  readonly flow: string;
  /** The source system and document of the run. */
  readonly sourceSystem: string;
  readonly documentId: string;
  readonly version: string;
  readonly correlationId: string;
  readonly entity: string | null;
  /** The target system, our reference and what the target numbered it. */
  readonly system: string;
  readonly idempotencyKey: string;
  readonly remoteId: string | null;
  readonly step: string;
  readonly input: JsonValue;
}

/** Finds earlier postings: payment status traces a cleared ERP item back to its source document. */
export interface PostingLookup {
  byReference(system: string, idempotencyKey: string): Promise<PostingRecord | null>;
  byRemoteId(system: string, remoteId: string): Promise<PostingRecord | null>;
  /**
   * The references (idempotency keys) the posting's document may carry for its effect `name` of
   * `step`: the document-scoped key, and the run-scoped one earlier runs used.
   */
  referencesOf(posting: PostingRecord, step: string, name: string): readonly string[];
  /** Records that the run's document was paid (the run's `paid_at`), for KPIs and trace. */
  markPaid(runId: string, paidAt: number): Promise<void>;
  /**
   * The runs of the source document (any version, the asking run left out) that posted it (`posted_at`
   * set), newest posting first, with their state: a new version finds what the earlier one posted.
   */
  postedVersionsOf(
    flow: string,
    sourceSystem: string,
    documentId: string,
    exceptRunId: string,
  ): Promise<PostedVersion[]>;
}

/** A run that posted a version of a source document. */
export interface PostedVersion {
  readonly runId: string;
  readonly version: string;
  readonly postedAt: number;
  readonly state: Readonly<Record<string, unknown>>;
}

/** The hub's record of one onboarded supplier: its lifecycle state and the ids it is linked to. */
export interface SupplierStateRecord {
  /** The canonical supplier id (as in the identity map). */
  readonly supplierId: string;
  /** A canonical supplier status (canonical/state-tables.ts `supplierStatuses`). */
  readonly status: string;
  readonly procurementSystem: string | null;
  readonly procurementId: string | null;
  readonly erpSystem: string | null;
  readonly erpVendorId: string | null;
  /** Why it last changed, for people (e.g. "payment block set on ERP vendor 17300005"). */
  readonly reason: string | null;
  readonly updatedAt: number;
}

/** Supplier state records; flows check transitions with the canonical state table before writing. */
export interface SupplierStates {
  get(supplierId: string): Promise<SupplierStateRecord | null>;
  /** Inserts or replaces the record. */
  put(record: SupplierStateRecord): Promise<void>;
  /** Every record (the supplier lookup loads them with the vendor master). */
  list(): Promise<SupplierStateRecord[]>;
}

/** One master data record as a flow hands it to the repository: the canonical record under its key. */
export interface MasterDataEntry {
  /** `legal_entity`, `gl_account`, `cost_center`, `project`, `tax_code`. */
  readonly kind: string;
  /** Stable within the kind (e.g. `1010/10101101/2023-01-01`); a new version is added under it. */
  readonly key: string;
  readonly record: Readonly<Record<string, unknown>>;
  readonly validFrom: string | null;
  readonly validTo: string | null;
  readonly retired: boolean;
  /** Why it is retired: blocked, expired, closed, inactive, deleted. */
  readonly retiredReason: string | null;
}

/** A stored version of a master data record. */
export interface StoredMasterDataEntry extends MasterDataEntry {
  readonly version: number;
  readonly hash: string;
  readonly fetchedAt: number;
}

export interface MasterDataCommitResult {
  /** Keys seen for the first time, keys with a new version, keys retired because the read lacked them. */
  readonly added: number;
  readonly changed: number;
  readonly deleted: number;
  readonly unchanged: number;
}

/**
 * The hub's versioned snapshots of the ERP's dimensions (the `master_data` table). Committing the same
 * content again adds nothing, so a step that commits can be retried safely.
 */
export interface MasterDataRepository {
  /**
   * Adds a version for each entry whose content hash differs from its key's newest version. With
   * `complete` (a full read), keys the entries lack are retired as deleted (a new version).
   */
  commit(
    entries: readonly MasterDataEntry[],
    options: { readonly complete: boolean; readonly fetchedAt: number },
  ): Promise<MasterDataCommitResult>;
  /** The newest version of every key (retired ones only when asked). */
  current(options?: { readonly includeRetired?: boolean }): Promise<StoredMasterDataEntry[]>;
  /** Changes whenever a version is added: a cheap way for another process to know it must reload. */
  revision(): Promise<string>;
}

export interface PeriodCalendarProvider {
  /** The status of the period `date` (YYYY-MM-DD) falls in for the entity. */
  status(
    entity: string,
    date: string,
  ): Promise<{ readonly period: string; readonly open: boolean; readonly reason?: string }>;
  /** Records that the ERP refused a posting because the period (YYYY-MM) is closed. */
  recordClosure(entity: string, period: string, reason: string): Promise<void>;
}

/** One error-level issue of a check, naming what to fix (a type literal, so it fits an error's details). */
export type CodingIssue = {
  readonly code: string;
  readonly message: string;
  readonly path: string;
};

export interface CodingChecker {
  /** Every error-level issue of the combinations (warnings left out), each naming what to fix. */
  check(inputs: readonly CodingInput[]): Promise<readonly CodingIssue[]>;
}

/**
 * The ERP vendor master the hub holds in memory (supplier onboarding's name candidates and the
 * synchronous supplier lookup); the supplier flows keep it current as they read and write vendors.
 */
/**
 * The hub's copy of the ERP vendor master as the posting flows read it: employee vendors found by
 * our reference (the personnel number) without a call to the ERP. Loaded on first use and reloaded
 * in the background when older than a few minutes; a miss is read from the ERP and added.
 */
export interface VendorMasterCopy {
  readonly loaded: boolean;
  ensureLoaded(): Promise<void>;
  /** The vendors carrying our reference. */
  vendorsWithReference(reference: string): ErpVendor[];
  /** The vendor by the ERP's number, as the copy holds it. */
  vendor(vendorId: string): ErpVendor | undefined;
  upsert(vendors: readonly ErpVendor[]): void;
}

export interface SupplierLookup {
  /** False until the vendor master was read once. */
  readonly loaded: boolean;
  /** Replaces the whole vendor master (a full read) with the hub's supplier states. */
  replaceAll(vendors: readonly ErpVendor[], states: readonly SupplierStateRecord[]): void;
  /** Adds or replaces vendors read or created since. */
  upsert(vendors: readonly ErpVendor[]): void;
  /** Records a supplier state change so lookups show it. */
  noteState(state: SupplierStateRecord): void;
  /** The vendors whose names share most trigrams with the match name, best first. */
  nameShortlist(matchName: string, size?: number): ErpVendor[];
}

/** A document approved by its period's end and not posted by then (an accrual's source). */
export interface UnpostedDocument {
  readonly flow: string;
  readonly system: string;
  readonly documentId: string;
  readonly entity: string;
  readonly amount: { readonly amount: string; readonly currency: string };
}

/** What the period-end accrual reads: approved but unposted documents the hub holds. */
export interface AccrualSource {
  /** Documents of the flows approved before `endMs` and not posted before it (the latest run of each document). */
  unposted(flows: readonly string[], endMs: number): Promise<UnpostedDocument[]>;
}
