/**
 * Turns a secret reference of the configuration (`{ env: NAME }` or `{ secret: name }`) into its
 * value. The configuration never holds a secret in clear; whoever needs one asks a SecretResolver.
 *
 * EnvSecretResolver reads `env` references from the environment. `secret` references name entries of
 * the encrypted secret store, which plugs in here by implementing SecretResolver; until it does they
 * are refused with LL_ERR_CONFIG_INVALID "secret store not available".
 */
import { LedgerlinkError } from '../canonical/errors.js';
import type { SecretRef } from '../config/flows-config-schema.js';

export interface SecretResolver {
  /** The secret's value; LL_ERR_CONFIG_INVALID when it cannot be found. Never logs the value. */
  resolve(ref: SecretRef): Promise<string>;
}

/** Names a reference for messages without revealing anything secret. */
export function describeSecretRef(ref: SecretRef): string {
  return 'env' in ref ? `environment variable ${ref.env}` : `secret ${ref.secret}`;
}

export class EnvSecretResolver implements SecretResolver {
  readonly #env: NodeJS.ProcessEnv;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.#env = env;
  }

  async resolve(ref: SecretRef): Promise<string> {
    if ('env' in ref) {
      const value = this.#env[ref.env]?.trim();
      if (value === undefined || value === '') {
        throw new LedgerlinkError('LL_ERR_CONFIG_INVALID', `${describeSecretRef(ref)} is not set`, {
          details: [{ path: ref.env, message: 'environment variable not set or empty' }],
        });
      }
      return value;
    }
    // Placeholder until the encrypted secret store is wired in: it provides its own SecretResolver.
    throw new LedgerlinkError('LL_ERR_CONFIG_INVALID', `secret store not available: cannot resolve ${describeSecretRef(ref)}`, {
      details: [{ path: ref.secret, message: 'secret store not available; use { env: NAME } for now' }],
    });
  }
}
