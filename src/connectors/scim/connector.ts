/**
 * The SCIM 2.0 directory connector (DirectoryPort): users by employee number (enterprise
 * extension), by login (`userName`) or by ID, and every user across all pages, translated to the
 * canonical Employee with the enterprise fields beside it.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import type { ContractCheckable, ContractFinding } from '../ports/contract-check.js';
import type { DirectoryPort, DirectoryUser } from '../ports/directory-port.js';
import { checkScimContract } from './contract-check.js';
import {
  ENTERPRISE_USER_SCHEMA,
  ScimClient,
  SYSTEM,
  eqFilter,
  type ScimClientOptions,
  type ScimResource,
} from './client.js';
import { toDirectoryUser, type TranslateOptions } from './translate.js';

export type ScimConnectorOptions = ScimClientOptions & TranslateOptions;

export class ScimConnector implements DirectoryPort, ContractCheckable {
  readonly client: ScimClient;
  private readonly translate: TranslateOptions;

  constructor(options: ScimConnectorOptions) {
    this.client = new ScimClient(options);
    this.translate = {
      ...(options.systemName === undefined ? {} : { systemName: options.systemName }),
      ...(options.companyCodeByOrganization === undefined
        ? {}
        : { companyCodeByOrganization: options.companyCodeByOrganization }),
      ...(options.defaultCompanyCode === undefined ? {} : { defaultCompanyCode: options.defaultCompanyCode }),
    };
  }

  findByEmployeeNumber(employeeNumber: string): Promise<DirectoryUser | null> {
    return this.single(
      eqFilter(`${ENTERPRISE_USER_SCHEMA}:employeeNumber`, employeeNumber),
      `employee number ${employeeNumber}`,
    );
  }

  findByLogin(login: string): Promise<DirectoryUser | null> {
    return this.single(eqFilter('userName', login), `login ${login}`);
  }

  async findById(id: string): Promise<DirectoryUser | null> {
    const user = await this.client.get(id);
    return user === null ? null : toDirectoryUser(user, this.translate);
  }

  /** Read-only check of the directory against RFC 7643/7644 as the lookups use them. */
  checkContract(signal?: AbortSignal): Promise<ContractFinding[]> {
    return checkScimContract(this.client, signal);
  }

  async *listUsers(): AsyncGenerator<DirectoryUser> {
    for await (const user of this.client.all()) yield toDirectoryUser(user, this.translate);
  }

  /** Users whose `meta.lastModified` is after `since` (RFC 7644 filter `gt` on a dateTime). */
  async *usersChangedSince(since: string): AsyncGenerator<DirectoryUser> {
    for await (const user of this.client.all(`meta.lastModified gt ${JSON.stringify(since)}`))
      yield toDirectoryUser(user, this.translate);
  }

  private async single(filter: string, what: string): Promise<DirectoryUser | null> {
    const found: readonly ScimResource[] = await this.client.find(filter);
    if (found.length > 1) {
      throw new LedgerlinkError('LL_ERR_VALIDATION', `${SYSTEM}: more than one user has ${what}`, {
        details: [{ message: 'not unique in the directory', system: SYSTEM, filter }],
      });
    }
    const [user] = found;
    return user === undefined ? null : toDirectoryUser(user, this.translate);
  }
}
