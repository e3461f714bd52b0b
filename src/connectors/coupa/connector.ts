/**
 * The Coupa connector: ProcurementPort over the Coupa Core API, following the R39 contract facts
 * (coupa-contract-facts.ts). Suppliers are read incrementally with `updated-at[gt_or_eq]`, their bank
 * accounts from their supplier information; invoices with `status=approved&exported=false`, marked
 * after the ERP accepted them with the special action `PUT /api/invoices/:id?exported=true`, and
 * marked paid (`paid`, `payment-date`) when the ERP cleared them; dimensions are published as
 * accounts and lookup values (found by their code or `external-ref-num`, updated only when they
 * differ, deactivated, never deleted); outcomes go to integration history records, errors with an
 * alert (`create_alert`).
 */
import { JsonNumber, ownValue, type JsonObject } from '../../canonical/strict-json.js';
import type { GoodsReceipt, PurchaseOrder, SupplierInvoice } from '../../canonical/model/index.js';
import type {
  DimensionValue,
  HeldDimensionValue,
  IntegrationRecord,
  IntegrationRecordKind,
  ProcurementInvoice,
  ProcurementPort,
  ProcurementSupplier,
  PublishDimensionsResult,
} from '../ports/procurement-port.js';
import { CoupaClient, type CoupaClientOptions } from './client.js';
import { toHeldAccount, toHeldLookupValue } from './dimensions.js';
import { carriesReference, integrationBody } from './integration-records.js';
import { optText, text, toPurchaseOrder, toReceipt, toSupplier } from './translate.js';
import { toInvoice, toProcurementInvoice } from './translate-invoice.js';
import type { ContractCheckable, ContractFinding } from '../ports/contract-check.js';
import { checkCoupaContract } from './contract-check.js';

export interface CoupaConnectorOptions extends CoupaClientOptions {
  /** The configured system name used in refs. Default `procurement`. */
  readonly system?: string;
}

/** Ids per `id[in]=` filter, to keep URLs short. */
const IDS_PER_QUERY = 40;

export class CoupaConnector implements ProcurementPort, ContractCheckable {
  readonly client: CoupaClient;
  private readonly system: string;

  constructor(options: CoupaConnectorOptions) {
    this.client = new CoupaClient(options);
    this.system = options.system ?? 'procurement';
  }

  /** Read-only check of the tenant against coupa-contract-facts.ts (token scopes, one record per collection read). */
  checkContract(signal?: AbortSignal): Promise<ContractFinding[]> {
    return checkCoupaContract(this.client, signal);
  }

  async approvedSuppliersChangedSince(since: string): Promise<ProcurementSupplier[]> {
    const records = await this.client.listAll('suppliers', { status: 'active', 'updated-at[gt_or_eq]': since });
    return this.withBankAccounts(records);
  }

  async supplierById(supplierId: string): Promise<ProcurementSupplier | null> {
    const [record] = await this.client.list('suppliers', { id: supplierId, limit: 1 });
    return record === undefined ? null : ((await this.withBankAccounts([record]))[0] ?? null);
  }

  /** Suppliers with their supplier information records, where R39 keeps the bank accounts. */
  private async withBankAccounts(records: readonly JsonObject[]): Promise<ProcurementSupplier[]> {
    const ids = records.map((record) => text(record, 'id'));
    const bySupplier = new Map<string, JsonObject[]>();
    for (const information of await this.inBatches('supplier_information', 'supplier-id[in]', ids)) {
      const supplierId = optText(information, 'supplier-id');
      if (supplierId !== undefined) bySupplier.set(supplierId, [...(bySupplier.get(supplierId) ?? []), information]);
    }
    return records.map((record) => toSupplier(record, this.system, bySupplier.get(text(record, 'id')) ?? []));
  }

  async writeBackVendorNumber(supplierId: string, erpVendorNumber: string): Promise<void> {
    await this.client.put('suppliers', supplierId, { number: erpVendorNumber }, { return_object: 'limited' });
  }

  async approvedUnexportedInvoices(): Promise<SupplierInvoice[]> {
    // Pages are read before anything is marked, so marking cannot shift the offsets under us.
    return (await this.invoicesToExport()).map((found) => found.invoice);
  }

  async invoicesToExport(changedSince?: string): Promise<ProcurementInvoice[]> {
    const records = await this.client.listAll('invoices', {
      status: 'approved',
      exported: false,
      'updated-at[gt_or_eq]': changedSince,
    });
    const lineNumbers = await this.orderLineNumbers(records);
    return records.map((record) => toProcurementInvoice(record, this.system, lineNumbers));
  }

  async invoiceById(invoiceId: string): Promise<ProcurementInvoice | null> {
    const [record] = await this.client.list('invoices', { id: invoiceId, limit: 1 });
    return record === undefined
      ? null
      : toProcurementInvoice(record, this.system, await this.orderLineNumbers([record]));
  }

  /** PO line numbers by order line id, for invoice lines that name only the `order-line-id`. */
  private async orderLineNumbers(
    invoices: readonly JsonObject[],
  ): Promise<(orderLineId: string) => number | undefined> {
    const numbers = new Set<string>();
    for (const invoice of invoices) {
      const lines = ownValue(invoice, 'invoice-lines');
      for (const line of Array.isArray(lines) ? lines : []) {
        const l = line as JsonObject;
        const po = optText(l, 'po-number');
        if (po !== undefined && optText(l, 'order-line-num') === undefined && optText(l, 'order-line-id') !== undefined)
          numbers.add(po);
      }
    }
    const byId = new Map<string, number>();
    for (const order of numbers.size === 0
      ? []
      : await this.inBatches('purchase_orders', 'po-number[in]', [...numbers])) {
      const lines = ownValue(order, 'order-lines');
      for (const line of Array.isArray(lines) ? lines : []) {
        const id = optText(line as JsonObject, 'id');
        const num = optText(line as JsonObject, 'line-num');
        if (id !== undefined && num !== undefined && /^\d{1,6}$/.test(num)) byId.set(id, Number(num));
      }
    }
    return (orderLineId) => byId.get(orderLineId);
  }

  async approvedInvoicesDated(from: string, to: string): Promise<SupplierInvoice[]> {
    const records = await this.client.listAll('invoices', {
      status: 'approved',
      'invoice-date[gt_or_eq]': from,
      'invoice-date[lt_or_eq]': to,
    });
    return records.map((record) => toInvoice(record, this.system));
  }

  async markInvoiceExported(invoiceId: string): Promise<void> {
    await this.client.put('invoices', invoiceId, {}, { exported: true, return_object: 'limited' });
  }

  /**
   * `paid` and `payment-date` are writable on the invoice (R39 InvoiceHeader; "In" on Compass 0205);
   * the ERP guide's own write-back samples are not in the archived page.
   */
  async markInvoicePaid(invoiceId: string, paidOn: string): Promise<void> {
    await this.client.put(
      'invoices',
      invoiceId,
      { paid: true, 'payment-date': `${paidOn}T00:00:00Z` },
      { return_object: 'limited' },
    );
  }

  async purchaseOrders(numbers: readonly string[]): Promise<PurchaseOrder[]> {
    const records = await this.inBatches('purchase_orders', 'po-number[in]', numbers);
    return records.map((record) => toPurchaseOrder(record, this.system));
  }

  async receipts(purchaseOrderIds: readonly string[]): Promise<GoodsReceipt[]> {
    const orders = await this.inBatches('purchase_orders', 'id[in]', purchaseOrderIds);
    const companyOf = new Map(
      orders.map((record) => [text(record, 'id'), toPurchaseOrder(record, this.system).companyCode]),
    );
    const receipts = await this.inBatches(
      'receiving_transactions',
      'order-line[order-header-id][in]',
      purchaseOrderIds,
    );
    return receipts.flatMap((record) => {
      const order = optText(record['order-line'] as JsonObject | undefined, 'order-header-id');
      const companyCode = order === undefined ? undefined : companyOf.get(order);
      return companyCode === undefined ? [] : [toReceipt(record, companyCode, this.system)];
    });
  }

  async publishDimensions(values: readonly DimensionValue[]): Promise<PublishDimensionsResult> {
    const result = { created: 0, updated: 0, deactivated: 0, unchanged: 0 };
    for (const value of values) {
      const outcome =
        value.kind === 'account' ? await this.publishAccount(value) : await this.publishLookupValue(value);
      result[outcome]++;
    }
    return result;
  }

  async listDimensions(): Promise<HeldDimensionValue[]> {
    const [accounts, values] = await Promise.all([
      this.client.listAll('accounts'),
      this.client.listAll('lookup_values'),
    ]);
    return [...accounts.map(toHeldAccount), ...values.map(toHeldLookupValue)];
  }

  async openPurchaseOrders(): Promise<PurchaseOrder[]> {
    const records = await this.client.listAll('purchase_orders', { status: 'issued' });
    return records.map((record) => toPurchaseOrder(record, this.system));
  }

  async recordIntegrationHistory(record: IntegrationRecord): Promise<string> {
    return text(await this.client.post('integration_history_records', integrationBody(record, 'history')), 'id');
  }

  /**
   * An error is a history record created with an alert to the integration's contacts (Option 2 of
   * Compass "Invoices Integration into your ERP"): an integration error proper needs an integration
   * run (`integration-run` is required, R39 Core IntegrationError and Compass "Integration Error API").
   */
  async recordIntegrationError(record: IntegrationRecord): Promise<string> {
    return text(
      await this.client.post('integration_history_records/create_alert', integrationBody(record, 'error')),
      'id',
    );
  }

  async findIntegrationRecord(
    kind: IntegrationRecordKind,
    documentType: string,
    documentId: string,
    reference: string,
  ): Promise<string | null> {
    // Both kinds are history records (recordIntegrationError); the kind is in our reference's response code.
    const records = await this.client.listAll('integration_history_records', {
      'document-type': documentType,
      'document-id': documentId,
    });
    const found = records.find((record) => carriesReference(record, kind, reference));
    return found === undefined ? null : text(found, 'id');
  }

  private async publishAccount(
    value: Extract<DimensionValue, { kind: 'account' }>,
  ): Promise<keyof PublishDimensionsResult> {
    const code = value.segments.join('-');
    const [existing] = await this.client.list('accounts', {
      code,
      'account-type[name]': value.chartOfAccounts,
      limit: 1,
    });
    const body: JsonObject = {
      name: value.name,
      active: value.active,
      'account-type': { name: value.chartOfAccounts },
    };
    value.segments.forEach((segment, index) => (body[`segment-${index + 1}`] = segment));
    return this.upsert('accounts', existing, body, value.active, ['name']);
  }

  private async publishLookupValue(
    value: Extract<DimensionValue, { kind: 'lookup_value' }>,
  ): Promise<keyof PublishDimensionsResult> {
    // `external-ref-code` is computed by Coupa (read-only in R39 LookupValue): values are found and
    // written by `external-ref-num`.
    const [existing] = await this.client.list('lookup_values', {
      'external-ref-num': value.code,
      'lookup[name]': value.lookup,
      limit: 1,
    });
    const body: JsonObject = {
      name: value.name,
      'external-ref-num': value.code,
      active: value.active,
      lookup: { name: value.lookup },
    };
    if (value.parentCode !== undefined) {
      const [parent] = await this.client.list('lookup_values', {
        'external-ref-num': value.parentCode,
        'lookup[name]': value.lookup,
        limit: 1,
      });
      if (parent !== undefined) body['parent'] = { id: new JsonNumber(text(parent, 'id')) };
    }
    return this.upsert('lookup_values', existing, body, value.active, ['name']);
  }

  /** Creates a value that is missing (unless it is to be inactive), or updates one that differs. */
  private async upsert(
    resource: string,
    existing: JsonObject | undefined,
    body: JsonObject,
    active: boolean,
    compared: readonly string[],
  ): Promise<keyof PublishDimensionsResult> {
    if (existing === undefined) {
      if (!active) return 'unchanged';
      await this.client.post(resource, body);
      return 'created';
    }
    const wasActive = existing['active'] !== false;
    const differs = wasActive !== active || compared.some((key) => optText(existing, key) !== optText(body, key));
    if (!differs) return 'unchanged';
    await this.client.put(resource, text(existing, 'id'), body, { return_object: 'limited' });
    return wasActive && !active ? 'deactivated' : 'updated';
  }

  private async inBatches(resource: string, filter: string, keys: readonly string[]): Promise<JsonObject[]> {
    const out: JsonObject[] = [];
    for (let start = 0; start < keys.length; start += IDS_PER_QUERY) {
      out.push(
        ...(await this.client.listAll(resource, { [filter]: keys.slice(start, start + IDS_PER_QUERY).join(',') })),
      );
    }
    return out;
  }
}
