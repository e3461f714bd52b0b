/**
 * What `POST /_sim/seed` of the ERP simulator takes: posting periods, page size, payments that clear
 * vendor items, changes to cost centers and GL accounts, and master data to add.
 */
import type * as estate from './estate.js';

export interface SapSeed {
  /** Close or reopen posting periods. */
  readonly periods?: readonly estate.PeriodStatus[];
  /** Server page size for collections (default 50). */
  readonly pageSize?: number;
  /** Clears the open supplier item of these documents (a payment run), on this date. */
  readonly payments?: readonly {
    readonly accountingDocument: string;
    readonly fiscalYear: string;
    readonly companyCode: string;
    readonly clearingDate: string;
  }[];
  /** Changes cost centers as controlling would (the metadata has no change timestamp for them). */
  readonly costCenters?: readonly CostCenterChange[];
  /** Changes GL accounts of the chart (a block stamps the account's LastChangeDateTime, a name its text's). */
  readonly glAccounts?: readonly GlAccountChange[];
  /** Adds master data the estate lacks, stamped as changed now (e.g. another country's company code). */
  readonly add?: EstateAdditions;
}

/** A company code with its cost centers and tax codes, and suppliers (employee vendors among them). */
export interface EstateAdditions {
  readonly companyCodes?: readonly {
    readonly companyCode: string;
    readonly name: string;
    readonly city: string;
    readonly country: string;
    readonly currency: string;
    readonly vat?: string;
  }[];
  readonly costCenters?: readonly {
    readonly costCenter: string;
    readonly companyCode: string;
    readonly name: string;
    readonly validFrom: string;
  }[];
  readonly taxCodes?: readonly {
    readonly country: string;
    readonly taxCode: string;
    readonly name: string;
    readonly rate: string;
  }[];
  readonly suppliers?: readonly estate.SupplierSeed[];
}

/** A change to a cost center: validity end (YYYY-MM-DD), blocked for postings, name, or removal. */
export interface CostCenterChange {
  readonly costCenter: string;
  readonly validTo?: string;
  readonly blocked?: boolean;
  readonly name?: string;
  readonly remove?: boolean;
}

export interface GlAccountChange {
  readonly glAccount: string;
  readonly blocked?: boolean;
  readonly name?: string;
  readonly remove?: boolean;
}
