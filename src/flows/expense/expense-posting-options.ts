/**
 * What expense posting is configured with: the systems and hub services it uses, and its policies
 * (card vendors and clearing accounts, posting date, reopened reports, employees as vendors).
 */
import type { DirectoryPort, ErpPort, ExpensePort } from '../../connectors/port.js';
import type { MappingSetSource } from '../../mapping/mapping-set.js';
import type {
  CodingChecker,
  IdentityMap,
  PeriodCalendarProvider,
  PostingLookup,
  VendorMasterCopy,
} from '../../hub/ports.js';
import type { PostingCheckPolicy } from '../../validation/posting-check.js';
import type { ExpensePages } from '../evidence/posting-evidence.js';
import type { EmployeeVendorSettings } from './employee-vendor-step.js';
import type { ReadyQueueTriggerOptions } from './ready-queue-trigger.js';

export interface ExpensePostingPolicy {
  /** Card issuer vendor per company code; card charges are credited to it. */
  readonly cardVendors?: Readonly<Record<string, string>>;
  /** GL account card charges are credited to when no card vendor is set for the company code. */
  readonly cardClearingAccount?: string;
  /** Input tax account when the tax mapping names none. */
  readonly inputTaxAccount?: string;
  /** Clearing account for company-paid entries whose named clearing account has no mapping. */
  readonly companyPaidClearingAccount?: string;
  /** Clearing account for cash advances whose named clearing account code has no mapping. */
  readonly cashAdvanceClearingAccount?: string;
  /** `today` (default): posted in the period the hub posts in; `approval`: on the approval date. */
  readonly postingDate?: 'today' | 'approval';
}

export interface ExpensePostingOptions extends ReadyQueueTriggerOptions {
  readonly expense: { readonly system: string; readonly port: ExpensePort };
  readonly erp: { readonly system: string; readonly port: ErpPort };
  readonly directory: { readonly system: string; readonly port: DirectoryPort };
  readonly mappings: MappingSetSource;
  readonly periods: PeriodCalendarProvider;
  readonly coding: CodingChecker;
  /** The hub's copy of the ERP vendor master: employee vendors are found there before asking the ERP. */
  readonly vendorMaster?: VendorMasterCopy;
  /** Where the card charges a report carries are recorded, so period-end accruals leave them out. */
  readonly identity?: IdentityMap;
  /** Employees without an ERP vendor become one before their first report posts (off when unset). */
  readonly employeeVendors?: { readonly settings: EmployeeVendorSettings; readonly identity: IdentityMap };
  readonly policy?: ExpensePostingPolicy;
  /** Which failures of the pre-posting check go back to the platform and which wait in the hub. */
  readonly postingCheck?: PostingCheckPolicy;
  /** Earlier postings of the report: a revision after a posted one is posted as reversal + new posting. */
  readonly postings?: PostingLookup;
  /** A report posted before that comes back changed: `reverse` (default) or `keep` the earlier posting. */
  readonly reopened?: 'reverse' | 'keep';
  /** The report's and receipts' pages on the platform, linked to the ERP documents when configured. */
  readonly pages?: ExpensePages;
  readonly maxAttempts?: number;
  readonly now?: () => number;
}
