/**
 * PUT /v1/periods/:entity/:period — an operator opens or closes one posting period of one legal
 * entity (company code, or `*` for all) with a reason; the decision overrides the configured
 * calendar and is audited. Operators act on closures (`exceptions:act`): reopening a period is what
 * lets a run held by a closed-period exception be retried.
 */
import { Type } from 'typebox';
import { PeriodOverrideStore } from '../../../hub/periods/period-overrides.js';
import type { ApiContext, ApiServer } from '../../api-context.js';
import { actorOf } from '../../route-access.js';

const Params = Type.Object({
  entity: Type.String({ pattern: '^(\\*|[A-Za-z0-9]{1,10})$', description: 'company code, or * for all' }),
  period: Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' }),
});
const Body = Type.Object(
  {
    status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
    reason: Type.String({ minLength: 1, maxLength: 500, description: 'why; shown to users and kept in the audit log' }),
  },
  { additionalProperties: false },
);

export function registerPutPeriodRoute(app: ApiServer, ctx: ApiContext): void {
  const overrides = new PeriodOverrideStore(ctx.engine.store);
  app.put(
    '/v1/periods/:entity/:period',
    {
      config: { action: 'exceptions:act' },
      schema: { summary: 'Open or close a posting period of a legal entity', params: Params, body: Body },
    },
    async (request) => {
      const record = await overrides.set({
        entity: request.params.entity,
        period: request.params.period,
        status: request.body.status,
        reason: request.body.reason,
        source: 'operator',
        actor: actorOf(request),
      });
      return {
        entity: record.entity,
        period: record.period,
        status: record.status,
        source: record.source,
        reason: record.reason,
        actor: record.actor,
        updatedAt: record.updatedAt,
      };
    },
  );
}
