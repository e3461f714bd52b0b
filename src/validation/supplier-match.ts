/**
 * Is this supplier already in the ERP's vendor master? Decides `link` (use that vendor), `create`
 * (a new vendor) or `review` (a person chooses: the duplicate_suspect exception).
 *
 * 1. Exact: the same tax registration (tax-number.ts `sameTaxRegistration`) or the same IBAN.
 *    One vendor → link; several different vendors → review with all of them. A single exact match
 *    that is blocked → review too: linking would route documents to a vendor that cannot be paid,
 *    creating would duplicate it; a person decides (unblock or create).
 * 2. Otherwise by name (name-similarity.ts) against vendors of the same country; vendors without a
 *    country are compared as well and say so in their reasons, and a candidate without a country is
 *    compared with every vendor. Best score ≥ `reviewAbove` → review, else create.
 *
 * Candidates are sorted by score (descending), then vendorId; scores are in [0, 1], 3 decimals.
 * For large vendor masters, `prepareVendors` once and pass the result to every call.
 */
import { electronicFormatIBAN } from 'ibantools';
import { splitLegalForm } from './legal-forms.js';
import { nameSimilarity, similarityUpperBound } from './name-similarity.js';
import { cleanText, toMatchName, type NormalisedSupplier } from './supplier-normalise.js';
import { sameTaxRegistration, taxRegistrationKey, type TaxRegistrationKey } from './tax-number.js';

export interface VendorRecord {
  readonly vendorId: string;
  readonly name: string;
  readonly country?: string | undefined;
  readonly taxNumbers: readonly string[];
  readonly ibans: readonly string[];
  readonly blocked: boolean;
}

export interface SupplierMatchOptions {
  /** Name score from which a person reviews instead of a vendor being created. Default 0.85. */
  readonly reviewAbove?: number;
  /** Lowest name score still listed as a candidate (for information). Default 0.6. */
  readonly listAbove?: number;
  /** Most candidates listed. Default 5 (every exact match is always listed). */
  readonly maxCandidates?: number;
}

export interface SupplierMatchCandidate {
  readonly vendorId: string;
  readonly score: number;
  readonly reasons: readonly string[];
}

export interface SupplierMatchResult {
  readonly decision: 'link' | 'create' | 'review';
  readonly vendorId?: string;
  readonly candidates: readonly SupplierMatchCandidate[];
}

interface PreparedVendor {
  readonly vendor: VendorRecord;
  readonly country: string | undefined;
  readonly matchName: string;
  readonly taxKeys: readonly TaxRegistrationKey[];
  readonly ibans: ReadonlySet<string>;
}

export interface PreparedVendors {
  readonly prepared: readonly PreparedVendor[];
}

function prepare(vendor: VendorRecord): PreparedVendor {
  const country =
    vendor.country === undefined || vendor.country.trim() === '' ? undefined : vendor.country.trim().toUpperCase();
  const ibans = new Set<string>();
  for (const raw of vendor.ibans) {
    const iban = electronicFormatIBAN(raw);
    if (iban !== null && iban !== '') ibans.add(iban);
  }
  return {
    vendor,
    country,
    matchName: toMatchName(splitLegalForm(cleanText(vendor.name)).base),
    taxKeys: vendor.taxNumbers.map((t) => taxRegistrationKey(t, country)).filter((k) => k.number !== ''),
    ibans,
  };
}

/** Normalises a vendor master once, for many `matchSupplier` calls. */
export function prepareVendors(vendors: readonly VendorRecord[]): PreparedVendors {
  return { prepared: vendors.map(prepare) };
}

function byScoreThenId(a: SupplierMatchCandidate, b: SupplierMatchCandidate): number {
  if (a.score !== b.score) return b.score - a.score;
  return a.vendorId < b.vendorId ? -1 : a.vendorId > b.vendorId ? 1 : 0;
}

function exactReasons(
  candidate: NormalisedSupplier,
  candidateTax: TaxRegistrationKey | undefined,
  v: PreparedVendor,
): string[] {
  const reasons: string[] = [];
  if (candidateTax !== undefined && v.taxKeys.some((k) => sameTaxRegistration(k, candidateTax))) {
    reasons.push(`same tax number ${candidate.taxNumber ?? ''}`);
  }
  if (candidate.iban !== undefined && v.ibans.has(candidate.iban)) reasons.push(`same IBAN ${candidate.iban}`);
  return reasons;
}

function nameReasons(
  candidate: NormalisedSupplier,
  candidateTax: TaxRegistrationKey | undefined,
  v: PreparedVendor,
  score: number,
): string[] {
  const reasons = [`name similarity ${score.toFixed(3)}: "${candidate.matchName}" ~ "${v.matchName}"`];
  if (v.country === undefined) reasons.push('vendor has no country; compared by name only');
  else if (candidate.country === undefined) reasons.push(`supplier has no country; vendor is in ${v.country}`);
  if (candidateTax !== undefined && v.taxKeys.length > 0) reasons.push('tax numbers differ');
  if (v.vendor.blocked) reasons.push('vendor is blocked');
  return reasons;
}

/** Decides link / create / review for a normalised supplier against the vendor master. */
export function matchSupplier(
  candidate: NormalisedSupplier,
  vendors: readonly VendorRecord[] | PreparedVendors,
  options: SupplierMatchOptions = {},
): SupplierMatchResult {
  const reviewAbove = options.reviewAbove ?? 0.85;
  const listAbove = Math.min(options.listAbove ?? 0.6, reviewAbove);
  const maxCandidates = options.maxCandidates ?? 5;
  const prepared = 'prepared' in vendors ? vendors.prepared : vendors.map(prepare);
  const candidateTax =
    candidate.taxNumber === undefined
      ? undefined
      : taxRegistrationKey(candidate.taxNumber, candidate.taxNumberCountry ?? candidate.country);

  const exactById = new Map<string, { reasons: string[]; blocked: boolean }>();
  for (const v of prepared) {
    const reasons = exactReasons(candidate, candidateTax, v);
    if (reasons.length === 0) continue;
    const seen = exactById.get(v.vendor.vendorId);
    if (seen === undefined) exactById.set(v.vendor.vendorId, { reasons, blocked: v.vendor.blocked });
    else for (const r of reasons) if (!seen.reasons.includes(r)) seen.reasons.push(r);
  }
  if (exactById.size > 0) {
    const exact = [...exactById].map(([vendorId, hit]) => ({
      vendorId,
      score: 1,
      reasons: hit.blocked ? [...hit.reasons, 'vendor is blocked'] : hit.reasons,
    }));
    // The same IBAN under a different tax number is not the same company for sure (a shared account, a
    // factoring bank, or a changed bank detail to divert payments): a person decides.
    for (const hit of exact) {
      const vendor = prepared.find((v) => v.vendor.vendorId === hit.vendorId);
      const taxMatched = hit.reasons.some((r) => r.startsWith('same tax number'));
      if (!taxMatched && candidateTax !== undefined && vendor !== undefined && vendor.taxKeys.length > 0) {
        hit.reasons.push(
          `tax numbers differ: ${candidate.taxNumber ?? ''} against the vendor's ${vendor.vendor.taxNumbers.join(', ')}`,
        );
      }
    }
    exact.sort(byScoreThenId);
    const only = exact.length === 1 ? exact[0] : undefined;
    const conflicting = only !== undefined && only.reasons.some((r) => r.startsWith('tax numbers differ'));
    if (only !== undefined && !conflicting && exactById.get(only.vendorId)?.blocked === false)
      return { decision: 'link', vendorId: only.vendorId, candidates: exact };
    return { decision: 'review', candidates: exact };
  }

  const scored: SupplierMatchCandidate[] = [];
  for (const v of prepared) {
    if (candidate.country !== undefined && v.country !== undefined && v.country !== candidate.country) continue;
    // Scores are rounded to 3 decimals: half a thousandth of slack keeps the bound safe.
    if (similarityUpperBound(candidate.matchName, v.matchName) + 0.0005 < listAbove) continue;
    const score = nameSimilarity(candidate.matchName, v.matchName);
    if (score < listAbove) continue;
    scored.push({ vendorId: v.vendor.vendorId, score, reasons: nameReasons(candidate, candidateTax, v, score) });
  }
  scored.sort(byScoreThenId);
  const candidates = scored.slice(0, maxCandidates);
  const best = candidates[0];
  return { decision: best !== undefined && best.score >= reviewAbove ? 'review' : 'create', candidates };
}
