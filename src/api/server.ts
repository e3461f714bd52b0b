/**
 * Builds the HTTP server: Fastify with the TypeBox type provider, one error shape, security headers,
 * a per-client rate limit, the OpenAPI document and the routes. Request logging is off by default
 * (ingest throughput matters); failures are still logged by the error handler.
 */
import Fastify, { LogController } from 'fastify';
import fastifyRateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { LedgerlinkError } from '../canonical/errors.js';
import type { Logger } from '../observability/logger.js';
import type { ApiContext, ApiServer } from './api-context.js';
import { replyNotFound, replyWithError } from './error-reply.js';
import { registerDocsRoute, registerOpenApi } from './openapi.js';
import { registerPostEventRoute } from './routes/events/post.js';
import { registerHealthzRoute } from './routes/healthz/get.js';
import { registerMasterDataDriftRoute } from './routes/master-data/drift.js';
import { registerListMasterDataRoute } from './routes/master-data/list.js';
import { registerMetricsRoute } from './routes/metrics/get.js';
import { registerReadyzRoute } from './routes/readyz/get.js';
import { registerGetRunRoute } from './routes/runs/get.js';
import { registerListRunsRoute } from './routes/runs/list.js';
import { registerGetTraceRoute } from './routes/trace/get.js';
import { registerValidateBudgetRoute } from './routes/validate/budget.js';
import { registerValidateCodingRoute } from './routes/validate/coding.js';
import { useSecurityHeaders } from './security-headers.js';

export interface ServerOptions {
  readonly logger: Logger;
  /** Logs one line per request; off by default. */
  readonly requestLogging?: boolean;
  readonly version?: string;
}

export async function buildServer(ctx: ApiContext, options: ServerOptions): Promise<ApiServer> {
  const { server } = ctx.config;
  const app = Fastify({
    loggerInstance: options.logger,
    logController: new LogController({ disableRequestLogging: options.requestLogging !== true }),
    bodyLimit: server.bodyLimitBytes,
    // Shutdown answers with our own coded 503 (ingest, readiness) instead of Fastify's bare one.
    return503OnClosing: false,
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as ApiServer;

  app.setErrorHandler(replyWithError);
  app.setNotFoundHandler(replyNotFound);
  useSecurityHeaders(app);

  if (server.rateLimit.enabled) {
    await app.register(fastifyRateLimit, {
      max: server.rateLimit.max,
      timeWindow: server.rateLimit.timeWindowMs,
      errorResponseBuilder: (_request, context) =>
        new LedgerlinkError('LL_ERR_RATE_LIMITED', `Rate limit of ${context.max} requests exceeded; retry in ${context.after}`, {
          retryAfterMs: context.ttl,
        }),
    });
  }
  await registerOpenApi(app, options.version ?? '0.0.0');

  await registerPostEventRoute(app, ctx);
  registerListRunsRoute(app, ctx);
  registerGetRunRoute(app, ctx);
  registerGetTraceRoute(app, ctx);
  registerListMasterDataRoute(app, ctx);
  registerMasterDataDriftRoute(app, ctx);
  registerValidateCodingRoute(app, ctx);
  registerValidateBudgetRoute(app, ctx);
  registerMetricsRoute(app, ctx);
  registerHealthzRoute(app);
  registerReadyzRoute(app, ctx);
  registerDocsRoute(app);
  return app;
}
