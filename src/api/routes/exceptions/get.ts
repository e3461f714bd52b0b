/** GET /v1/exceptions/:id — one exception with its run's steps, its history and payload revisions. */
import { LedgerlinkError } from '../../../canonical/errors.js';
import type { ApiContext, ApiServer } from '../../api-context.js';
import { ExceptionParams } from './exception-schemas.js';

export function registerGetExceptionRoute(app: ApiServer, ctx: ApiContext): void {
  app.get(
    '/v1/exceptions/:id',
    {
      config: { action: 'exceptions:read' },
      schema: { summary: 'One exception with its run and history', params: ExceptionParams },
    },
    async (request) => {
      const detail = await ctx.engine.getException(request.params.id);
      if (detail === undefined) throw new LedgerlinkError('LL_ERR_NOT_FOUND', `No exception ${request.params.id}`);
      if (detail.run === null) return detail;
      // The run's input stays on GET /v1/runs/:id, served there as the exact stored JSON.
      const { input: _input, ...run } = detail.run;
      return { ...detail, run };
    },
  );
}
