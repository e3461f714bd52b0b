/**
 * What supplier onboarding reads from its events and run input: which supplier version the event is
 * about, a person's decision on a duplicate suspect (the `resolution` of a replayed payload), and the
 * fields of a canonical supplier the supplier checks take. Pure; no I/O.
 *
 * Event payload (webhook `supplier.approved` and the poller alike):
 *   `{ "supplier": { "id": "1234", "updated-at": "2025-03-01T10:00:00Z" } }` (`updatedAt` accepted too;
 *   the rest of the supplier may be sent, the flow reads the current record from procurement).
 * Review decision, added to that payload when the run is replayed:
 *   `"resolution": { "action": "link", "vendorId": "17300005" }` or `"resolution": { "action": "create" }`.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import type { Supplier } from '../../canonical/model/index.js';
import { asJsonObject, type JsonValue, ownText, ownValue } from '../../canonical/strict-json.js';
import type { SupplierInput } from '../../validation/supplier-normalise.js';

/** The identity map's entity type for suppliers. */
export const SUPPLIER_ENTITY = 'supplier';

/** The canonical id of a procurement supplier: stable, so every version of it is the same supplier. */
export function supplierCanonicalId(procurementSystem: string, supplierId: string): string {
  return `${procurementSystem}:${supplierId}`;
}

export interface SupplierVersion {
  readonly supplierId: string;
  readonly updatedAt: string;
}

export type Resolution = { readonly action: 'link'; readonly vendorId: string } | { readonly action: 'create' };

/** The supplier and version an event is about, or undefined when the payload does not say. */
export function supplierVersionOf(payload: JsonValue): SupplierVersion | undefined {
  const supplier = asJsonObject(
    asJsonObject(payload) === undefined ? undefined : ownValue(asJsonObject(payload)!, 'supplier'),
  );
  if (supplier === undefined) return undefined;
  const supplierId = ownText(supplier, ['id']);
  const updatedAt = ownText(supplier, ['updated-at', 'updatedAt']);
  return supplierId === undefined || updatedAt === undefined ? undefined : { supplierId, updatedAt };
}

/** The decision in a replayed payload; undefined when there is none; malformed is a validation error. */
export function resolutionOf(input: JsonValue): Resolution | undefined {
  const root = asJsonObject(input);
  const raw = root === undefined ? undefined : ownValue(root, 'resolution');
  if (raw === undefined || raw === null) return undefined;
  const resolution = asJsonObject(raw);
  const action = resolution === undefined ? undefined : ownText(resolution, ['action']);
  if (resolution !== undefined && action === 'create') return { action: 'create' };
  const vendorId = resolution === undefined ? undefined : ownText(resolution, ['vendorId']);
  if (action === 'link' && vendorId !== undefined) return { action: 'link', vendorId };
  throw new LedgerlinkError(
    'LL_ERR_VALIDATION',
    'The review decision is not readable: send "resolution": { "action": "link", "vendorId": "<ERP vendor number>" } or { "action": "create" }',
    {
      details: [{ path: 'resolution', message: 'action must be "link" with a vendorId, or "create"' }],
    },
  );
}

/** The payload without a `resolution`: events cannot carry a review decision, only replays can. */
export function withoutResolution(payload: JsonValue): JsonValue {
  const root = asJsonObject(payload);
  if (root === undefined || !Object.hasOwn(root, 'resolution')) return payload;
  const { resolution: _dropped, ...rest } = root;
  return rest;
}

/** The fields the supplier checks read: name, country, the VAT (else first) tax number, the primary bank account. */
export function checksInputOf(supplier: Supplier): SupplierInput {
  const tax = supplier.taxNumbers.find((t) => t.kind === 'vat') ?? supplier.taxNumbers[0];
  const bank = supplier.bankAccounts.find((b) => b.primary) ?? supplier.bankAccounts[0];
  return {
    name: supplier.legalName ?? supplier.name,
    country: supplier.address.country,
    ...(tax === undefined ? {} : { taxNumber: tax.value }),
    ...(bank?.iban === undefined ? {} : { iban: bank.iban }),
    ...(bank?.bic === undefined ? {} : { bic: bank.bic }),
  };
}

const TRANSLITERATION: Readonly<Record<string, string>> = {
  ä: 'ae',
  ö: 'oe',
  ü: 'ue',
  Ä: 'Ae',
  Ö: 'Oe',
  Ü: 'Ue',
  ß: 'ss',
};

/**
 * Words to search the ERP's vendor names with (a substring search): the first word of the name
 * without its legal form, as written and with German umlauts spelt out ("Müller" → "Mueller").
 */
export function nameSearchTerms(name: string, legalForm: string | undefined): string[] {
  const base =
    legalForm !== undefined && name.endsWith(legalForm) ? name.slice(0, name.length - legalForm.length) : name;
  const first = base.trim().split(/[\s,]+/)[0] ?? '';
  if (first.length < 3) return [];
  const spelt = first.replace(/[äöüÄÖÜß]/g, (c) => TRANSLITERATION[c] ?? c);
  return spelt === first ? [first] : [first, spelt];
}
