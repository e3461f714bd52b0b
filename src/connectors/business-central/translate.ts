/**
 * Business Central records to the canonical model and back: companies (with their company
 * information) to legal entities, G/L accounts, dimension values of the configured cost center and
 * project dimensions, tax groups, and vendors. Our reference for a vendor is its number (the one key
 * field of the published vendor resource a caller may set; Code[20], upper case).
 */
import type { CostCenter, GlAccount, LegalEntity, Project, TaxCode } from '../../canonical/model/master-data.js';
import { JsonNumber, type JsonObject, type JsonValue } from '../../canonical/strict-json.js';
import type { ErpVendor } from '../ports/erp-port.js';

export const SYSTEM = 'business-central';

export const text = (record: JsonObject, key: string): string => {
  const value = record[key];
  return typeof value === 'string' ? value : value instanceof JsonNumber ? value.toString() : '';
};

export const amountOf = (record: JsonObject, key: string): string => {
  const value = record[key];
  return value instanceof JsonNumber ? value.toString() : typeof value === 'string' ? value : '0';
};

/** A decimal string as a JSON number, written exactly. */
export const decimal = (amount: string): JsonNumber => new JsonNumber(amount);

/** OData string literal. */
export const quote = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** Code fields are stored upper case and at most 20 characters long. */
export const code20 = (value: string): string => value.slice(0, 20).toUpperCase();

export function legalEntity(entity: string, company: JsonObject, information: JsonObject | undefined): LegalEntity {
  const vat = information === undefined ? '' : text(information, 'taxRegistrationNumber');
  return {
    id: `${SYSTEM}:company:${entity}`,
    refs: { [SYSTEM]: text(company, 'id') },
    companyCode: entity,
    name: text(company, 'displayName') || text(company, 'name'),
    country: information === undefined ? '' : text(information, 'country'),
    currency: information === undefined ? '' : text(information, 'currencyCode'),
    ...(vat.length >= 2 ? { vatNumber: vat } : {}),
    active: true,
  };
}

const ACCOUNT_TYPES: Readonly<Record<string, GlAccount['type']>> = {
  Assets: 'asset',
  Liabilities: 'liability',
  Equity: 'equity',
  Income: 'revenue',
  'Cost of Goods Sold': 'expense',
  Expense: 'expense',
};

export function glAccount(entity: string, account: JsonObject): GlAccount {
  const blocked = account['blocked'] === true;
  return {
    id: `${SYSTEM}:gl:${entity}:${text(account, 'number')}`,
    refs: { [SYSTEM]: text(account, 'id') },
    companyCode: entity,
    number: text(account, 'number'),
    name: text(account, 'displayName') || text(account, 'number'),
    type: ACCOUNT_TYPES[text(account, 'category')] ?? 'expense',
    postingAllowed: !blocked && text(account, 'accountType') === 'Posting',
    // Business Central publishes no "cost object required" flag (default dimension rules are not in API v2.0).
    requiresCostObject: false,
    blocked,
  };
}

export function costCenter(entity: string, value: JsonObject): CostCenter {
  return {
    id: `${SYSTEM}:cc:${entity}:${text(value, 'code')}`,
    refs: { [SYSTEM]: text(value, 'id') },
    companyCode: entity,
    code: text(value, 'code'),
    name: text(value, 'displayName') || text(value, 'code'),
    // Dimension values carry no validity in API v2.0: valid from the beginning, open-ended.
    validFrom: '1900-01-01',
    blocked: false,
  };
}

export function project(entity: string, value: JsonObject): Project {
  return {
    id: `${SYSTEM}:project:${entity}:${text(value, 'code')}`,
    refs: { [SYSTEM]: text(value, 'id') },
    companyCode: entity,
    projectCode: text(value, 'code'),
    wbsElement: text(value, 'code'),
    name: text(value, 'displayName') || text(value, 'code'),
    postingAllowed: true,
    status: 'released',
  };
}

/** A tax group; its rate is the tenant's VAT posting setup, which API v2.0 does not publish (configured). */
export function taxCode(
  entity: string,
  country: string,
  group: JsonObject,
  rates: Readonly<Record<string, string>>,
): TaxCode {
  const rate = rates[text(group, 'code')] ?? '0';
  return {
    id: `${SYSTEM}:tax:${entity}:${text(group, 'code')}`,
    refs: { [SYSTEM]: text(group, 'id') },
    companyCode: entity,
    code: text(group, 'code'),
    country,
    description: text(group, 'displayName'),
    kind: rate === '0' ? 'exempt' : 'input',
    ratePercent: rate,
    deductiblePercent: '100',
  };
}

export function erpVendor(entity: string, vendor: JsonObject): ErpVendor {
  const vat = text(vendor, 'taxRegistrationNumber');
  const etag = text(vendor, '@odata.etag');
  const country = text(vendor, 'country');
  return {
    vendorId: text(vendor, 'number'),
    name: text(vendor, 'displayName'),
    taxNumbers: vat === '' ? [] : [vat],
    // Bank accounts of vendors are not in API v2.0.
    ibans: [],
    companyCodes: [entity],
    blocked: text(vendor, 'blocked').trim() !== '',
    ...(etag === '' ? {} : { version: etag }),
    ...(country === '' ? {} : { country }),
    reference: text(vendor, 'number'),
  };
}

export function newestOf(records: readonly JsonObject[], field = 'lastModifiedDateTime'): string | undefined {
  let newest: string | undefined;
  for (const r of records) {
    const value = text(r, field);
    if (value !== '' && (newest === undefined || Date.parse(value) > Date.parse(newest))) newest = value;
  }
  return newest === undefined ? undefined : new Date(newest).toISOString();
}

export function body(fields: Readonly<Record<string, JsonValue | undefined>>): JsonObject {
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value;
  return out;
}
