/** GET /v1/connectors — every configured system's connector: active or paused, since when, why. */
import type { ApiContext, ApiServer } from '../../api-context.js';

export function registerListConnectorsRoute(app: ApiServer, ctx: ApiContext): void {
  app.get(
    '/v1/connectors',
    { config: { action: 'exceptions:read' }, schema: { summary: 'Connector states (paused after auth failures)' } },
    async () => {
      const states = await ctx.engine.listConnectors();
      const known = new Set(states.map((s) => s.system));
      const idle = Object.keys(ctx.config.systems)
        .filter((system) => !known.has(system))
        .map((system) => ({
          system,
          status: 'active' as const,
          since: null,
          reason: null,
          exceptionId: null,
          changedBy: null,
          waitingJobs: 0,
        }));
      return { connectors: [...states, ...idle].sort((a, b) => a.system.localeCompare(b.system)) };
    },
  );
}
