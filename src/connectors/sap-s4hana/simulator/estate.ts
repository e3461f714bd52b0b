/**
 * The seeded estate of the ERP simulator: three company codes in three currencies on the YCOA chart
 * of accounts, GL accounts, cost centers with validity, projects with WBS elements, tax codes,
 * suppliers with company data and bank details, and posting periods (one closed). Every call builds
 * fresh copies, so a reset starts from the same estate.
 */
import { OLD, RECENT } from './estate-suppliers.js';
import { sapDate, sapTimestamp, type Entity } from './odata-envelope.js';

export const CHART_OF_ACCOUNTS = 'YCOA';
export const CONTROLLING_AREA = 'A000';
export * from './estate-suppliers.js';

/** A company code on the YCOA chart of accounts and controlling area A000. */
export function companyCode(
  code: string,
  name: string,
  city: string,
  country: string,
  currency: string,
  vat: string,
  changed = OLD,
): Entity {
  return {
    CompanyCode: code,
    CompanyCodeName: name,
    CityName: city,
    Country: country,
    Currency: currency,
    Language: country === 'DE' ? 'DE' : 'EN',
    ChartOfAccounts: CHART_OF_ACCOUNTS,
    FiscalYearVariant: 'K4',
    Company: code,
    ControllingArea: CONTROLLING_AREA,
    VATRegistration: vat,
    LastChangeDateTime: sapTimestamp(changed),
  };
}

export function companyCodes(): Entity[] {
  return [
    companyCode('1010', 'Ledgerlink Demo DE', 'Walldorf', 'DE', 'EUR', 'DE811111111'),
    companyCode('1710', 'Ledgerlink Demo US', 'Palo Alto', 'US', 'USD', ''),
    companyCode('2910', 'Ledgerlink Demo UK', 'London', 'GB', 'GBP', 'GB999999973'),
  ];
}

export function glAccounts(): Entity[] {
  const gl = (account: string, name: string, type: 'X' | 'P' | 'N', changed = OLD, blocked = false): Entity => ({
    ChartOfAccounts: CHART_OF_ACCOUNTS,
    GLAccount: account,
    GLAccountType: type,
    IsBalanceSheetAccount: type === 'X',
    IsProfitLossAccount: type !== 'X',
    GLAccountGroup: type === 'X' ? 'BSHT' : 'PL',
    AccountIsBlockedForPosting: blocked,
    AccountIsMarkedForDeletion: false,
    CreationDate: sapDate('2023-01-10'),
    LastChangeDateTime: sapTimestamp(changed),
    to_Text: [glAccountText(account, name, changed)],
  });
  return [
    gl('11001000', 'Bank 1 main account', 'X'),
    gl('13600000', 'Cash advances to employees', 'X'),
    gl('15410000', 'Input tax receivable', 'X'),
    gl('19100000', 'Clearing company-paid expenses', 'X'),
    gl('19110000', 'Clearing company card charges', 'X'),
    gl('21100000', 'Payables domestic (reconciliation)', 'X'),
    gl('21120000', 'Payables foreign (reconciliation)', 'X'),
    gl('41000000', 'Revenue domestic', 'P'),
    gl('61003000', 'Office supplies', 'P'),
    gl('61008000', 'Travel expenses', 'P'),
    gl('61008100', 'Travel allowances above the legal rate (taxable)', 'P'),
    gl('61009000', 'Entertainment (no longer used)', 'P', RECENT, true),
    gl('63003000', 'IT services', 'P'),
    gl('65008000', 'Consulting fees', 'P', RECENT),
    gl('65019000', 'Rent buildings', 'P'),
    gl('70000000', 'Interest income', 'N'),
  ];
}

/** The English text of a GL account (the name is cut to its 20 characters, the long name to 50). */
export function glAccountText(account: string, name: string, changed = OLD): Entity {
  return {
    ChartOfAccounts: CHART_OF_ACCOUNTS,
    GLAccount: account,
    Language: 'EN',
    GLAccountName: name.slice(0, 20),
    GLAccountLongName: name.slice(0, 50),
    LastChangeDateTime: sapTimestamp(changed),
  };
}

/** The English text of a cost center for its validity period (name 20 characters, description 40). */
export function costCenterText(code: string, name: string, from: string, to: string): Entity {
  return {
    CostCenter: code,
    ControllingArea: CONTROLLING_AREA,
    Language: 'EN',
    ValidityEndDate: sapDate(to),
    ValidityStartDate: sapDate(from),
    CostCenterName: name.slice(0, 20),
    CostCenterDescription: name.slice(0, 40),
  };
}

/**
 * A cost center of controlling area A000, valid from `from` to `to` (YYYY-MM-DD). The metadata has no
 * change timestamp for cost centers; blocking flags are `X` or empty.
 */
export function costCenter(
  code: string,
  companyCode: string,
  name: string,
  from: string,
  to = '9999-12-31',
  currency = 'EUR',
): Entity {
  return {
    ControllingArea: CONTROLLING_AREA,
    CostCenter: code,
    ValidityEndDate: sapDate(to),
    ValidityStartDate: sapDate(from),
    CompanyCode: companyCode,
    CostCtrResponsiblePersonName: 'Controller',
    CostCenterCurrency: currency,
    CostCenterCategory: 'F',
    IsBlkdForPrimaryCostsPosting: '',
    IsBlkdForSecondaryCostsPosting: '',
    Language: 'EN',
    to_Text: [costCenterText(code, name, from, to)],
  };
}

export function costCenters(): Entity[] {
  const cc = costCenter;
  // The cost centers of the employees of Concur's published FIS examples are valid from 2015, so
  // those reports post on their own approval dates (2016-2019).
  return [
    cc('10101101', '1010', 'Finance DE', '2015-01-01'),
    cc('10101201', '1010', 'IT DE', '2023-01-01'),
    cc('10101301', '1010', 'Sales DE (closed)', '2023-01-01', '2024-12-31'),
    cc('17101101', '1710', 'Finance US', '2015-01-01', '9999-12-31', 'USD'),
    cc('17101201', '1710', 'IT US', '2015-01-01', '9999-12-31', 'USD'),
    cc('29101101', '2910', 'Finance UK', '2015-01-01', '9999-12-31', 'GBP'),
  ];
}

/** A stable GUID for a seeded object (the metadata keys projects and WBS elements by GUID). */
function seededGuid(kind: number, n: number): string {
  return `00000000-0000-4000-8000-${String(kind).padStart(4, '0')}${String(n).padStart(8, '0')}`;
}

export function projects(): Entity[] {
  let elementNumber = 0;
  const element = (projectUuid: string, id: string, description: string, status: string): Entity => {
    elementNumber++;
    return {
      ProjectElementUUID: seededGuid(2, elementNumber),
      ProjectElement: id,
      WBSElementInternalID: String(elementNumber).padStart(8, '0'),
      ProjectUUID: projectUuid,
      ProjectElementDescription: description,
      ProcessingStatus: status,
      WBSElementIsBillingElement: false,
      PlannedStartDate: sapDate('2024-01-01'),
      PlannedEndDate: sapDate('2026-12-31'),
    };
  };
  const project = (
    n: number,
    id: string,
    description: string,
    companyCode: string,
    changed: string,
    elements: readonly (readonly [string, string, string])[],
  ): Entity => {
    const uuid = seededGuid(1, n);
    return {
      ProjectUUID: uuid,
      ProjectInternalID: String(n).padStart(8, '0'),
      Project: id,
      ProjectDescription: description,
      CompanyCode: companyCode,
      ProcessingStatus: '10',
      ProjectStartDate: sapDate('2024-01-01'),
      ProjectEndDate: sapDate('2026-12-31'),
      LastChangeDateTime: sapTimestamp(changed),
      to_EnterpriseProjectElement: elements.map(([e, d, status]) => element(uuid, e, d, status)),
    };
  };
  return [
    project(1, 'P-1010-0001', 'Finance system rollout', '1010', OLD, [
      ['P-1010-0001.1', 'Design', '10'],
      ['P-1010-0001.2', 'Build', '10'],
      ['P-1010-0001.3', 'Pilot (closed)', '42'],
    ]),
    project(2, 'P-1710-0001', 'Warehouse expansion', '1710', RECENT, [['P-1710-0001.1', 'Construction', '10']]),
  ];
}

/** A tax code of a country (`V` input, `A` output) with its rate in percent. */
export function taxCode(
  country: string,
  code: string,
  name: string,
  type: 'V' | 'A',
  rate: string,
  changed = OLD,
): Entity {
  return {
    Country: country,
    TaxCode: code,
    TaxCodeName: name,
    TaxType: type,
    TaxRate: rate,
    LastChangeDateTime: sapTimestamp(changed),
  };
}

export function taxCodes(): Entity[] {
  const tax = taxCode;
  return [
    tax('DE', 'V0', 'Input tax 0 %', 'V', '0.000'),
    tax('DE', 'V1', 'Input tax 19 %', 'V', '19.000'),
    tax('DE', 'V2', 'Input tax 7 %', 'V', '7.000'),
    tax('DE', 'VP', 'Input tax 19 %, partly deductible', 'V', '19.000'),
    tax('US', 'I0', 'Input tax exempt', 'V', '0.000'),
    tax('GB', 'G1', 'Input VAT 20 %', 'V', '20.000'),
  ];
}

export interface PeriodStatus {
  readonly companyCode: string;
  readonly fiscalYear: number;
  readonly period: number;
  readonly status: 'open' | 'closed';
}

/** Periods not listed are open; the seed closes January 2025 in company code 1010. */
export function periods(): PeriodStatus[] {
  return [{ companyCode: '1010', fiscalYear: 2025, period: 1, status: 'closed' }];
}
