/** GET /v1/trace?system=&documentId= (or ?idempotencyKey=) — the trace of a document found by reference. */
import { Type } from 'typebox';
import { LedgerlinkError } from '../../../canonical/errors.js';
import type { ApiContext, ApiServer } from '../../api-context.js';
import { TraceSchema } from '../runs/run-schemas.js';

const Text = (description: string) => Type.Optional(Type.String({ minLength: 1, maxLength: 256, description }));
const Query = Type.Object(
  {
    system: Text('source (or target) system'),
    documentId: Text('source document id, or an ERP document id'),
    idempotencyKey: Text('an effect idempotency key'),
  },
  { additionalProperties: false },
);

export function registerFindTraceRoute(app: ApiServer, ctx: ApiContext): void {
  app.get(
    '/v1/trace',
    {
      config: { action: 'trace:read' },
      schema: {
        summary: 'The chain of one document found by its reference',
        querystring: Query,
        response: { 200: TraceSchema },
      },
    },
    async (request) => {
      const { system, documentId, idempotencyKey } = request.query;
      if (documentId === undefined && idempotencyKey === undefined) {
        throw new LedgerlinkError('LL_ERR_BAD_REQUEST', 'Give documentId (with system) or idempotencyKey', {
          details: [{ path: 'querystring', message: 'documentId or idempotencyKey required' }],
        });
      }
      const reference = {
        ...(system === undefined ? {} : { system }),
        ...(documentId === undefined ? {} : { documentId }),
        ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      };
      const correlationId = await ctx.engine.findCorrelationId(reference);
      const trace = correlationId === undefined ? undefined : await ctx.engine.businessTrace(correlationId);
      if (trace === undefined)
        throw new LedgerlinkError('LL_ERR_NOT_FOUND', 'No document recorded under that reference');
      return trace;
    },
  );
}
