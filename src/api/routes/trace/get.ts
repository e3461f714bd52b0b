/**
 * GET /v1/trace/:correlationId — the whole chain of one document: timeline and sections. An effect's
 * idempotency key is accepted in place of the correlation ID.
 */
import { Type } from 'typebox';
import { LedgerlinkError } from '../../../canonical/errors.js';
import type { ApiContext, ApiServer } from '../../api-context.js';
import { TraceSchema } from '../runs/run-schemas.js';

const Params = Type.Object({ correlationId: Type.String({ minLength: 1, maxLength: 256 }) });

export function registerGetTraceRoute(app: ApiServer, ctx: ApiContext): void {
  app.get(
    '/v1/trace/:correlationId',
    {
      config: { action: 'trace:read' },
      schema: {
        summary: 'The chain of one document by correlation ID (or effect idempotency key)',
        params: Params,
        response: { 200: TraceSchema },
      },
    },
    async (request) => {
      const { correlationId } = request.params;
      const trace =
        (await ctx.engine.businessTrace(correlationId)) ??
        (await ctx.engine
          .findCorrelationId({ idempotencyKey: correlationId })
          .then((found) => (found === undefined ? undefined : ctx.engine.businessTrace(found))));
      if (trace === undefined)
        throw new LedgerlinkError('LL_ERR_NOT_FOUND', `Nothing recorded for correlation ID ${correlationId}`);
      return trace;
    },
  );
}
