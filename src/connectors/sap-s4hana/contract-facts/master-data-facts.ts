/**
 * The master data services Ledgerlink reads (all read-only entity sets).
 * - `API_COMPANYCODE_SRV.edmx`: no change timestamp on `A_CompanyCode`.
 * - `API_COSTCENTER_SRV.edmx`: `A_CostCenter` is time-dependent (key includes `ValidityEndDate`), has
 *   no change timestamp and no name; names are in `A_CostCenterText` (`to_Text`). The blocking flags
 *   are String(1) (`X` = blocked), not Boolean.
 * - `API_GLACCOUNTINCHARTOFACCOUNTS_SRV.edmx`: names in `A_GLAccountText` (`to_Text`); `GLAccountType`
 *   is String(1) with the values of `GL_ACCOUNT_TYPES` (from the property's documentation).
 * - `S4HC_API_ENTERPRISE_PROJECT_SRV_0002.edmx`: key `ProjectUUID`; `ProcessingStatus` and
 *   `CompanyCode` are read-only; WBS elements are `to_EnterpriseProjectElement`.
 */
import {
  bool,
  date,
  guid,
  KEY,
  many,
  NOT_UPDATABLE,
  READ_ONLY,
  str,
  timestamp,
  type ODataServiceFact,
} from './odata-fact-types.js';

const readOnlySet = { creatable: false, updatable: false, deletable: false } as const;

export const COMPANY_CODE_FACTS: ODataServiceFact = {
  artifact: 'API_COMPANYCODE_SRV.edmx',
  namespace: 'API_COMPANYCODE_SRV',
  entitySets: {
    A_CompanyCode: {
      entityType: 'API_COMPANYCODE_SRV.A_CompanyCodeType',
      ...readOnlySet,
      properties: {
        CompanyCode: str(4, KEY),
        CompanyCodeName: str(25),
        CityName: str(25),
        Country: str(3),
        Currency: str(5),
        Language: str(2),
        ChartOfAccounts: str(4),
        FiscalYearVariant: str(2),
        Company: str(6),
        ControllingArea: str(4),
        VATRegistration: str(20),
      },
    },
  },
};

/** `GLAccountType` values as the EDMX documents them (`<value> - <meaning>`). */
export const GL_ACCOUNT_TYPES = {
  X: 'Balance Sheet Account',
  N: 'Nonoperating Expense or Income',
  P: 'Primary Costs or Revenue',
  S: 'Secondary Costs',
} as const;

export const GL_ACCOUNT_FACTS: ODataServiceFact = {
  artifact: 'API_GLACCOUNTINCHARTOFACCOUNTS_SRV.edmx',
  namespace: 'API_GLACCOUNTINCHARTOFACCOUNTS_SRV',
  entitySets: {
    A_GLAccountInChartOfAccounts: {
      entityType: 'API_GLACCOUNTINCHARTOFACCOUNTS_SRV.A_GLAccountInChartOfAccountsType',
      ...readOnlySet,
      properties: {
        ChartOfAccounts: str(4, KEY),
        GLAccount: str(10, KEY),
        IsBalanceSheetAccount: bool(),
        GLAccountGroup: str(4),
        AccountIsMarkedForDeletion: bool(),
        AccountIsBlockedForPosting: bool(),
        CreationDate: date(0),
        LastChangeDateTime: timestamp(),
        GLAccountType: str(1),
        IsProfitLossAccount: bool(),
      },
      navigations: { to_Text: many('A_GLAccountText') },
    },
    A_GLAccountText: {
      entityType: 'API_GLACCOUNTINCHARTOFACCOUNTS_SRV.A_GLAccountTextType',
      ...readOnlySet,
      properties: {
        ChartOfAccounts: str(4, KEY),
        GLAccount: str(10, KEY),
        Language: str(2, KEY),
        GLAccountName: str(20),
        GLAccountLongName: str(50),
        LastChangeDateTime: timestamp(),
      },
    },
  },
};

export const COST_CENTER_FACTS: ODataServiceFact = {
  artifact: 'API_COSTCENTER_SRV.edmx',
  namespace: 'API_COSTCENTER_SRV',
  entitySets: {
    A_CostCenter: {
      entityType: 'API_COSTCENTER_SRV.A_CostCenterType',
      ...readOnlySet,
      properties: {
        ControllingArea: str(4, KEY),
        CostCenter: str(10, KEY),
        ValidityEndDate: date(0, KEY),
        ValidityStartDate: date(0),
        CompanyCode: str(4),
        CostCtrResponsiblePersonName: str(20),
        CostCenterCurrency: str(5),
        CostCenterCategory: str(1),
        IsBlkdForPrimaryCostsPosting: str(1),
        IsBlkdForSecondaryCostsPosting: str(1),
        Language: str(2),
      },
      navigations: { to_Text: many('A_CostCenterText') },
    },
    A_CostCenterText: {
      entityType: 'API_COSTCENTER_SRV.A_CostCenterTextType',
      ...readOnlySet,
      properties: {
        CostCenter: str(10, KEY),
        ControllingArea: str(4, KEY),
        Language: str(2, KEY),
        ValidityEndDate: date(0, KEY),
        ValidityStartDate: date(0),
        CostCenterName: str(20),
        CostCenterDescription: str(40),
      },
    },
  },
};

export const ENTERPRISE_PROJECT_FACTS: ODataServiceFact = {
  artifact: 'S4HC_API_ENTERPRISE_PROJECT_SRV_0002.edmx',
  namespace: 'API_ENTERPRISE_PROJECT_SRV',
  entitySets: {
    A_EnterpriseProject: {
      entityType: 'API_ENTERPRISE_PROJECT_SRV.A_EnterpriseProjectType',
      creatable: true,
      updatable: true,
      deletable: true,
      properties: {
        ProjectUUID: guid(KEY, READ_ONLY),
        ProjectInternalID: str(8, READ_ONLY),
        Project: str(24),
        ProjectDescription: str(60),
        ProcessingStatus: str(2, READ_ONLY),
        CompanyCode: str(4, READ_ONLY),
        ProjectStartDate: date(0),
        ProjectEndDate: date(0),
        LastChangeDateTime: timestamp(READ_ONLY),
      },
      navigations: { to_EnterpriseProjectElement: many('A_EnterpriseProjectElement') },
    },
    A_EnterpriseProjectElement: {
      entityType: 'API_ENTERPRISE_PROJECT_SRV.A_EnterpriseProjectElementType',
      creatable: true,
      updatable: true,
      deletable: true,
      properties: {
        ProjectElementUUID: guid(KEY, READ_ONLY),
        ProjectElement: str(24),
        WBSElementInternalID: str(8),
        ProjectUUID: guid(NOT_UPDATABLE),
        ProjectElementDescription: str(60),
        ProcessingStatus: str(2, READ_ONLY),
        PlannedStartDate: date(0),
        PlannedEndDate: date(0),
        WBSElementIsBillingElement: bool(),
        CompanyCode: str(4, READ_ONLY),
      },
    },
  },
};
