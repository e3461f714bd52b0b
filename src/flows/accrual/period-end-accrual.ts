/**
 * Period-end accruals: at a period's end, the expense reports and invoices approved by then and not
 * yet posted are accrued in the ERP, one journal entry per entity and currency on the period's last
 * day (Dr the accrual expense account of each process, Cr accrued liabilities), reversed by the
 * inverse entry on the first day of the next period, so the two balance to zero across the periods.
 *
 * Triggers: `period.closing` with `{ "period": "YYYY-MM" }` posted to /v1/events/<erp system>, and a
 * daily poller (`schedule`, default 21:00 UTC) that raises it on the last day of a month. The run key
 * is `period-end-accrual:<erp>:<period>:1`: a period is accrued once.
 * Steps: collect (the hub's approved, unposted documents) → accrue (one journal entry per entity and
 * currency, each its own effect) → reverse (the inverse entries, each its own effect). See docs/flows.md.
 */
import { Decimal } from 'decimal.js';
import { LedgerlinkError } from '../../canonical/errors.js';
import { PERIOD_END_ACCRUAL } from '../../canonical/processes.js';
import type { ErpJournalEntry, ErpPort, ErpPostingDocument } from '../../connectors/port.js';
import type { FlowDefinition, InboundEvent, StepContext, StepHandler } from '../../engine/step-api.js';
import type { AccrualSource } from '../../hub/ports.js';

export const PERIOD_CLOSING = 'period.closing';

export interface PeriodEndAccrualOptions {
  readonly erp: { readonly system: string; readonly port: ErpPort };
  readonly source: AccrualSource;
  /** The accrual expense account per posting flow (e.g. expense-posting → 61008000); flows not named are not accrued. */
  readonly expenseAccounts: Readonly<Record<string, string>>;
  /** The accrued liabilities account credited. */
  readonly liabilityAccount: string;
  /** Times of day (UTC, HH:MM) the poller checks for a month's last day; default 21:00. */
  readonly schedule?: readonly string[];
  readonly maxAttempts?: number;
}

/** One journal entry to make: an entity and currency's accrual. */
export interface PlannedAccrual {
  readonly entity: string;
  readonly currency: string;
  readonly documents: number;
  readonly lines: readonly { readonly flow: string; readonly account: string; readonly amount: string }[];
  readonly total: string;
}

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

function periodBounds(period: string): { last: string; next: string; endMs: number } {
  const match = PERIOD.exec(period);
  if (match === null)
    throw new LedgerlinkError('LL_ERR_RUN_KEY_INVALID', `period.closing needs "period": "YYYY-MM"; got ${period}`, {
      details: [{ path: 'period', message: 'YYYY-MM' }],
    });
  const endMs = Date.UTC(Number(match[1]), Number(match[2]), 1);
  const last = new Date(endMs - 86_400_000).toISOString().slice(0, 10);
  return { last, next: new Date(endMs).toISOString().slice(0, 10), endMs };
}

/** Groups the documents per entity and currency, one line per flow, amounts as exact decimals. */
export function plannedAccruals(
  documents: readonly { flow: string; entity: string; amount: { amount: string; currency: string } }[],
  expenseAccounts: Readonly<Record<string, string>>,
): PlannedAccrual[] {
  const groups = new Map<
    string,
    { entity: string; currency: string; documents: number; byFlow: Map<string, Decimal> }
  >();
  for (const d of documents) {
    if (expenseAccounts[d.flow] === undefined) continue;
    const key = `${d.entity}\u0000${d.amount.currency}`;
    const group = groups.get(key) ?? { entity: d.entity, currency: d.amount.currency, documents: 0, byFlow: new Map() };
    group.documents++;
    group.byFlow.set(d.flow, (group.byFlow.get(d.flow) ?? new Decimal(0)).plus(d.amount.amount));
    groups.set(key, group);
  }
  return [...groups.values()]
    .map((g) => {
      const lines = [...g.byFlow]
        .filter(([, amount]) => !amount.isZero())
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([flow, amount]) => ({ flow, account: expenseAccounts[flow] ?? '', amount: amount.toFixed() }));
      const total = lines.reduce((sum, l) => sum.plus(l.amount), new Decimal(0));
      return { entity: g.entity, currency: g.currency, documents: g.documents, lines, total: total.toFixed() };
    })
    .filter((g) => g.lines.length > 0)
    .sort((a, b) => a.entity.localeCompare(b.entity) || a.currency.localeCompare(b.currency));
}

export function periodEndAccrualFlow(o: PeriodEndAccrualOptions): FlowDefinition {
  const journal = (
    a: PlannedAccrual,
    date: string,
    period: string,
    reversal: boolean,
  ): Omit<ErpJournalEntry, 'reference'> => {
    const debit = reversal ? 'C' : 'D';
    const credit = reversal ? 'D' : 'C';
    const money = (amount: string) => ({ amount, currency: a.currency });
    const text = `${reversal ? 'Accrual reversal' : 'Accrual'} ${period}`;
    return {
      companyCode: a.entity,
      documentDate: date,
      postingDate: date,
      headerText: text.slice(0, 25),
      lines: [
        ...a.lines.map(
          (l) => ({ glAccount: l.account, side: debit, amount: money(l.amount), text: `${text} ${l.flow}` }) as const,
        ),
        { glAccount: o.liabilityAccount, side: credit, amount: money(a.total), text } as const,
      ],
    };
  };

  const postEach = async (ctx: StepContext, prefix: string, reversal: boolean): Promise<ErpPostingDocument[]> => {
    const period = ctx.run.documentId;
    const bounds = periodBounds(period);
    const date = reversal ? bounds.next : bounds.last;
    const out: ErpPostingDocument[] = [];
    for (const a of ctx.run.state['accruals'] as PlannedAccrual[]) {
      const entry = journal(a, date, period, reversal);
      const result = await ctx.effect({
        system: o.erp.system,
        name: `${prefix}-${a.entity}-${a.currency}`,
        lookup: async (key) => {
          const found = await o.erp.port.findDocumentByReference('journal_entry', key, { companyCode: a.entity });
          return found === null ? null : `${found.documentId}/${found.fiscalYear}`;
        },
        create: async (key) => {
          const done = await o.erp.port.postJournalEntry({ ...entry, reference: key });
          return `${done.documentId}/${done.fiscalYear}`;
        },
      });
      const [documentNumber = result.remoteId, fiscalYear = date.slice(0, 4)] = result.remoteId.split('/');
      out.push({ companyCode: a.entity, documentNumber, fiscalYear, postingDate: date });
    }
    return out;
  };

  const collect: StepHandler = async (ctx) => {
    const { endMs } = periodBounds(ctx.run.documentId);
    const documents = await o.source.unposted(Object.keys(o.expenseAccounts), endMs);
    const accruals = plannedAccruals(documents, o.expenseAccounts);
    if (accruals.length === 0) return { done: true, state: { accruals, documents: documents.length } };
    return { next: 'accrue', state: { accruals, documents: documents.length } };
  };
  const accrue: StepHandler = async (ctx) => ({
    next: 'reverse',
    state: { accrued: await postEach(ctx, 'accrual', false) },
  });
  const reverse: StepHandler = async (ctx) => ({
    done: true,
    state: { reversed: await postEach(ctx, 'accrual-reversal', true) },
  });

  return {
    name: PERIOD_END_ACCRUAL,
    firstStep: 'collect',
    ...(o.maxAttempts === undefined ? {} : { maxAttempts: o.maxAttempts }),
    route(event: InboundEvent) {
      if (event.system !== o.erp.system || event.eventType !== PERIOD_CLOSING) return null;
      const period = (event.payload as { period?: unknown } | null)?.period;
      const text = typeof period === 'string' ? period : '';
      periodBounds(text);
      return { documentId: text, version: '1', input: event.payload };
    },
    steps: { collect, accrue, reverse },
    pollers: [
      {
        name: `${PERIOD_END_ACCRUAL}:month-end`,
        system: o.erp.system,
        schedule: o.schedule ?? ['21:00'],
        async poll(ctx) {
          const today = new Date(ctx.now).toISOString().slice(0, 10);
          const period = today.slice(0, 7);
          if (periodBounds(period).last !== today) return { events: [], cursor: ctx.cursor };
          return {
            events: [{ eventType: PERIOD_CLOSING, dedupeKey: `accrual:${period}`, payload: { period } }],
            cursor: period,
          };
        },
      },
    ],
  };
}
