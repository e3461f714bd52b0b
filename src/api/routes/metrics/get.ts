/** GET /metrics — Prometheus text exposition; queue gauges are read from the store per scrape. */
import type { ApiContext, ApiServer } from '../../api-context.js';

export function registerMetricsRoute(app: ApiServer, ctx: ApiContext): void {
  app.get('/metrics', { schema: { summary: 'Prometheus metrics' } }, async (_request, reply) => {
    const text = await ctx.metrics.render();
    return reply.type(ctx.metrics.contentType).send(text);
  });
}
