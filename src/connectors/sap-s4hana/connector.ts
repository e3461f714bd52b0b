/**
 * The SAP S/4HANA Cloud connector: ErpPort over the OData v2 services and the journal entry SOAP
 * service of a communication arrangement, with the entity sets, properties and elements their published
 * metadata has (contract-facts/). A journal entry answered with severity 3 in its log is a rejection (a
 * closed period is a validation error), whatever the HTTP status said. Posted items (journal entry
 * lookup, cleared vendor items, cost object actuals) are read from `A_OperationalAcctgDocItemCube`.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import type {
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
} from '../ports/erp-port.js';
import { linkUrlAttachments, listDocumentAttachments } from './attachments.js';
import { SapClient, type ODataEntity, type SapClientOptions } from './client.js';
import { SUPPLIER_INVOICE_FACTS } from './contract-facts/supplier-invoice-facts.js';
import { JournalEntryPosting } from './journal-entry-posting.js';
import { MasterDataReader } from './master-data-read.js';
import * as t from './translate.js';
import type { ContractCheckable, ContractFinding } from '../ports/contract-check.js';
import { checkSapContract } from './contract-check.js';

const BP = 'API_BUSINESS_PARTNER';
const INVOICE = 'API_SUPPLIERINVOICE_PROCESS_SRV';
const ITEMS = 'API_OPLACCTGDOCITEMCUBE_SRV';
const ITEM_SET = 'A_OperationalAcctgDocItemCube';
const PO_ITEM = SUPPLIER_INVOICE_FACTS.entitySets['A_SuplrInvcItemPurOrdRef']?.properties;
const PO_NUMBER_LENGTH = PO_ITEM?.['PurchaseOrder']?.maxLength ?? 10;
const PO_ITEM_LENGTH = PO_ITEM?.['PurchaseOrderItem']?.maxLength ?? 5;
const VENDOR_EXPAND = 'to_BusinessPartnerBank,to_BusinessPartnerTax,to_Supplier,to_Supplier/to_SupplierCompany';

export class SapS4HanaConnector implements ErpPort, ContractCheckable {
  readonly client: SapClient;

  private readonly masterData: MasterDataReader;
  private readonly journalEntries: JournalEntryPosting;

  constructor(options: SapClientOptions) {
    this.client = new SapClient(options);
    this.masterData = new MasterDataReader(this.client);
    this.journalEntries = new JournalEntryPosting(this.client);
  }

  /** Read-only check of the tenant's `$metadata` against the facts the connector relies on. */
  checkContract(signal?: AbortSignal): Promise<ContractFinding[]> {
    return checkSapContract(this.client, signal);
  }

  async readMasterData(since: string | null): Promise<MasterDataSnapshot> {
    return this.masterData.read(since);
  }

  async findVendors(query: VendorQuery): Promise<ErpVendor[]> {
    const { reference, ...others } = query;
    if (reference !== undefined && Object.values(others).every((v) => v === undefined)) {
      // By our reference alone (an employee vendor per expense report): one read, expanded.
      const partners = await this.client.readAll(BP, 'A_BusinessPartner', {
        $filter: `BusinessPartnerIDByExtSystem eq ${t.quote(reference.slice(0, 20))}`,
        $expand: VENDOR_EXPAND,
      });
      return partners.map(t.vendor);
    }
    const ids = new Set<string>();
    if (query.vendorId !== undefined) ids.add(query.vendorId);
    if (query.taxNumber !== undefined) {
      // A_Supplier's VATRegistration and TaxNumber1..5 mirror the partner's tax numbers.
      for (const x of await this.client.readAll(BP, 'A_BusinessPartnerTaxNumber', {
        $filter: `BPTaxNumber eq ${t.quote(query.taxNumber)}`,
        $select: 'BusinessPartner',
      }))
        ids.add(String(x['BusinessPartner']));
    }
    if (query.iban !== undefined) {
      for (const b of await this.client.readAll(BP, 'A_BusinessPartnerBank', {
        $filter: `IBAN eq ${t.quote(query.iban.replace(/\s/g, '').toUpperCase())}`,
      }))
        ids.add(String(b['BusinessPartner']));
    }
    if (query.name !== undefined) {
      for (const s of await this.client.readAll(BP, 'A_Supplier', {
        $filter: `substringof(${t.quote(query.name)},SupplierName) eq true`,
      }))
        ids.add(String(s['Supplier']));
    }
    if (query.reference !== undefined) {
      const filter = `BusinessPartnerIDByExtSystem eq ${t.quote(query.reference.slice(0, 20))}`;
      for (const p of await this.client.readAll(BP, 'A_BusinessPartner', {
        $filter: filter,
        $select: 'BusinessPartner',
      }))
        ids.add(String(p['BusinessPartner']));
    }
    if (ids.size === 0) return [];
    const filter = [...ids].map((id) => `BusinessPartner eq ${t.quote(id)}`).join(' or ');
    const partners = await this.client.readAll(BP, 'A_BusinessPartner', { $filter: filter, $expand: VENDOR_EXPAND });
    return partners.map(t.vendor);
  }

  /** Business partners with supplier data changed on or after the day of `since` (LastChangeDate is a date). */
  async vendorsChangedSince(since: string | null): Promise<ErpVendor[]> {
    const changed =
      since === null ? '' : ` and LastChangeDate ge datetime'${new Date(since).toISOString().slice(0, 10)}T00:00:00'`;
    const partners = await this.client.readAll(BP, 'A_BusinessPartner', {
      $filter: `Supplier ne ''${changed}`,
      $expand: VENDOR_EXPAND,
    });
    return partners.map(t.vendor);
  }

  async createVendor(vendor: NewVendor): Promise<string> {
    const d = await this.client.create(BP, 'A_BusinessPartner', t.newVendorBody(vendor));
    return String(d['BusinessPartner']);
  }

  async postSupplierInvoice(invoice: ErpSupplierInvoice): Promise<ErpDocumentRef> {
    if (invoice.reference.length === 0 || invoice.reference.length > 16) {
      throw new LedgerlinkError('LL_ERR_VALIDATION', 'the supplier invoice reference must have 1 to 16 characters', {
        details: [{ message: invoice.reference, path: 'reference' }],
      });
    }
    for (const [index, line] of invoice.lines.entries()) {
      const po = line.purchaseOrder;
      if (
        po !== undefined &&
        (po.purchaseOrder.length > PO_NUMBER_LENGTH || po.purchaseOrderItem.length > PO_ITEM_LENGTH)
      )
        throw new LedgerlinkError(
          'LL_ERR_VALIDATION',
          `purchase order ${po.purchaseOrder} item ${po.purchaseOrderItem} is longer than SAP's ${PO_NUMBER_LENGTH} and ${PO_ITEM_LENGTH} characters: map it to the ERP's order number`,
          {
            details: [{ message: `${po.purchaseOrder}/${po.purchaseOrderItem}`, path: `lines/${index}/purchaseOrder` }],
          },
        );
    }
    const [d = {}] = await this.client.write(INVOICE, [
      { method: 'POST', path: 'A_SupplierInvoice', json: t.supplierInvoiceBody(invoice) },
    ]);
    return {
      kind: 'supplier_invoice',
      documentId: String(d['SupplierInvoice']),
      fiscalYear: String(d['FiscalYear']),
      companyCode: invoice.companyCode,
    };
  }

  postJournalEntry(entry: ErpJournalEntry): Promise<ErpDocumentRef> {
    return this.journalEntries.post(entry);
  }

  async findDocumentByReference(
    kind: ErpDocumentRef['kind'],
    reference: string,
    scope: { companyCode: string; vendorId?: string },
  ): Promise<ErpDocumentRef | null> {
    if (kind === 'supplier_invoice') {
      const filter = `SupplierInvoiceIDByInvcgParty eq ${t.quote(reference)} and CompanyCode eq ${t.quote(scope.companyCode)}${scope.vendorId === undefined ? '' : ` and InvoicingParty eq ${t.quote(scope.vendorId)}`}`;
      const found = (await this.client.readAll(INVOICE, 'A_SupplierInvoice', { $filter: filter, $top: '1' }))[0];
      return found === undefined
        ? null
        : {
            kind,
            documentId: String(found['SupplierInvoice']),
            fiscalYear: String(found['FiscalYear']),
            companyCode: String(found['CompanyCode']),
          };
    }
    const filter = `DocumentReferenceID eq ${t.quote(reference)} and CompanyCode eq ${t.quote(scope.companyCode)}`;
    const found = (
      await this.client.readAll(ITEMS, ITEM_SET, {
        $filter: filter,
        $select: 'CompanyCode,FiscalYear,AccountingDocument',
        $top: '1',
      })
    )[0];
    return found === undefined
      ? null
      : {
          kind,
          documentId: String(found['AccountingDocument']),
          fiscalYear: String(found['FiscalYear']),
          companyCode: String(found['CompanyCode']),
        };
  }

  /**
   * `CreateUrlAsAttachment` of the attachment service on the document's business object (BUS2081 or
   * BKPF); several links, of one document or several, in one `$batch` change set.
   */
  async linkAttachments(targets: readonly ErpAttachmentTarget[]): Promise<ErpAttachment[][]> {
    return linkUrlAttachments(this.client, targets);
  }

  /** `GetAllOriginals` of the attachment service for the document's business object. */
  async listAttachments(document: ErpDocumentRef): Promise<ErpAttachment[]> {
    return listDocumentAttachments(this.client, document);
  }

  /** Cleared vendor items (account type K) of `A_OperationalAcctgDocItemCube` cleared on or after the day. */
  async readPaymentStatus(sinceDate: string): Promise<PaymentStatus[]> {
    const items = await this.client.readAll(ITEMS, ITEM_SET, {
      $filter: `FinancialAccountType eq 'K' and IsCleared eq true and ClearingDate ge datetime'${sinceDate}T00:00:00'`,
    });
    return items.filter((i: ODataEntity) => i['ClearingAccountingDocument'] !== '').map(t.paymentStatus);
  }

  /**
   * G/L items (account type S) on a cost center or WBS element, from `A_OperationalAcctgDocItemCube`.
   * The items carry the WBS element's internal ID only; the projects read maps it to the element's ID.
   */
  async readCostObjectPostings(companyCode: string, fiscalYear: number): Promise<CostObjectPosting[]> {
    const [items, projects] = await Promise.all([
      this.client.readAll(ITEMS, ITEM_SET, {
        $filter: `CompanyCode eq ${t.quote(companyCode)} and FiscalYear eq ${t.quote(String(fiscalYear))} and FinancialAccountType eq 'S'`,
      }),
      this.client.readAll('API_ENTERPRISE_PROJECT_SRV;v=0002', 'A_EnterpriseProject', {
        $expand: 'to_EnterpriseProjectElement',
      }),
    ]);
    const wbsElements = new Map<string, string>();
    for (const project of projects)
      for (const element of (project['to_EnterpriseProjectElement'] as { results?: ODataEntity[] } | null)?.results ??
        [])
        wbsElements.set(String(element['WBSElementInternalID']), String(element['ProjectElement']));
    return items.flatMap((i: ODataEntity) => {
      const posting = t.costObjectPosting(i, wbsElements);
      return posting === undefined ? [] : [posting];
    });
  }

  /** PATCH of the business partner with If-Match: the ETag read; a stale one is SAP's 412, a rejection. */
  async updateVendor(vendorId: string, changes: VendorChanges, version: string): Promise<string | undefined> {
    return this.client.update(BP, `A_BusinessPartner(${t.quote(vendorId)})`, version, t.vendorChangesBody(changes));
  }
}
