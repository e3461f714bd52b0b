/**
 * A seeded supplier's supplier information (R39_Core_Platform_API.json, SupplierInformation with
 * `supplier-id`) and its remit-to address of kind `RTA` (SupplierInformationAddress), which is where
 * R39 keeps bank accounts: `iban-number` and `bic` for the DE and GB suppliers, `bank-account-number`
 * and `bank-routing-number` for the US ones, and `name-on-bank-account`. The IBANs carry real check
 * digits (iban.ts).
 */
import type { CoupaRecord } from './records.js';
import { makeIban } from './iban.js';

function bankOf(country: string, index: number): Record<string, unknown> {
  if (country === 'US')
    return {
      'bank-account-number': `00${4500000 + index}`,
      'bank-routing-number': '121000248',
      'bank-code': '121000248',
    };
  if (country === 'GB')
    return { 'iban-number': makeIban('GB', `NWBK601613${(31926800 + index).toString()}`), bic: 'NWBKGB2L' };
  return {
    'iban-number': makeIban('DE', `50010517${(648489800 + index).toString().padStart(10, '0')}`),
    bic: 'INGDDEFFXXX',
  };
}

export function supplierInformationFor(supplier: CoupaRecord, index: number, id: number): CoupaRecord {
  const address = supplier['primary-address'] as { country: { code: string }; city: string; 'postal-code': string };
  const country = address.country.code;
  return {
    id,
    'supplier-id': supplier.id,
    name: supplier['name'],
    status: supplier['status'] === 'draft' ? 'draft' : 'approved',
    'supplier-information-addresses': [
      {
        id: id * 10,
        kind: 'RTA',
        active: true,
        'address-name': `${String(supplier['name'])} remittance`,
        city: address.city,
        'postal-code': address['postal-code'],
        country: { code: country },
        'bank-country': { code: country },
        'name-on-bank-account': supplier['name'],
        'payment-method-item': 'tran',
        ...bankOf(country, index),
      },
    ],
    'created-at': supplier['created-at'],
    'updated-at': supplier['created-at'],
  };
}
