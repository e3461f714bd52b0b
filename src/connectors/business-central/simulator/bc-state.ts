/**
 * The Business Central simulator's state: per company, one table of records per resource (lines and
 * dimension set lines carry their parent's id), the tax rates behind the tax groups, and the number
 * series for invoices, postings and ledger entries. Built from the estate; `reset` starts over.
 */
import { randomUUID } from 'node:crypto';
import { companies, GL_ACCOUNTS, OLD, seededId, type CompanySeed } from './bc-estate.js';
import type { BcRecord } from './bc-odata.js';

export const COST_CENTER_DIMENSION = 'COSTCENTER';
export const PROJECT_DIMENSION = 'PROJECT';
/** Where the tenant's posting setup books purchase VAT and vendor balances (not published by the API). */
export const PURCHASE_VAT_ACCOUNT = '15410000';
export const PAYABLES_ACCOUNT = '21100000';

export interface CompanyState {
  readonly id: string;
  readonly seed: CompanySeed;
  readonly tables: Map<string, BcRecord[]>;
  readonly taxRates: Map<string, string>;
  readonly closedPeriods: Set<string>;
  counters: { invoice: number; posted: number; entry: number; vendorEntry: number };
}

export class BcState {
  companies: CompanyState[] = [];
  pageSize = 50;

  constructor() {
    this.reset();
  }

  reset(): void {
    this.companies = companies().map(companyState);
    this.pageSize = 50;
  }

  company(id: string): CompanyState | undefined {
    return this.companies.find((c) => c.id === id.toLowerCase());
  }

  companyByName(name: string): CompanyState | undefined {
    return this.companies.find((c) => c.seed.name === name);
  }
}

export function table(company: CompanyState, name: string): BcRecord[] {
  let rows = company.tables.get(name);
  if (rows === undefined) {
    rows = [];
    company.tables.set(name, rows);
  }
  return rows;
}

export const now = (): string => new Date().toISOString();
export const newId = (): string => randomUUID();

function companyState(seed: CompanySeed): CompanyState {
  const id = seededId('company', seed.name);
  const tables = new Map<string, BcRecord[]>();
  const company: CompanyState = {
    id,
    seed,
    tables,
    taxRates: new Map(seed.taxGroups.map(([code, , rate]) => [code, rate])),
    closedPeriods: new Set(seed.closedPeriods),
    counters: { invoice: 1000, posted: 108000, entry: 1, vendorEntry: 1 },
  };
  const key = (...parts: string[]): string => seededId(seed.name, ...parts);
  table(company, 'companyInformation').push({
    id: key('info'),
    displayName: seed.displayName,
    country: seed.country,
    taxRegistrationNumber: seed.vat,
    currencyCode: seed.currency,
    currentFiscalYearStartDate: '2025-01-01',
    lastModifiedDateTime: OLD,
  });
  table(company, 'accounts').push(
    ...GL_ACCOUNTS.map(([number, name, category, blocked]) => ({
      id: key('account', number),
      number,
      displayName: name,
      category,
      subCategory: '',
      blocked: blocked === true,
      accountType: 'Posting',
      directPosting: true,
      netChange: 0,
      lastModifiedDateTime: blocked === true ? '2025-02-01T09:30:00Z' : OLD,
    })),
  );
  const dimension = (code: string, name: string): string => {
    const dimensionId = key('dimension', code);
    table(company, 'dimensions').push({
      id: dimensionId,
      code,
      displayName: name,
      consolidationCode: '',
      lastModifiedDateTime: OLD,
    });
    return dimensionId;
  };
  const values = (dimensionId: string, list: readonly (readonly [string, string])[]): void => {
    table(company, 'dimensionValues').push(
      ...list.map(([code, name]) => ({
        id: key('dimensionValue', dimensionId, code),
        code,
        dimensionId,
        displayName: name,
        consolidationCode: '',
        lastModifiedDateTime: OLD,
      })),
    );
  };
  values(dimension(COST_CENTER_DIMENSION, 'Cost center'), seed.costCenters);
  values(dimension(PROJECT_DIMENSION, 'Project'), seed.projects);
  table(company, 'taxGroups').push(
    ...seed.taxGroups.map(([code, name]) => ({
      id: key('taxGroup', code),
      code,
      displayName: name,
      taxType: 'VAT',
      lastModifiedDateTime: OLD,
    })),
  );
  for (const year of [2024, 2025, 2026])
    for (let month = 1; month <= 12; month++) {
      const period = `${year}-${String(month).padStart(2, '0')}`;
      table(company, 'accountingPeriods').push({
        id: key('period', period),
        startingDate: `${period}-01`,
        name: new Date(`${period}-01T00:00:00Z`).toLocaleString('en', { month: 'long', timeZone: 'UTC' }),
        newFiscalYear: month === 1,
        closed: false,
        dateLocked: company.closedPeriods.has(period),
        lastModifiedDateTime: OLD,
      });
    }
  table(company, 'vendors').push(
    ...seed.vendors.map((v) => ({
      id: key('vendor', v.number),
      number: v.number,
      displayName: v.name,
      addressLine1: '',
      addressLine2: '',
      city: '',
      state: '',
      country: v.country,
      postalCode: '',
      phoneNumber: '',
      email: '',
      website: '',
      taxRegistrationNumber: v.vat ?? '',
      currencyId: '00000000-0000-0000-0000-000000000000',
      currencyCode: '',
      irs1099Code: '',
      paymentTermsId: '00000000-0000-0000-0000-000000000000',
      paymentMethodId: '00000000-0000-0000-0000-000000000000',
      taxLiable: false,
      blocked: v.blocked ?? ' ',
      balance: 0,
      lastModifiedDateTime: v.changed ?? OLD,
    })),
  );
  table(company, 'journals').push({
    id: key('journal', 'DEFAULT'),
    code: 'DEFAULT',
    displayName: 'Default journal batch',
    templateDisplayName: 'GENERAL',
    lastModifiedDateTime: OLD,
    balancingAccountId: '00000000-0000-0000-0000-000000000000',
    balancingAccountNumber: '',
  });
  return company;
}
