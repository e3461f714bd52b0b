/**
 * The parties documents are about: suppliers (vendor master, owned by procurement, created in the
 * ERP) and employees (from the directory; paid through the expense flow).
 */
import { Type, type Static } from 'typebox';
import { supplierStatuses } from '../state-tables.js';
import { AddressSchema, CountryCode, CurrencyCode, Identifier, Name, PercentString, Refs, Text } from './common.js';

export const SupplierStatusSchema = Type.Enum(supplierStatuses);

export const TaxNumberSchema = Type.Object(
  {
    /** vat: EU VAT id; tin: national taxpayer id; other: anything else the ERP records. */
    kind: Type.Enum(['vat', 'tin', 'other']),
    country: CountryCode,
    value: Type.String({ minLength: 2, maxLength: 32 }),
  },
  { additionalProperties: false },
);
export type TaxNumber = Static<typeof TaxNumberSchema>;

/** A payee account: IBAN (+ BIC) where IBANs exist, otherwise a local account number and bank code. */
export const BankAccountSchema = Type.Object(
  {
    iban: Type.Optional(Type.String({ pattern: '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$' })),
    bic: Type.Optional(Type.String({ pattern: '^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$' })),
    accountNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 34 })),
    bankCode: Type.Optional(Type.String({ minLength: 1, maxLength: 16 })),
    country: CountryCode,
    holderName: Name,
    currency: Type.Optional(CurrencyCode),
    primary: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type BankAccount = Static<typeof BankAccountSchema>;

export const PaymentTermsSchema = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 16 }),
    netDays: Type.Integer({ minimum: 0, maximum: 365 }),
    discountDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
    discountPercent: Type.Optional(PercentString),
  },
  { additionalProperties: false },
);
export type PaymentTerms = Static<typeof PaymentTermsSchema>;

export const PaymentBlockSchema = Type.Object(
  {
    blocked: Type.Boolean(),
    reason: Type.Optional(Text),
  },
  { additionalProperties: false },
);

export const SupplierSchema = Type.Object(
  {
    id: Identifier,
    refs: Refs,
    status: SupplierStatusSchema,
    name: Name,
    legalName: Type.Optional(Name),
    /** Other names the supplier trades or invoices under (for duplicate detection and matching). */
    alternateNames: Type.Array(Name),
    /** Company codes the supplier is extended to in the ERP. */
    companyCodes: Type.Array(Type.String({ minLength: 1, maxLength: 16 })),
    taxNumbers: Type.Array(TaxNumberSchema),
    bankAccounts: Type.Array(BankAccountSchema),
    address: AddressSchema,
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    paymentTerms: Type.Optional(PaymentTermsSchema),
    paymentBlock: PaymentBlockSchema,
    currency: Type.Optional(CurrencyCode),
  },
  { $id: 'Supplier', additionalProperties: false },
);
export type Supplier = Static<typeof SupplierSchema>;

export const EmployeeSchema = Type.Object(
  {
    id: Identifier,
    refs: Refs,
    personnelNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    email: Type.String({ format: 'email', maxLength: 254 }),
    givenName: Name,
    familyName: Name,
    displayName: Name,
    companyCode: Type.String({ minLength: 1, maxLength: 16 }),
    costCenter: Type.Optional(Identifier),
    managerId: Type.Optional(Identifier),
    /** ERP vendor (payee) record used to reimburse this employee, when the ERP needs one. */
    payeeSupplierId: Type.Optional(Identifier),
    bankAccount: Type.Optional(BankAccountSchema),
    active: Type.Boolean(),
  },
  { $id: 'Employee', additionalProperties: false },
);
export type Employee = Static<typeof EmployeeSchema>;

export const partySchemas = [SupplierSchema, EmployeeSchema] as const;
