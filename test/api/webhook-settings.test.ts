/**
 * Webhook settings resolved at start-up: secrets by reference from the environment, the secret store
 * not available yet, and a configuration that cannot verify anything stopping the server.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveWebhookSettings } from '../../src/api/webhook-verification.js';
import { isLedgerlinkError } from '../../src/canonical/errors.js';
import type { SecretRef } from '../../src/config/flows-config-schema.js';
import type { SystemConfig } from '../../src/config/load-config.js';
import { EnvSecretResolver } from '../../src/security/secret-resolver.js';
import { generateWebhookSecret } from '../../src/security/webhook-signatures.js';

const configInvalid = (pattern: RegExp) => (error: unknown) =>
  isLedgerlinkError(error) && error.code === 'LL_ERR_CONFIG_INVALID' && pattern.test(error.message);

describe('webhook settings', () => {
  test('env references resolve; defaults apply; unsigned systems are left out', async () => {
    const current = generateWebhookSecret();
    const old = generateWebhookSecret();
    const systems: Record<string, SystemConfig> = {
      erp: { kind: 'sap-s4hana' },
      plain: { kind: 'coupa', webhook: { scheme: 'none' } },
      expense: { kind: 'concur', webhook: { scheme: 'standard-webhooks', secrets: [{ env: 'NEW' }, { env: 'OLD' }] } },
      vendor: {
        kind: 'coupa',
        webhook: { scheme: 'standard-webhooks', secrets: [{ env: 'NEW' }], toleranceSeconds: 30, replacesToken: true },
      },
    };
    const settings = await resolveWebhookSettings(systems, new EnvSecretResolver({ NEW: current, OLD: ` ${old}\n` }));
    assert.deepEqual([...settings.keys()], ['expense', 'vendor']);
    assert.deepEqual(settings.get('expense'), {
      system: 'expense',
      secrets: [current, old],
      toleranceSeconds: 300,
      replacesToken: false,
    });
    assert.deepEqual(settings.get('vendor'), {
      system: 'vendor',
      secrets: [current],
      toleranceSeconds: 30,
      replacesToken: true,
    });
  });

  test('a missing variable, a secret-store reference, no secrets or a malformed secret stop the server', async () => {
    const signed = (secrets: SecretRef[] | undefined): Record<string, SystemConfig> => ({
      expense: {
        kind: 'concur',
        webhook: { scheme: 'standard-webhooks' as const, ...(secrets === undefined ? {} : { secrets }) },
      },
    });
    const env = new EnvSecretResolver({ BAD: 'not-a-whsec-secret', SHORT: 'whsec_QUJD' });
    await assert.rejects(
      resolveWebhookSettings(signed([{ env: 'UNSET' }]), env),
      configInvalid(/environment variable UNSET is not set/),
    );
    await assert.rejects(
      resolveWebhookSettings(signed([{ secret: 'expense-webhook' }]), env),
      configInvalid(/secret expense-webhook cannot be resolved \(no secret store is open here\)/),
    );
    await assert.rejects(resolveWebhookSettings(signed([]), env), configInvalid(/lists no secrets/));
    await assert.rejects(resolveWebhookSettings(signed(undefined), env), configInvalid(/lists no secrets/));
    await assert.rejects(
      resolveWebhookSettings(signed([{ env: 'BAD' }]), env),
      configInvalid(/secrets\[0\].*not a whsec_ webhook secret/),
    );
    await assert.rejects(
      resolveWebhookSettings(signed([{ env: 'SHORT' }]), env),
      configInvalid(/not a whsec_ webhook secret/),
    );
  });
});
