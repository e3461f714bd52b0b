/**
 * One ERP port over several ERPs, each holding some legal entities (company codes): the flows keep
 * seeing one ERP. A call about a document or a company code goes to the system holding that entity;
 * reads that span entities (master data, vendors, payment status) ask every system and merge, each
 * system's answer kept to the entities it holds. An entity no system names belongs to the first
 * configured ERP (the default). Vendors are remembered by number with the system that answered, so
 * an update reaches the ERP the vendor was read from.
 */
import { LedgerlinkError } from '../canonical/errors.js';
import type {
  ContractCheckable,
  ContractFinding,
  CostObjectPosting,
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
} from '../connectors/port.js';

export interface RoutedErp {
  readonly system: string;
  readonly port: ErpPort;
  /** The legal entities it holds; undefined: every entity no other ERP names (the default ERP). */
  readonly entities?: readonly string[];
}

export class ErpRouter implements ErpPort, ContractCheckable {
  private readonly vendorOwners = new Map<string, RoutedErp>();

  constructor(private readonly erps: readonly RoutedErp[]) {
    if (erps.length === 0) throw new RangeError('an ERP router needs at least one ERP');
  }

  /** The ERP holding the legal entity. */
  ownerOf(entity: string): RoutedErp {
    return (
      this.erps.find((e) => e.entities?.includes(entity) === true) ??
      this.erps.find((e) => e.entities === undefined) ??
      this.erps[0]!
    );
  }

  private holds(erp: RoutedErp, entity: string): boolean {
    return this.ownerOf(entity) === erp;
  }

  async readMasterData(since: string | null): Promise<MasterDataSnapshot> {
    const reads = await Promise.all(
      this.erps.map(async (erp) => ({ erp, read: await erp.port.readMasterData(since) })),
    );
    const keep = <T extends { companyCode: string }>(erp: RoutedErp, list: readonly T[]): T[] =>
      list.filter((x) => this.holds(erp, x.companyCode));
    const newest = reads.map((r) => r.read.newestChangeAt).filter((x): x is string => x !== undefined);
    // The oldest of the systems' newest changes: no system's change is skipped by the next read.
    const oldestNewest = newest.sort((a, b) => Date.parse(a) - Date.parse(b))[0];
    return {
      legalEntities: reads.flatMap(({ erp, read }) => keep(erp, read.legalEntities)),
      glAccounts: reads.flatMap(({ erp, read }) => keep(erp, read.glAccounts)),
      costCenters: reads.flatMap(({ erp, read }) => keep(erp, read.costCenters)),
      projects: reads.flatMap(({ erp, read }) => keep(erp, read.projects)),
      taxCodes: reads.flatMap(({ erp, read }) => keep(erp, read.taxCodes)),
      ...(oldestNewest === undefined ? {} : { newestChangeAt: oldestNewest }),
    };
  }

  private remember(erp: RoutedErp, vendors: readonly ErpVendor[]): ErpVendor[] {
    const out: ErpVendor[] = [];
    for (const vendor of vendors) {
      const companyCodes = vendor.companyCodes.filter((c) => this.holds(erp, c));
      if (vendor.companyCodes.length > 0 && companyCodes.length === 0) continue;
      this.vendorOwners.set(vendor.vendorId, erp);
      out.push({ ...vendor, companyCodes });
    }
    return out;
  }

  async findVendors(query: VendorQuery): Promise<ErpVendor[]> {
    const found = await Promise.all(
      this.erps.map(async (erp) => this.remember(erp, await erp.port.findVendors(query))),
    );
    return found.flat();
  }

  async vendorsChangedSince(since: string | null): Promise<ErpVendor[]> {
    const found = await Promise.all(
      this.erps.map(async (erp) => this.remember(erp, await erp.port.vendorsChangedSince(since))),
    );
    return found.flat();
  }

  /** Created in each ERP holding one of its legal entities; answers the first ERP's vendor number. */
  async createVendor(vendor: NewVendor): Promise<string> {
    const byErp = new Map<RoutedErp, NewVendor['companyCodes'][number][]>();
    for (const code of vendor.companyCodes) {
      const erp = this.ownerOf(code.companyCode);
      byErp.set(erp, [...(byErp.get(erp) ?? []), code]);
    }
    if (byErp.size === 0) byErp.set(this.erps[0]!, []);
    let first: string | undefined;
    for (const [erp, companyCodes] of byErp) {
      const id = await erp.port.createVendor({ ...vendor, companyCodes });
      this.vendorOwners.set(id, erp);
      first ??= id;
    }
    return first!;
  }

  async updateVendor(vendorId: string, changes: VendorChanges, version: string): Promise<string | undefined> {
    let owner = this.vendorOwners.get(vendorId);
    if (owner === undefined) {
      await this.findVendors({ vendorId });
      owner = this.vendorOwners.get(vendorId);
    }
    if (owner === undefined) throw new LedgerlinkError('LL_ERR_REMOTE_REJECTED', `No ERP has vendor ${vendorId}`);
    return owner.port.updateVendor(vendorId, changes, version);
  }

  postSupplierInvoice(invoice: ErpSupplierInvoice): Promise<ErpDocumentRef> {
    return this.ownerOf(invoice.companyCode).port.postSupplierInvoice(invoice);
  }

  postJournalEntry(entry: ErpJournalEntry): Promise<ErpDocumentRef> {
    return this.ownerOf(entry.companyCode).port.postJournalEntry(entry);
  }

  private cannotReverse(erp: RoutedErp, invoice: ErpDocumentRef): LedgerlinkError {
    return new LedgerlinkError(
      'LL_ERR_VALIDATION',
      `${erp.system} cannot reverse supplier invoice ${invoice.documentId}/${invoice.fiscalYear} through its API; reverse it in the ERP, then resolve this exception`,
      { details: [{ path: 'erpDocuments', message: 'no reversal in the ERP connector' }] },
    );
  }

  async reverseSupplierInvoice(invoice: ErpDocumentRef, postingDate: string, reason: string): Promise<ErpDocumentRef> {
    const erp = this.ownerOf(invoice.companyCode);
    if (erp.port.reverseSupplierInvoice === undefined) throw this.cannotReverse(erp, invoice);
    return erp.port.reverseSupplierInvoice(invoice, postingDate, reason);
  }

  async reversalOf(invoice: ErpDocumentRef): Promise<ErpDocumentRef | null> {
    const erp = this.ownerOf(invoice.companyCode);
    if (erp.port.reversalOf === undefined) throw this.cannotReverse(erp, invoice);
    return erp.port.reversalOf(invoice);
  }

  findDocumentByReference(
    kind: ErpDocumentRef['kind'],
    reference: string,
    scope: { companyCode: string; vendorId?: string },
  ): Promise<ErpDocumentRef | null> {
    return this.ownerOf(scope.companyCode).port.findDocumentByReference(kind, reference, scope);
  }

  /** Each ERP's targets in one call (all or none within an ERP), answered in the targets' order. */
  async linkAttachments(targets: readonly ErpAttachmentTarget[]): Promise<ErpAttachment[][]> {
    const out: ErpAttachment[][] = new Array<ErpAttachment[]>(targets.length);
    const byErp = new Map<RoutedErp, number[]>();
    targets.forEach((t, i) => {
      const erp = this.ownerOf(t.document.companyCode);
      byErp.set(erp, [...(byErp.get(erp) ?? []), i]);
    });
    for (const [erp, indexes] of byErp) {
      const linked = await erp.port.linkAttachments(indexes.map((i) => targets[i]!));
      indexes.forEach((i, n) => (out[i] = linked[n] ?? []));
    }
    return out;
  }

  listAttachments(document: ErpDocumentRef): Promise<ErpAttachment[]> {
    return this.ownerOf(document.companyCode).port.listAttachments(document);
  }

  async readPaymentStatus(sinceDate: string): Promise<PaymentStatus[]> {
    const read = await Promise.all(
      this.erps.map(async (erp) =>
        (await erp.port.readPaymentStatus(sinceDate)).filter((p) => this.holds(erp, p.companyCode)),
      ),
    );
    return read.flat();
  }

  checkContract(signal?: AbortSignal): Promise<readonly ContractFinding[]> {
    return checkRoutedContracts(this.erps, signal);
  }

  async readCostObjectPostings(companyCode: string, fiscalYear: number): Promise<CostObjectPosting[]> {
    const erp = this.ownerOf(companyCode);
    return erp.port.readCostObjectPostings === undefined
      ? []
      : erp.port.readCostObjectPostings(companyCode, fiscalYear);
  }
}

/** `ledgerlink connectors check` on a routed ERP: each ERP's own check, its findings named by system. */
export async function checkRoutedContracts(
  erps: readonly RoutedErp[],
  signal?: AbortSignal,
): Promise<readonly ContractFinding[]> {
  const out: ContractFinding[] = [];
  for (const erp of erps) {
    const port = erp.port as Partial<ContractCheckable>;
    if (typeof port.checkContract !== 'function') {
      out.push({ check: `${erp.system}: contract check`, ok: false, detail: `${erp.system} has no contract check` });
      continue;
    }
    for (const finding of await port.checkContract.call(erp.port, signal))
      out.push({ ...finding, check: `${erp.system}: ${finding.check}` });
  }
  return out;
}
