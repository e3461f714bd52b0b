/**
 * The flows the configuration enables, each given its connectors (by role) and the hub services it
 * needs. A finance flow is enabled when its section under `flows:` is present and not
 * `enabled: false`, and the systems it works with are configured.
 */
import { LedgerlinkError } from '../canonical/errors.js';
import type { LedgerlinkConfig } from '../config/load-config.js';
import { EchoSinkConnector } from '../connectors/echo/connector.js';
import type { FlowDefinition } from '../engine/step-api.js';
import type { AccrualSource, IdentityMap, MasterDataRepository, PostingLookup, SupplierStates } from '../hub/ports.js';
import { echoFlow } from '../flows/echo.js';
import { cashAdvancePostingFlow } from '../flows/expense/cash-advance-posting.js';
import { expensePostingFlow } from '../flows/expense/expense-posting.js';
import type { SupplierLookupIndex } from '../hub/suppliers/supplier-lookup-index.js';
import { supplierOnboardingFlow } from '../flows/supplier/supplier-onboarding.js';
import { supplierPaymentBlockFlow } from '../flows/supplier/supplier-payment-block.js';
import { DEFAULT_POSTING_CHECK_POLICY } from '../validation/posting-check.js';
import { periodEndAccrualFlow } from '../flows/accrual/period-end-accrual.js';
import { cardTransactionFlow } from '../flows/accrual/card-transaction-record.js';
import { invoicePostingFlow } from '../flows/invoice/invoice-posting.js';
import { paymentStatusFlow } from '../flows/payment-status.js';
import type { MappingSetSource } from '../mapping/mapping-set.js';
import { masterDataFlow } from '../flows/master-data/master-data-publishing.js';
import { DEFAULT_EXPENSE_LISTS } from '../hub/master-data/targets.js';
import type { MasterDataIndex } from '../validation/index.js';
import type { Connectors } from '../connectors/port.js';
import { expensePages, invoicePageUrl } from './evidence-pages.js';
import { ErpCodingChecker, type StorePeriodCalendar } from '../hub/periods/period-calendar.js';

/** What the hub hands to flows besides connectors. */
export interface FlowServices {
  readonly identity: IdentityMap;
  readonly postings: PostingLookup;
  /** Approved, unposted documents at a period's end (period-end accruals). */
  readonly accruals?: AccrualSource;
  /** The current mapping set, or a run's own version for replays. */
  readonly mappings: MappingSetSource;
  /** The period calendar with its overrides. */
  readonly periods: StorePeriodCalendar;
  readonly supplierStates: SupplierStates;
  /** The ERP vendor master in memory (supplier lookup); refreshed by the payment-block poller. */
  readonly supplierLookup: SupplierLookupIndex;
  /** The versioned master data snapshots (master data publishing writes, validation reads). */
  readonly masterData?: MasterDataRepository;
  /** The master data the hub holds in memory, when the master data flow has published a snapshot. */
  readonly publishedMasterData?: () => MasterDataIndex | undefined;
  /** Called when a snapshot added versions, so this process's validation cache reloads at once. */
  readonly onMasterDataCommitted?: () => void;
}

/** A flow section is on when present and not disabled. */
export function flowEnabled(section: { readonly enabled?: boolean } | undefined): boolean {
  return section !== undefined && section.enabled !== false;
}

/** The trigger settings every flow factory takes. */
function triggerOptions(trigger: { pollIntervalMs?: number; schedule?: string[]; webhook?: boolean } | undefined) {
  return {
    ...(trigger?.pollIntervalMs === undefined ? {} : { pollIntervalMs: trigger.pollIntervalMs }),
    ...(trigger?.schedule === undefined ? {} : { schedule: trigger.schedule }),
    ...(trigger?.webhook === undefined ? {} : { webhook: trigger.webhook }),
  };
}

function configError(message: string, path: string): LedgerlinkError {
  return new LedgerlinkError('LL_ERR_CONFIG_INVALID', message, { details: [{ path, message }] });
}

/**
 * Master data publishing from the ERP to its targets. The source is the system of record for master
 * data (`ownership.masterData`); naming it as a target is refused — the hub never writes master data
 * into the ERP.
 */
function masterDataFlowFromConfig(
  config: LedgerlinkConfig,
  connectors: Connectors,
  services: FlowServices,
): FlowDefinition | undefined {
  const section = config.flows.masterData;
  if (
    !flowEnabled(section) ||
    section === undefined ||
    connectors.erp === undefined ||
    services.masterData === undefined
  )
    return undefined;
  const source = section.source ?? connectors.erp.system;
  const owner = config.ownership.masterData ?? source;
  if (source !== connectors.erp.system)
    throw configError(
      `flows.masterData.source ${source} is not the configured ERP (${connectors.erp.system})`,
      'flows.masterData.source',
    );
  if (owner !== source)
    throw configError(
      `flows.masterData.source ${source} is not the system of record for master data (${owner})`,
      'ownership.masterData',
    );
  const targets =
    section.targets ??
    [connectors.procurement?.system, connectors.expense?.system].filter((t): t is string => t !== undefined);
  for (const [i, target] of targets.entries()) {
    if (target === owner)
      throw configError(
        `${target} owns master data; the hub never writes master data into its system of record`,
        `flows.masterData.targets.${i}`,
      );
    if (target !== connectors.procurement?.system && target !== connectors.expense?.system) {
      throw configError(
        `${target} is not a configured procurement or expense system with a base URL`,
        `flows.masterData.targets.${i}`,
      );
    }
  }
  const procurement =
    connectors.procurement !== undefined && targets.includes(connectors.procurement.system)
      ? connectors.procurement
      : undefined;
  const expense =
    connectors.expense !== undefined && targets.includes(connectors.expense.system) ? connectors.expense : undefined;
  return masterDataFlow({
    source: connectors.erp,
    repository: services.masterData,
    ...(procurement === undefined ? {} : { procurement }),
    ...(expense === undefined
      ? {}
      : { expense: { ...expense, lists: { ...DEFAULT_EXPENSE_LISTS, ...section.expenseLists } } }),
    ...(section.trigger?.pollIntervalMs === undefined ? {} : { pollIntervalMs: section.trigger.pollIntervalMs }),
    ...(section.trigger?.schedule === undefined ? {} : { schedule: section.trigger.schedule }),
    ...(section.fullReadSchedule === undefined ? {} : { fullReadSchedule: section.fullReadSchedule }),
    ...(services.onMasterDataCommitted === undefined ? {} : { onCommitted: services.onMasterDataCommitted }),
  });
}

export function flowsFromConfig(
  config: LedgerlinkConfig,
  connectors: Connectors,
  services: FlowServices,
): FlowDefinition[] {
  const flows: FlowDefinition[] = [];
  const masterData = masterDataFlowFromConfig(config, connectors, services);
  if (masterData !== undefined) flows.push(masterData);
  if (config.echo !== null) {
    const sink = new EchoSinkConnector({ url: config.echo.url });
    flows.push(echoFlow(sink, config.echo.systems === undefined ? {} : { systems: config.echo.systems }));
  }
  const { erp, directory, procurement } = connectors;
  const onboarding = config.flows.supplierOnboarding;
  if (flowEnabled(onboarding) && onboarding !== undefined && erp !== undefined && procurement !== undefined) {
    const common = {
      erp,
      procurement,
      identity: services.identity,
      states: services.supplierStates,
      index: services.supplierLookup,
    };
    flows.push(
      supplierOnboardingFlow({
        ...common,
        ...(config.ownership.suppliers === undefined ? {} : { owner: config.ownership.suppliers }),
        ...(onboarding.fuzzyMatch?.reviewAbove === undefined ? {} : { reviewAbove: onboarding.fuzzyMatch.reviewAbove }),
        ...(onboarding.reconciliationAccount === undefined
          ? {}
          : { reconciliationAccount: onboarding.reconciliationAccount }),
        ...(onboarding.paymentTerms === undefined ? {} : { paymentTerms: onboarding.paymentTerms }),
        ...(onboarding.companyCodes === undefined ? {} : { companyCodes: onboarding.companyCodes }),
        ...(onboarding.pollFrom === undefined ? {} : { pollFrom: onboarding.pollFrom }),
        ...triggerOptions(onboarding.trigger),
      }),
      supplierPaymentBlockFlow({
        ...common,
        ...(onboarding.vendorPollIntervalMs === undefined ? {} : { pollIntervalMs: onboarding.vendorPollIntervalMs }),
      }),
    );
  }
  // Which failures of the pre-posting check go back to the source and which wait in the hub; what a reopened document does.
  const postingCheck = {
    waitInHub: config.flows.postingCheck?.waitInHub ?? DEFAULT_POSTING_CHECK_POLICY.waitInHub,
  };
  const expense = config.flows.expensePosting;
  if (
    flowEnabled(expense) &&
    expense !== undefined &&
    connectors.expense !== undefined &&
    erp !== undefined &&
    directory !== undefined
  ) {
    const { enabled: _enabled, trigger, employeeVendors, ...policy } = expense;
    const common = {
      expense: connectors.expense,
      erp,
      directory,
      mappings: services.mappings,
      periods: services.periods,
      coding: new ErpCodingChecker(erp.port, services.periods, services.publishedMasterData),
      vendorMaster: services.supplierLookup,
      postingCheck,
      ...triggerOptions(trigger),
    };
    // Issued cash advances come from the same platform and clear against the same accounts: enabled with expense posting.
    const advancePolicy = {
      ...(policy.cashAdvanceClearingAccount === undefined
        ? {}
        : { cashAdvanceClearingAccount: policy.cashAdvanceClearingAccount }),
      ...(policy.postingDate === undefined ? {} : { postingDate: policy.postingDate }),
    };
    flows.push(
      expensePostingFlow({
        ...common,
        policy,
        postings: services.postings,
        identity: services.identity,
        reopened: config.flows.postingCheck?.reopened ?? 'reverse',
        ...(employeeVendors === undefined
          ? {}
          : { employeeVendors: { settings: employeeVendors, identity: services.identity } }),
        pages: expensePages(connectors.expense.system, config.systems[connectors.expense.system] ?? { kind: 'concur' }),
      }),
      cashAdvancePostingFlow({ ...common, policy: advancePolicy }),
      // Card charges the card feed reports before a report carries them, for period-end accruals.
      cardTransactionFlow({ expense: connectors.expense }),
    );
  }
  const invoices = config.flows.invoicePosting;
  if (flowEnabled(invoices) && invoices !== undefined && erp !== undefined && procurement !== undefined) {
    const procurementConfig = config.systems[procurement.system];
    const pageUrl = procurementConfig?.kind === 'coupa' ? invoicePageUrl(procurementConfig) : undefined;
    flows.push(
      invoicePostingFlow({
        erp,
        procurement,
        identity: services.identity,
        mappings: services.mappings,
        coding: new ErpCodingChecker(erp.port, services.periods, services.publishedMasterData),
        vendorMaster: services.supplierLookup,
        postingCheck,
        postings: services.postings,
        reopened: config.flows.postingCheck?.reopened ?? 'reverse',
        match: {
          mode: invoices.threeWayMatch === false ? 'two-way' : 'three-way',
          tolerances: {
            pricePercent: invoices.priceTolerancePercent ?? '0',
            quantityPercent: invoices.quantityTolerancePercent ?? '0',
            ...(invoices.amountTolerance === undefined ? {} : { amount: invoices.amountTolerance }),
          },
        },
        ...(invoices.pollFrom === undefined ? {} : { pollFrom: invoices.pollFrom }),
        ...(pageUrl === undefined ? {} : { invoicePageUrl: pageUrl }),
        ...triggerOptions(invoices.trigger),
      }),
    );
  }
  const accruals = config.flows.periodEndAccruals;
  if (flowEnabled(accruals) && accruals !== undefined && erp !== undefined && services.accruals !== undefined) {
    flows.push(
      periodEndAccrualFlow({
        erp,
        source: services.accruals,
        expenseAccounts: accruals.expenseAccounts,
        liabilityAccount: accruals.liabilityAccount,
        ...(accruals.trigger?.schedule === undefined ? {} : { schedule: accruals.trigger.schedule }),
      }),
    );
  }
  const payments = config.flows.paymentStatus;
  if (flowEnabled(payments) && payments !== undefined && erp !== undefined) {
    flows.push(
      paymentStatusFlow({
        erp,
        postings: services.postings,
        ...(procurement === undefined ? {} : { procurement }),
        ...(connectors.expense === undefined ? {} : { expense: connectors.expense }),
        ...triggerOptions(payments.trigger),
      }),
    );
  }
  return flows;
}
