/**
 * Standard Webhooks verification of inbound events, per system (`systems.<name>.webhook` with
 * `scheme: standard-webhooks`). The secrets are resolved once at start-up through a SecretResolver
 * (current first, then older ones still accepted during a rotation) and checked to be well-formed, so
 * a bad configuration stops the server instead of refusing every delivery.
 *
 * `verify` runs on the raw body bytes before any JSON parsing. A refusal (missing headers, no
 * matching signature, timestamp outside the tolerance) is 401 with LL_ERR_SIGNATURE_MISSING, _INVALID
 * or _STALE, audited as `auth.denied`; nothing is stored. For a system with `replacesToken: true` a
 * delivery without a bearer token is authenticated by its signature alone, as `service:<system>`.
 */
import type { FastifyRequest } from 'fastify';
import { LedgerlinkError } from '../canonical/errors.js';
import type { SystemConfig } from '../config/load-config.js';
import { serviceRole } from '../security/access-roles.js';
import { describeSecretRef, type SecretResolver } from '../security/secret-resolver.js';
import {
  DEFAULT_TOLERANCE_SECONDS,
  signatureError,
  verifyStandardWebhook,
  webhookSecretKey,
} from '../security/webhook-signatures.js';
import { routeOf } from './authentication.js';
import type { DenialAudit } from './denial-audit.js';
import './route-access.js';

export interface WebhookSettings {
  readonly system: string;
  readonly secrets: readonly string[];
  readonly toleranceSeconds: number;
  readonly replacesToken: boolean;
}

/** The verification settings of every system signed with Standard Webhooks. */
export async function resolveWebhookSettings(
  systems: Readonly<Record<string, SystemConfig>>,
  resolver: SecretResolver,
): Promise<Map<string, WebhookSettings>> {
  const settings = new Map<string, WebhookSettings>();
  for (const [system, config] of Object.entries(systems)) {
    const webhook = config.webhook;
    if (webhook === undefined || webhook.scheme !== 'standard-webhooks') continue;
    const refs = webhook.secrets ?? [];
    if (refs.length === 0) {
      throw new LedgerlinkError(
        'LL_ERR_CONFIG_INVALID',
        `systems.${system}.webhook uses standard-webhooks but lists no secrets`,
        {
          details: [{ path: `systems.${system}.webhook.secrets`, message: 'at least one secret is required' }],
        },
      );
    }
    const secrets: string[] = [];
    for (const [i, ref] of refs.entries()) {
      const path = `systems.${system}.webhook.secrets[${i}]`;
      const secret = await resolver.resolve(ref);
      try {
        webhookSecretKey(secret);
      } catch (cause) {
        throw new LedgerlinkError(
          'LL_ERR_CONFIG_INVALID',
          `${path} (${describeSecretRef(ref)}) is not a whsec_ webhook secret`,
          {
            details: [{ path, message: cause instanceof Error ? cause.message : 'malformed secret' }],
            cause,
          },
        );
      }
      secrets.push(secret);
    }
    settings.set(system, {
      system,
      secrets,
      toleranceSeconds: webhook.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS,
      replacesToken: webhook.replacesToken === true,
    });
  }
  return settings;
}

export class WebhookVerifier {
  readonly #settings: ReadonlyMap<string, WebhookSettings>;
  readonly #denials: DenialAudit;
  readonly #now: () => Date;

  constructor(
    settings: ReadonlyMap<string, WebhookSettings>,
    denials: DenialAudit,
    options: { now?: () => Date } = {},
  ) {
    this.#settings = settings;
    this.#denials = denials;
    this.#now = options.now ?? (() => new Date());
  }

  settingsFor(system: string): WebhookSettings | undefined {
    return this.#settings.get(system);
  }

  /** Systems whose signature stands in for a bearer token. */
  signatureAuthenticated(): Set<string> {
    return new Set([...this.#settings.values()].filter((s) => s.replacesToken).map((s) => s.system));
  }

  /**
   * Verifies a delivery on its raw bytes; throws the 401 signature error after auditing it. When the
   * request carried no token and the system allows it, the signature authenticates it.
   */
  async verify(request: FastifyRequest, settings: WebhookSettings, rawBody: Uint8Array): Promise<void> {
    const verdict = verifyStandardWebhook({
      headers: request.headers,
      rawBody,
      secrets: settings.secrets,
      toleranceSeconds: settings.toleranceSeconds,
      now: this.#now(),
    });
    if (!verdict.ok) {
      const principal = request.principal;
      await this.#denials.record({
        reason:
          verdict.reason === 'LL_ERR_SIGNATURE_MISSING'
            ? 'signature_missing'
            : verdict.reason === 'LL_ERR_SIGNATURE_STALE'
              ? 'signature_stale'
              : 'signature_invalid',
        code: verdict.reason,
        route: routeOf(request),
        action: `events:post:${settings.system}`,
        tokenId: principal?.tokenId ?? null,
        tokenName: principal?.name ?? null,
        ip: request.ip,
      });
      throw signatureError(verdict);
    }
    if (request.principal === undefined && settings.replacesToken) {
      const name = `webhook:${settings.system}`;
      request.principal = { tokenId: name, name, roles: [serviceRole(settings.system)] };
    }
  }
}
