/**
 * SCIM 2.0 resource shapes the directory simulator serves (RFC 7643): the core User with the
 * enterprise extension, the ListResponse and Error messages (RFC 7644 sections 3.4.2 and 3.12).
 */
import type { SimResponse } from '../../sim-kit/sim-server.js';

export const CORE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/**
 * The tenant's own extension (RFC 7643 section 3.3) carrying the employee's reimbursement bank
 * account, as the HR system provisions it; the standard schemas have no bank fields.
 */
export const PAYEE_USER_SCHEMA = 'urn:ledgerlink:params:scim:schemas:extension:payee:1.0:User';
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const SCIM_CONTENT_TYPE = 'application/scim+json';

export interface ScimManagerRef {
  readonly value: string;
  readonly $ref?: string;
  readonly displayName?: string;
}

export interface ScimEnterpriseUser {
  readonly employeeNumber?: string;
  readonly costCenter?: string;
  readonly organization?: string;
  readonly division?: string;
  readonly department?: string;
  readonly manager?: ScimManagerRef;
}

export interface ScimUser {
  readonly schemas: readonly string[];
  readonly id: string;
  readonly externalId?: string;
  readonly userName: string;
  readonly name: { readonly formatted: string; readonly givenName: string; readonly familyName: string };
  readonly displayName: string;
  readonly title?: string;
  readonly preferredLanguage?: string;
  readonly locale?: string;
  readonly timezone?: string;
  readonly active: boolean;
  readonly emails: readonly { readonly value: string; readonly type: string; readonly primary: boolean }[];
  readonly [ENTERPRISE_USER_SCHEMA]?: ScimEnterpriseUser;
  readonly [PAYEE_USER_SCHEMA]?: {
    readonly bankAccounts: readonly { readonly iban: string; readonly bic?: string; readonly accountHolder?: string }[];
  };
  readonly meta: {
    readonly resourceType: 'User';
    readonly created: string;
    readonly lastModified: string;
    readonly location: string;
    readonly version: string;
  };
}

/** SCIM error types of RFC 7644 table 9 that the simulator answers with. */
export type ScimType = 'invalidFilter' | 'invalidValue' | 'tooMany' | 'invalidSyntax';

export function scimJson(status: number, body: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, body, headers: { 'content-type': SCIM_CONTENT_TYPE, ...headers } };
}

/** The RFC 7644 error body: `status` is the HTTP status as a string. */
export function scimError(
  status: number,
  detail: string,
  scimType?: ScimType,
  headers: Record<string, string> = {},
): SimResponse {
  return scimJson(
    status,
    { schemas: [ERROR_SCHEMA], status: String(status), ...(scimType === undefined ? {} : { scimType }), detail },
    headers,
  );
}

export function listResponse(totalResults: number, startIndex: number, resources: readonly unknown[]): SimResponse {
  return scimJson(200, {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults,
    itemsPerPage: resources.length,
    startIndex,
    Resources: resources,
  });
}
