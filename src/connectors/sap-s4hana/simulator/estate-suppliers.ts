/**
 * The seeded suppliers of the ERP simulator (business partners with supplier, company, bank and tax
 * number data, employee vendors among them) and the tenant's bank directory the read-only SWIFT code
 * and bank name come from. Every call builds fresh copies.
 */
import { sapDate, type Entity } from './odata-envelope.js';

/** When the seeded master data was last changed: long ago, or recently (for incremental reads). */
export const OLD = '2024-06-01T08:00:00Z';
export const RECENT = '2025-02-01T09:30:00Z';

/**
 * The tenant's bank directory (SAP's bank master): `SWIFTCode` and `BankName` of a business partner bank
 * are read-only and come from here, found by country and bank key.
 */
const BANK_DIRECTORY: Readonly<Record<string, { readonly swift: string; readonly name: string }>> = {
  'DE/37040044': { swift: 'COBADEFFXXX', name: 'Commerzbank' },
  'DE/12030000': { swift: 'BYLADEM1001', name: 'Deutsche Kreditbank Berlin' },
  'DE/50010517': { swift: 'INGDDEFFXXX', name: 'ING-DiBa' },
  'GB/601613': { swift: 'NWBKGB2L', name: 'NatWest' },
};

/** The bank key in an IBAN (Germany: the 8-digit Bankleitzahl; UK: the sort code), else ''. */
export function bankKeyOfIban(iban: string): string {
  if (iban.startsWith('DE')) return iban.slice(4, 12);
  if (iban.startsWith('GB')) return iban.slice(8, 14);
  return '';
}

export function bankOf(country: string, bankKey: string): { readonly swift: string; readonly name: string } {
  return BANK_DIRECTORY[`${country}/${bankKey}`] ?? { swift: '', name: '' };
}

export interface SupplierSeed {
  readonly id: string;
  readonly name: string;
  readonly country: string;
  readonly vat: string;
  readonly taxNumber: string;
  readonly iban: string;
  readonly bankNumber: string;
  readonly account: string;
  readonly swift: string;
  readonly companyCodes: readonly string[];
  readonly blocked?: boolean;
  readonly changed?: string;
  /** BusinessPartnerIDByExtSystem: an employee vendor carries the employee's personnel number. */
  readonly reference?: string;
}

export function businessPartner(seed: SupplierSeed): Entity {
  const blocked = seed.blocked === true;
  const date = seed.changed ?? OLD;
  return {
    BusinessPartner: seed.id,
    BusinessPartnerCategory: '2',
    BusinessPartnerGrouping: 'BPEX',
    BusinessPartnerFullName: seed.name,
    OrganizationBPName1: seed.name,
    OrganizationBPName2: '',
    SearchTerm1: seed.name.split(' ')[0]!.toUpperCase().slice(0, 20),
    BusinessPartnerIsBlocked: blocked,
    IsMarkedForArchiving: false,
    BusinessPartnerIDByExtSystem: seed.reference ?? '',
    Supplier: seed.id,
    CreationDate: sapDate('2023-03-01'),
    LastChangeDate: sapDate(date.slice(0, 10)),
    LastChangeTime: `PT${date.slice(11, 13)}H${date.slice(14, 16)}M${date.slice(17, 19)}S`,
    ETag: `${seed.id}-1`,
    to_BusinessPartnerRole: [
      { BusinessPartner: seed.id, BusinessPartnerRole: 'FLVN00' },
      { BusinessPartner: seed.id, BusinessPartnerRole: 'FLVN01' },
    ],
    to_BusinessPartnerBank:
      seed.iban === '' && seed.account === ''
        ? []
        : [
            {
              BusinessPartner: seed.id,
              BankIdentification: '0001',
              BankCountryKey: seed.country,
              BankNumber: seed.bankNumber,
              BankAccount: seed.account,
              IBAN: seed.iban,
              SWIFTCode: seed.swift,
              BankName: bankOf(seed.country, seed.bankNumber).name,
              BankAccountHolderName: seed.name,
            },
          ],
    to_BusinessPartnerTax: [
      ...(seed.vat === '' ? [] : [{ BusinessPartner: seed.id, BPTaxType: `${seed.country}0`, BPTaxNumber: seed.vat }]),
      ...(seed.taxNumber === ''
        ? []
        : [{ BusinessPartner: seed.id, BPTaxType: `${seed.country}1`, BPTaxNumber: seed.taxNumber }]),
    ],
    to_Supplier: {
      Supplier: seed.id,
      SupplierName: seed.name.slice(0, 35),
      SupplierFullName: seed.name,
      SupplierAccountGroup: 'SUPL',
      PaymentIsBlockedForSupplier: blocked,
      PostingIsBlocked: blocked,
      PurchasingIsBlocked: blocked,
      VATRegistration: seed.vat,
      TaxNumber1: seed.taxNumber,
      TaxNumber2: '',
      TaxNumber3: '',
      TaxNumber4: '',
      TaxNumber5: '',
      DeletionIndicator: false,
      to_SupplierCompany: seed.companyCodes.map((companyCode) => ({
        Supplier: seed.id,
        CompanyCode: companyCode,
        PaymentTerms: '0004',
        PaymentMethodsList: 'T',
        ReconciliationAccount: '21100000',
        PaymentBlockingReason: '',
        SupplierIsBlockedForPosting: blocked,
        HouseBank: '',
        DeletionIndicator: false,
      })),
    },
  };
}

export function suppliers(): Entity[] {
  return [
    businessPartner({
      id: '17300001',
      name: 'Nordwind Buerobedarf GmbH',
      country: 'DE',
      vat: 'DE123456789',
      taxNumber: '',
      iban: 'DE89370400440532013000',
      bankNumber: '37040044',
      account: '0532013000',
      swift: 'COBADEFFXXX',
      companyCodes: ['1010'],
    }),
    businessPartner({
      id: '17300002',
      name: 'Atlas IT Services Ltd',
      country: 'GB',
      vat: 'GB123456789',
      taxNumber: '',
      iban: 'GB29NWBK60161331926819',
      bankNumber: '601613',
      account: '31926819',
      swift: 'NWBKGB2L',
      companyCodes: ['2910', '1010'],
      changed: RECENT,
    }),
    businessPartner({
      id: '17300003',
      name: 'Pioneer Consulting LLC',
      country: 'US',
      vat: '',
      taxNumber: '12-3456789',
      iban: '',
      bankNumber: '121000248',
      account: '4412345678',
      swift: 'WFBIUS6S',
      companyCodes: ['1710'],
    }),
    businessPartner({
      id: '17300004',
      name: 'Altlast Handels AG',
      country: 'DE',
      vat: 'DE987654321',
      taxNumber: '',
      iban: 'DE02120300000000202051',
      bankNumber: '12030000',
      account: '0000202051',
      swift: 'BYLADEM1001',
      companyCodes: ['1010'],
      blocked: true,
    }),
    // The card issuer billing company cards, in every company code.
    businessPartner({
      id: '17500001',
      name: 'Corporate Card Services',
      country: 'US',
      vat: '',
      taxNumber: '98-7654321',
      iban: '',
      bankNumber: '021000021',
      account: '7700112233',
      swift: 'CHASUS33',
      companyCodes: ['1010', '1710', '2910'],
    }),
    // Employee vendors (reimbursement accounts) of the employees of the FIS sample and example documents.
    ...employeeVendors(),
  ];
}

/** Employee vendors: the employee's personnel number is the partner's external reference. */
export function employeeVendors(): Entity[] {
  const employee = (id: string, name: string, country: string, personnelNumber: string, companyCode: string): Entity =>
    businessPartner({
      id,
      name,
      country,
      vat: '',
      taxNumber: '',
      iban: '',
      bankNumber: '',
      account: '',
      swift: '',
      companyCodes: [companyCode],
      // BusinessPartnerIDByExtSystem is String(20): a longer employee id (an e-mail address) is held
      // cut to 20 characters, as the connector looks it up.
      reference: personnelNumber.slice(0, 20),
    });
  return [
    employee('17400001', 'German Employee', 'DE', '49038128', '1010'),
    employee('17400002', 'Matthias Richter', 'US', '23618', '1710'),
    employee('17400003', 'Dp1 CTE', 'US', '1017001', '1710'),
    employee('17400004', 'uiexp uiexp', 'US', 'uiexp', '1710'),
    // The employees of Concur's other published example documents.
    employee('17400011', 'Admin Processor', 'DE', '5', '1010'),
    employee('17400012', 'reporter reporter', 'US', '11', '1710'),
    employee('17400013', 'US User1', 'US', 'User1', '1710'),
    employee('17400014', 'user CA5', 'US', 'userCA5@p0182840729j.com', '1710'),
    employee('17400015', 'Tuan UK-User', 'GB', 'tuan@dstaabfi-pro.com', '2910'),
  ];
}
