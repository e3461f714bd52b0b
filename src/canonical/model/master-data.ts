/**
 * Finance dimensions the ERP publishes: legal entities, GL accounts, cost centers, projects (WBS),
 * tax codes, accounting periods and the coding rules that say which combinations may be posted.
 */
import { Type, type Static } from 'typebox';
import { CountryCode, CurrencyCode, Identifier, IsoDate, Name, PercentString, Refs, Text } from './common.js';

/** Company code within the ERP; every document and dimension belongs to one. */
const CompanyCode = Type.String({ minLength: 1, maxLength: 16 });

export const LegalEntitySchema = Type.Object(
  {
    id: Identifier,
    refs: Refs,
    companyCode: CompanyCode,
    name: Name,
    country: CountryCode,
    /** Local (company code) currency. */
    currency: CurrencyCode,
    vatNumber: Type.Optional(Type.String({ minLength: 2, maxLength: 32 })),
    active: Type.Boolean(),
  },
  { $id: 'LegalEntity', additionalProperties: false },
);
export type LegalEntity = Static<typeof LegalEntitySchema>;

export const GlAccountType = Type.Enum(['asset', 'liability', 'equity', 'revenue', 'expense']);

export const GlAccountSchema = Type.Object(
  {
    id: Identifier,
    refs: Refs,
    companyCode: CompanyCode,
    number: Type.String({ minLength: 1, maxLength: 32 }),
    name: Name,
    type: GlAccountType,
    /** False for accounts only the ERP posts to (reconciliation accounts, totals). */
    postingAllowed: Type.Boolean(),
    /** Postings need a cost center or project (cost element). */
    requiresCostObject: Type.Boolean(),
    blocked: Type.Boolean(),
  },
  { $id: 'GlAccount', additionalProperties: false },
);
export type GlAccount = Static<typeof GlAccountSchema>;

export const CostCenterSchema = Type.Object(
  {
    id: Identifier,
    refs: Refs,
    companyCode: CompanyCode,
    code: Type.String({ minLength: 1, maxLength: 32 }),
    name: Name,
    /** First day postings are allowed. */
    validFrom: IsoDate,
    /** Last day postings are allowed; open-ended when absent. */
    validTo: Type.Optional(IsoDate),
    responsiblePersonId: Type.Optional(Identifier),
    blocked: Type.Boolean(),
  },
  { $id: 'CostCenter', additionalProperties: false },
);
export type CostCenter = Static<typeof CostCenterSchema>;

/** A postable project element (WBS element) within its project. */
export const ProjectSchema = Type.Object(
  {
    id: Identifier,
    refs: Refs,
    companyCode: CompanyCode,
    projectCode: Type.String({ minLength: 1, maxLength: 32 }),
    wbsElement: Type.String({ minLength: 1, maxLength: 64 }),
    name: Name,
    postingAllowed: Type.Boolean(),
    validFrom: Type.Optional(IsoDate),
    validTo: Type.Optional(IsoDate),
    status: Type.Enum(['planned', 'released', 'closed']),
  },
  { $id: 'Project', additionalProperties: false },
);
export type Project = Static<typeof ProjectSchema>;

export const TaxKind = Type.Enum(['input', 'output', 'reverse_charge', 'exempt']);

export const TaxCodeSchema = Type.Object(
  {
    id: Identifier,
    refs: Refs,
    companyCode: CompanyCode,
    code: Type.String({ minLength: 1, maxLength: 16 }),
    country: CountryCode,
    description: Type.Optional(Text),
    kind: TaxKind,
    /** Tax rate in percent as decimal text: "19" for 19 %. */
    ratePercent: PercentString,
    /** Share of the tax that is deductible (reclaimable), percent: "100", "50", "0". */
    deductiblePercent: PercentString,
    validFrom: Type.Optional(IsoDate),
    validTo: Type.Optional(IsoDate),
  },
  { $id: 'TaxCode', additionalProperties: false },
);
export type TaxCode = Static<typeof TaxCodeSchema>;

export const AccountingPeriodSchema = Type.Object(
  {
    id: Identifier,
    refs: Refs,
    companyCode: CompanyCode,
    fiscalYear: Type.Integer({ minimum: 1900, maximum: 9999 }),
    /** 1–12 regular, 13–16 special (closing) periods. */
    period: Type.Integer({ minimum: 1, maximum: 16 }),
    status: Type.Enum(['open', 'closed']),
    from: IsoDate,
    to: IsoDate,
  },
  { $id: 'AccountingPeriod', additionalProperties: false },
);
export type AccountingPeriod = Static<typeof AccountingPeriodSchema>;

const AccountRange = Type.Object(
  { from: Type.String({ minLength: 1, maxLength: 32 }), to: Type.String({ minLength: 1, maxLength: 32 }) },
  { additionalProperties: false },
);

/**
 * Which dimension values may be combined with which GL accounts. A line whose account falls in one
 * of `accounts` must use values from each list that is present (absent list: any value), and must
 * carry the dimensions marked required. `effect: deny` forbids the listed combination instead.
 */
export const CodingRuleSchema = Type.Object(
  {
    id: Identifier,
    refs: Refs,
    companyCode: CompanyCode,
    name: Name,
    effect: Type.Enum(['allow', 'deny']),
    /** Inclusive account-number ranges the rule applies to (compared as equal-length strings). */
    accounts: Type.Array(AccountRange, { minItems: 1 }),
    costCenters: Type.Optional(Type.Array(Identifier)),
    projects: Type.Optional(Type.Array(Identifier)),
    taxCodes: Type.Optional(Type.Array(Identifier)),
    requireCostCenter: Type.Boolean(),
    requireProject: Type.Boolean(),
    validFrom: Type.Optional(IsoDate),
    validTo: Type.Optional(IsoDate),
  },
  { $id: 'CodingRule', additionalProperties: false },
);
export type CodingRule = Static<typeof CodingRuleSchema>;

export const masterDataSchemas = [
  LegalEntitySchema,
  GlAccountSchema,
  CostCenterSchema,
  ProjectSchema,
  TaxCodeSchema,
  AccountingPeriodSchema,
  CodingRuleSchema,
] as const;
