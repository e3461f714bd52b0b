/**
 * Alerting from configuration: the SLA policy (`processes.<flow>.slaMinutes`, `alerts.closeWindow`),
 * the alert routes (`alerts.routes`, one signed webhook per owner) and the HTTP sender. Each alert is
 * POSTed as JSON signed with Standard Webhooks (`webhook-id` is the delivery id, the same on every
 * attempt) under the route's secret, resolved by reference when first needed. A 2xx answer is
 * delivered; anything else (including redirects, which are not followed) is a failed attempt.
 */
import { createHash } from 'node:crypto';
import type { LedgerlinkConfig } from '../config/load-config.js';
import type { SecretRef } from '../config/flows-config-schema.js';
import { guardConnectorUrl } from '../connectors/http/url-guard.js';
import {
  AlertDispatcher,
  type AlertMessage,
  type AlertRoute,
  type AlertSender,
} from '../insights/alerts/alert-dispatcher.js';
import type { EngineLogger } from '../engine/engine-deps.js';
import { SlaPolicy, type SlaMinutes } from '../insights/alerts/sla-policy.js';
import { DEFAULT_AGENT_GONE_MS, DEFAULT_AGENT_OWNER } from '../insights/alerts/agent-gone-alerts.js';
import { maskPans } from '../security/pan-masking.js';
import type { SecretResolver } from '../security/secret-resolver.js';
import { signStandardWebhook } from '../security/webhook-signatures.js';
import type { Store } from '../store/port.js';

export interface AlertTarget {
  readonly url: URL;
  readonly secret: SecretRef;
}

export function slaPolicyFromConfig(config: LedgerlinkConfig): SlaPolicy {
  const minutes: Record<string, Partial<Record<string, number>>> = {};
  for (const [flow, policy] of Object.entries(config.processes))
    if (policy.slaMinutes !== undefined) minutes[flow] = { ...policy.slaMinutes };
  return new SlaPolicy(minutes as SlaMinutes, config.alerts.closeWindow);
}

/** The routes as the engine matches them, and where each one is sent. */
export function alertRoutesFromConfig(config: LedgerlinkConfig): {
  routes: AlertRoute[];
  targets: Map<string, AlertTarget>;
} {
  const routes: AlertRoute[] = [];
  const targets = new Map<string, AlertTarget>();
  for (const route of config.alerts.routes ?? []) {
    const url = guardConnectorUrl(route.url, { system: `alerts.${route.owner}` });
    const key = createHash('sha256').update(`${route.owner}\u0000${url.toString()}`).digest('hex').slice(0, 16);
    routes.push({ key, owner: route.owner, ...(route.classes === undefined ? {} : { classes: [...route.classes] }) });
    targets.set(key, { url, secret: route.secret });
  }
  return { routes, targets };
}

export interface HttpAlertSenderOptions {
  readonly targets: ReadonlyMap<string, AlertTarget>;
  readonly secrets: SecretResolver;
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

export function httpAlertSender(options: HttpAlertSenderOptions): AlertSender {
  const resolved = new Map<string, Promise<string>>();
  const secretOf = (key: string, ref: SecretRef): Promise<string> => {
    let value = resolved.get(key);
    if (value === undefined) {
      value = options.secrets.resolve(ref);
      // A failed resolution is tried again on the next attempt.
      value.catch(() => resolved.delete(key));
      resolved.set(key, value);
    }
    return value;
  };
  return async (message: AlertMessage) => {
    const target = options.targets.get(message.route);
    if (target === undefined) throw new Error(`alert route ${message.route} is no longer configured`);
    const rawBody = Buffer.from(message.body, 'utf8');
    const headers = signStandardWebhook({
      id: message.id,
      rawBody,
      secret: await secretOf(message.route, target.secret),
      timestamp: new Date((options.now ?? Date.now)()),
    });
    const response = await fetch(target.url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: rawBody,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    await response.body?.cancel();
    if (response.status < 200 || response.status > 299) throw new Error(`receiver answered HTTP ${response.status}`);
  };
}

export interface AlertingOptions {
  readonly store: Store;
  readonly config: LedgerlinkConfig;
  readonly secrets: SecretResolver;
  readonly logger?: EngineLogger;
  readonly now?: () => number;
  /** Overrides the HTTP sender (tests). */
  readonly send?: AlertSender;
}

/** The dispatcher the worker ticks; retries follow the engine's backoff settings. */
export function alertDispatcherFromConfig(options: AlertingOptions): AlertDispatcher {
  const { config } = options;
  const { routes, targets } = alertRoutesFromConfig(config);
  const now = options.now ?? Date.now;
  return new AlertDispatcher({
    store: options.store,
    routes,
    sla: slaPolicyFromConfig(config),
    send: options.send ?? httpAlertSender({ targets, secrets: options.secrets, now }),
    now,
    ...(config.engine.backoff === undefined ? {} : { backoff: config.engine.backoff }),
    maxAttempts: Math.max(config.engine.maxAttempts ?? 10, 3),
    mask: maskPans,
    intervalMs: Math.min(1_000, Math.max(config.engine.pollIntervalMs ?? 1_000, 20)),
    agentsGone: Object.entries(config.agents).map(([agent, settings]) => ({
      agent,
      afterMs: settings.goneAlertAfterMs ?? DEFAULT_AGENT_GONE_MS,
      owner: settings.owner ?? DEFAULT_AGENT_OWNER,
    })),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
}
