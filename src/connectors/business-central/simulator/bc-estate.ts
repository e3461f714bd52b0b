/**
 * The seeded estate of the Business Central simulator: four companies (Germany, US, UK, Netherlands)
 * in their local currencies on one chart of accounts, the COSTCENTER and PROJECT dimensions with
 * their values, tax groups with the rates the tenant's VAT posting setup would hold (the API does not
 * publish rates; the simulator keeps them to compute tax), accounting periods (one closed), vendors
 * (suppliers, the card issuer and the employee vendors of the published FIS examples, numbered by the
 * employee's personnel number) and one general journal batch. Every call builds fresh copies.
 */
import { createHash } from 'node:crypto';

export const TENANT = 'ledgerlink-demo';
export const ENVIRONMENT = 'production';
export const DEMO_CLIENT = { clientId: 'bc-demo-client', clientSecret: 'bc-demo-secret' } as const;
export const OLD = '2024-06-01T08:00:00Z';
export const RECENT = '2025-02-01T09:30:00Z';

/** A stable GUID for a seeded object. */
export function seededId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('/')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface CompanySeed {
  readonly name: string;
  readonly displayName: string;
  readonly country: string;
  readonly currency: string;
  readonly vat: string;
  readonly costCenters: readonly (readonly [string, string])[];
  readonly projects: readonly (readonly [string, string])[];
  readonly taxGroups: readonly (readonly [code: string, name: string, rate: string])[];
  readonly vendors: readonly VendorSeed[];
  /** Accounting periods closed (YYYY-MM). */
  readonly closedPeriods: readonly string[];
}

export interface VendorSeed {
  readonly number: string;
  readonly name: string;
  readonly country: string;
  readonly vat?: string;
  readonly blocked?: ' ' | 'Payment' | 'All';
  readonly changed?: string;
}

export const GL_ACCOUNTS: readonly (readonly [number: string, name: string, category: string, blocked?: boolean])[] = [
  ['11001000', 'Bank 1 main account', 'Assets'],
  ['13600000', 'Cash advances to employees', 'Assets'],
  ['15410000', 'Input tax receivable', 'Assets'],
  ['19100000', 'Clearing company-paid expenses', 'Liabilities'],
  ['19110000', 'Clearing company card charges', 'Liabilities'],
  ['21100000', 'Payables domestic', 'Liabilities'],
  ['41000000', 'Revenue domestic', 'Income'],
  ['61003000', 'Office supplies', 'Expense'],
  ['61008000', 'Travel expenses', 'Expense'],
  ['61008100', 'Travel allowances above the legal rate', 'Expense'],
  ['61009000', 'Entertainment (no longer used)', 'Expense', true],
  ['63003000', 'IT services', 'Expense'],
  ['65008000', 'Consulting fees', 'Expense'],
  ['65019000', 'Rent buildings', 'Expense'],
  ['70000000', 'Interest income', 'Income'],
];

const employee = (personnelNumber: string, name: string, country: string): VendorSeed => ({
  // A vendor number is Code[20]: upper case, at most 20 characters.
  number: personnelNumber.slice(0, 20).toUpperCase(),
  name,
  country,
});
const CARD_ISSUER: VendorSeed = { number: '17500001', name: 'Corporate Card Services', country: 'US' };

export function companies(): CompanySeed[] {
  return [
    {
      name: 'LL-DE',
      displayName: 'Ledgerlink Demo DE',
      country: 'DE',
      currency: 'EUR',
      vat: 'DE811111111',
      costCenters: [
        ['10101101', 'Finance DE'],
        ['10101201', 'IT DE'],
      ],
      projects: [
        ['P-1010-0001.1', 'Finance system rollout: Design'],
        ['P-1010-0001.2', 'Finance system rollout: Build'],
      ],
      taxGroups: [
        ['V0', 'Input tax 0 %', '0'],
        ['V1', 'Input tax 19 %', '19'],
        ['V2', 'Input tax 7 %', '7'],
        ['VP', 'Input tax 19 %, partly deductible', '19'],
      ],
      vendors: [
        { number: '17300001', name: 'Nordwind Buerobedarf GmbH', country: 'DE', vat: 'DE123456789' },
        { number: '17300002', name: 'Atlas IT Services Ltd', country: 'GB', vat: 'GB123456789', changed: RECENT },
        { number: '17300004', name: 'Altlast Handels AG', country: 'DE', vat: 'DE987654321', blocked: 'All' },
        CARD_ISSUER,
        employee('49038128', 'German Employee', 'DE'),
        employee('5', 'Admin Processor', 'DE'),
      ],
      closedPeriods: ['2025-01'],
    },
    {
      name: 'LL-US',
      displayName: 'Ledgerlink Demo US',
      country: 'US',
      currency: 'USD',
      vat: '',
      costCenters: [
        ['17101101', 'Finance US'],
        ['17101201', 'IT US'],
      ],
      projects: [['P-1710-0001.1', 'Warehouse expansion: Construction']],
      taxGroups: [['I0', 'Input tax exempt', '0']],
      vendors: [
        { number: '17300003', name: 'Pioneer Consulting LLC', country: 'US' },
        CARD_ISSUER,
        employee('23618', 'Matthias Richter', 'US'),
        employee('1017001', 'Dp1 CTE', 'US'),
        employee('uiexp', 'uiexp uiexp', 'US'),
        employee('11', 'reporter reporter', 'US'),
        employee('User1', 'US User1', 'US'),
        employee('userCA5@p0182840729j.com', 'user CA5', 'US'),
      ],
      closedPeriods: [],
    },
    {
      name: 'LL-UK',
      displayName: 'Ledgerlink Demo UK',
      country: 'GB',
      currency: 'GBP',
      vat: 'GB999999973',
      costCenters: [['29101101', 'Finance UK']],
      projects: [],
      taxGroups: [['G1', 'Input VAT 20 %', '20']],
      vendors: [
        { number: '17300002', name: 'Atlas IT Services Ltd', country: 'GB', vat: 'GB123456789' },
        CARD_ISSUER,
        employee('tuan@dstaabfi-pro.com', 'Tuan UK-User', 'GB'),
      ],
      closedPeriods: [],
    },
    {
      name: 'LL-NL',
      displayName: 'Ledgerlink Demo NL',
      country: 'NL',
      currency: 'EUR',
      vat: 'NL123456789B01',
      costCenters: [
        ['30101101', 'Finance NL'],
        ['30101201', 'IT NL'],
      ],
      projects: [['P-3010-0001.1', 'Distribution centre: Fit-out']],
      taxGroups: [
        ['N0', 'Input VAT 0 %', '0'],
        ['N1', 'Input VAT 21 %', '21'],
        ['N2', 'Input VAT 9 %', '9'],
      ],
      vendors: [
        { number: '30300001', name: 'Van Dijk Kantoorartikelen B.V.', country: 'NL', vat: 'NL859966721B01' },
        CARD_ISSUER,
      ],
      closedPeriods: [],
    },
  ];
}
