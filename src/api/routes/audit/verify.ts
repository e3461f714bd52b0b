/** GET /v1/audit/verify — walks the audit log's hash chain (as `ledgerlink audit verify`): ok, rows checked, the first row that does not verify. */
import type { ApiContext, ApiServer } from '../../api-context.js';

export function registerVerifyAuditRoute(app: ApiServer, ctx: ApiContext): void {
  app.get(
    '/v1/audit/verify',
    { config: { action: 'audit:read' }, schema: { summary: "Verify the audit log's hash chain" } },
    async () => ctx.engine.verifyAudit(),
  );
}
