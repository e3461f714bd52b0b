/**
 * Flow 4, invoice posting: an approved procurement invoice becomes one ERP supplier invoice, once.
 * Triggers: the poller on approved, unexported invoices, and `invoice.approved` / `invoice.matched`
 * webhooks; both carry the invoice id and its `updated-at`, so either channel gives the same run key.
 * Steps:
 *   fetch → match → map → validate → reverse → post → attach → export
 * fetch reads the invoice and finds the ERP vendor (identity map link made by supplier onboarding,
 * else the supplier's ERP number in procurement); match checks PO lines two- or three-way within the
 * tolerances; map codes each line through the mapping set; validate checks coding, period and balance;
 * post creates the supplier invoice through the effect ledger (our key is its
 * SupplierInvoiceIDByInvcgParty); attach links the approval evidence and the invoice's attachments to
 * the ERP document (posting-evidence.ts); export marks the invoice exported and records the ERP document
 * number in procurement's integration history. An ERP rejection is written to procurement as an
 * integration error and becomes a business_rejection exception. See docs/flows.md.
 */
import { INVOICE_POSTING } from '../../canonical/processes.js';
import { isLedgerlinkError, LedgerlinkError } from '../../canonical/errors.js';
import type { SupplierInvoice } from '../../canonical/model/index.js';
import type { ErpSupplierInvoice } from '../../connectors/port.js';
import {
  EVIDENCE_STEP,
  REVERSAL_STEP,
  type FlowDefinition,
  type InboundEvent,
  type StepContext,
  type StepOutcome,
} from '../../engine/step-api.js';
import { mappingSetFor } from '../../mapping/mapping-set.js';
import type { CodingInput } from '../../validation/coding.js';
import { issue } from '../../validation/validation-issue.js';
import { DEFAULT_POSTING_CHECK_POLICY, payeeIssue, postingCheckFailure } from '../../validation/posting-check.js';
import { invoicePayee } from './invoice-payee.js';
import { invoiceAttachStep } from '../evidence/evidence-steps.js';
import { erpSupplierInvoice, mapInvoiceLines, type MappedInvoiceLine } from './invoice-erp-document.js';
import { INVOICE_DOCUMENT_TYPE, INVOICE_EVENTS, invoiceVersionOf } from './invoice-input.js';
import { matchAgainstOrders, matchFailure, purchaseOrdersOf, type MatchedOrderLine } from './invoice-po-match.js';
import { invoiceReverseStep } from './invoice-reopened-step.js';
import { invoicePoller, type InvoicePostingOptions } from './invoice-trigger.js';

export type { InvoicePostingOptions } from './invoice-trigger.js';
import { SUPPLIER_ENTITY, supplierCanonicalId } from '../supplier/supplier-input.js';
import { recordIntegrationOnce } from '../integration-record-effect.js';
import { recordInvoiceIntegrationError } from './invoice-integration-error.js';
import { isoDay } from '../../canonical/time.js';

interface Fetched {
  readonly invoice: SupplierInvoice;
  readonly vendorId: string;
  readonly updatedAt: string;
}

const stateOf = <T>(ctx: StepContext, key: string): T => ctx.run.state[key] as T;

export function invoicePostingFlow(o: InvoicePostingOptions): FlowDefinition {
  const now = o.now ?? Date.now;
  const procurement = o.procurement.port;

  const fetch = async (ctx: StepContext): Promise<StepOutcome> => {
    const invoiceId = invoiceVersionOf(ctx.run.input)?.invoiceId ?? ctx.run.documentId;
    const found = await procurement.invoiceById(invoiceId);
    if (found === null) {
      throw new LedgerlinkError(
        'LL_ERR_VALIDATION',
        `Invoice ${invoiceId} is not in ${o.procurement.system}; check it was not deleted, then ignore or retry`,
        {
          details: [{ path: 'invoice.id', message: 'not found', invoiceId }],
        },
      );
    }
    const { invoice } = found;
    if (found.exported)
      return {
        done: true,
        state: { skipped: `invoice ${invoice.invoiceNumber} is already exported from ${o.procurement.system}` },
      };
    if (found.status !== 'approved') {
      throw new LedgerlinkError(
        'LL_ERR_VALIDATION',
        `Invoice ${invoice.invoiceNumber} is ${found.status} in ${o.procurement.system}, not approved; approve it there, then retry`,
        {
          details: [{ path: 'invoice.status', message: found.status, invoiceId }],
        },
      );
    }
    const linked = await o.identity.remoteIdOf(
      SUPPLIER_ENTITY,
      supplierCanonicalId(o.procurement.system, invoice.supplierId),
      o.erp.system,
    );
    const vendorId =
      linked ?? found.supplierErpNumber ?? (await procurement.supplierById(invoice.supplierId))?.erpVendorNumber;
    if (vendorId === undefined) {
      throw new LedgerlinkError(
        'LL_ERR_VALIDATION',
        `Supplier ${invoice.supplierName ?? invoice.supplierId} of invoice ${invoice.invoiceNumber} has no ${o.erp.system} vendor; onboard the supplier (or enter its ERP vendor number in ${o.procurement.system}), then retry`,
        { details: [{ path: 'invoice.supplierId', message: 'no ERP vendor linked', supplierId: invoice.supplierId }] },
      );
    }
    const lastApproval = invoice.approvals[invoice.approvals.length - 1];
    const approvedAt = Date.parse(lastApproval?.approvedAt ?? found.updatedAt);
    const fetched: Fetched = { invoice, vendorId, updatedAt: found.updatedAt };
    return {
      next: 'match',
      state: { fetched, evidence: { approvals: invoice.approvals, attachments: invoice.attachments } },
      facts: {
        entity: invoice.companyCode,
        amount: invoice.grossAmount,
        ...(Number.isNaN(approvedAt) ? {} : { approvedAt }),
      },
    };
  };

  const match = async (ctx: StepContext): Promise<StepOutcome> => {
    const { invoice } = stateOf<Fetched>(ctx, 'fetched');
    const numbers = purchaseOrdersOf(invoice);
    const orders = numbers.length === 0 ? [] : await procurement.purchaseOrders(numbers);
    const receipts =
      orders.length === 0 || o.match.mode === 'two-way'
        ? []
        : await procurement.receipts(orders.map((order) => order.id));
    const outcome = matchAgainstOrders(invoice, orders, receipts, o.match);
    const failure = matchFailure(invoice, outcome);
    if (failure !== undefined) throw failure;
    return {
      next: 'map',
      state: { match: { mode: outcome.mode, lines: outcome.result.lines }, orderLines: outcome.orderLines },
    };
  };

  const map = async (ctx: StepContext): Promise<StepOutcome> => {
    const { invoice } = stateOf<Fetched>(ctx, 'fetched');
    const set = await mappingSetFor(o.mappings, ctx.run.mappingVersion);
    const lines = mapInvoiceLines(invoice, stateOf<Record<string, MatchedOrderLine>>(ctx, 'orderLines') ?? {}, set);
    return { next: 'validate', state: { lines }, facts: { mappingVersion: set.version } };
  };

  const validate = async (ctx: StepContext): Promise<StepOutcome> => {
    const { invoice, vendorId } = stateOf<Fetched>(ctx, 'fetched');
    const lines = stateOf<MappedInvoiceLine[]>(ctx, 'lines');
    const postingDate = isoDay(now());
    const inputs: CodingInput[] = lines.flatMap((l) =>
      l.glAccount === undefined
        ? []
        : [
            {
              entity: invoice.companyCode,
              account: l.glAccount,
              costCenter: l.costCenter,
              project: l.project,
              taxCode: l.taxCode,
              date: postingDate,
              currency: invoice.currency,
            },
          ],
    );
    const found = o.coding === undefined || inputs.length === 0 ? [] : await o.coding.check(inputs);
    const issues = found.map((i) => issue(i.code, i.path, i.message));
    const payee = await invoicePayee(o.erp.port, o.vendorMaster, vendorId);
    const payeeProblem = payee === undefined ? undefined : payeeIssue(payee, invoice.companyCode, 'invoice.supplierId');
    if (payeeProblem !== undefined) issues.push(payeeProblem);
    const failure = postingCheckFailure(
      `Invoice ${invoice.invoiceNumber} cannot be posted to ${o.erp.system} as coded`,
      issues,
      o.postingCheck ?? DEFAULT_POSTING_CHECK_POLICY,
    );
    if (failure !== undefined) {
      // Back to the source: the AP clerk sees why on the invoice, which stays unexported; a corrected version is a new run.
      if (failure.code === 'LL_ERR_VALIDATION') await integrationError(ctx, invoice, 'posting-check', failure);
      throw failure;
    }
    const document = erpSupplierInvoice(invoice, lines, { vendorId, postingDate });
    return { next: REVERSAL_STEP, state: { document } };
  };

  const post = async (ctx: StepContext): Promise<StepOutcome> => {
    const { invoice, vendorId } = stateOf<Fetched>(ctx, 'fetched');
    const replaces = ctx.run.state['supersedes'] !== undefined;
    const document = stateOf<Omit<ErpSupplierInvoice, 'reference'>>(ctx, 'document');
    try {
      const result = await ctx.effect({
        system: o.erp.system,
        name: 'supplier-invoice',
        // Once per invoice, whatever version; a version that replaced a reversed posting posts under its own run's reference.
        scope: replaces ? 'run' : 'document',
        lookup: async (key) => {
          const ref = await o.erp.port.findDocumentByReference('supplier_invoice', key, {
            companyCode: document.companyCode,
            vendorId,
          });
          return ref === null ? null : `${ref.documentId}/${ref.fiscalYear}`;
        },
        create: async (key) => {
          const ref = await o.erp.port.postSupplierInvoice({ ...document, reference: key });
          return `${ref.documentId}/${ref.fiscalYear}`;
        },
      });
      return {
        next: EVIDENCE_STEP,
        state: { erpDocument: result.remoteId, reference: result.idempotencyKey },
        facts: { postedAt: now() },
      };
    } catch (error) {
      if (!isLedgerlinkError(error) || error.code !== 'LL_ERR_REMOTE_REJECTED') throw error;
      // The AP clerk sees the refusal where the invoice is: procurement's integration errors.
      await integrationError(
        ctx,
        invoice,
        'erp-rejected',
        error,
        `${o.erp.system} refused invoice ${invoice.invoiceNumber}: `,
      );
      throw error;
    }
  };

  const integrationError = (
    ctx: StepContext,
    invoice: SupplierInvoice,
    code: 'posting-check' | 'erp-rejected',
    error: LedgerlinkError,
    prefix = '',
  ): Promise<void> => recordInvoiceIntegrationError(ctx, o.procurement, invoice.id, code, error, prefix);

  const exportStep = async (ctx: StepContext): Promise<StepOutcome> => {
    const { invoice } = stateOf<Fetched>(ctx, 'fetched');
    const erpDocument = stateOf<string>(ctx, 'erpDocument');
    await ctx.effect({
      system: o.procurement.system,
      name: 'exported',
      lookup: async () => ((await procurement.invoiceById(invoice.id))?.exported === true ? invoice.id : null),
      create: async () => {
        await procurement.markInvoiceExported(invoice.id);
        return invoice.id;
      },
    });
    const [documentNumber, fiscalYear] = erpDocument.split('/');
    const history = await recordIntegrationOnce(ctx, {
      system: o.procurement.system,
      port: procurement,
      kind: 'history',
      name: 'integration-history',
      record: {
        documentType: INVOICE_DOCUMENT_TYPE,
        documentId: invoice.id,
        status: 'success',
        responses: [
          {
            code: 'erp-document',
            message:
              `${o.erp.system} supplier invoice ${documentNumber ?? erpDocument} fiscal year ${fiscalYear ?? ''} company code ${invoice.companyCode}`.trim(),
          },
        ],
      },
    });
    return { done: true, state: { exported: true, integrationHistory: history.remoteId } };
  };

  return {
    name: INVOICE_POSTING,
    firstStep: 'fetch',
    ...(o.maxAttempts === undefined ? {} : { maxAttempts: o.maxAttempts }),
    pollers: o.pollIntervalMs === undefined && o.schedule === undefined && o.webhook === true ? [] : [invoicePoller(o)],
    route(event: InboundEvent) {
      if (event.system !== o.procurement.system || !INVOICE_EVENTS.has(event.eventType)) return null;
      const version = invoiceVersionOf(event.payload);
      if (version === undefined) {
        throw new LedgerlinkError(
          'LL_ERR_RUN_KEY_INVALID',
          `An ${event.eventType} event needs "invoice": { "id", "updated-at" }; ask the sender to include them`,
          {
            details: [{ path: 'invoice', message: 'id and updated-at required' }],
          },
        );
      }
      return { documentId: version.invoiceId, version: version.updatedAt, input: event.payload };
    },
    steps: {
      fetch,
      match,
      map,
      validate,
      [REVERSAL_STEP]: invoiceReverseStep({
        erp: o.erp,
        reopened: o.reopened ?? 'reverse',
        now,
        ...(o.postings === undefined ? {} : { postings: o.postings }),
      }),
      post,
      [EVIDENCE_STEP]: invoiceAttachStep({
        erp: o.erp,
        source: o.procurement.system,
        next: 'export',
        ...(o.invoicePageUrl === undefined ? {} : { invoicePageUrl: o.invoicePageUrl }),
      }),
      export: exportStep,
    },
  };
}
