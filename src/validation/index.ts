/**
 * Pure checks the finance flows and the synchronous validation endpoints use: coding, periods,
 * supplier normalisation and matching, invoice match, master data drift and budgets. No I/O, no
 * clock: dates come in as arguments. Imports only src/canonical.
 */
export { hasNoErrors, issue, issuesToError, type IssueSeverity, type ValidationIssue } from './validation-issue.js';
export { dimensionKey, isIsoDate } from './dimension-key.js';
export {
  buildMasterDataIndex,
  isValidOn,
  versionOn,
  type Dated,
  type MasterDataIndex,
  type MasterDataSnapshotInput,
} from './master-data-index.js';
export {
  ALL_ENTITIES,
  PeriodCalendar,
  type PeriodCalendarConfigInput,
  type PeriodOverride,
  type PeriodState,
  type PeriodStatus,
} from './period-calendar.js';
export { validateCoding, type CodingInput, type CodingResult } from './coding.js';
export { checkCodingRules, type CodingValues } from './coding-rules.js';
export {
  cleanText,
  normaliseSupplier,
  toMatchName,
  type NormalisedSupplier,
  type SupplierInput,
  type SupplierNormaliseResult,
} from './supplier-normalise.js';
export { splitLegalForm, type LegalFormSplit } from './legal-forms.js';
export {
  cleanTaxNumber,
  normaliseVatNumber,
  sameTaxRegistration,
  taxRegistrationKey,
  type TaxRegistrationKey,
  type VatNumber,
} from './tax-number.js';
export { isCountryCode } from './country-codes.js';
export { nameSimilarity } from './name-similarity.js';
export {
  matchSupplier,
  prepareVendors,
  type PreparedVendors,
  type SupplierMatchCandidate,
  type SupplierMatchOptions,
  type SupplierMatchResult,
  type VendorRecord,
} from './supplier-match.js';
export {
  matchInvoice,
  type InvoiceLineInput,
  type InvoiceLineMatch,
  type InvoiceMatchResult,
  type MatchMode,
  type MatchTolerances,
  type PoLineInput,
  type ReceiptInput,
} from './invoice-match.js';
export {
  computeDrift,
  computeDriftByDimension,
  type ActualDimensionValue,
  type DimensionDrift,
  type ExpectedDimensionValue,
} from './master-data-drift.js';
export { checkBudget, type BudgetCheckInput, type BudgetCheckResult } from './budget.js';
