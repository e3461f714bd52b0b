/**
 * POST /v1/reconciliations — reconciles source approvals against ERP postings for a period
 * `{ from, to, entity?, processes? }`, keeps the result and answers it (201) with its id.
 */
import { Type } from 'typebox';
import { runReconciliation } from '../../../insights/reconciliation/store.js';
import type { ApiContext, ApiServer } from '../../api-context.js';
import { actorOf } from '../../route-access.js';
import { FormatQuery, sendReconciliation } from './reconciliation-output.js';

const Day = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });

const ReconciliationBody = Type.Object(
  {
    from: Day('first day of the period (YYYY-MM-DD, UTC)'),
    to: Day('last day of the period, included'),
    entity: Type.Optional(Type.String({ minLength: 1, maxLength: 16, description: 'legal entity (company code)' })),
    processes: Type.Optional(
      Type.Array(Type.String({ pattern: '^[a-z][a-z0-9-]{0,63}$' }), {
        maxItems: 32,
        description: 'flows to include (all when omitted)',
      }),
    ),
  },
  { additionalProperties: false },
);

export function registerPostReconciliationRoute(app: ApiServer, ctx: ApiContext): void {
  app.post(
    '/v1/reconciliations',
    {
      config: { action: 'reconciliations:run' },
      schema: {
        summary: 'Reconcile source approvals against ERP postings for a period',
        body: ReconciliationBody,
        querystring: FormatQuery,
      },
    },
    async (request, reply) => {
      const { from, to, entity, processes } = request.body;
      const inputs = ctx.reconciliation;
      const sources = inputs === undefined ? [] : await inputs.readSources(from, to);
      const rec = await runReconciliation(
        ctx.engine.store,
        {
          from,
          to,
          ...(entity === undefined ? {} : { entity }),
          ...(processes === undefined ? {} : { processes }),
          actor: actorOf(request),
          sources,
          erpSystems: inputs?.erpSystems ?? [],
          ...(inputs?.checkInErp === undefined ? {} : { checkInErp: inputs.checkInErp }),
        },
        Date.now(),
      );
      return sendReconciliation(request, reply, rec, request.query.format, 201);
    },
  );
}
