/**
 * A small, realistic ERP master data estate for validation tests: a German company code 1010
 * (EUR), a US company code 1710 (USD) and a British 3010 (GBP), with GL accounts, cost centers
 * (one expiring, one blocked, one with two validity intervals), WBS elements in every status, tax
 * codes and coding rules.
 */
import type {
  CodingRule,
  CostCenter,
  GlAccount,
  LegalEntity,
  Project,
  TaxCode,
} from '../../src/canonical/model/master-data.js';
import type { MasterDataSnapshotInput } from '../../src/validation/master-data-index.js';

const refs = { erp: 'x' };

function entity(companyCode: string, name: string, country: string, currency: string, active = true): LegalEntity {
  return { id: `le-${companyCode}`, refs: { erp: companyCode }, companyCode, name, country, currency, active };
}

function account(companyCode: string, number: string, name: string, extra: Partial<GlAccount> = {}): GlAccount {
  return {
    id: `gl-${companyCode}-${number}`,
    refs,
    companyCode,
    number,
    name,
    type: 'expense',
    postingAllowed: true,
    requiresCostObject: false,
    blocked: false,
    ...extra,
  };
}

function costCenter(
  companyCode: string,
  code: string,
  name: string,
  validFrom: string,
  extra: Partial<CostCenter> = {},
): CostCenter {
  return {
    id: `cc-${companyCode}-${code}-${validFrom}`,
    refs,
    companyCode,
    code,
    name,
    validFrom,
    blocked: false,
    ...extra,
  };
}

function wbs(
  companyCode: string,
  wbsElement: string,
  name: string,
  status: Project['status'],
  extra: Partial<Project> = {},
): Project {
  const projectCode = wbsElement.split('.')[0] ?? wbsElement;
  return {
    id: `wbs-${wbsElement}`,
    refs,
    companyCode,
    projectCode,
    wbsElement,
    name,
    postingAllowed: true,
    status,
    ...extra,
  };
}

function tax(
  companyCode: string,
  code: string,
  country: string,
  ratePercent: string,
  extra: Partial<TaxCode> = {},
): TaxCode {
  return {
    id: `tax-${companyCode}-${code}`,
    refs,
    companyCode,
    code,
    country,
    kind: 'input',
    ratePercent,
    deductiblePercent: '100',
    ...extra,
  };
}

export const codingRules: CodingRule[] = [
  {
    id: 'rule-010-travel',
    refs,
    companyCode: '1010',
    name: 'Travel needs a cost center',
    effect: 'allow',
    accounts: [{ from: '0000470000', to: '0000470999' }],
    requireCostCenter: true,
    requireProject: false,
  },
  {
    id: 'rule-020-capex-projects',
    refs,
    companyCode: '1010',
    name: 'Assets under construction only on investment projects',
    effect: 'allow',
    accounts: [{ from: '0000032000', to: '0000032999' }],
    projects: ['P-100234.1.1'],
    requireCostCenter: false,
    requireProject: true,
  },
  {
    id: 'rule-030-no-gifts-on-finance',
    refs,
    companyCode: '1010',
    name: 'No customer gifts on Finance',
    effect: 'deny',
    accounts: [{ from: '0000474200', to: '0000474299' }],
    costCenters: ['10101101'],
    requireCostCenter: false,
    requireProject: false,
    validFrom: '2025-01-01',
  },
];

export const snapshot: MasterDataSnapshotInput = {
  legalEntities: [
    entity('1010', 'Nordwind Handels GmbH', 'DE', 'EUR'),
    entity('1710', 'Nordwind Trading Inc.', 'US', 'USD'),
    entity('3010', 'Nordwind UK Ltd', 'GB', 'GBP'),
    entity('1020', 'Nordwind Altbestand GmbH', 'DE', 'EUR', false),
  ],
  glAccounts: [
    account('1010', '0000400000', 'Consumption raw material', { requiresCostObject: true }),
    account('1010', '0000470000', 'Travel expenses'),
    account('1010', '0000474240', 'Customer gifts'),
    account('1010', '0000476000', 'Office supplies'),
    account('1010', '0000476900', 'Entertainment (old)', { blocked: true }),
    account('1010', '0000160000', 'Trade payables domestic', { type: 'liability', postingAllowed: false }),
    account('1010', '0000032000', 'Assets under construction', { type: 'asset' }),
    account('1710', '0000476000', 'Office supplies'),
    account('1710', '0000500100', 'US sales promotion'),
    account('3010', '0000476000', 'Office supplies'),
    account('1020', '0000476000', 'Office supplies'),
  ],
  costCenters: [
    costCenter('1010', '10101101', 'Finance', '2020-01-01'),
    costCenter('1010', '10101902', 'Marketing events 2024/25', '2024-01-01', { validTo: '2025-03-31' }),
    costCenter('1010', '10101501', 'Facility (closed site)', '2020-01-01', { blocked: true }),
    costCenter('1010', '10101301', 'Sales North (old)', '2020-01-01', { validTo: '2024-12-31' }),
    costCenter('1010', '10101301', 'Sales North', '2025-01-01'),
    costCenter('1010', '10101999', 'New lab', '2026-01-01'),
    costCenter('1710', '17101101', 'Finance US', '2020-01-01'),
  ],
  projects: [
    wbs('1010', 'P-100234.1', 'Warehouse automation', 'released', { postingAllowed: false }),
    wbs('1010', 'P-100234.1.1', 'Warehouse automation – conveyors', 'released'),
    wbs('1010', 'P-100500.1', 'ERP upgrade 2023', 'closed'),
    wbs('1010', 'P-100900.1', 'Solar roof', 'planned'),
    wbs('1010', 'P-100700.1', 'Trade fair 2024', 'released', { validFrom: '2024-01-01', validTo: '2024-12-31' }),
    wbs('1710', 'P-200001.1', 'Dallas showroom', 'released'),
  ],
  taxCodes: [
    tax('1010', 'V1', 'DE', '19'),
    tax('1010', 'V2', 'DE', '7'),
    tax('1010', 'VA', 'AT', '20', { description: 'Austrian input tax (foreign registration)' }),
    tax('1010', 'V5', 'DE', '16', { validFrom: '2020-07-01', validTo: '2020-12-31' }),
    tax('1710', 'I1', 'US', '0'),
    tax('3010', 'P1', 'GB', '20'),
  ],
  codingRules,
};
