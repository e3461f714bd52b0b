/**
 * The flows the configuration enables, each given its connectors (by role) and the hub services it
 * needs. A finance flow is enabled when its section under `flows:` is present and not
 * `enabled: false`, and the systems it works with are configured.
 */
import type { LedgerlinkConfig } from '../config/load-config.js';
import type { TriggerConfig } from '../config/flows-config-schema.js';
import { EchoSinkConnector } from '../connectors/echo/connector.js';
import type { FlowDefinition, IdentityMap, PostingLookup, SupplierStates } from '../engine/step-api.js';
import { echoFlow } from '../flows/echo.js';
import type { MappingSetSource } from '../mapping/mapping-set.js';
import type { SupplierLookupIndex } from '../flows/supplier-lookup-index.js';
import { supplierOnboardingFlow } from '../flows/supplier-onboarding.js';
import { supplierPaymentBlockFlow } from '../flows/supplier-payment-block.js';
import { invoicePostingFlow } from '../flows/invoice-posting.js';
import { paymentStatusFlow } from '../flows/payment-status.js';
import type { Connectors } from './connectors-from-config.js';

/** What the hub hands to flows besides connectors. */
export interface FlowServices {
  readonly identity: IdentityMap;
  readonly postings: PostingLookup;
  /** The current mapping set, or a run's own version for replays. */
  readonly mappings: MappingSetSource;
  readonly supplierStates: SupplierStates;
  /** The ERP vendor master in memory (supplier lookup); refreshed by the payment-block poller. */
  readonly supplierLookup: SupplierLookupIndex;
}

/** A flow section is on when present and not disabled. */
export function flowEnabled(section: { readonly enabled?: boolean } | undefined): boolean {
  return section !== undefined && section.enabled !== false;
}

export function flowsFromConfig(config: LedgerlinkConfig, connectors: Connectors, services: FlowServices): FlowDefinition[] {
  const flows: FlowDefinition[] = [];
  if (config.echo !== null) {
    const sink = new EchoSinkConnector({ url: config.echo.url });
    flows.push(echoFlow(sink, config.echo.systems === undefined ? {} : { systems: config.echo.systems }));
  }
  const onboarding = config.flows.supplierOnboarding;
  if (flowEnabled(onboarding) && onboarding !== undefined && connectors.erp !== undefined && connectors.procurement !== undefined) {
    const common = {
      erp: connectors.erp,
      procurement: connectors.procurement,
      identity: services.identity,
      states: services.supplierStates,
      index: services.supplierLookup,
    };
    const trigger = onboarding.trigger;
    flows.push(
      supplierOnboardingFlow({
        ...common,
        ...(config.ownership.suppliers === undefined ? {} : { owner: config.ownership.suppliers }),
        ...(onboarding.fuzzyMatch?.reviewAbove === undefined ? {} : { reviewAbove: onboarding.fuzzyMatch.reviewAbove }),
        ...(onboarding.reconciliationAccount === undefined ? {} : { reconciliationAccount: onboarding.reconciliationAccount }),
        ...(onboarding.paymentTerms === undefined ? {} : { paymentTerms: onboarding.paymentTerms }),
        ...(onboarding.companyCodes === undefined ? {} : { companyCodes: onboarding.companyCodes }),
        ...(onboarding.pollFrom === undefined ? {} : { pollFrom: onboarding.pollFrom }),
        ...(trigger?.pollIntervalMs === undefined ? {} : { pollIntervalMs: trigger.pollIntervalMs }),
        ...(trigger?.schedule === undefined ? {} : { schedule: trigger.schedule }),
        ...(trigger?.webhook === undefined ? {} : { webhook: trigger.webhook }),
      }),
      supplierPaymentBlockFlow({ ...common, ...(onboarding.vendorPollIntervalMs === undefined ? {} : { pollIntervalMs: onboarding.vendorPollIntervalMs }) }),
    );
  }
  const invoices = config.flows.invoicePosting;
  if (flowEnabled(invoices) && invoices !== undefined && connectors.erp !== undefined && connectors.procurement !== undefined) {
    const trigger = invoices.trigger;
    flows.push(
      invoicePostingFlow({
        erp: connectors.erp,
        procurement: connectors.procurement,
        identity: services.identity,
        mappings: services.mappings,
        match: {
          mode: invoices.threeWayMatch === false ? 'two-way' : 'three-way',
          tolerances: {
            pricePercent: invoices.priceTolerancePercent ?? '0',
            quantityPercent: invoices.quantityTolerancePercent ?? '0',
            ...(invoices.amountTolerance === undefined ? {} : { amount: invoices.amountTolerance }),
          },
        },
        ...triggerOptions(trigger),
      }),
    );
  }
  const payments = config.flows.paymentStatus;
  if (flowEnabled(payments) && payments !== undefined && connectors.erp !== undefined) {
    flows.push(
      paymentStatusFlow({
        erp: connectors.erp,
        postings: services.postings,
        ...(connectors.procurement === undefined ? {} : { procurement: connectors.procurement }),
        ...(connectors.expense === undefined ? {} : { expense: connectors.expense }),
        ...triggerOptions(payments.trigger),
      }),
    );
  }
  return flows;
}

/** The poll interval, schedule and webhook switch of a flow's trigger, as flow options. */
function triggerOptions(trigger: TriggerConfig | undefined): { pollIntervalMs?: number; schedule?: readonly string[]; webhook?: boolean } {
  return {
    ...(trigger?.pollIntervalMs === undefined ? {} : { pollIntervalMs: trigger.pollIntervalMs }),
    ...(trigger?.schedule === undefined ? {} : { schedule: trigger.schedule }),
    ...(trigger?.webhook === undefined ? {} : { webhook: trigger.webhook }),
  };
}
