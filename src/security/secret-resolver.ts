/**
 * Resolves a secret reference from the configuration (flows-config-schema.ts SecretRef) to its value:
 * `{ env: NAME }` from the environment, `{ secret: name }` from the encrypted secret store. A reference
 * that resolves to nothing is LL_ERR_CONFIG_INVALID naming the reference, never a value.
 */
import { LedgerlinkError } from '../canonical/errors.js';
import type { SecretRef } from '../config/flows-config-schema.js';
import type { SecretStore } from './secret-store.js';

export class SecretResolver {
  readonly #secrets: Pick<SecretStore, 'get'>;
  readonly #env: NodeJS.ProcessEnv;

  constructor(secrets: Pick<SecretStore, 'get'>, env: NodeJS.ProcessEnv = process.env) {
    this.#secrets = secrets;
    this.#env = env;
  }

  async resolve(ref: SecretRef): Promise<string> {
    if ('env' in ref) {
      const value = this.#env[ref.env];
      if (value === undefined || value === '') {
        throw new LedgerlinkError('LL_ERR_CONFIG_INVALID', `environment variable ${ref.env} named as a secret is not set`, {
          details: [{ path: `env:${ref.env}`, message: 'not set' }],
        });
      }
      return value;
    }
    const value = await this.#secrets.get(ref.secret);
    if (value === undefined) {
      throw new LedgerlinkError('LL_ERR_CONFIG_INVALID', `secret ${ref.secret} is not in the secret store; add it with: ledgerlink secrets set ${ref.secret}`, {
        details: [{ path: `secret:${ref.secret}`, message: 'not in the secret store' }],
      });
    }
    return value;
  }
}
