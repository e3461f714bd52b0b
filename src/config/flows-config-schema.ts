/**
 * The business sections of `ledgerlink.yaml`: who owns which domain, the flows with their triggers
 * and posting policies, the period calendar per legal entity, budgets, and connector settings per
 * system. Secrets are never written here in clear: a credential is a reference to an environment
 * variable (`{ env: NAME }`) or to an entry of the encrypted secret store (`{ secret: name }`).
 */
import { VIA_AGENT_PATTERN } from './agents-config-schema.js';
import { Type, type Static } from 'typebox';
import { EmployeeVendorsConfig } from './employee-vendors-config-schema.js';

export const SYSTEM_NAME_PATTERN = '^[a-z][a-z0-9_-]{0,63}$';
const SystemName = Type.String({ pattern: SYSTEM_NAME_PATTERN, description: 'lower-case name used in URLs, e.g. erp' });
const DecimalString = (description: string) =>
  Type.String({ pattern: '^-?\\d+(\\.\\d+)?$', maxLength: 40, description });
const Code = (description: string) => Type.String({ minLength: 1, maxLength: 64, description });

export const SecretRefSchema = Type.Union(
  [
    Type.Object(
      {
        env: Type.String({
          pattern: '^[A-Za-z_][A-Za-z0-9_]{0,127}$',
          description: 'environment variable holding the value',
        }),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        secret: Type.String({
          pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$',
          description: 'name in the encrypted secret store',
        }),
      },
      { additionalProperties: false },
    ),
  ],
  { description: 'a secret by reference, never its value' },
);
export type SecretRef = Static<typeof SecretRefSchema>;

export const WebhookConfigSchema = Type.Object(
  {
    scheme: Type.Union([Type.Literal('standard-webhooks'), Type.Literal('none')], {
      description: 'how inbound events of this system are signed',
    }),
    secrets: Type.Optional(
      Type.Array(SecretRefSchema, {
        maxItems: 8,
        description: 'current secret first, then older ones still accepted during rotation',
      }),
    ),
    toleranceSeconds: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 86_400,
        description: 'allowed clock skew of webhook-timestamp (default 300)',
      }),
    ),
    replacesToken: Type.Optional(
      Type.Boolean({
        description:
          'a valid signature alone authenticates the sender as service:<system> (for vendors that cannot send a bearer token)',
      }),
    ),
  },
  { additionalProperties: false },
);

const UrlTemplate = (placeholder: string, description: string) =>
  Type.String({ pattern: `^(https?://|/).*\\{${placeholder}\\}`, maxLength: 2048, description });

/** Connector settings: the ones the hub itself reads are named, the rest are the connector's. */
export const ConnectorOptionsSchema = Type.Intersect(
  [
    Type.Object({
      syncIntervalMs: Type.Optional(
        Type.Union([Type.Integer({ minimum: 5_000, maximum: 86_400_000 }), Type.Literal(false)], {
          description:
            'directory (scim): the hub holds the users as a synced copy, read in full once and then the users changed since, every syncIntervalMs (default 60000); a user the copy lacks is asked of the directory. false: one directory lookup per document',
        }),
      ),
      rateLimit: Type.Optional(
        Type.Union([Type.Number({ exclusiveMinimum: 0, maximum: 10_000 }), Type.Literal(false)], {
          description:
            'ERP (sap-s4hana): the client-side limit of requests per second toward the tenant (default 10); false lifts it, for simulators or a tenant whose owner allows more',
        }),
      ),
      legalEntities: Type.Optional(
        Type.Array(Type.String({ minLength: 1, maxLength: 16 }), {
          maxItems: 1_000,
          description:
            'ERP: the legal entities (company codes) this ERP holds when several ERPs are configured; the first ERP holds every entity no ERP names',
        }),
      ),
      companies: Type.Optional(
        Type.Record(Type.String({ minLength: 1, maxLength: 16 }), Type.String({ minLength: 1, maxLength: 100 }), {
          description:
            'ERP (business-central): legal entity (company code) → Business Central company (name or id); these entities are posted to this system',
        }),
      ),
      tenant: Type.Optional(
        Type.String({
          minLength: 1,
          maxLength: 255,
          description:
            'ERP (business-central): the Microsoft Entra tenant (id or domain); the token URL is https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token',
        }),
      ),
      tokenUrl: Type.Optional(
        Type.String({
          pattern: '^https?://',
          maxLength: 2048,
          description:
            'OAuth2 token endpoint (business-central: overrides the one built from tenant; scim: required for client credentials)',
        }),
      ),
      costCenterDimension: Type.Optional(
        Type.String({
          minLength: 1,
          maxLength: 20,
          description: 'ERP (business-central): dimension code of cost centers (default COSTCENTER)',
        }),
      ),
      projectDimension: Type.Optional(
        Type.String({
          minLength: 1,
          maxLength: 20,
          description: 'ERP (business-central): dimension code of projects (default PROJECT)',
        }),
      ),
      taxRates: Type.Optional(
        Type.Record(
          Type.String({ minLength: 1, maxLength: 20 }),
          Type.String({ pattern: '^\\d{1,3}(\\.\\d{1,4})?$' }),
          {
            description:
              'ERP (business-central): tax rate in percent by tax group code (the VAT posting setup, which API v2.0 does not publish), for the published tax codes',
          },
        ),
      ),
      reportUrlTemplate: Type.Optional(
        UrlTemplate(
          'reportId',
          'expense platform: the page of an expense report, linked to its ERP postings as approval evidence; {reportId} is replaced; an absolute http(s) URL or a path relative to baseUrl',
        ),
      ),
      receiptUrlTemplate: Type.Optional(
        UrlTemplate(
          'receiptId',
          'expense platform: the image of a receipt (FIS entryReceiptId / entryElectronicReceiptId), linked to the ERP postings; {receiptId} is replaced; an absolute http(s) URL or a path relative to baseUrl',
        ),
      ),
    }),
    Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9]{0,63}$' }), Type.Unknown()),
  ],
  { description: 'connector-specific settings, not secret' },
);

export const SystemConfigSchema = Type.Object(
  {
    kind: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'connector kind: sap-s4hana, coupa, concur, scim, echo, …',
    }),
    baseUrl: Type.Optional(
      Type.String({ pattern: '^https?://', maxLength: 2048, description: 'the tenant (or simulator) URL' }),
    ),
    credentials: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9]{0,63}$' }), SecretRefSchema, {
        description: 'connector credentials by reference (user, password, clientId, clientSecret, …)',
      }),
    ),
    options: Type.Optional(ConnectorOptionsSchema),
    allowPrivateNetwork: Type.Optional(
      Type.Boolean({ description: 'allow loopback and private addresses (simulators, on-premise tenants)' }),
    ),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 600_000 })),
    webhook: Type.Optional(WebhookConfigSchema),
    via: Type.Optional(
      Type.String({
        pattern: VIA_AGENT_PATTERN,
        description: "agent:<name>: the connector's HTTP calls are made by that agent inside the system's network",
      }),
    ),
  },
  { additionalProperties: false },
);

export const OwnershipSchema = Type.Object(
  {
    masterData: Type.Optional(SystemName),
    suppliers: Type.Optional(SystemName),
    employees: Type.Optional(SystemName),
  },
  {
    additionalProperties: false,
    description: 'system of record per domain; flows never overwrite a domain in its owner',
  },
);

export const TriggerSchema = Type.Object(
  {
    webhook: Type.Optional(Type.Boolean({ description: 'react to events posted to /v1/events/:system' })),
    pollIntervalMs: Type.Optional(
      Type.Integer({ minimum: 1_000, maximum: 86_400_000, description: 'poll the source this often' }),
    ),
    schedule: Type.Optional(
      Type.Array(Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' }), {
        maxItems: 48,
        description: 'poll at these times of day (UTC, HH:MM)',
      }),
    ),
  },
  { additionalProperties: false },
);

const FlowBase = {
  enabled: Type.Optional(Type.Boolean()),
  trigger: Type.Optional(TriggerSchema),
};

export const FlowsConfigSchema = Type.Object(
  {
    masterData: Type.Optional(
      Type.Object(
        {
          ...FlowBase,
          source: Type.Optional(SystemName),
          targets: Type.Optional(
            Type.Array(SystemName, { maxItems: 16, description: 'systems the dimensions are published to' }),
          ),
          fullReadSchedule: Type.Optional(
            Type.Array(Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' }), {
              maxItems: 48,
              description: 'full re-reads that find deleted values, times of day (UTC, HH:MM); default 02:30',
            }),
          ),
          expenseLists: Type.Optional(
            Type.Object(
              {
                costCenters: Type.Optional(Code('list id of the cost center list (default cost-centers)')),
                projects: Type.Optional(Code('list id of the project list (default projects)')),
              },
              { additionalProperties: false, description: 'expense platform lists the dimensions are published to' },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    supplierOnboarding: Type.Optional(
      Type.Object(
        {
          ...FlowBase,
          fuzzyMatch: Type.Optional(
            Type.Object(
              {
                reviewAbove: Type.Optional(
                  Type.Number({
                    minimum: 0,
                    maximum: 1,
                    description: 'name similarity from which a person reviews (default 0.85)',
                  }),
                ),
              },
              { additionalProperties: false },
            ),
          ),
          reconciliationAccount: Type.Optional(Code('AP reconciliation account for new vendors')),
          paymentTerms: Type.Optional(
            Type.Record(Type.String(), Code('payment terms'), {
              description: 'payment terms by country code or entity, "*" as fallback',
            }),
          ),
          companyCodes: Type.Optional(
            Type.Record(Type.String(), Type.Array(Code('company code'), { minItems: 1, maxItems: 64 }), {
              description: 'company codes a new vendor is extended to, by the supplier\'s country, "*" as fallback',
            }),
          ),
          pollFrom: Type.Optional(
            Type.String({
              pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}',
              maxLength: 40,
              description: 'where the first poll of approved suppliers starts (default: the time of that poll)',
            }),
          ),
          vendorPollIntervalMs: Type.Optional(
            Type.Integer({
              minimum: 1_000,
              maximum: 86_400_000,
              description: 'how often the ERP vendor master is read for payment blocks and the lookup (default 60000)',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    expensePosting: Type.Optional(
      Type.Object(
        {
          ...FlowBase,
          cardClearingAccount: Type.Optional(
            Code('GL account company card charges are credited to when no card vendor is set'),
          ),
          cardVendors: Type.Optional(
            Type.Record(Type.String(), Code('vendor'), { description: 'card issuer vendor per company code' }),
          ),
          inputTaxAccount: Type.Optional(Code('GL account for reclaimable input tax')),
          cashAdvanceClearingAccount: Type.Optional(
            Code(
              'GL account cash advances (issued, and applied to reports) clear against when the clearing account code they name has no mapping',
            ),
          ),
          companyPaidClearingAccount: Type.Optional(
            Code(
              'GL account company-paid entries clear against when the clearing account the report names has no mapping',
            ),
          ),
          postingDate: Type.Optional(
            Type.Union([Type.Literal('today'), Type.Literal('approval')], {
              description: 'posting date: the day the hub posts (default) or the approval date',
            }),
          ),
          employeeVendors: Type.Optional(EmployeeVendorsConfig),
        },
        { additionalProperties: false },
      ),
    ),
    invoicePosting: Type.Optional(
      Type.Object(
        {
          ...FlowBase,
          priceTolerancePercent: Type.Optional(DecimalString('allowed unit price difference, percent')),
          quantityTolerancePercent: Type.Optional(DecimalString('allowed quantity difference, percent')),
          amountTolerance: Type.Optional(DecimalString('allowed absolute difference per line, invoice currency')),
          threeWayMatch: Type.Optional(
            Type.Boolean({ description: 'match against receipts as well as the PO (default true)' }),
          ),
          pollFrom: Type.Optional(
            Type.String({
              pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}',
              maxLength: 40,
              description: 'where the first poll of approved invoices starts (default: the time of that poll)',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    paymentStatus: Type.Optional(Type.Object({ ...FlowBase }, { additionalProperties: false })),
    periodEndAccruals: Type.Optional(
      Type.Object(
        {
          ...FlowBase,
          expenseAccounts: Type.Record(Type.String({ pattern: '^[a-z][a-z0-9-]{0,63}$' }), Code('GL account'), {
            description:
              'accrual expense account per posting flow (expense-posting, invoice-posting, cash-advance-posting, and card-transaction for company card charges not yet on a report); flows not named are not accrued',
          }),
          liabilityAccount: Code('accrued liabilities GL account credited by the accrual'),
        },
        {
          additionalProperties: false,
          description:
            'accrue approved, unposted documents at a period end (trigger.schedule: times of day the month end is checked, default 21:00 UTC)',
        },
      ),
    ),
    postingCheck: Type.Optional(
      Type.Object(
        {
          waitInHub: Type.Optional(
            Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' }), {
              uniqueItems: true,
              description:
                'issue codes of the pre-posting check that wait in the hub (default [period_closed]); every other issue goes back to the source (docs/validation.md lists the codes)',
            }),
          ),
          reopened: Type.Optional(
            Type.Union([Type.Literal('reverse'), Type.Literal('keep')], {
              description:
                'a document that comes back with a new version after it was posted: reverse the earlier ERP document and post the new version (default), or keep the earlier posting and post nothing',
            }),
          ),
        },
        { additionalProperties: false, description: 'the "will it post?" check before the hub takes a document' },
      ),
    ),
  },
  { additionalProperties: false },
);

export const PeriodCalendarSchema = Type.Record(
  Type.String({ pattern: '^(\\*|[A-Za-z0-9]{1,10})$', description: 'legal entity (company code), or * for all' }),
  Type.Object(
    {
      closed: Type.Optional(
        Type.Array(Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' }), { description: 'closed periods, YYYY-MM' }),
      ),
      closedBefore: Type.Optional(
        Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'every period before this one is closed' }),
      ),
    },
    { additionalProperties: false },
  ),
  { description: 'period calendar per legal entity; periods are open unless listed' },
);

export const BudgetSchema = Type.Object(
  {
    entity: Code('legal entity'),
    costCenter: Type.Optional(Code('cost center')),
    project: Type.Optional(Code('project')),
    fiscalYear: Type.Integer({ minimum: 1990, maximum: 2200 }),
    amount: DecimalString('budget'),
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  },
  { additionalProperties: false },
);

export type SystemConfigFile = Static<typeof SystemConfigSchema>;
export type OwnershipConfig = Static<typeof OwnershipSchema>;
export type FlowsConfig = Static<typeof FlowsConfigSchema>;
export type TriggerConfig = Static<typeof TriggerSchema>;
export type PeriodCalendarConfig = Static<typeof PeriodCalendarSchema>;
export type BudgetConfig = Static<typeof BudgetSchema>;
