/**
 * SAP S/4HANA Cloud contract facts, kept in Ledgerlink's own format from the artifacts in
 * `shared/reference/contracts/sap-s4hana/` (each group names its file). The connector and the
 * simulator both read them; `sap-contract-facts.test.ts` checks them against the artifacts.
 */
import { ACCOUNTING_ITEM_FACTS } from './accounting-item-facts.js';
import { ATTACHMENT_FACTS } from './attachment-facts.js';
import { BUSINESS_PARTNER_FACTS } from './business-partner-facts.js';
import {
  COMPANY_CODE_FACTS,
  COST_CENTER_FACTS,
  ENTERPRISE_PROJECT_FACTS,
  GL_ACCOUNT_FACTS,
} from './master-data-facts.js';
import type { ODataServiceFact } from './odata-fact-types.js';
import { SUPPLIER_INVOICE_FACTS } from './supplier-invoice-facts.js';

export { GL_ACCOUNT_TYPES } from './master-data-facts.js';
export { JOURNAL_ENTRY_SOAP_FACTS, sequenceOf, type ElementFact } from './journal-entry-soap-facts.js';
export type * from './odata-fact-types.js';

/** The OData services by the name in their URL (`/sap/opu/odata/sap/<name>/`). */
export const ODATA_SERVICE_FACTS: Readonly<Record<string, ODataServiceFact>> = {
  API_BUSINESS_PARTNER: BUSINESS_PARTNER_FACTS,
  API_SUPPLIERINVOICE_PROCESS_SRV: SUPPLIER_INVOICE_FACTS,
  API_COMPANYCODE_SRV: COMPANY_CODE_FACTS,
  API_GLACCOUNTINCHARTOFACCOUNTS_SRV: GL_ACCOUNT_FACTS,
  API_COSTCENTER_SRV: COST_CENTER_FACTS,
  'API_ENTERPRISE_PROJECT_SRV;v=0002': ENTERPRISE_PROJECT_FACTS,
  API_OPLACCTGDOCITEMCUBE_SRV: ACCOUNTING_ITEM_FACTS,
  API_CV_ATTACHMENT_SRV: ATTACHMENT_FACTS,
};
