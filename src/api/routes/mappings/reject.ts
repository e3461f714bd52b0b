/** POST /v1/mappings/:version/reject — rejects a pending set with a reason; a rejected set is never published. */
import type { ApiContext, ApiServer } from '../../api-context.js';
import { mappingActorOf, MappingSetRecordSchema, RejectBody, VersionParams } from './mapping-schemas.js';

export function registerRejectMappingRoute(app: ApiServer, ctx: ApiContext): void {
  app.post(
    '/v1/mappings/:version/reject',
    {
      config: { action: 'mappings:approve' },
      schema: {
        summary: 'Reject a pending mapping set',
        params: VersionParams,
        body: RejectBody,
        response: { 200: MappingSetRecordSchema },
      },
    },
    async (request) => ctx.mappings.sets.reject(request.params.version, mappingActorOf(request), request.body.reason),
  );
}
