/**
 * What the configuration says about data protection: the master keyring (LEDGERLINK_MASTER_KEY, the
 * key file of `security.masterKeyFile` or LEDGERLINK_MASTER_KEY_FILE), and the payload codec built on
 * it. Without a key nothing is encrypted; with one, stored payloads are sealed unless
 * `security.encryptPayloads` is false (envelopes written earlier still open either way).
 */
import type { SecurityConfig } from '../config/ops-config-schema.js';
import { EnvelopePayloadCodec } from './envelope-payload-codec.js';
import { cardNumberMasker } from './json-pan-masking.js';
import { loadKeyring, type Keyring } from './master-keys.js';

export interface DataProtection {
  /** The keyring, when a master key is configured. */
  readonly keyring: Keyring | undefined;
  /** The codec for sealed columns, when a master key is configured. */
  readonly codec: EnvelopePayloadCodec | undefined;
  readonly masker: typeof cardNumberMasker;
}

/** The keyring the configuration and environment name, or undefined when they name no key. */
export function configuredKeyring(security: SecurityConfig, env: NodeJS.ProcessEnv = process.env): Keyring | undefined {
  const keyFile = security.masterKeyFile ?? (env['LEDGERLINK_MASTER_KEY_FILE'] || undefined);
  const envKey = env['LEDGERLINK_MASTER_KEY'];
  if (keyFile === undefined && (envKey === undefined || envKey === '')) return undefined;
  return loadKeyring({ env, ...(keyFile === undefined ? {} : { keyFile }) });
}

export function dataProtectionFrom(security: SecurityConfig, env: NodeJS.ProcessEnv = process.env): DataProtection {
  const keyring = configuredKeyring(security, env);
  const codec =
    keyring === undefined ? undefined : new EnvelopePayloadCodec(keyring, { seal: security.encryptPayloads !== false });
  return { keyring, codec, masker: cardNumberMasker };
}
