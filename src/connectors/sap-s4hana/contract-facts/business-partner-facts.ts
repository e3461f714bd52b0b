/**
 * API_BUSINESS_PARTNER as Ledgerlink uses it (vendors: read, deep insert, PATCH).
 * Source: `S4HC_API_BUSINESS_PARTNER.edmx` (the Hub's API_BUSINESS_PARTNER.edmx; see the contracts README).
 * `A_Supplier` cannot be created on its own, and its `TaxNumber1..5`, `VATRegistration`, `SupplierName`
 * and `SupplierFullName` are read-only: tax numbers are written as `A_BusinessPartnerTaxNumber`.
 * In `A_BusinessPartnerBank`, `SWIFTCode` and `BankName` are read-only (derived from the bank key).
 */
import { bool, date, KEY, many, one, READ_ONLY, str, time, type ODataServiceFact } from './odata-fact-types.js';

export const BUSINESS_PARTNER_FACTS: ODataServiceFact = {
  artifact: 'S4HC_API_BUSINESS_PARTNER.edmx',
  namespace: 'API_BUSINESS_PARTNER',
  entitySets: {
    A_BusinessPartner: {
      entityType: 'API_BUSINESS_PARTNER.A_BusinessPartnerType',
      creatable: true,
      updatable: true,
      deletable: false,
      properties: {
        BusinessPartner: str(10, KEY),
        Supplier: str(10, READ_ONLY),
        BusinessPartnerCategory: str(1),
        BusinessPartnerFullName: str(81, READ_ONLY),
        BusinessPartnerGrouping: str(4),
        CreationDate: date(0, READ_ONLY),
        LastChangeDate: date(0, READ_ONLY),
        LastChangeTime: time(READ_ONLY),
        OrganizationBPName1: str(40),
        OrganizationBPName2: str(40),
        FirstName: str(40),
        LastName: str(40),
        SearchTerm1: str(20),
        BusinessPartnerIsBlocked: bool(),
        ETag: str(26, READ_ONLY),
        IsMarkedForArchiving: bool(),
        BusinessPartnerIDByExtSystem: str(20),
      },
      navigations: {
        to_BusinessPartnerRole: many('A_BusinessPartnerRole'),
        to_BusinessPartnerBank: many('A_BusinessPartnerBank'),
        to_BusinessPartnerTax: many('A_BusinessPartnerTaxNumber'),
        to_Supplier: one('A_Supplier'),
      },
    },
    A_BusinessPartnerRole: {
      entityType: 'API_BUSINESS_PARTNER.A_BusinessPartnerRoleType',
      creatable: true,
      updatable: true,
      deletable: false,
      properties: { BusinessPartner: str(10, KEY), BusinessPartnerRole: str(6, KEY) },
    },
    A_BusinessPartnerBank: {
      entityType: 'API_BUSINESS_PARTNER.A_BusinessPartnerBankType',
      creatable: true,
      updatable: true,
      deletable: true,
      properties: {
        BusinessPartner: str(10, KEY),
        BankIdentification: str(4, KEY),
        BankCountryKey: str(3),
        BankName: str(60, READ_ONLY),
        BankNumber: str(15),
        SWIFTCode: str(11, READ_ONLY),
        BankAccountHolderName: str(60),
        IBAN: str(34),
        BankAccount: str(18),
      },
    },
    A_BusinessPartnerTaxNumber: {
      entityType: 'API_BUSINESS_PARTNER.A_BusinessPartnerTaxNumberType',
      creatable: true,
      updatable: true,
      deletable: true,
      properties: {
        BusinessPartner: str(10, KEY),
        BPTaxType: str(4, KEY),
        BPTaxNumber: str(20),
        BPTaxLongNumber: str(60),
      },
    },
    A_Supplier: {
      entityType: 'API_BUSINESS_PARTNER.A_SupplierType',
      creatable: false,
      updatable: true,
      deletable: false,
      properties: {
        Supplier: str(10, KEY),
        PaymentIsBlockedForSupplier: bool(),
        PostingIsBlocked: bool(),
        PurchasingIsBlocked: bool(),
        SupplierAccountGroup: str(4),
        SupplierFullName: str(220, READ_ONLY),
        SupplierName: str(80, READ_ONLY),
        VATRegistration: str(20, READ_ONLY),
        DeletionIndicator: bool(),
        TaxNumber1: str(16, READ_ONLY),
        TaxNumber2: str(11, READ_ONLY),
        TaxNumber3: str(18, READ_ONLY),
        TaxNumber4: str(18, READ_ONLY),
        TaxNumber5: str(60, READ_ONLY),
      },
      navigations: { to_SupplierCompany: many('A_SupplierCompany') },
    },
    A_SupplierCompany: {
      entityType: 'API_BUSINESS_PARTNER.A_SupplierCompanyType',
      creatable: true,
      updatable: true,
      deletable: false,
      properties: {
        Supplier: str(10, KEY),
        CompanyCode: str(4, KEY),
        PaymentBlockingReason: str(1),
        SupplierIsBlockedForPosting: bool(),
        PaymentMethodsList: str(10),
        PaymentTerms: str(4),
        HouseBank: str(5),
        ReconciliationAccount: str(10),
        DeletionIndicator: bool(),
      },
    },
  },
};
