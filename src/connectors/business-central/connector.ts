/**
 * The ERP port on Microsoft Dynamics 365 Business Central (API v2.0). Each legal entity of ours is one
 * Business Central company (configured: entity code → company name or id). Master data: companies with
 * their company information, G/L accounts, the values of the configured cost center and project
 * dimensions, tax groups; incremental by `lastModifiedDateTime`. Vendors: our reference is the vendor
 * number. Postings: see postings.ts. Payment status: closed vendor ledger entries. Links: attachments.ts.
 */
import { Decimal } from 'decimal.js';
import { LedgerlinkError } from '../../canonical/errors.js';
import { formatAmount } from '../../canonical/money.js';
import type { JsonObject } from '../../canonical/strict-json.js';
import type {
  ErpAttachment,
  ErpAttachmentTarget,
  ErpDocumentRef,
  ErpJournalEntry,
  ErpPort,
  ErpSupplierInvoice,
  ErpVendor,
  MasterDataSnapshot,
  NewVendor,
  PaymentStatus,
  VendorChanges,
  VendorQuery,
} from '../ports/erp-port.js';
import type { ContractCheckable, ContractFinding } from '../ports/contract-check.js';
import * as attachments from './attachments.js';
import { checkBcContract } from './contract-check.js';
import { BcClient, type BcClientOptions } from './client.js';
import * as postings from './postings.js';
import type { CompanyContext, Dimensions } from './postings.js';
import { mergeVendors, vendorBody, versionsOf } from './vendors.js';
import * as t from './translate.js';

export interface BusinessCentralOptions extends BcClientOptions {
  /** Our legal entity (company code) → the Business Central company, by name or id. */
  readonly companies: Readonly<Record<string, string>>;
  /** The dimension whose values are cost centers. Default COSTCENTER. */
  readonly costCenterDimension?: string;
  /** The dimension whose values are projects. Default PROJECT. */
  readonly projectDimension?: string;
  /** Tax rates (percent) by tax group code: the VAT posting setup, which API v2.0 does not publish. */
  readonly taxRates?: Readonly<Record<string, string>>;
}

interface Company extends CompanyContext {
  readonly record: JsonObject;
  readonly information: JsonObject | undefined;
}

export class BusinessCentralConnector implements ErpPort, ContractCheckable {
  readonly client: BcClient;
  private readonly dims: Dimensions;
  private companies: Promise<Map<string, Company>> | undefined;

  constructor(private readonly options: BusinessCentralOptions) {
    this.client = new BcClient(options);
    this.dims = {
      costCenter: (options.costCenterDimension ?? 'COSTCENTER').toUpperCase(),
      project: (options.projectDimension ?? 'PROJECT').toUpperCase(),
    };
  }

  /** The legal entities this system holds (the configured ones). */
  get entities(): readonly string[] {
    return Object.keys(this.options.companies);
  }

  private async all(): Promise<Company[]> {
    this.companies ??= this.loadCompanies().catch((error: unknown) => {
      this.companies = undefined;
      throw error;
    });
    return [...(await this.companies).values()];
  }

  private async loadCompanies(): Promise<Map<string, Company>> {
    const rows = await this.client.list('companies');
    const out = new Map<string, Company>();
    for (const [entity, wanted] of Object.entries(this.options.companies)) {
      const record = rows.find((c) => [t.text(c, 'id'), t.text(c, 'name'), t.text(c, 'displayName')].includes(wanted));
      if (record === undefined)
        throw new LedgerlinkError(
          'LL_ERR_CONFIG_INVALID',
          `Business Central has no company "${wanted}" (legal entity ${entity})`,
          {
            details: [{ path: `companies.${entity}`, message: 'no such company' }],
          },
        );
      const path = `companies(${t.text(record, 'id')})`;
      const [information] = await this.client.list(`${path}/companyInformation`);
      out.set(entity, {
        entity,
        path,
        record,
        information,
        currency: information === undefined ? '' : t.text(information, 'currencyCode'),
      });
    }
    return out;
  }

  private async company(entity: string): Promise<Company> {
    const found = (await this.all()).find((c) => c.entity === entity);
    if (found === undefined)
      throw new LedgerlinkError(
        'LL_ERR_VALIDATION',
        `Legal entity ${entity} is not a Business Central company of this system`,
        {
          details: [{ path: 'companyCode', message: entity }],
        },
      );
    return found;
  }

  checkContract(): Promise<readonly ContractFinding[]> {
    return checkBcContract(this.client, this.options.companies);
  }

  async readMasterData(since: string | null): Promise<MasterDataSnapshot> {
    const changed = since === null ? undefined : `lastModifiedDateTime ge ${new Date(since).toISOString()}`;
    const snapshot = { legalEntities: [], glAccounts: [], costCenters: [], projects: [], taxCodes: [] } as {
      [K in keyof Omit<MasterDataSnapshot, 'newestChangeAt'>]: MasterDataSnapshot[K][number][];
    };
    const read: JsonObject[] = [];
    for (const company of await this.all()) {
      snapshot.legalEntities.push(t.legalEntity(company.entity, company.record, company.information));
      const accounts = await this.client.list(`${company.path}/accounts`, changed);
      const dimensions = await this.client.list(`${company.path}/dimensions`);
      const values = await this.client.list(`${company.path}/dimensionValues`, changed);
      const taxGroups = await this.client.list(`${company.path}/taxGroups`, changed);
      read.push(...accounts, ...values, ...taxGroups);
      const idOf = (code: string): string | undefined =>
        dimensions.find((d) => t.text(d, 'code') === code)?.['id'] as string | undefined;
      const [costCenterId, projectId] = [idOf(this.dims.costCenter), idOf(this.dims.project)];
      snapshot.glAccounts.push(...accounts.map((a) => t.glAccount(company.entity, a)));
      for (const value of values) {
        const dimensionId = t.text(value, 'dimensionId');
        if (dimensionId === costCenterId) snapshot.costCenters.push(t.costCenter(company.entity, value));
        else if (dimensionId === projectId) snapshot.projects.push(t.project(company.entity, value));
      }
      const country = company.information === undefined ? '' : t.text(company.information, 'country');
      snapshot.taxCodes.push(
        ...taxGroups.map((g) => t.taxCode(company.entity, country, g, this.options.taxRates ?? {})),
      );
    }
    const newest = t.newestOf(read);
    return { ...snapshot, ...(newest === undefined ? {} : { newestChangeAt: newest }) };
  }

  private async vendorsWhere(filter: string | undefined): Promise<ErpVendor[]> {
    const out: ErpVendor[] = [];
    for (const company of await this.all())
      out.push(
        ...(await this.client.list(`${company.path}/vendors`, filter)).map((v) => ({
          ...t.erpVendor(company.entity, v),
          version: `${company.path}@${t.text(v, '@odata.etag')}`,
        })),
      );
    return mergeVendors(out);
  }

  async findVendors(query: VendorQuery): Promise<ErpVendor[]> {
    // Vendor bank accounts are not in API v2.0: a search by IBAN finds nothing.
    if (query.iban !== undefined) return [];
    const clauses = [
      ...(query.vendorId === undefined ? [] : [`number eq ${t.quote(t.code20(query.vendorId))}`]),
      ...(query.reference === undefined ? [] : [`number eq ${t.quote(t.code20(query.reference))}`]),
      ...(query.taxNumber === undefined ? [] : [`taxRegistrationNumber eq ${t.quote(query.taxNumber)}`]),
      ...(query.name === undefined ? [] : [`contains(displayName,${t.quote(query.name)})`]),
    ];
    const found = await this.vendorsWhere(clauses.length === 0 ? undefined : clauses.join(' and '));
    // Our reference as the flows gave it, when the (upper case) vendor number is that reference.
    const reference = query.reference;
    return reference === undefined
      ? found
      : found.map((v) => (v.vendorId === t.code20(reference) ? { ...v, reference } : v));
  }

  vendorsChangedSince(since: string | null): Promise<ErpVendor[]> {
    return this.vendorsWhere(since === null ? undefined : `lastModifiedDateTime ge ${new Date(since).toISOString()}`);
  }

  async createVendor(vendor: NewVendor): Promise<string> {
    const number = t.code20(vendor.reference);
    const entities = vendor.companyCodes.map((c) => c.companyCode).filter((c) => this.entities.includes(c));
    if (entities.length === 0)
      throw new LedgerlinkError(
        'LL_ERR_VALIDATION',
        `Vendor ${vendor.reference} names no legal entity of this Business Central system`,
        {
          details: [{ path: 'companyCodes', message: vendor.companyCodes.map((c) => c.companyCode).join(', ') }],
        },
      );
    for (const entity of entities) {
      const company = await this.company(entity);
      const [existing] = await this.client.list(`${company.path}/vendors`, `number eq ${t.quote(number)}`);
      if (existing === undefined) await this.client.post(`${company.path}/vendors`, vendorBody(number, vendor));
    }
    return number;
  }

  async updateVendor(vendorId: string, changes: VendorChanges, version: string): Promise<string | undefined> {
    const current = (await this.findVendors({ vendorId }))[0];
    if (current === undefined)
      throw new LedgerlinkError('LL_ERR_REMOTE_REJECTED', `Business Central has no vendor ${vendorId}`);
    const expected = versionsOf(version);
    const versions: string[] = [];
    for (const [path, etag] of versionsOf(current.version ?? '')) {
      const sent = version === '*' ? '*' : expected.get(path);
      if (sent === undefined || (sent !== '*' && sent !== etag))
        throw new LedgerlinkError(
          'LL_ERR_REMOTE_REJECTED',
          `Vendor ${vendorId} was changed in Business Central since it was read; read it again`,
        );
      const [row] = await this.client.list(`${path}/vendors`, `number eq ${t.quote(vendorId)}`);
      if (row === undefined) continue;
      const patched = await this.client.patch(
        `${path}/vendors(${t.text(row, 'id')})`,
        t.body({
          displayName: changes.name?.slice(0, 100),
          blocked: changes.blocked === undefined ? undefined : changes.blocked ? 'All' : ' ',
          number: changes.reference === undefined ? undefined : t.code20(changes.reference),
        }),
        sent,
      );
      versions.push(`${path}@${t.text(patched, '@odata.etag')}`);
    }
    return versions.join('|');
  }

  async postSupplierInvoice(invoice: ErpSupplierInvoice): Promise<ErpDocumentRef> {
    return postings.postSupplierInvoice(this.client, await this.company(invoice.companyCode), invoice, this.dims);
  }

  async postJournalEntry(entry: ErpJournalEntry): Promise<ErpDocumentRef> {
    return postings.postJournalEntry(this.client, await this.company(entry.companyCode), entry, this.dims);
  }

  async findDocumentByReference(
    kind: ErpDocumentRef['kind'],
    reference: string,
    scope: { companyCode: string; vendorId?: string },
  ): Promise<ErpDocumentRef | null> {
    const company = await this.company(scope.companyCode);
    if (kind === 'journal_entry') return postings.findJournalEntry(this.client, company, reference);
    const posted = (await postings.invoicesWithReference(this.client, company, reference, scope.vendorId)).find(
      (i) => !postings.isDraft(i),
    );
    return posted === undefined ? null : postings.invoiceRef(company, posted);
  }

  async linkAttachments(targets: readonly ErpAttachmentTarget[]): Promise<ErpAttachment[][]> {
    return attachments.linkAttachments(this.client, (entity) => this.company(entity), targets);
  }

  async listAttachments(document: ErpDocumentRef): Promise<ErpAttachment[]> {
    return attachments.listAttachments(this.client, await this.company(document.companyCode), document);
  }

  /**
   * Payables closed on or after the date: vendor ledger entries of invoices and journal postings
   * (credit amounts) that are no longer open. API v2.0 publishes neither the closing entry nor its
   * date: the clearing date is the entry's last change, the clearing document its entry number.
   */
  async readPaymentStatus(sinceDate: string): Promise<PaymentStatus[]> {
    const out: PaymentStatus[] = [];
    for (const company of await this.all()) {
      const rows = await this.client.list(
        `${company.path}/vendorLedgerEntries`,
        `open eq false and lastModifiedDateTime ge ${sinceDate}T00:00:00Z`,
      );
      for (const row of rows) {
        const amount = new Decimal(t.amountOf(row, 'amount'));
        const currency = t.text(row, 'currencyCode') || company.currency;
        if (!amount.isNegative() || t.text(row, 'documentType') === 'Payment') continue;
        out.push({
          companyCode: company.entity,
          fiscalYear: t.text(row, 'postingDate').slice(0, 4),
          accountingDocument: t.text(row, 'documentNumber'),
          reference: t.text(row, 'externalDocumentNumber'),
          vendorId: t.text(row, 'vendorNumber'),
          amount: { amount: formatAmount(amount.negated().toString(), currency), currency },
          clearingDocument: `VLE ${t.text(row, 'entryNumber')}`,
          clearingDate: t.text(row, 'lastModifiedDateTime').slice(0, 10),
        });
      }
    }
    return out;
  }
}
