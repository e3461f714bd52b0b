/**
 * What the ERP simulator holds: the estate, created business partners, supplier invoices and journal
 * entries (as operational accounting document items for `A_OperationalAcctgDocItemCube`), posting period status, number
 * ranges and the server page size. `seed` adds to it (periods, payments, page size, master data).
 */
import * as estate from './estate.js';
import type { SimDocumentLine } from '../../sim-kit/documents.js';
import { isoDateOf, sapDate, sapTimestamp, type Entity } from './odata-envelope.js';
import type { EstateAdditions, SapSeed } from './sap-seed.js';

export type { CostCenterChange, EstateAdditions, GlAccountChange, SapSeed } from './sap-seed.js';

export interface JournalLine {
  readonly glAccount: string;
  readonly amount: string;
  readonly side: 'S' | 'H';
  readonly supplier?: string;
  readonly costCenter?: string;
  readonly wbsElement?: string;
  readonly taxCode?: string;
  readonly text?: string;
}

/** A posted line in the one shape of `/_sim/documents` (S debit → D, H credit → C). */
export function simDocumentLines(lines: readonly JournalLine[]): SimDocumentLine[] {
  return lines.map((l) => ({
    account: l.glAccount,
    side: l.side === 'S' ? 'D' : 'C',
    amount: l.amount,
    ...(l.costCenter === undefined ? {} : { costCenter: l.costCenter }),
    ...(l.wbsElement === undefined ? {} : { project: l.wbsElement }),
    ...(l.taxCode === undefined || l.taxCode === '' ? {} : { taxCode: l.taxCode }),
    ...(l.supplier === undefined ? {} : { partner: l.supplier }),
  }));
}

export class SapState {
  companyCodes: Entity[] = [];
  glAccounts: Entity[] = [];
  costCenters: Entity[] = [];
  projects: Entity[] = [];
  taxCodes: Entity[] = [];
  partners: Entity[] = [];
  invoices: Entity[] = [];
  journalItems: Entity[] = [];
  /** AttachmentContent entities by business object (`<type>/<LinkedSAPObjectKey>`), oldest first. */
  attachments = new Map<string, Entity[]>();
  /** Reference keys of posted journal entries (see `referenceKey`) → accounting document. */
  journalReferences = new Map<string, string>();
  pageSize = 50;
  private periods = new Map<string, 'open' | 'closed'>();
  private numbers = new Map<string, number>();

  constructor() {
    this.reset();
  }

  reset(): void {
    this.companyCodes = estate.companyCodes();
    this.glAccounts = estate.glAccounts();
    this.costCenters = estate.costCenters();
    this.projects = estate.projects();
    this.taxCodes = estate.taxCodes();
    this.partners = estate.suppliers();
    this.invoices = [];
    this.journalItems = [];
    this.journalReferences = new Map();
    this.attachments = new Map();
    this.pageSize = 50;
    this.periods = new Map(estate.periods().map((p) => [periodKey(p.companyCode, p.fiscalYear, p.period), p.status]));
    this.numbers = new Map([
      ['bp', 17300004],
      ['invoice', 5105600000],
      ['journal', 100000000],
      ['clearing', 1500000000],
    ]);
  }

  /**
   * Remembers the written state (for a `$batch` change set); the answer puts it back. Business partners
   * are changed in place by updates, so they are copied deeply; the other collections only grow.
   */
  checkpoint(): () => void {
    const saved = {
      partners: structuredClone(this.partners),
      invoices: [...this.invoices],
      journalItems: [...this.journalItems],
      attachments: new Map(this.attachments),
      journalReferences: new Map(this.journalReferences),
      numbers: new Map(this.numbers),
    };
    return () => {
      this.partners = saved.partners;
      this.invoices = saved.invoices;
      this.journalItems = saved.journalItems;
      this.attachments = saved.attachments;
      this.journalReferences = saved.journalReferences;
      this.numbers = saved.numbers;
    };
  }

  seed(body: SapSeed): void {
    for (const p of body.periods ?? []) this.periods.set(periodKey(p.companyCode, p.fiscalYear, p.period), p.status);
    if (body.pageSize !== undefined) this.pageSize = body.pageSize;
    const stamp = sapTimestamp(new Date().toISOString());
    for (const change of body.costCenters ?? []) {
      if (change.remove === true) {
        this.costCenters = this.costCenters.filter((c) => c['CostCenter'] !== change.costCenter);
        continue;
      }
      for (const c of this.costCenters.filter((x) => x['CostCenter'] === change.costCenter)) {
        if (change.validTo !== undefined) c['ValidityEndDate'] = sapDate(change.validTo);
        if (change.blocked !== undefined) c['IsBlkdForPrimaryCostsPosting'] = change.blocked ? 'X' : '';
        const texts = c['to_Text'] as Entity[];
        for (const text of texts) {
          if (change.validTo !== undefined) text['ValidityEndDate'] = sapDate(change.validTo);
          if (change.name !== undefined) {
            text['CostCenterName'] = change.name.slice(0, 20);
            text['CostCenterDescription'] = change.name.slice(0, 40);
          }
        }
      }
    }
    for (const change of body.glAccounts ?? []) {
      if (change.remove === true) {
        this.glAccounts = this.glAccounts.filter((g) => g['GLAccount'] !== change.glAccount);
        continue;
      }
      for (const g of this.glAccounts.filter((x) => x['GLAccount'] === change.glAccount)) {
        if (change.blocked !== undefined) {
          g['AccountIsBlockedForPosting'] = change.blocked;
          g['LastChangeDateTime'] = stamp;
        }
        if (change.name !== undefined)
          g['to_Text'] = [estate.glAccountText(change.glAccount, change.name, new Date().toISOString())];
      }
    }
    if (body.add !== undefined) this.add(body.add);
    for (const payment of body.payments ?? []) {
      const clearing = this.next('clearing');
      for (const item of this.journalItems) {
        if (
          item['AccountingDocument'] === payment.accountingDocument &&
          item['FiscalYear'] === payment.fiscalYear &&
          item['CompanyCode'] === payment.companyCode &&
          item['FinancialAccountType'] === 'K'
        ) {
          item['ClearingAccountingDocument'] = clearing;
          item['ClearingDate'] = sapDate(payment.clearingDate);
          item['ClearingDocFiscalYear'] = payment.clearingDate.slice(0, 4);
          item['IsCleared'] = true;
        }
      }
    }
  }

  private add(additions: EstateAdditions): void {
    const now = new Date().toISOString();
    for (const c of additions.companyCodes ?? [])
      this.companyCodes.push(
        estate.companyCode(c.companyCode, c.name, c.city, c.country, c.currency, c.vat ?? '', now),
      );
    for (const c of additions.costCenters ?? [])
      this.costCenters.push(
        estate.costCenter(
          c.costCenter,
          c.companyCode,
          c.name,
          c.validFrom,
          '9999-12-31',
          String(this.companyCode(c.companyCode)?.['Currency'] ?? ''),
        ),
      );
    for (const t of additions.taxCodes ?? [])
      this.taxCodes.push(estate.taxCode(t.country, t.taxCode, t.name, 'V', t.rate, now));
    for (const supplier of additions.suppliers ?? [])
      this.partners.push(estate.businessPartner({ ...supplier, changed: now }));
  }

  next(range: 'bp' | 'invoice' | 'journal' | 'clearing'): string {
    const value = (this.numbers.get(range) ?? 0) + 1;
    this.numbers.set(range, value);
    return String(value)
      .padStart(10, '0')
      .slice(range === 'bp' ? 2 : 0);
  }

  companyCode(code: unknown): Entity | undefined {
    return this.companyCodes.find((c) => c['CompanyCode'] === code);
  }

  glAccount(account: unknown): Entity | undefined {
    return this.glAccounts.find((g) => g['GLAccount'] === account);
  }

  partner(id: unknown): Entity | undefined {
    return this.partners.find((p) => p['BusinessPartner'] === id);
  }

  /** A cost center valid on the date, or undefined. */
  costCenter(code: unknown, isoDate: string): Entity | undefined {
    return this.costCenters.find(
      (c) =>
        c['CostCenter'] === code &&
        (isoDateOf(c['ValidityStartDate']) ?? '') <= isoDate &&
        isoDate <= (isoDateOf(c['ValidityEndDate']) ?? ''),
    );
  }

  wbsElement(id: unknown): Entity | undefined {
    for (const project of this.projects) {
      const found = (project['to_EnterpriseProjectElement'] as Entity[]).find((e) => e['ProjectElement'] === id);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** Fiscal year and period of a posting date (calendar fiscal year), and whether it is open. */
  period(companyCode: string, isoDate: string): { fiscalYear: number; period: number; open: boolean } {
    const fiscalYear = Number(isoDate.slice(0, 4));
    const period = Number(isoDate.slice(5, 7));
    return { fiscalYear, period, open: this.periods.get(periodKey(companyCode, fiscalYear, period)) !== 'closed' };
  }

  /** Records a posted document's items for `A_OperationalAcctgDocItemCube`. */
  postItems(
    header: {
      companyCode: string;
      fiscalYear: string;
      document: string;
      type: string;
      postingDate: string;
      documentDate: string;
      reference: string;
      currency: string;
    },
    lines: readonly JournalLine[],
  ): void {
    lines.forEach((line, index) => {
      const wbs = line.wbsElement === undefined ? undefined : this.wbsElement(line.wbsElement);
      this.journalItems.push({
        CompanyCode: header.companyCode,
        FiscalYear: header.fiscalYear,
        AccountingDocument: header.document,
        AccountingDocumentItem: String(index + 1).padStart(3, '0'),
        AccountingDocumentType: header.type,
        FiscalPeriod: header.postingDate.slice(5, 7).padStart(3, '0'),
        PostingDate: sapDate(header.postingDate),
        DocumentDate: sapDate(header.documentDate),
        DocumentReferenceID: header.reference.slice(0, 16),
        OriginalReferenceDocument: header.reference.slice(0, 20),
        GLAccount: line.glAccount,
        FinancialAccountType: line.supplier === undefined ? 'S' : 'K',
        Supplier: line.supplier ?? '',
        CostCenter: line.costCenter ?? '',
        WBSElementInternalID: String(wbs?.['WBSElementInternalID'] ?? ''),
        TaxCode: line.taxCode ?? '',
        DebitCreditCode: line.side,
        AmountInTransactionCurrency: line.side === 'H' ? negate(line.amount) : line.amount,
        TransactionCurrency: header.currency,
        DocumentItemText: (line.text ?? '').slice(0, 50),
        ClearingAccountingDocument: '',
        ClearingDate: null,
        ClearingDocFiscalYear: '',
        IsCleared: false,
        IsReversal: false,
        IsReversed: false,
      });
    });
  }
}

function periodKey(companyCode: string, fiscalYear: number, period: number): string {
  return `${companyCode}/${fiscalYear}/${period}`;
}

function negate(amount: string): string {
  return amount.startsWith('-') ? amount.slice(1) : `-${amount}`;
}
