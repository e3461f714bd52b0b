/**
 * GET /v1/kpis — business figures for a window (`from`, `to`: days, UTC, default the last 30 days;
 * `entity`): postings by process, entity and status, success rate, latencies, exceptions by class
 * and owner with SLA breaches, queue depth, pollers, alert deliveries, the close window and the
 * health of each on-premises agent.
 */
import { Type } from 'typebox';
import { agentHealthOf } from '../../../insights/agent-health.js';
import { kpisOf } from '../../../insights/kpi-queries.js';
import { SlaPolicy } from '../../../insights/alerts/sla-policy.js';
import type { ApiContext, ApiServer } from '../../api-context.js';

const Day = (description: string) => Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description }));

const KpiQuery = Type.Object(
  {
    from: Day('first day of the window (YYYY-MM-DD, UTC)'),
    to: Day('last day of the window, included (default today)'),
    entity: Type.Optional(Type.String({ minLength: 1, maxLength: 16, description: 'legal entity (company code)' })),
  },
  { additionalProperties: false },
);

export function registerGetKpisRoute(app: ApiServer, ctx: ApiContext): void {
  const sla = ctx.sla ?? new SlaPolicy();
  app.get(
    '/v1/kpis',
    { config: { action: 'kpis:read' }, schema: { summary: 'Business figures for a window', querystring: KpiQuery } },
    async (request) => {
      const { from, to, entity } = request.query;
      const now = Date.now();
      const kpis = await kpisOf(ctx.engine.store, {
        now,
        sla,
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
        ...(entity === undefined ? {} : { entity }),
      });
      // On-premises agents: connected, last seen, version, calls in flight, latency.
      return { ...kpis, agents: await agentHealthOf(ctx.engine.store, Object.keys(ctx.config.agents), now) };
    },
  );
}
