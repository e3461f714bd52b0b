/**
 * GET /v1/master-data — the ERP's dimensions as the hub holds them: per kind, the current version of
 * each value with its validity and retired flag (and why). `?kind=` one kind, `?entity=` one company
 * code, `?includeRetired=true` retired values too (blocked, expired, closed, deleted in the ERP).
 */
import { Type } from 'typebox';
import { LedgerlinkError } from '../../../canonical/errors.js';
import { isMasterDataKind, MASTER_DATA_KINDS } from '../../../hub/master-data/entries.js';
import type { ApiContext, ApiServer } from '../../api-context.js';

const MasterDataQuery = Type.Object(
  {
    kind: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: MASTER_DATA_KINDS.join(', ') })),
    entity: Type.Optional(Type.String({ minLength: 1, maxLength: 16, description: 'company code' })),
    includeRetired: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);

export function registerListMasterDataRoute(app: ApiServer, ctx: ApiContext): void {
  app.get(
    '/v1/master-data',
    {
      config: { action: 'master-data:read' },
      schema: { summary: 'Master data as the hub holds it', querystring: MasterDataQuery },
    },
    async (request) => {
      const services = ctx.masterData;
      if (services === undefined)
        throw new LedgerlinkError('LL_ERR_NOT_FOUND', 'Master data is not available in this process');
      const { kind, entity, includeRetired } = request.query;
      if (kind !== undefined && !isMasterDataKind(kind)) {
        throw new LedgerlinkError('LL_ERR_BAD_REQUEST', `Unknown kind ${kind}`, {
          details: [{ path: 'querystring/kind', message: `expected one of ${MASTER_DATA_KINDS.join(', ')}` }],
        });
      }
      const entries = await services.repository.current({ includeRetired: includeRetired === true });
      const kinds: Record<string, unknown[]> = {};
      for (const k of MASTER_DATA_KINDS) if (kind === undefined || kind === k) kinds[k] = [];
      for (const e of entries) {
        const list = kinds[e.kind];
        if (list === undefined || (entity !== undefined && e.record['companyCode'] !== entity)) continue;
        list.push({
          key: e.key,
          version: e.version,
          validFrom: e.validFrom,
          validTo: e.validTo,
          retired: e.retired,
          retiredReason: e.retiredReason,
          fetchedAt: new Date(e.fetchedAt).toISOString(),
          record: e.record,
        });
      }
      return { revision: await services.repository.revision(), kinds };
    },
  );
}
