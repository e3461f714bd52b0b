/**
 * The directory (SCIM 2.0 identity provider or HR system): who an employee is, their login, company
 * code, cost center and manager. Users come as the canonical Employee plus the directory's own
 * fields of the SCIM enterprise extension that the canonical model does not carry.
 */
import type { Employee } from '../../canonical/model/index.js';

/** The enterprise extension (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`) as read. */
export interface DirectoryEnterpriseFields {
  readonly employeeNumber?: string;
  readonly costCenter?: string;
  readonly organization?: string;
  readonly division?: string;
  readonly department?: string;
  /** The manager's directory ID and name. */
  readonly manager?: { readonly id: string; readonly displayName?: string };
}

export interface DirectoryUser {
  /** The canonical employee: `id` and `managerId` are directory IDs, `personnelNumber` the employee number. */
  readonly employee: Employee;
  /** The login (SCIM `userName`). */
  readonly login: string;
  /** The HR system's ID (SCIM `externalId`), when the directory has one. */
  readonly externalId?: string;
  readonly enterprise: DirectoryEnterpriseFields;
  /**
   * The reimbursement bank accounts the directory or HR feed holds (SCIM: the tenant's payee
   * extension), for the employee's ERP vendor.
   */
  readonly bankAccounts?: readonly { readonly iban: string; readonly bic?: string; readonly holderName?: string }[];
  /** The directory's version of the record (SCIM `meta.version`, an ETag). */
  readonly version?: string;
}

export interface DirectoryPort {
  /** The user with this employee number, or null; more than one is a validation error. */
  findByEmployeeNumber(employeeNumber: string): Promise<DirectoryUser | null>;
  /** The user with this login (case-insensitive in SCIM), or null. */
  findByLogin(login: string): Promise<DirectoryUser | null>;
  /** The user with this directory ID, or null. */
  findById(id: string): Promise<DirectoryUser | null>;
  /** Every user (active and inactive), all pages. */
  listUsers(): AsyncIterable<DirectoryUser>;
  /**
   * The users changed after `since` (RFC 3339), all pages, when the directory can filter by change
   * time; without it a synced copy reads every user again.
   */
  usersChangedSince?(since: string): AsyncIterable<DirectoryUser>;
}
