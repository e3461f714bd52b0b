/** GET /v1/exceptions — the exception queue, filtered, oldest first, with cursor paging. */
import type { ApiContext, ApiServer } from '../../api-context.js';
import { ExceptionListQuery, ExceptionListSchema, filterFrom } from './exception-schemas.js';

export function registerListExceptionsRoute(app: ApiServer, ctx: ApiContext): void {
  app.get(
    '/v1/exceptions',
    {
      config: { action: 'exceptions:read' },
      schema: {
        summary: 'The exception queue',
        querystring: ExceptionListQuery,
        response: { 200: ExceptionListSchema },
      },
    },
    async (request) => {
      const { cursor, limit, ...filter } = request.query;
      return ctx.engine.listExceptions(filterFrom(filter), {
        ...(cursor === undefined ? {} : { cursor }),
        ...(limit === undefined ? {} : { limit }),
      });
    },
  );
}
