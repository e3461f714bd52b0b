/**
 * POST /v1/mappings — registers a mapping set (YAML text in `content`) pending approval, authored by
 * the caller. 201 with the new version; a set with the same content answers the stored version, 200.
 * An invalid set is 400 LL_ERR_MAPPING_INVALID with every problem by path and line.
 */
import type { ApiContext, ApiServer } from '../../api-context.js';
import { ContentBody, mappingActorOf, RegisteredSchema } from './mapping-schemas.js';

export function registerPostMappingRoute(app: ApiServer, ctx: ApiContext): void {
  app.post(
    '/v1/mappings',
    {
      config: { action: 'mappings:author' },
      schema: {
        summary: 'Register a mapping set for approval',
        body: ContentBody,
        response: { 200: RegisteredSchema, 201: RegisteredSchema },
      },
    },
    async (request, reply) => {
      const { record, created } = await ctx.mappings.register(request.body.content, mappingActorOf(request));
      return reply.code(created ? 201 : 200).send({ ...record, created });
    },
  );
}
