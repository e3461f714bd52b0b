/**
 * POST /v1/mappings/:version/approve — publishes a pending set (or a superseded one again, a
 * rollback); the published set before it becomes superseded. The author of a set cannot approve it,
 * whatever roles their token holds: 403 LL_ERR_SEGREGATION_OF_DUTIES.
 */
import type { ApiContext, ApiServer } from '../../api-context.js';
import { mappingActorOf, MappingSetRecordSchema, VersionParams } from './mapping-schemas.js';

export function registerApproveMappingRoute(app: ApiServer, ctx: ApiContext): void {
  app.post(
    '/v1/mappings/:version/approve',
    {
      config: { action: 'mappings:approve' },
      schema: {
        summary: 'Approve and publish a mapping set',
        params: VersionParams,
        response: { 200: MappingSetRecordSchema },
      },
    },
    async (request) => ctx.mappings.sets.approve(request.params.version, mappingActorOf(request)),
  );
}
