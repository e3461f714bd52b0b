/**
 * Vendors across the companies of one Business Central system: a vendor number in several companies
 * is one ERP vendor for the hub (its legal entities merged, blocked when blocked in any), and its
 * version lists each company's ETag (`companies(<id>)@<etag>|…`) so an update sends each record the
 * If-Match it was read with.
 */
import type { JsonObject } from '../../canonical/strict-json.js';
import type { ErpVendor, NewVendor } from '../ports/erp-port.js';
import { body } from './translate.js';

export function mergeVendors(vendors: readonly ErpVendor[]): ErpVendor[] {
  const byNumber = new Map<string, ErpVendor>();
  for (const vendor of vendors) {
    const seen = byNumber.get(vendor.vendorId);
    if (seen === undefined) {
      byNumber.set(vendor.vendorId, vendor);
      continue;
    }
    byNumber.set(vendor.vendorId, {
      ...seen,
      companyCodes: [...new Set([...seen.companyCodes, ...vendor.companyCodes])],
      taxNumbers: [...new Set([...seen.taxNumbers, ...vendor.taxNumbers])],
      blocked: seen.blocked || vendor.blocked,
      version: [seen.version, vendor.version].filter((v) => v !== undefined && v !== '').join('|'),
    });
  }
  return [...byNumber.values()];
}

/** `companies(<id>)` → ETag, from a version as mergeVendors writes it. */
export function versionsOf(version: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of version.split('|')) {
    const at = part.indexOf('@');
    if (at > 0) out.set(part.slice(0, at), part.slice(at + 1));
  }
  return out;
}

/** The create body: number (our reference), name, country, tax registration number. */
export function vendorBody(number: string, vendor: NewVendor): JsonObject {
  return body({
    number,
    displayName: vendor.name.slice(0, 100),
    country: vendor.country,
    taxRegistrationNumber: (vendor.vatNumber ?? vendor.taxNumber)?.slice(0, 20),
  });
}
