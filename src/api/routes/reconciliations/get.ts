/** GET /v1/reconciliations/:id — a stored reconciliation, as JSON or CSV. */
import { Type } from 'typebox';
import { LedgerlinkError } from '../../../canonical/errors.js';
import { reconciliationById } from '../../../insights/reconciliation/store.js';
import type { ApiContext, ApiServer } from '../../api-context.js';
import { FormatQuery, sendReconciliation } from './reconciliation-output.js';

const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });

export function registerGetReconciliationRoute(app: ApiServer, ctx: ApiContext): void {
  app.get(
    '/v1/reconciliations/:id',
    {
      config: { action: 'reconciliations:read' },
      schema: { summary: 'One stored reconciliation', params: Params, querystring: FormatQuery },
    },
    async (request, reply) => {
      const rec = await reconciliationById(ctx.engine.store, request.params.id);
      if (rec === undefined) throw new LedgerlinkError('LL_ERR_NOT_FOUND', `No reconciliation ${request.params.id}`);
      return sendReconciliation(request, reply, rec, request.query.format);
    },
  );
}
