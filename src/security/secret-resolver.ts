/**
 * Turns a secret reference of the configuration (`{ env: NAME }` or `{ secret: name }`) into its
 * value. The configuration never holds a secret in clear; whoever needs one asks a SecretResolver.
 * `env` references come from the environment, `secret` references from the encrypted secret store.
 * A reference that resolves to nothing is LL_ERR_CONFIG_INVALID naming the reference, never a value.
 */
import { LedgerlinkError } from '../canonical/errors.js';
import type { SecretRef } from '../config/flows-config-schema.js';
import type { SecretStore } from './secret-store.js';

export interface SecretResolver {
  /** The secret's value; LL_ERR_CONFIG_INVALID when it cannot be found. Never logs the value. */
  resolve(ref: SecretRef): Promise<string>;
}

/** Names a reference for messages without revealing anything secret. */
export function describeSecretRef(ref: SecretRef): string {
  return 'env' in ref ? `environment variable ${ref.env}` : `secret ${ref.secret}`;
}

/** Environment references, and secret-store references when a store is given. */
export class EnvSecretResolver implements SecretResolver {
  readonly #env: NodeJS.ProcessEnv;
  readonly #secrets: Pick<SecretStore, 'get'> | undefined;

  constructor(env: NodeJS.ProcessEnv = process.env, secrets?: Pick<SecretStore, 'get'>) {
    this.#env = env;
    this.#secrets = secrets;
  }

  async resolve(ref: SecretRef): Promise<string> {
    if ('env' in ref) {
      const value = this.#env[ref.env]?.trim();
      if (value === undefined || value === '') {
        throw new LedgerlinkError('LL_ERR_CONFIG_INVALID', `${describeSecretRef(ref)} is not set`, {
          details: [{ path: `env:${ref.env}`, message: 'environment variable not set or empty' }],
        });
      }
      return value;
    }
    const value = this.#secrets === undefined ? undefined : await this.#secrets.get(ref.secret);
    if (value === undefined) {
      const why = this.#secrets === undefined ? 'no secret store is open here' : 'not in the secret store';
      throw new LedgerlinkError(
        'LL_ERR_CONFIG_INVALID',
        `${describeSecretRef(ref)} cannot be resolved (${why}); add it with: ledgerlink secrets set ${ref.secret}`,
        {
          details: [{ path: `secret:${ref.secret}`, message: why }],
        },
      );
    }
    return value;
  }
}
