/**
 * SCIM User → canonical Employee with the directory's enterprise fields. The company code comes
 * from the enterprise `organization` (mapped through `companyCodeByOrganization` when a tenant
 * holds legal entity names there), else the configured default. The work email is the primary
 * email, else the first, else a login that is an email address.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import type { PlainJson } from '../../canonical/strict-json.js';
import type { Employee } from '../../canonical/model/index.js';
import type { DirectoryEnterpriseFields, DirectoryUser } from '../ports/directory-port.js';
import { ENTERPRISE_USER_SCHEMA, PAYEE_USER_SCHEMA, SYSTEM, type ScimResource } from './client.js';

export interface TranslateOptions {
  /** The configured system name, used as the key in `refs` (default `directory`). */
  readonly systemName?: string;
  /** organization value → company code, for tenants that keep entity names in organization. */
  readonly companyCodeByOrganization?: Readonly<Record<string, string>>;
  /** Company code for users whose organization is missing or unmapped. */
  readonly defaultCompanyCode?: string;
}

type Obj = { readonly [key: string]: PlainJson };

export function toDirectoryUser(user: ScimResource, options: TranslateOptions = {}): DirectoryUser {
  const id = text(user['id']);
  const login = text(user['userName']);
  if (id === undefined || login === undefined) throw invalid('a SCIM User without id or userName', id);
  const name = object(user['name']);
  const enterprise = enterpriseFields(object(user[ENTERPRISE_USER_SCHEMA]));
  const givenName = text(name?.['givenName']) ?? login;
  const familyName = text(name?.['familyName']) ?? login;
  const displayName = text(user['displayName']) ?? text(name?.['formatted']) ?? `${givenName} ${familyName}`;
  const email = workEmail(user['emails']) ?? (login.includes('@') ? login : undefined);
  if (email === undefined) throw invalid(`user ${login} has no email address`, id);
  const organization = enterprise.organization;
  const companyCode =
    (organization === undefined
      ? undefined
      : (options.companyCodeByOrganization?.[organization] ??
        (organization.length <= 16 ? organization : undefined))) ?? options.defaultCompanyCode;
  if (companyCode === undefined)
    throw invalid(`user ${login} has no company code (organization ${organization ?? 'missing'})`, id);
  const employee: Employee = {
    id,
    refs: { [options.systemName ?? 'directory']: id },
    ...(enterprise.employeeNumber === undefined ? {} : { personnelNumber: enterprise.employeeNumber }),
    email,
    givenName,
    familyName,
    displayName,
    companyCode,
    ...(enterprise.costCenter === undefined ? {} : { costCenter: enterprise.costCenter }),
    ...(enterprise.manager === undefined ? {} : { managerId: enterprise.manager.id }),
    active: user['active'] !== false,
  };
  const bankAccounts = payeeBankAccounts(object(user[PAYEE_USER_SCHEMA]));
  const externalId = text(user['externalId']);
  const version = text(object(user['meta'])?.['version']);
  return {
    employee,
    login,
    ...(externalId === undefined ? {} : { externalId }),
    enterprise,
    ...(bankAccounts.length === 0 ? {} : { bankAccounts }),
    ...(version === undefined ? {} : { version }),
  };
}

/** The payee extension's bank accounts that carry an IBAN (BIC and holder when given). */
function payeeBankAccounts(ext: Obj | undefined): NonNullable<DirectoryUser['bankAccounts']> {
  const list = ext?.['bankAccounts'];
  if (!Array.isArray(list)) return [];
  return list.flatMap((raw) => {
    const account = object(raw);
    const iban = text(account?.['iban']);
    if (account === undefined || iban === undefined) return [];
    const bic = text(account['bic']);
    const holderName = text(account['accountHolder']);
    return [{ iban, ...(bic === undefined ? {} : { bic }), ...(holderName === undefined ? {} : { holderName }) }];
  });
}

function enterpriseFields(ext: Obj | undefined): DirectoryEnterpriseFields {
  if (ext === undefined) return {};
  const manager = object(ext['manager']);
  const managerId = text(manager?.['value']);
  const managerName = text(manager?.['displayName']);
  const fields: Record<string, unknown> = {};
  for (const key of ['employeeNumber', 'costCenter', 'organization', 'division', 'department'] as const) {
    const value = text(ext[key]);
    if (value !== undefined) fields[key] = value;
  }
  if (managerId !== undefined)
    fields['manager'] = { id: managerId, ...(managerName === undefined ? {} : { displayName: managerName }) };
  return fields as DirectoryEnterpriseFields;
}

function workEmail(emails: PlainJson | undefined): string | undefined {
  if (!Array.isArray(emails)) return undefined;
  const all = emails.map(object).filter((e): e is Obj => e !== undefined);
  const chosen = all.find((e) => e['primary'] === true) ?? all.find((e) => e['type'] === 'work') ?? all[0];
  return text(chosen?.['value']);
}

function text(value: PlainJson | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function object(value: PlainJson | undefined): Obj | undefined {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value)
    ? value
    : undefined;
}

function invalid(message: string, id: string | undefined): LedgerlinkError {
  return new LedgerlinkError('LL_ERR_VALIDATION', `${SYSTEM}: ${message}`, {
    details: [{ message, system: SYSTEM, ...(id === undefined ? {} : { userId: id }) }],
  });
}
