/**
 * GET /metrics — Prometheus text exposition; queue gauges are read from the store per scrape. Public
 * by default; with `server.metricsRequireToken` it needs a token allowed `kpis:read`.
 */
import type { ApiContext, ApiServer } from '../../api-context.js';

export function registerMetricsRoute(app: ApiServer, ctx: ApiContext): void {
  const access = ctx.config.server.metricsRequireToken ? { action: 'kpis:read' as const } : { public: true };
  app.get('/metrics', { config: access, schema: { summary: 'Prometheus metrics' } }, async (_request, reply) => {
    const text = await ctx.metrics.render();
    return reply.type(ctx.metrics.contentType).send(text);
  });
}
