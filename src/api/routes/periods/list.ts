/**
 * GET /v1/periods — the period calendar as the hub applies it: the configured calendar
 * (`periods:` of ledgerlink.yaml) and every period closed or opened at runtime, by an operator or
 * learned from an ERP rejection. Periods not listed are open.
 */
import { listPeriods, PeriodOverrideStore } from '../../../hub/periods/period-overrides.js';
import type { ApiContext, ApiServer } from '../../api-context.js';

export function registerListPeriodsRoute(app: ApiServer, ctx: ApiContext): void {
  const overrides = new PeriodOverrideStore(ctx.engine.store);
  app.get(
    '/v1/periods',
    { config: { action: 'master-data:read' }, schema: { summary: 'The period calendar with its overrides' } },
    async () => {
      const held = await overrides.list();
      return { calendar: ctx.config.periods, periods: listPeriods(ctx.config.periods, held) };
    },
  );
}
