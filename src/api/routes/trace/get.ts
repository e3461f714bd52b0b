/** GET /v1/trace/:correlationId — everything one correlation ID touched, in time order. */
import { Type } from 'typebox';
import { LedgerlinkError } from '../../../canonical/errors.js';
import type { ApiContext, ApiServer } from '../../api-context.js';
import { TraceSchema } from '../runs/run-schemas.js';

const Params = Type.Object({ correlationId: Type.String({ minLength: 1, maxLength: 256 }) });

export function registerGetTraceRoute(app: ApiServer, ctx: ApiContext): void {
  app.get(
    '/v1/trace/:correlationId',
    { config: { action: 'trace:read' }, schema: { summary: 'The chain of one document by correlation ID', params: Params, response: { 200: TraceSchema } } },
    async (request) => {
      const { correlationId } = request.params;
      const entries = await ctx.engine.trace(correlationId);
      if (entries.length === 0) throw new LedgerlinkError('LL_ERR_NOT_FOUND', `Nothing recorded for correlation ID ${correlationId}`);
      return { correlationId, entries };
    },
  );
}
