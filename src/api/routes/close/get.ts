/**
 * GET /v1/close/:entity/:period — the close view of a legal entity and period (YYYY-MM): what was
 * approved by the period's end and not posted by then, per process and currency (the accrual view);
 * the period-end accrual run with the journal entry it posted for the entity and its reversal; the
 * reconciliations kept for the entity over the period (start one with POST /v1/reconciliations,
 * download one as CSV with GET /v1/reconciliations/:id?format=csv). See insights/close-view.ts.
 */
import { Type } from 'typebox';
import { accrualRunOf, periodDays, reconciliationsOf, unpostedAtPeriodEnd } from '../../../insights/close-view.js';
import { POSTING_FLOWS } from '../../../insights/in-flight.js';
import type { ApiContext, ApiServer } from '../../api-context.js';

const Params = Type.Object({
  entity: Type.String({ minLength: 1, maxLength: 16, description: 'legal entity (company code)' }),
  period: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' }),
});

interface PostedEntry {
  readonly companyCode: string;
  readonly documentNumber: string;
  readonly fiscalYear: string;
  readonly postingDate: string;
}

interface PlannedEntry {
  readonly entity: string;
  readonly currency: string;
  readonly documents: number;
  readonly lines: readonly { flow: string; account: string; amount: string }[];
  readonly total: string;
}

const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

export function registerGetCloseRoute(app: ApiServer, ctx: ApiContext): void {
  app.get(
    '/v1/close/:entity/:period',
    {
      config: { action: 'reconciliations:read' },
      schema: {
        summary: 'Approved but not posted at the period end, the accrual journal and its reversal, reconciliations',
        params: Params,
      },
    },
    async (request) => {
      const { entity, period } = request.params;
      const db = ctx.engine.store.db;
      const accounts = ctx.config.flows.periodEndAccruals?.expenseAccounts;
      const flows = accounts === undefined ? [...POSTING_FLOWS] : Object.keys(accounts);
      const [unposted, run, reconciliations] = await Promise.all([
        unpostedAtPeriodEnd(db, entity, period, flows),
        accrualRunOf(db, period),
        reconciliationsOf(db, entity, period),
      ]);
      let accrual = null;
      if (run !== undefined) {
        const detail = (await ctx.engine.getRun(run.id)) as { state?: Record<string, unknown> } | undefined;
        const state = detail?.state ?? {};
        const mine = <T extends { entity?: string; companyCode?: string }>(rows: T[]) =>
          rows.filter((r) => (r.entity ?? r.companyCode) === entity);
        accrual = {
          runId: run.id,
          status: run.status,
          correlationId: run.correlation_id,
          planned: mine(list<PlannedEntry>(state['accruals'])),
          accrued: mine(list<PostedEntry>(state['accrued'])),
          reversed: mine(list<PostedEntry>(state['reversed'])),
        };
      }
      const { first, last } = periodDays(period);
      return { entity, period, from: first, to: last, flows, unposted, accrual, reconciliations };
    },
  );
}
