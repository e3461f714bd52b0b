/**
 * GET /v1/master-data/drift — per target system and dimension, what the target lacks (`missing`),
 * holds with another name (`stale`) or inactive (`inactiveInTarget`), still offers after the ERP
 * retired it (`activeAfterRetirement`), and what it holds that the ERP does not know (`unexpected`,
 * listed, not counted as drift). `?target=` one system. Read live from the targets.
 */
import { Type } from 'typebox';
import { LedgerlinkError } from '../../../canonical/errors.js';
import type { ApiContext, ApiServer } from '../../api-context.js';

const DriftQuery = Type.Object(
  { target: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'one target system' })) },
  { additionalProperties: false },
);

export function registerMasterDataDriftRoute(app: ApiServer, ctx: ApiContext): void {
  app.get(
    '/v1/master-data/drift',
    {
      config: { action: 'master-data:read' },
      schema: { summary: 'What each target system lacks or still has after retirement', querystring: DriftQuery },
    },
    async (request) => {
      if (ctx.masterData === undefined)
        throw new LedgerlinkError('LL_ERR_NOT_FOUND', 'Master data is not available in this process');
      return ctx.masterData.drift(request.query.target);
    },
  );
}
