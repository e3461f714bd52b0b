/**
 * The ERP vendor master held in memory for synchronous supplier lookups (`GET /v1/suppliers/lookup`)
 * and for onboarding's name candidates: loaded once, then kept current by the vendor poller. Tax
 * numbers and IBANs are found through maps; names through trigrams of the match name (the same
 * normalisation as onboarding, see name-trigram-index.ts), the best few scored by `matchSupplier`. No I/O of its own: the
 * loader it is given reads through the ERP port.
 */
import type { ErpVendor } from '../../connectors/port.js';
import type { SupplierLookup, SupplierStateRecord, VendorMasterCopy } from '../ports.js';
import {
  matchSupplier,
  prepareVendors,
  type PreparedVendors,
  type SupplierMatchCandidate,
} from '../../validation/supplier-match.js';
import { normaliseSupplier, type NormalisedSupplier } from '../../validation/supplier-normalise.js';
import type { ValidationIssue } from '../../validation/validation-issue.js';
import { NameTrigramIndex } from './name-trigram-index.js';

export interface SupplierLookupQuery {
  readonly name?: string;
  readonly taxNumber?: string;
  readonly iban?: string;
  readonly country?: string;
  /** Most matches answered (default 5). */
  readonly limit?: number;
}

export interface SupplierLookupMatch {
  readonly vendorId: string;
  readonly name: string;
  readonly country: string | null;
  readonly companyCodes: readonly string[];
  readonly paymentBlocked: boolean;
  /** The hub's supplier linked to this vendor and its lifecycle state, when onboarded through the hub. */
  readonly supplierId: string | null;
  readonly supplierStatus: string | null;
  readonly score: number;
  readonly reasons: readonly string[];
}

export interface SupplierLookupAnswer {
  readonly matches: readonly SupplierLookupMatch[];
  /** What the checks found in the query itself (e.g. an IBAN with wrong check digits). */
  readonly issues: readonly ValidationIssue[];
  /** When the vendor master was last read (epoch ms). */
  readonly asOf: number;
}

export interface VendorMasterSource {
  load(): Promise<{ readonly vendors: readonly ErpVendor[]; readonly states: readonly SupplierStateRecord[] }>;
}

type PreparedVendor = PreparedVendors['prepared'][number];

interface Entry {
  readonly vendor: ErpVendor;
  /** Normalised once for matchSupplier (match name, tax keys, IBANs). */
  readonly prepared: PreparedVendor;
  readonly keys: readonly string[];
}

/** Tax numbers compared without spaces and punctuation, with and without a two-letter prefix. */
function taxKeys(raw: string): string[] {
  const compact = raw.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (compact === '') return [];
  const bare = /^[A-Z]{2}\d/.test(compact) ? compact.slice(2) : compact;
  return bare === compact ? [`tax:${compact}`] : [`tax:${compact}`, `tax:${bare}`];
}

function ibanKey(raw: string): string {
  return `iban:${raw.toUpperCase().replace(/[^A-Z0-9]/g, '')}`;
}

function addTo(map: Map<string, Set<string>>, key: string, vendorId: string): void {
  let set = map.get(key);
  if (set === undefined) map.set(key, (set = new Set()));
  set.add(vendorId);
}

/**
 * A tax number that is not an EU VAT number (e.g. "US300000123") has no country the checks know; with
 * no country in the query, its two-letter prefix is taken as the country, so it compares equal to the
 * vendor's number in that country.
 */
function withTaxCountry(supplier: NormalisedSupplier, taxNumber: string): NormalisedSupplier {
  if (supplier.country !== undefined || supplier.taxNumberCountry !== undefined) return supplier;
  const prefix = /^[A-Z]{2}(?=\d)/.exec((supplier.taxNumber ?? taxNumber).toUpperCase())?.[0];
  return prefix === undefined ? supplier : { ...supplier, taxNumberCountry: prefix };
}

/** Vendors scored per name query: the ones sharing the most trigrams with it. */
const NAME_SHORTLIST = 10;
const MAX_STATE_AGE_MS = 5 * 60_000;

export class SupplierLookupIndex implements SupplierLookup, VendorMasterCopy {
  private readonly entries = new Map<string, Entry>();
  private readonly byKey = new Map<string, Set<string>>();
  private readonly byReference = new Map<string, Set<string>>();
  private readonly names = new NameTrigramIndex();
  private readonly states = new Map<string, SupplierStateRecord>();
  private loading: Promise<void> | undefined;
  /** Epoch ms of the last full load or refresh; 0 before the first. */
  asOf = 0;
  /** The last load's failure, for readiness and logs. */
  lastError: unknown = undefined;

  constructor(
    private readonly source?: VendorMasterSource,
    private readonly now: () => number = Date.now,
  ) {}

  get loaded(): boolean {
    return this.asOf > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Replaces everything with a full read of the vendor master and the hub's supplier states. */
  replaceAll(vendors: readonly ErpVendor[], states: readonly SupplierStateRecord[]): void {
    this.entries.clear();
    this.byKey.clear();
    this.byReference.clear();
    this.names.clear();
    this.states.clear();
    for (const state of states) this.noteState(state);
    this.upsert(vendors);
  }

  /** Adds or replaces vendors (changed since the last read). */
  upsert(vendors: readonly ErpVendor[]): void {
    for (const vendor of vendors) {
      this.remove(vendor.vendorId);
      const prepared = prepareVendors([vendor]).prepared[0]!;
      const keys = [...vendor.taxNumbers.flatMap(taxKeys), ...vendor.ibans.map(ibanKey)];
      this.entries.set(vendor.vendorId, { vendor, prepared, keys });
      for (const key of keys) addTo(this.byKey, key, vendor.vendorId);
      if (vendor.reference !== undefined) addTo(this.byReference, vendor.reference, vendor.vendorId);
      this.names.set(vendor.vendorId, prepared.matchName);
    }
    this.asOf = this.now();
  }

  /** Records a supplier's state against its ERP vendor. */
  noteState(state: SupplierStateRecord): void {
    if (state.erpVendorId !== null) this.states.set(state.erpVendorId, state);
  }

  /** The vendors carrying our reference (an employee vendor's personnel number). */
  vendorsWithReference(reference: string): ErpVendor[] {
    return [...(this.byReference.get(reference) ?? [])].map((id) => this.entries.get(id)!.vendor);
  }

  vendor(vendorId: string): ErpVendor | undefined {
    return this.entries.get(vendorId)?.vendor;
  }

  /** Loads the vendor master when it never was; reloads in the background when it is stale. */
  async ensureLoaded(maxAgeMs = MAX_STATE_AGE_MS): Promise<void> {
    if (this.source === undefined) return;
    if (!this.loaded) {
      await this.reload();
      return;
    }
    if (this.now() - this.asOf > maxAgeMs) void this.reload().catch(() => undefined);
  }

  /** One full read at a time; concurrent callers share it. */
  reload(): Promise<void> {
    const source = this.source;
    if (source === undefined) return Promise.resolve();
    this.loading ??= source
      .load()
      .then(({ vendors, states }) => {
        this.replaceAll(vendors, states);
        this.lastError = undefined;
      })
      .catch((error: unknown) => {
        this.lastError = error;
        throw error;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  /**
   * Vendors whose names share the most trigrams with the match name (before scoring).
   */
  nameShortlist(matchName: string, size = NAME_SHORTLIST): ErpVendor[] {
    return this.shortlist(matchName, size).map((e) => e.vendor);
  }

  private shortlist(matchName: string, size: number): Entry[] {
    return this.names.nearest(matchName, size).map((id) => this.entries.get(id)!);
  }

  lookup(query: SupplierLookupQuery, options: { readonly reviewAbove?: number } = {}): SupplierLookupAnswer {
    const { supplier, issues } = normaliseSupplier({
      name: query.name ?? '',
      ...(query.country === undefined ? {} : { country: query.country }),
      ...(query.taxNumber === undefined ? {} : { taxNumber: query.taxNumber }),
      ...(query.iban === undefined ? {} : { iban: query.iban }),
    });
    const relevant = issues.filter((i) => i.code !== 'name_missing');
    const ids = new Map<string, Entry>();
    const keys = [
      ...(query.taxNumber === undefined ? [] : taxKeys(supplier.taxNumber ?? query.taxNumber)),
      ...(query.iban === undefined ? [] : [ibanKey(supplier.iban ?? query.iban)]),
    ];
    for (const key of keys) for (const id of this.byKey.get(key) ?? []) ids.set(id, this.entries.get(id)!);
    if (query.name !== undefined && supplier.matchName !== '')
      for (const e of this.shortlist(supplier.matchName, NAME_SHORTLIST)) ids.set(e.vendor.vendorId, e);
    const vendors = [...ids.values()].map((e) => e.prepared);
    const limit = query.limit ?? 5;
    const compared = query.taxNumber === undefined ? supplier : withTaxCountry(supplier, query.taxNumber);
    const candidates = this.score(compared, vendors, query, options.reviewAbove, limit);
    return { matches: candidates.map((c) => this.matchOf(c)), issues: relevant, asOf: this.asOf };
  }

  private score(
    supplier: NormalisedSupplier,
    vendors: readonly PreparedVendor[],
    query: SupplierLookupQuery,
    reviewAbove: number | undefined,
    limit: number,
  ): readonly SupplierMatchCandidate[] {
    if (vendors.length === 0) return [];
    const exactOnly = query.name === undefined;
    // Without a name only the exact hits count; with one, similar names are listed from 0.5.
    const result = matchSupplier(
      supplier,
      { prepared: vendors },
      { listAbove: 0.5, maxCandidates: limit, ...(reviewAbove === undefined ? {} : { reviewAbove }) },
    );
    return exactOnly ? result.candidates.filter((c) => c.score === 1) : result.candidates.slice(0, limit);
  }

  private matchOf(candidate: SupplierMatchCandidate): SupplierLookupMatch {
    const vendor = this.entries.get(candidate.vendorId)!.vendor;
    const state = this.states.get(vendor.vendorId);
    return {
      vendorId: vendor.vendorId,
      name: vendor.name,
      country: vendor.country ?? null,
      companyCodes: vendor.companyCodes,
      paymentBlocked: vendor.blocked,
      supplierId: state?.supplierId ?? null,
      supplierStatus: state?.status ?? null,
      score: candidate.score,
      reasons: candidate.reasons,
    };
  }

  private remove(vendorId: string): void {
    const entry = this.entries.get(vendorId);
    if (entry === undefined) return;
    for (const key of entry.keys) this.byKey.get(key)?.delete(vendorId);
    if (entry.vendor.reference !== undefined) this.byReference.get(entry.vendor.reference)?.delete(vendorId);
    this.names.remove(vendorId);
    this.entries.delete(vendorId);
  }
}
