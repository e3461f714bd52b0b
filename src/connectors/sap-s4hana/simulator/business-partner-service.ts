/**
 * API_BUSINESS_PARTNER: `A_BusinessPartner` (reads, deep insert with roles, supplier and company
 * data, banks and tax numbers; updates with If-Match), `A_Supplier` (reads; not creatable on its own),
 * `A_BusinessPartnerBank` and `A_BusinessPartnerTaxNumber` (reads). What the metadata refuses (unknown
 * or read-only properties such as `A_Supplier.TaxNumber1` or `A_BusinessPartnerBank.SWIFTCode`, too
 * long values) is refused before this code runs (odata-contract-checks.ts). The supplier's read-only
 * `VATRegistration` and `TaxNumber1` show the partner's tax numbers of type `<country>0` and
 * `<country>1`; the read-only `SWIFTCode` and `BankName` come from the estate's bank directory, found
 * by the bank key in the IBAN (empty for a bank it does not list).
 */
import { json, type SimRequest, type SimResponse } from '../../sim-kit/sim-server.js';
import type { SimDocuments } from '../../sim-kit/documents.js';
import {
  collection,
  created,
  etagOf,
  odataError,
  single,
  sapDate,
  type Entity,
  type EntitySet,
} from './odata-envelope.js';
import { BUSINESS_PARTNER_FACTS as FACTS } from '../contract-facts/business-partner-facts.js';
import { bankKeyOfIban, bankOf } from './estate.js';
import type { SapState } from './sap-state.js';

export const BP_SERVICE = '/sap/opu/odata/sap/API_BUSINESS_PARTNER';
const contract = (name: string) => ({ service: FACTS, set: FACTS.entitySets[name]! });
const NAV_TYPES = {
  to_BusinessPartnerRole: 'API_BUSINESS_PARTNER.A_BusinessPartnerRoleType',
  to_BusinessPartnerBank: 'API_BUSINESS_PARTNER.A_BusinessPartnerBankType',
  to_BusinessPartnerTax: 'API_BUSINESS_PARTNER.A_BusinessPartnerTaxNumberType',
  to_Supplier: 'API_BUSINESS_PARTNER.A_SupplierType',
  to_SupplierCompany: 'API_BUSINESS_PARTNER.A_SupplierCompanyType',
};
const sets: Record<string, EntitySet> = {
  A_BusinessPartner: {
    service: BP_SERVICE,
    name: 'A_BusinessPartner',
    type: 'API_BUSINESS_PARTNER.A_BusinessPartnerType',
    key: (e) => `'${String(e['BusinessPartner'])}'`,
    navigationTypes: NAV_TYPES,
    contract: contract('A_BusinessPartner'),
  },
  A_Supplier: {
    service: BP_SERVICE,
    name: 'A_Supplier',
    type: 'API_BUSINESS_PARTNER.A_SupplierType',
    key: (e) => `'${String(e['Supplier'])}'`,
    navigationTypes: NAV_TYPES,
    contract: contract('A_Supplier'),
  },
  A_BusinessPartnerBank: {
    service: BP_SERVICE,
    name: 'A_BusinessPartnerBank',
    type: 'API_BUSINESS_PARTNER.A_BusinessPartnerBankType',
    key: (e) =>
      `BusinessPartner='${String(e['BusinessPartner'])}',BankIdentification='${String(e['BankIdentification'])}'`,
    contract: contract('A_BusinessPartnerBank'),
  },
  A_BusinessPartnerTaxNumber: {
    service: BP_SERVICE,
    name: 'A_BusinessPartnerTaxNumber',
    type: 'API_BUSINESS_PARTNER.A_BusinessPartnerTaxNumberType',
    key: (e) => `BusinessPartner='${String(e['BusinessPartner'])}',BPTaxType='${String(e['BPTaxType'])}'`,
    contract: contract('A_BusinessPartnerTaxNumber'),
  },
};

export function businessPartnerRoute(state: SapState, documents: SimDocuments) {
  return (request: SimRequest, segment: string): SimResponse => {
    const match = /^(\w+)(?:\('([^']*)'\))?$/.exec(segment);
    const setName = match?.[1] ?? '';
    const key = match?.[2];
    const set = sets[setName];
    if (set === undefined)
      return odataError(404, '/IWBEP/CM_MGW_RT/020', `Resource not found for segment '${segment}'`);
    const all =
      setName === 'A_BusinessPartner'
        ? state.partners
        : setName === 'A_Supplier'
          ? state.partners.map((p) => p['to_Supplier'] as Entity).filter((s) => s !== undefined && s !== null)
          : setName === 'A_BusinessPartnerTaxNumber'
            ? state.partners.flatMap((p) => p['to_BusinessPartnerTax'] as Entity[])
            : state.partners.flatMap((p) => p['to_BusinessPartnerBank'] as Entity[]);
    if (request.method === 'GET') {
      if (key === undefined) return collection(request, set, all, { pageSize: state.pageSize });
      return single(
        request,
        set,
        all.find((e) => set.key(e) === `'${key}'`),
      );
    }
    if (setName !== 'A_BusinessPartner')
      return odataError(405, '/IWBEP/CM_MGW_RT/021', `Method ${request.method} not allowed on ${setName}`);
    if (request.method === 'POST' && key === undefined) return createPartner(request, state, documents);
    if ((request.method === 'PATCH' || request.method === 'MERGE' || request.method === 'PUT') && key !== undefined)
      return updatePartner(request, state, key);
    return odataError(405, '/IWBEP/CM_MGW_RT/021', `Method ${request.method} not allowed here`);
  };
}

function parseBody(request: SimRequest): Entity | undefined {
  try {
    const body: unknown = JSON.parse(request.body);
    if (body !== null && typeof body === 'object' && !Array.isArray(body)) return body as Entity;
  } catch {
    // answered by the caller
  }
  return undefined;
}

const badBody = (): SimResponse =>
  odataError(400, '/IWBEP/CM_MGW_RT/002', 'The request body is not valid JSON for this entity');

function results(value: unknown): Entity[] {
  const list = (value as { results?: unknown } | undefined)?.results;
  return Array.isArray(list) ? (list as Entity[]) : [];
}

/**
 * Roles of the workforce person's business partners (employee BUP003, employment BUP010): in SAP
 * S/4HANA Cloud they come from workforce replication, which adds the supplier role to the employment
 * partner when bank data is replicated (SAP KBA 3189555); an API client creates payable persons with
 * the supplier roles only. The artifacts publish no role codes; the refusal's message number is the
 * simulator's own.
 */
const WORKFORCE_ROLES: ReadonlySet<string> = new Set(['BUP003', 'BUP010']);

/** The full name of an organization (category 2, `OrganizationBPName1`) or a person (category 1, first and last name). */
function partnerName(body: Entity): string | SimResponse {
  const category = body['BusinessPartnerCategory'];
  if (category === '1') {
    const first = String(body['FirstName'] ?? '').trim();
    const last = String(body['LastName'] ?? '').trim();
    if (last === '')
      return odataError(400, 'R11/402', 'Enter a last name for the person (category 1)', [
        { code: 'R11/402', message: 'LastName is required', propertyref: 'LastName' },
      ]);
    return first === '' ? last : `${first} ${last}`;
  }
  const name = String(body['OrganizationBPName1'] ?? '').trim();
  if (category !== '2' || name === '')
    return odataError(400, 'R11/401', 'Enter a name for the organization (category 2)', [
      { code: 'R11/401', message: 'OrganizationBPName1 is required', propertyref: 'OrganizationBPName1' },
    ]);
  return name;
}

function createPartner(request: SimRequest, state: SapState, documents: SimDocuments): SimResponse {
  const body = parseBody(request);
  if (body === undefined) return badBody();
  const named = partnerName(body);
  if (typeof named !== 'string') return named;
  const name = named;
  const roles = results(body['to_BusinessPartnerRole']).map((r) => String(r['BusinessPartnerRole']));
  const workforce = roles.find((r) => WORKFORCE_ROLES.has(r));
  if (workforce !== undefined)
    return odataError(
      400,
      'R11/213',
      `Role ${workforce} is maintained by workforce replication, not through API_BUSINESS_PARTNER`,
    );
  const supplierIn = body['to_Supplier'] as Entity | undefined;
  if (supplierIn !== undefined && !(roles.includes('FLVN00') && roles.includes('FLVN01'))) {
    return odataError(400, 'CVI_EI/103', 'Supplier data needs the roles FLVN00 and FLVN01');
  }
  const companies = results(supplierIn?.['to_SupplierCompany']);
  for (const company of companies) {
    if (state.companyCode(company['CompanyCode']) === undefined)
      return odataError(400, 'F2/108', `Company code ${String(company['CompanyCode'])} does not exist`);
    if (state.glAccount(company['ReconciliationAccount']) === undefined)
      return odataError(
        400,
        'F2/152',
        `Reconciliation account ${String(company['ReconciliationAccount'])} does not exist`,
      );
  }
  const banks = results(body['to_BusinessPartnerBank']);
  for (const bank of banks) {
    const iban = String(bank['IBAN'] ?? '');
    if (iban !== '' && !/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(iban))
      return odataError(400, 'AR/102', `IBAN ${iban} is not valid`);
  }
  const id = state.next('bp');
  const ext = String(body['BusinessPartnerIDByExtSystem'] ?? '').slice(0, 20);
  const today = new Date().toISOString();
  const taxes = results(body['to_BusinessPartnerTax']);
  const taxNumberOfType = (suffix: string): string =>
    String(
      taxes.find((t) => /^[A-Z]{2}\d$/.test(String(t['BPTaxType'])) && String(t['BPTaxType']).endsWith(suffix))?.[
        'BPTaxNumber'
      ] ?? '',
    );
  const vat = taxNumberOfType('0');
  const partner: Entity = {
    BusinessPartner: id,
    BusinessPartnerCategory: String(body['BusinessPartnerCategory']),
    BusinessPartnerGrouping: String(body['BusinessPartnerGrouping'] ?? 'BPEX'),
    BusinessPartnerFullName: name,
    OrganizationBPName1: String(body['OrganizationBPName1'] ?? ''),
    OrganizationBPName2: String(body['OrganizationBPName2'] ?? ''),
    FirstName: String(body['FirstName'] ?? ''),
    LastName: String(body['LastName'] ?? ''),
    SearchTerm1: String(body['SearchTerm1'] ?? name.split(' ')[0]!.toUpperCase().slice(0, 20)),
    BusinessPartnerIsBlocked: false,
    IsMarkedForArchiving: false,
    BusinessPartnerIDByExtSystem: ext,
    Supplier: supplierIn === undefined ? '' : id,
    CreationDate: sapDate(today.slice(0, 10)),
    LastChangeDate: sapDate(today.slice(0, 10)),
    LastChangeTime: `PT${today.slice(11, 13)}H${today.slice(14, 16)}M${today.slice(17, 19)}S`,
    ETag: `${id}-1`,
    to_BusinessPartnerRole: roles.map((role) => ({ BusinessPartner: id, BusinessPartnerRole: role })),
    to_BusinessPartnerBank: banks.map((b, i) => {
      const iban = String(b['IBAN'] ?? '');
      const country = String(b['BankCountryKey'] ?? iban.slice(0, 2));
      const bankKey = String(b['BankNumber'] ?? bankKeyOfIban(iban));
      const bank = bankOf(country, bankKey);
      return {
        BusinessPartner: id,
        BankIdentification: String(i + 1).padStart(4, '0'),
        BankCountryKey: country,
        BankNumber: bankKey,
        BankAccount: String(b['BankAccount'] ?? ''),
        IBAN: iban,
        SWIFTCode: bank.swift,
        BankName: bank.name,
        BankAccountHolderName: String(b['BankAccountHolderName'] ?? name),
      };
    }),
    to_BusinessPartnerTax: taxes.map((t) => ({
      BusinessPartner: id,
      BPTaxType: String(t['BPTaxType']),
      BPTaxNumber: String(t['BPTaxNumber']),
    })),
    to_Supplier:
      supplierIn === undefined
        ? null
        : {
            Supplier: id,
            SupplierName: name.slice(0, 35),
            SupplierFullName: name,
            SupplierAccountGroup: 'SUPL',
            PaymentIsBlockedForSupplier: false,
            PostingIsBlocked: false,
            PurchasingIsBlocked: false,
            VATRegistration: vat,
            TaxNumber1: taxNumberOfType('1'),
            TaxNumber2: '',
            TaxNumber3: '',
            TaxNumber4: '',
            TaxNumber5: '',
            DeletionIndicator: false,
            to_SupplierCompany: companies.map((c) => ({
              Supplier: id,
              CompanyCode: String(c['CompanyCode']),
              PaymentTerms: String(c['PaymentTerms'] ?? '0001'),
              PaymentMethodsList: String(c['PaymentMethodsList'] ?? 'T'),
              ReconciliationAccount: String(c['ReconciliationAccount']),
              PaymentBlockingReason: '',
              SupplierIsBlockedForPosting: false,
              HouseBank: '',
              DeletionIndicator: false,
            })),
          },
  };
  state.partners.push(partner);
  documents.add({ kind: 'vendor', id, reference: ext, lines: [], raw: partner });
  const expand = [
    'to_BusinessPartnerRole',
    'to_BusinessPartnerBank',
    'to_BusinessPartnerTax',
    'to_Supplier',
    'to_Supplier/to_SupplierCompany',
  ].join(',');
  return created(request, sets['A_BusinessPartner']!, partner, expand);
}

function updatePartner(request: SimRequest, state: SapState, key: string): SimResponse {
  const partner = state.partner(key);
  if (partner === undefined) return odataError(404, '/IWBEP/CM_MGW_RT/020', `Business partner ${key} does not exist`);
  const ifMatch = request.headers['if-match'];
  if (ifMatch === undefined)
    return odataError(428, '/IWBEP/CM_MGW_RT/044', 'Precondition required: send If-Match with the ETag');
  if (ifMatch !== '*' && ifMatch !== etagOf(partner))
    return odataError(
      412,
      '/IWBEP/CM_MGW_RT/022',
      'The ETag sent does not match; the entity was changed by someone else',
    );
  const body = parseBody(request);
  if (body === undefined) return badBody();
  for (const [field, value] of Object.entries(body)) if (field !== '__metadata') partner[field] = value;
  if ('OrganizationBPName1' in body) partner['BusinessPartnerFullName'] = body['OrganizationBPName1'];
  const version = Number(String(partner['ETag']).split('-')[1] ?? '1') + 1;
  partner['ETag'] = `${key}-${version}`;
  partner['LastChangeDate'] = sapDate(new Date().toISOString().slice(0, 10));
  const etag = etagOf(partner);
  return { ...json(204, undefined, etag === undefined ? {} : { etag }), body: undefined, committed: true };
}
