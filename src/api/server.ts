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
import { TokenStore } from '../security/api-tokens.js';
import { CachedTokenAuthenticator } from '../security/cached-token-authenticator.js';
import { EnvSecretResolver } from '../security/secret-resolver.js';
import type { ApiContext, ApiServer } from './api-context.js';
import { useAuthentication } from './authentication.js';
import { DenialAudit } from './denial-audit.js';
import { replyNotFound, replyWithError } from './error-reply.js';
import { registerOpenApi } from './openapi.js';
import { registerConsole } from './console-assets.js';
import { registerDocsPage } from './docs-page.js';
import { useJsonEtags } from './json-etags.js';
import { registerLoginRoute } from './routes/session/login.js';
import { registerListAuditRoute } from './routes/audit/list.js';
import { registerVerifyAuditRoute } from './routes/audit/verify.js';
import { registerGetSessionRoute } from './routes/session/get.js';
import { registerLogoutRoute } from './routes/session/logout.js';
import { ConsoleSessionStore } from '../security/console-sessions.js';
import { registerPostEventRoute } from './routes/events/post.js';
import { registerAgentAnswersRoute } from './routes/agents/answers.js';
import { registerAgentPollRoute } from './routes/agents/poll.js';
import { registerHealthzRoute } from './routes/healthz/get.js';
import { registerApproveMappingRoute } from './routes/mappings/approve.js';
import { registerGetMappingRoute } from './routes/mappings/get.js';
import { registerListMappingsRoute } from './routes/mappings/list.js';
import { registerPostMappingRoute } from './routes/mappings/post.js';
import { registerRejectMappingRoute } from './routes/mappings/reject.js';
import { registerTestMappingRoute } from './routes/mappings/test.js';
import { registerMasterDataDriftRoute } from './routes/master-data/drift.js';
import { registerListMasterDataRoute } from './routes/master-data/list.js';
import { registerInFlightRoute } from './routes/master-data/in-flight.js';
import { registerGetCloseRoute } from './routes/close/get.js';
import { registerMetricsRoute } from './routes/metrics/get.js';
import { registerListPeriodsRoute } from './routes/periods/list.js';
import { registerPutPeriodRoute } from './routes/periods/put.js';
import { registerReadyzRoute } from './routes/readyz/get.js';
import { registerListAlertsRoute } from './routes/alerts/list.js';
import { registerGetKpisRoute } from './routes/kpis/get.js';
import { registerGetReconciliationRoute } from './routes/reconciliations/get.js';
import { registerPostReconciliationRoute } from './routes/reconciliations/post.js';
import { registerGetRunRoute } from './routes/runs/get.js';
import { registerListRunsRoute } from './routes/runs/list.js';
import { registerSupplierLookupRoute } from './routes/suppliers/lookup.js';
import { registerGetTraceRoute } from './routes/trace/get.js';
import { useIdempotencyKeys } from './idempotency-keys.js';
import { registerFindTraceRoute } from './routes/trace/find.js';
import { registerListConnectorsRoute } from './routes/connectors/list.js';
import { registerResumeConnectorRoute } from './routes/connectors/resume.js';
import { registerBulkExceptionsRoute } from './routes/exceptions/bulk.js';
import { registerGetExceptionRoute } from './routes/exceptions/get.js';
import { registerIgnoreExceptionRoute } from './routes/exceptions/ignore.js';
import { registerListExceptionsRoute } from './routes/exceptions/list.js';
import { registerReplayExceptionRoute } from './routes/exceptions/replay.js';
import { registerResolveExceptionRoute } from './routes/exceptions/resolve.js';
import { registerRetryExceptionRoute } from './routes/exceptions/retry.js';
import { registerValidateBudgetRoute } from './routes/validate/budget.js';
import { registerValidateCodingRoute } from './routes/validate/coding.js';
import { registerValidatePostingRoute } from './routes/validate/posting.js';
import { useSecurityHeaders } from './security-headers.js';
import { resolveWebhookSettings, WebhookVerifier } from './webhook-verification.js';

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
    // Behind a TLS-terminating proxy: request.protocol (Secure cookies) and request.ip from X-Forwarded-*.
    trustProxy: typeof server.trustProxy === 'boolean' ? server.trustProxy : [...server.trustProxy],
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
        new LedgerlinkError(
          'LL_ERR_RATE_LIMITED',
          `Rate limit of ${context.max} requests exceeded; retry in ${context.after}`,
          {
            retryAfterMs: context.ttl,
          },
        ),
    });
  }
  await registerOpenApi(app, options.version ?? '0.0.0');
  useIdempotencyKeys(app, ctx.engine.store);

  // Authentication and authorization of every route registered below (see authentication.ts).
  const store = ctx.engine.store;
  const denials = new DenialAudit(store, {
    onError: (err) => options.logger.error({ err }, 'audit of a refused request failed'),
  });
  const webhookSettings = await resolveWebhookSettings(ctx.config.systems, ctx.secrets ?? new EnvSecretResolver());
  const webhooks = new WebhookVerifier(webhookSettings, denials, { now: () => new Date(ctx.engine.deps.now()) });
  denials.start();
  app.addHook('onClose', () => denials.stop());
  const tokenStore = new TokenStore(store);
  const sessions = new ConsoleSessionStore(store, tokenStore, {
    ttlMs: server.sessionTtlMs,
    idleMs: server.sessionIdleMs,
  });
  useAuthentication(app, {
    tokens: new CachedTokenAuthenticator(tokenStore, { ttlMs: server.tokenCacheMs }),
    denials,
    systems: new Set(Object.keys(ctx.config.systems)),
    signatureAuthenticated: webhooks.signatureAuthenticated(),
    sessions,
  });
  useJsonEtags(app);

  await registerPostEventRoute(app, ctx, webhooks);
  registerAgentPollRoute(app, ctx);
  registerAgentAnswersRoute(app, ctx);
  registerListRunsRoute(app, ctx);
  registerGetRunRoute(app, ctx);
  registerGetTraceRoute(app, ctx);
  registerListMappingsRoute(app, ctx);
  registerGetMappingRoute(app, ctx);
  registerPostMappingRoute(app, ctx);
  registerApproveMappingRoute(app, ctx);
  registerRejectMappingRoute(app, ctx);
  registerTestMappingRoute(app, ctx);
  registerSupplierLookupRoute(app, ctx);
  registerPostReconciliationRoute(app, ctx);
  registerGetReconciliationRoute(app, ctx);
  registerGetKpisRoute(app, ctx);
  registerListAlertsRoute(app, ctx);
  registerFindTraceRoute(app, ctx);
  registerListExceptionsRoute(app, ctx);
  registerGetExceptionRoute(app, ctx);
  registerRetryExceptionRoute(app, ctx);
  await registerReplayExceptionRoute(app, ctx);
  registerResolveExceptionRoute(app, ctx);
  registerIgnoreExceptionRoute(app, ctx);
  registerBulkExceptionsRoute(app, ctx);
  registerListConnectorsRoute(app, ctx);
  registerResumeConnectorRoute(app, ctx);
  registerListPeriodsRoute(app, ctx);
  registerPutPeriodRoute(app, ctx);
  registerListMasterDataRoute(app, ctx);
  registerInFlightRoute(app, ctx);
  registerGetCloseRoute(app, ctx);
  registerMasterDataDriftRoute(app, ctx);
  registerValidateCodingRoute(app, ctx);
  registerValidatePostingRoute(app, ctx);
  registerValidateBudgetRoute(app, ctx);
  registerMetricsRoute(app, ctx);
  registerHealthzRoute(app);
  registerReadyzRoute(app, ctx);
  registerListAuditRoute(app, ctx);
  registerVerifyAuditRoute(app, ctx);
  registerLoginRoute(app, { sessions, tokens: tokenStore, denials });
  registerGetSessionRoute(app, { sessions, tokens: tokenStore, denials });
  registerLogoutRoute(app, { sessions, tokens: tokenStore, denials });
  await registerDocsPage(app);
  await registerConsole(app);
  return app;
}
