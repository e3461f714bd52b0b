/**
 * Flow 5, payment status: vendor items the ERP cleared (paid) flow back to where their documents
 * came from. Trigger: the poller on the ERP's cleared vendor items since its cursor date (and
 * `payment.completed` events in the same payload shape); one event per cleared item, keyed by the
 * clearing document and the item's accounting document. Steps:
 *   trace → (confirm-expense | update-procurement) → mark-paid
 * trace finds the posting by the item's reference, which is the idempotency key the hub sent as the
 * ERP reference. An item that matches no posting of ours finishes as `unmatched` (ERPs clear many
 * items the hub never posted). An expense report gets a payment confirmation on the expense platform;
 * a procurement invoice is marked paid with its payment date in procurement (when the port can) and
 * gets a payment record in procurement's integration history. mark-paid sets the posting run's paid_at and this run's
 * paidAt, so approval → payment latency is measured. See docs/flows.md.
 */
import { CASH_ADVANCE_POSTING_FLOW, PAYMENT_STATUS } from '../canonical/processes.js';
import { LedgerlinkError } from '../canonical/errors.js';
import { money } from '../canonical/money.js';
import { asJsonObject, type JsonValue, ownText, ownValue } from '../canonical/strict-json.js';
import type { ErpPort, ExpensePort, PaymentStatus, ProcurementPort } from '../connectors/port.js';
import type { FlowDefinition, InboundEvent, PollerDefinition, StepContext, StepOutcome } from '../engine/step-api.js';
import type { PostingLookup, PostingRecord } from '../hub/ports.js';
import { postingEffectName } from './expense/expense-posting-steps.js';
import { INVOICE_DOCUMENT_TYPE } from './invoice/invoice-input.js';
import { recordIntegrationOnce } from './integration-record-effect.js';
import { isoDay } from '../canonical/time.js';

export const PAYMENT_COMPLETED = 'payment.completed';
/** The expense report's posting to the employee vendor: the one whose clearing pays the report. */
const EXPENSE_POST_STEP = 'post';
const EMPLOYEE_POSTING = postingEffectName('employee');

export interface PaymentStatusOptions {
  readonly erp: { readonly system: string; readonly port: ErpPort };
  readonly postings: PostingLookup;
  readonly procurement?: { readonly system: string; readonly port: ProcurementPort };
  readonly expense?: { readonly system: string; readonly port: ExpensePort };
  readonly pollIntervalMs?: number;
  readonly schedule?: readonly string[];
  readonly webhook?: boolean;
  /** How far back the first poll reads cleared items (default 30 days). */
  readonly lookbackDays?: number;
  readonly maxAttempts?: number;
  readonly now?: () => number;
}

const FIELDS = [
  'companyCode',
  'fiscalYear',
  'accountingDocument',
  'reference',
  'vendorId',
  'clearingDocument',
  'clearingDate',
] as const;
/** The cleared item an event carries (`{ "payment": { companyCode, …, amount: { amount, currency } } }`). */
export function paymentOf(payload: JsonValue): PaymentStatus | undefined {
  const root = asJsonObject(payload);
  const payment = root === undefined ? undefined : asJsonObject(ownValue(root, 'payment'));
  const amount = payment === undefined ? undefined : asJsonObject(ownValue(payment, 'amount'));
  if (payment === undefined || amount === undefined) return undefined;
  const values: Partial<Record<(typeof FIELDS)[number], string>> = {};
  for (const field of FIELDS) {
    const text = field === 'reference' ? (ownText(payment, [field]) ?? '') : ownText(payment, [field]);
    if (text === undefined) return undefined;
    values[field] = text;
  }
  const value = ownText(amount, ['amount']);
  const currency = ownText(amount, ['currency']);
  if (value === undefined || currency === undefined) return undefined;
  return { ...(values as Record<(typeof FIELDS)[number], string>), amount: { amount: value, currency } };
}

export function paymentDedupeKey(p: PaymentStatus): string {
  return `payment:${p.companyCode}:${p.clearingDocument}:${p.accountingDocument}:${p.fiscalYear}`;
}

function clearedItemsPoller(o: PaymentStatusOptions, now: () => number): PollerDefinition {
  return {
    name: `${PAYMENT_STATUS}:cleared-items`,
    system: o.erp.system,
    intervalMs: o.pollIntervalMs ?? 300_000,
    ...(o.schedule === undefined ? {} : { schedule: o.schedule }),
    async poll(ctx) {
      const since = ctx.cursor ?? isoDay(now() - (o.lookbackDays ?? 30) * 86_400_000);
      const items = await o.erp.port.readPaymentStatus(since);
      let cursor = since;
      const events = items.map((item) => {
        if (item.clearingDate > cursor) cursor = item.clearingDate;
        return {
          eventType: PAYMENT_COMPLETED,
          dedupeKey: paymentDedupeKey(item),
          payload: { payment: { ...item, amount: { ...item.amount } } },
        };
      });
      // Items cleared later on the cursor's day are read again next time; the inbox stores each once.
      return { events, cursor };
    },
  };
}

export function paymentStatusFlow(o: PaymentStatusOptions): FlowDefinition {
  const now = o.now ?? Date.now;
  /** The cleared item, its amount with the currency's decimals (the ERP may send "178.5"). */
  const paymentIn = (ctx: StepContext): PaymentStatus => {
    const payment = paymentOf(ctx.run.input);
    if (payment === undefined) {
      const message = `The run's payload is not a cleared item: it needs "payment" with ${FIELDS.join(', ')} and "amount" { amount, currency }; replay with a corrected payload`;
      throw new LedgerlinkError('LL_ERR_VALIDATION', message, { details: [{ path: 'payment', message }] });
    }
    return { ...payment, amount: money(payment.amount.amount, payment.amount.currency) };
  };
  const postingIn = (ctx: StepContext): PostingRecord => ctx.run.state['posting'] as PostingRecord;

  const trace = async (ctx: StepContext): Promise<StepOutcome> => {
    const payment = paymentIn(ctx);
    const facts = { entity: payment.companyCode, amount: payment.amount };
    const posting = payment.reference === '' ? null : await o.postings.byReference(o.erp.system, payment.reference);
    if (posting === null) {
      const reason = `${o.erp.system} item ${payment.accountingDocument}/${payment.fiscalYear} (reference "${payment.reference}") was not posted by the hub`;
      return { done: true, state: { outcome: 'unmatched', reason }, facts };
    }
    const { input: _input, ...record } = posting;
    // An issued cash advance is only marked paid: whether FIS takes payment confirmations for cash advances is not in the contract [gap].
    const expenseReport = posting.sourceSystem === o.expense?.system && posting.flow !== CASH_ADVANCE_POSTING_FLOW;
    if (
      expenseReport &&
      !o.postings.referencesOf(posting, EXPENSE_POST_STEP, EMPLOYEE_POSTING).includes(payment.reference)
    ) {
      // The card issuer paid, or an applied cash advance offset against the employee: not a payment of the report to its employee.
      const reason = `${o.erp.system} item ${payment.accountingDocument}/${payment.fiscalYear} settles the report's posting to another party than the employee (the card issuer, or a cash advance offset); the report's payment is confirmed when the employee's item is cleared`;
      return { done: true, state: { posting: record, outcome: 'settled_other_party', reason }, facts };
    }
    const next = expenseReport
      ? 'confirm-expense'
      : posting.sourceSystem === o.procurement?.system
        ? 'update-procurement'
        : 'mark-paid';
    return { next, state: { posting: record }, facts };
  };

  const confirmExpense = async (ctx: StepContext): Promise<StepOutcome> => {
    const payment = paymentIn(ctx);
    const posting = postingIn(ctx);
    const expense = o.expense!;
    await ctx.effect({
      system: expense.system,
      name: 'payment-confirmation',
      lookup: async () => null,
      create: async () => {
        // "Already confirmed" answers as done: a repeated confirmation is a success.
        const outcome = await expense.port.confirmPayment({
          documentId: posting.documentId,
          status: 'paid',
          clearings: [
            {
              clearingDate: payment.clearingDate,
              amount: payment.amount,
              reference: {
                clearingDocument: payment.clearingDocument,
                accountingDocument: payment.accountingDocument,
                fiscalYear: payment.fiscalYear,
                companyCode: payment.companyCode,
              },
            },
          ],
        });
        return `${posting.documentId}:${outcome.alreadyDone ? 'already-confirmed' : 'confirmed'}`;
      },
    });
    return { next: 'mark-paid', state: { confirmed: expense.system } };
  };

  const updateProcurement = async (ctx: StepContext): Promise<StepOutcome> => {
    const payment = paymentIn(ctx);
    const posting = postingIn(ctx);
    const procurement = o.procurement!;
    const markPaid = procurement.port.markInvoicePaid?.bind(procurement.port);
    if (markPaid !== undefined) {
      await ctx.effect({
        system: procurement.system,
        name: 'invoice-paid',
        lookup: async () => null,
        create: async () => {
          await markPaid(posting.documentId, payment.clearingDate);
          return posting.documentId;
        },
      });
    }
    const record = await recordIntegrationOnce(ctx, {
      system: procurement.system,
      port: procurement.port,
      kind: 'history',
      name: PAYMENT_STATUS,
      record: {
        documentType: INVOICE_DOCUMENT_TYPE,
        documentId: posting.documentId,
        status: 'paid',
        responses: [
          {
            code: 'payment',
            message: `Paid ${payment.amount.amount} ${payment.amount.currency} on ${payment.clearingDate}: ${o.erp.system} clearing document ${payment.clearingDocument} for supplier invoice ${payment.accountingDocument}/${payment.fiscalYear}`,
          },
        ],
      },
    });
    return { next: 'mark-paid', state: { confirmed: procurement.system, integrationHistory: record.remoteId } };
  };

  const markPaid = async (ctx: StepContext): Promise<StepOutcome> => {
    const payment = paymentIn(ctx);
    const posting = postingIn(ctx);
    const paidAt = Date.parse(`${payment.clearingDate}T00:00:00Z`);
    if (Number.isNaN(paidAt)) {
      throw new LedgerlinkError(
        'LL_ERR_VALIDATION',
        `The clearing date "${payment.clearingDate}" of ${o.erp.system} item ${payment.accountingDocument} is not a date`,
        {
          details: [{ path: 'payment.clearingDate', message: 'YYYY-MM-DD expected' }],
        },
      );
    }
    await o.postings.markPaid(posting.runId, paidAt);
    return {
      done: true,
      state: { outcome: 'paid', postingRun: posting.runId },
      facts: { paidAt, ...(posting.entity === null ? {} : { entity: posting.entity }) },
    };
  };

  return {
    name: PAYMENT_STATUS,
    firstStep: 'trace',
    ...(o.maxAttempts === undefined ? {} : { maxAttempts: o.maxAttempts }),
    pollers:
      o.pollIntervalMs === undefined && o.schedule === undefined && o.webhook === true
        ? []
        : [clearedItemsPoller(o, now)],
    route(event: InboundEvent) {
      if (event.system !== o.erp.system || event.eventType !== PAYMENT_COMPLETED) return null;
      const payment = paymentOf(event.payload);
      if (payment === undefined) {
        throw new LedgerlinkError(
          'LL_ERR_RUN_KEY_INVALID',
          `A ${PAYMENT_COMPLETED} event needs "payment": { ${FIELDS.join(', ')}, amount: { amount, currency } }`,
          {
            details: [{ path: 'payment', message: 'cleared item fields required' }],
          },
        );
      }
      return {
        documentId: `${payment.companyCode}:${payment.accountingDocument}:${payment.fiscalYear}`,
        version: payment.clearingDocument,
        input: event.payload,
      };
    },
    steps: { trace, 'confirm-expense': confirmExpense, 'update-procurement': updateProcurement, 'mark-paid': markPaid },
  };
}
