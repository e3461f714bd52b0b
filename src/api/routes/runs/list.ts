/** GET /v1/runs — runs newest first, filtered by flow, status, system, document or correlation ID. */
import { Type } from 'typebox';
import type { RunFilter } from '../../../engine/read/run-queries.js';
import type { ApiContext, ApiServer } from '../../api-context.js';
import { RunListSchema } from './run-schemas.js';

const Filter = (description: string) => Type.Optional(Type.String({ minLength: 1, maxLength: 256, description }));

const RunListQuery = Type.Object(
  {
    flow: Filter('flow name'),
    status: Filter('run status'),
    system: Filter('source system'),
    documentId: Filter('business document ID'),
    correlationId: Filter('correlation ID'),
    before: Filter('the `next` of the previous page'),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  { additionalProperties: false },
);

export function registerListRunsRoute(app: ApiServer, ctx: ApiContext): void {
  app.get(
    '/v1/runs',
    {
      config: { action: 'runs:read' },
      schema: { summary: 'List runs', querystring: RunListQuery, response: { 200: RunListSchema } },
    },
    async (request) => {
      const filter: { -readonly [K in keyof RunFilter]: RunFilter[K] } = {};
      for (const key of ['flow', 'status', 'system', 'documentId', 'correlationId', 'before'] as const) {
        const value = request.query[key];
        if (value !== undefined) filter[key] = value;
      }
      if (request.query.limit !== undefined) filter.limit = request.query.limit;
      return ctx.engine.listRuns(filter);
    },
  );
}
