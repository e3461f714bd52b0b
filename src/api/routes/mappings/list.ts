/** GET /v1/mappings — mapping set versions, newest first, with label, status, author, approver and dates. */
import { Type } from 'typebox';
import type { ApiContext, ApiServer } from '../../api-context.js';
import { MappingSetListSchema } from './mapping-schemas.js';

const ListQuery = Type.Object(
  {
    status: Type.Optional(
      Type.Union(['pending_approval', 'published', 'superseded', 'rejected'].map((s) => Type.Literal(s))),
    ),
    label: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);

export function registerListMappingsRoute(app: ApiServer, ctx: ApiContext): void {
  app.get(
    '/v1/mappings',
    {
      config: { action: 'mappings:read' },
      schema: { summary: 'List mapping set versions', querystring: ListQuery, response: { 200: MappingSetListSchema } },
    },
    async (request) => {
      const { status, label, limit } = request.query;
      const mappings = await ctx.mappings.sets.list({
        ...(status === undefined ? {} : { status }),
        ...(label === undefined ? {} : { label }),
        ...(limit === undefined ? {} : { limit }),
      });
      return { mappings };
    },
  );
}
