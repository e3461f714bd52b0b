/** GET /v1/mappings/:version — one mapping set version: its YAML content and publication record. */
import { LedgerlinkError } from '../../../canonical/errors.js';
import type { ApiContext, ApiServer } from '../../api-context.js';
import { MappingSetContentSchema, VersionParams } from './mapping-schemas.js';

export function registerGetMappingRoute(app: ApiServer, ctx: ApiContext): void {
  app.get(
    '/v1/mappings/:version',
    {
      config: { action: 'mappings:read' },
      schema: {
        summary: 'One mapping set version with its content',
        params: VersionParams,
        response: { 200: MappingSetContentSchema },
      },
    },
    async (request) => {
      const stored = await ctx.mappings.sets.get(request.params.version);
      if (stored === undefined)
        throw new LedgerlinkError('LL_ERR_NOT_FOUND', `No mapping set has version ${request.params.version}`);
      return stored;
    },
  );
}
