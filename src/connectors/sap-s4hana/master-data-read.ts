/**
 * Master data from SAP with the fields each service's metadata has (contract-facts/master-data-facts.ts):
 * company codes, GL accounts (names from `A_GLAccountText`), cost centers (keyed with their validity,
 * names from `A_CostCenterText`, blocked when `IsBlkdForPrimaryCostsPosting` is `X`), projects with
 * their WBS elements, and tax codes from the tenant's custom view.
 *
 * Change detection: company codes and cost centers carry no change timestamp, and a GL account's name
 * changes in its text entity, so those three are read in full on every read and compared with the
 * snapshot of the previous read (kept in memory): an incremental read returns what differs, and GL
 * accounts whose own `LastChangeDateTime` is on or after `since`. Projects (and the custom tax code
 * view) are filtered on `LastChangeDateTime`. The first read of a process has nothing to compare with
 * and returns everything.
 */
import { createHash } from 'node:crypto';
import type { CostCenter, GlAccount, LegalEntity, Project, TaxCode } from '../../canonical/model/master-data.js';
import type { PlainJson } from '../../canonical/strict-json.js';
import type { MasterDataSnapshot } from '../ports/erp-port.js';
import type { ODataEntity, SapClient } from './client.js';
import { isoDate } from './translate.js';

const SYSTEM = 'sap-s4hana';
const LANGUAGE = 'EN';
const str = (e: ODataEntity, key: string): string => {
  const value = e[key];
  return typeof value === 'string' ? value : '';
};
const results = (value: PlainJson | undefined): ODataEntity[] =>
  ((value as { results?: ODataEntity[] } | null | undefined)?.results ?? []).filter((x) => x !== null);

/** The text in our language, else the first one. */
function text(e: ODataEntity): ODataEntity {
  const texts = results(e['to_Text']);
  return texts.find((t) => str(t, 'Language') === LANGUAGE) ?? texts[0] ?? {};
}

/** `datetimeoffset'…'` literal for `$filter`. */
export function sinceFilter(field: string, since: string | null): string | undefined {
  return since === null ? undefined : `${field} ge datetimeoffset'${new Date(since).toISOString().slice(0, 19)}Z'`;
}

const dateMillis = (value: string): number | undefined => {
  const match = /^\/Date\((-?\d+)/.exec(value);
  return match === null ? undefined : Number(match[1]);
};

/** The newest `LastChangeDateTime` (RFC 3339, whole seconds) among the entities, if any carries one. */
export function newestChange(entities: readonly ODataEntity[]): string | undefined {
  let newest: number | undefined;
  for (const e of entities) {
    const ms = dateMillis(str(e, 'LastChangeDateTime'));
    if (ms === undefined) continue;
    if (newest === undefined || ms > newest) newest = ms;
  }
  return newest === undefined ? undefined : new Date(newest).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function legalEntity(e: ODataEntity): LegalEntity {
  const vat = str(e, 'VATRegistration');
  return {
    id: `${SYSTEM}:cc:${str(e, 'CompanyCode')}`,
    refs: { [SYSTEM]: str(e, 'CompanyCode') },
    companyCode: str(e, 'CompanyCode'),
    name: str(e, 'CompanyCodeName'),
    country: str(e, 'Country'),
    currency: str(e, 'Currency'),
    ...(vat === '' ? {} : { vatNumber: vat }),
    active: true,
  };
}

/**
 * GL accounts of the chart apply to every company code on it. `GLAccountType` (GL_ACCOUNT_TYPES): `X`
 * balance sheet → asset; `P` primary costs or revenue (FI and CO) → expense needing a cost object; `N`
 * nonoperating expense or income (FI only) → expense; `S` secondary costs (CO only) → not postable in FI.
 * The type does not tell revenue from expense, nor assets from liabilities.
 */
export function glAccounts(e: ODataEntity, companyCodes: readonly string[]): GlAccount[] {
  const type = str(e, 'GLAccountType');
  const name = text(e);
  const blocked = e['AccountIsBlockedForPosting'] === true || e['AccountIsMarkedForDeletion'] === true;
  return companyCodes.map((companyCode) => ({
    id: `${SYSTEM}:gl:${companyCode}:${str(e, 'GLAccount')}`,
    refs: { [SYSTEM]: str(e, 'GLAccount') },
    companyCode,
    number: str(e, 'GLAccount'),
    name: str(name, 'GLAccountLongName') || str(name, 'GLAccountName') || str(e, 'GLAccount'),
    type: type === 'X' ? 'asset' : 'expense',
    postingAllowed: e['AccountIsBlockedForPosting'] !== true && type !== 'S',
    requiresCostObject: type === 'P',
    blocked,
  }));
}

export function costCenter(e: ODataEntity): CostCenter {
  const to = isoDate(e['ValidityEndDate']);
  const name = text(e);
  return {
    id: `${SYSTEM}:cc:${str(e, 'ControllingArea')}:${str(e, 'CostCenter')}:${to}`,
    refs: { [SYSTEM]: str(e, 'CostCenter') },
    companyCode: str(e, 'CompanyCode'),
    code: str(e, 'CostCenter'),
    name: str(name, 'CostCenterDescription') || str(name, 'CostCenterName') || str(e, 'CostCenter'),
    validFrom: isoDate(e['ValidityStartDate']),
    ...(to === '' || to === '9999-12-31' ? {} : { validTo: to }),
    blocked: str(e, 'IsBlkdForPrimaryCostsPosting') === 'X',
  };
}

export function projects(e: ODataEntity): Project[] {
  return results(e['to_EnterpriseProjectElement']).map((el) => {
    const status = str(el, 'ProcessingStatus');
    return {
      id: `${SYSTEM}:wbs:${str(el, 'ProjectElement')}`,
      refs: { [SYSTEM]: str(el, 'ProjectElement') },
      companyCode: str(e, 'CompanyCode'),
      projectCode: str(e, 'Project'),
      wbsElement: str(el, 'ProjectElement'),
      name: str(el, 'ProjectElementDescription') || str(el, 'ProjectElement'),
      postingAllowed: status === '10',
      status: status === '10' ? 'released' : status === '42' ? 'closed' : 'planned',
    };
  });
}

export function taxCodes(e: ODataEntity, companyCodesByCountry: ReadonlyMap<string, readonly string[]>): TaxCode[] {
  const rate =
    str(e, 'TaxRate')
      .replace(/(\.\d*?)0+$/, '$1')
      .replace(/\.$/, '') || '0';
  return (companyCodesByCountry.get(str(e, 'Country')) ?? []).map((companyCode) => ({
    id: `${SYSTEM}:tax:${companyCode}:${str(e, 'TaxCode')}`,
    refs: { [SYSTEM]: str(e, 'TaxCode') },
    companyCode,
    code: str(e, 'TaxCode'),
    country: str(e, 'Country'),
    description: str(e, 'TaxCodeName'),
    kind: str(e, 'TaxType') === 'A' ? 'output' : rate === '0' ? 'exempt' : 'input',
    ratePercent: rate,
    deductiblePercent: '100',
  }));
}

const digest = (record: unknown): string => createHash('sha256').update(JSON.stringify(record)).digest('hex');

/** Reads master data; remembers what the full-read sets held so the next incremental read returns changes. */
export class MasterDataReader {
  private previous: Map<string, string> | undefined;

  constructor(private readonly client: SapClient) {}

  async read(since: string | null): Promise<MasterDataSnapshot> {
    const changed = (field: string): Record<string, string | undefined> => ({ $filter: sinceFilter(field, since) });
    const [companies, gl, centers, projectRows, taxes] = await Promise.all([
      this.client.readAll('API_COMPANYCODE_SRV', 'A_CompanyCode'),
      this.client.readAll('API_GLACCOUNTINCHARTOFACCOUNTS_SRV', 'A_GLAccountInChartOfAccounts', {
        $expand: 'to_Text',
      }),
      this.client.readAll('API_COSTCENTER_SRV', 'A_CostCenter', { $expand: 'to_Text' }),
      this.client.readAll('API_ENTERPRISE_PROJECT_SRV;v=0002', 'A_EnterpriseProject', {
        ...changed('LastChangeDateTime'),
        $expand: 'to_EnterpriseProjectElement',
      }),
      this.client.readAll('YY1_TAXCODE_CDS', 'YY1_TaxCode', changed('LastChangeDateTime')),
    ]);
    const byCountry = new Map<string, string[]>();
    for (const c of companies)
      byCountry.set(str(c, 'Country'), [...(byCountry.get(str(c, 'Country')) ?? []), str(c, 'CompanyCode')]);
    const codes = companies.map((c) => str(c, 'CompanyCode'));
    const full = {
      legalEntities: companies.map(legalEntity),
      glAccounts: gl.flatMap((a) => glAccounts(a, codes)),
      costCenters: centers.map(costCenter),
    };
    const current = new Map(
      [...full.legalEntities, ...full.glAccounts, ...full.costCenters].map((r) => [r.id, digest(r)]),
    );
    const previous = since === null ? undefined : this.previous;
    this.previous = current;
    const isNew = (r: { id: string }): boolean => previous === undefined || previous.get(r.id) !== current.get(r.id);
    // GL accounts do carry LastChangeDateTime: one changed since `since` is returned even without a diff.
    const sinceMs = since === null ? undefined : Date.parse(since);
    const changedAccounts = new Set(
      gl
        .filter((a) => sinceMs !== undefined && (dateMillis(str(a, 'LastChangeDateTime')) ?? -Infinity) >= sinceMs)
        .map((a) => str(a, 'GLAccount')),
    );
    const newest = newestChange([...gl, ...projectRows, ...taxes]);
    return {
      ...(newest === undefined ? {} : { newestChangeAt: newest }),
      legalEntities: full.legalEntities.filter(isNew),
      glAccounts: full.glAccounts.filter((a) => isNew(a) || changedAccounts.has(a.number)),
      costCenters: full.costCenters.filter(isNew),
      projects: projectRows.flatMap(projects),
      taxCodes: taxes.flatMap((x) => taxCodes(x, byCountry)),
    };
  }
}
