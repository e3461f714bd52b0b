/**
 * The secret store: named connector credentials and webhook secrets in the `secrets` table of either
 * store, each sealed with envelope encryption (a fresh data key per write, wrapped by the keyring's
 * current master key, the row id bound as associated data). Listing shows names, key ids and dates,
 * never values. Writes can be audited in the same transaction; the audit row never holds the value.
 */
import { randomBytes } from 'node:crypto';
import { LedgerlinkError } from '../canonical/errors.js';
import { appendAudit } from '../engine/audit-log.js';
import type { Store, Tx } from '../store/port.js';
import { decryptRecordText, encryptRecord, fromSecretRow, toSecretColumns } from './envelope-encryption.js';
import type { Keyring } from './master-keys.js';

/** The names a SecretRef `{ secret: name }` may use (flows-config-schema.ts). */
export const SECRET_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const MAX_SECRET_BYTES = 64 * 1024;

export interface SecretRecord {
  readonly name: string;
  /** The master key its data key is wrapped under. */
  readonly keyId: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface SecretWriteOptions {
  /** Who did it, for the audit log (e.g. `cli:alice`); no audit row when absent. */
  readonly actor?: string;
}

type StoreAccess = Pick<Store, 'db' | 'writeTransaction' | 'dialect'>;

export function assertSecretName(name: string): void {
  if (!SECRET_NAME_PATTERN.test(name)) {
    throw new LedgerlinkError('LL_ERR_BAD_REQUEST', `secret name ${JSON.stringify(name.slice(0, 140))} is not valid`, {
      details: [{ path: 'name', message: `must match ${SECRET_NAME_PATTERN.source}` }],
    });
  }
}

function assertSecretValue(value: string): void {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes === 0 || bytes > MAX_SECRET_BYTES) {
    throw new LedgerlinkError('LL_ERR_BAD_REQUEST', `a secret value must be 1 to ${MAX_SECRET_BYTES} bytes`, {
      details: [{ path: 'value', message: `${bytes} bytes` }],
    });
  }
}

const newSecretId = (): string => `sec_${randomBytes(12).toString('hex')}`;

export class SecretStore {
  readonly #store: StoreAccess;
  readonly #keyring: Keyring | undefined;
  readonly #clock: () => number;

  constructor(store: StoreAccess, keyring: Keyring | undefined, options: { clock?: () => number } = {}) {
    this.#store = store;
    this.#keyring = keyring;
    this.#clock = options.clock ?? Date.now;
  }

  #requireKeyring(): Keyring {
    if (this.#keyring === undefined) {
      throw new LedgerlinkError(
        'LL_ERR_MASTER_KEY_MISSING',
        'the secret store needs a master key: set LEDGERLINK_MASTER_KEY or security.masterKeyFile',
        {
          details: [{ path: 'LEDGERLINK_MASTER_KEY', message: 'not set' }],
        },
      );
    }
    return this.#keyring;
  }

  /** Creates or replaces a secret; a replaced secret keeps its row id and gets a fresh data key. */
  async set(
    name: string,
    value: string,
    options: SecretWriteOptions = {},
  ): Promise<SecretRecord & { readonly created: boolean }> {
    assertSecretName(name);
    assertSecretValue(value);
    const keyring = this.#requireKeyring();
    const now = this.#clock();
    return this.#store.writeTransaction(async (tx) => {
      const existing = await tx
        .selectFrom('secrets')
        .select(['id', 'created_at'])
        .where('name', '=', name)
        .executeTakeFirst();
      const id = existing?.id ?? newSecretId();
      const sealed = toSecretColumns(encryptRecord(keyring, id, value));
      if (existing === undefined) {
        await tx
          .insertInto('secrets')
          .values({ ...sealed, name, created_at: now, updated_at: now })
          .execute();
      } else {
        await tx
          .updateTable('secrets')
          .set({
            ciphertext: sealed.ciphertext,
            wrapped_key: sealed.wrapped_key,
            key_id: sealed.key_id,
            updated_at: now,
          })
          .where('id', '=', id)
          .execute();
      }
      const created = existing === undefined;
      await this.#audit(
        tx,
        options,
        created ? 'secret.created' : 'secret.replaced',
        name,
        { keyId: sealed.key_id },
        now,
      );
      return {
        name,
        keyId: sealed.key_id,
        createdAt: existing === undefined ? now : Number(existing.created_at),
        updatedAt: now,
        created,
      };
    });
  }

  /** The value of a secret, or undefined when there is none by that name. */
  async get(name: string): Promise<string | undefined> {
    assertSecretName(name);
    const row = await this.#store.db
      .selectFrom('secrets')
      .select(['id', 'key_id', 'wrapped_key', 'ciphertext'])
      .where('name', '=', name)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return decryptRecordText(this.#requireKeyring(), fromSecretRow(row));
  }

  /** Every secret by name: names, key ids and dates, never values. */
  async list(): Promise<SecretRecord[]> {
    const rows = await this.#store.db
      .selectFrom('secrets')
      .select(['name', 'key_id', 'created_at', 'updated_at'])
      .orderBy('name')
      .execute();
    return rows.map((r) => ({
      name: r.name,
      keyId: r.key_id,
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
    }));
  }

  /** Deletes a secret; false when there was none by that name. */
  async delete(name: string, options: SecretWriteOptions = {}): Promise<boolean> {
    assertSecretName(name);
    const now = this.#clock();
    return this.#store.writeTransaction(async (tx) => {
      const deleted = await tx.deleteFrom('secrets').where('name', '=', name).executeTakeFirst();
      if (deleted.numDeletedRows === 0n) return false;
      await this.#audit(tx, options, 'secret.deleted', name, {}, now);
      return true;
    });
  }

  async #audit(
    tx: Tx,
    options: SecretWriteOptions,
    action: string,
    name: string,
    data: Record<string, unknown>,
    at: number,
  ): Promise<void> {
    if (options.actor === undefined) return;
    await appendAudit(tx, this.#store.dialect, { actor: options.actor, action, subject: `secret:${name}`, data, at });
  }
}
