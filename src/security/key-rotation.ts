/**
 * Master-key rotation over everything encrypted at rest: the secret store and the sealed payload
 * columns (record-protection.ts sealedColumns). Each record's data key is re-wrapped under the target
 * key; the payload ciphertext is left as it was. Work goes in batches, one transaction each; every
 * update is conditional on the value read, so a row the hub rewrote meanwhile is left to the hub (it
 * wrote it under its current key). Rows already under the target key are never selected, so a
 * rotation that was interrupted simply continues when run again.
 */
import { sql } from 'kysely';
import { appendAudit } from '../engine/audit-log.js';
import { sealedColumns, sealedRecordId, type SealedTable } from '../engine/record-protection.js';
import type { Store } from '../store/port.js';
import {
  ENVELOPE_PREFIX,
  fromSecretRow,
  parseEnvelope,
  rewrap,
  serializeEnvelope,
  toSecretColumns,
} from './envelope-encryption.js';
import type { Keyring } from './master-keys.js';

type StoreAccess = Pick<Store, 'db' | 'writeTransaction' | 'dialect'>;

export interface RotationOptions {
  /** The key to wrap under (default: the keyring's current key); must be in the ring. */
  readonly to?: string;
  readonly batchSize?: number;
  /** Who ran it, for the audit log. */
  readonly actor: string;
  readonly now?: () => number;
  /** Called after each committed batch. */
  readonly onBatch?: (where: string, rewrapped: number) => void;
}

export interface RotationReport {
  readonly to: string;
  /** Records re-wrapped, by `table.column` (`secrets` for the secret store). */
  readonly rewrapped: Readonly<Record<string, number>>;
  /** Records that changed between read and update (rewritten by the hub meanwhile). */
  readonly changedMeanwhile: number;
}

/** Every place encrypted records live, as `table.column` (plus `secrets`). */
export function encryptedLocations(): string[] {
  return [
    'secrets',
    ...Object.entries(sealedColumns).flatMap(([table, columns]) => columns.map((c) => `${table}.${c}`)),
  ];
}

export async function rotateMasterKey(
  store: StoreAccess,
  keyring: Keyring,
  options: RotationOptions,
): Promise<RotationReport> {
  const to = options.to ?? keyring.currentKeyId;
  keyring.key(to); // LL_ERR_MASTER_KEY_UNKNOWN before anything is touched
  const batchSize = options.batchSize ?? 200;
  const now = options.now ?? Date.now;
  const rewrapped: Record<string, number> = Object.fromEntries(encryptedLocations().map((where) => [where, 0]));
  let changedMeanwhile = 0;
  const count = (where: string, done: number, missed: number): void => {
    rewrapped[where] = (rewrapped[where] ?? 0) + done;
    changedMeanwhile += missed;
    if (done > 0) options.onBatch?.(where, done);
  };

  for (let after = ''; ;) {
    const rows = await store.db
      .selectFrom('secrets')
      .select(['id', 'key_id', 'wrapped_key', 'ciphertext'])
      .where('key_id', '<>', to)
      .where('id', '>', after)
      .orderBy('id')
      .limit(batchSize)
      .execute();
    if (rows.length === 0) break;
    const outcome = await store.writeTransaction(async (tx) => {
      let done = 0;
      for (const row of rows) {
        const sealed = toSecretColumns(rewrap(keyring, fromSecretRow(row), to));
        const result = await tx
          .updateTable('secrets')
          .set({ key_id: sealed.key_id, wrapped_key: sealed.wrapped_key })
          .where('id', '=', row.id)
          .where('key_id', '=', row.key_id)
          .where('wrapped_key', '=', row.wrapped_key)
          .executeTakeFirst();
        if (result.numUpdatedRows === 1n) done++;
      }
      return done;
    });
    count('secrets', outcome, rows.length - outcome);
    after = rows[rows.length - 1]!.id;
  }

  const targetPrefix = `${ENVELOPE_PREFIX}${to}:`;
  for (const [table, columns] of Object.entries(sealedColumns) as [SealedTable, readonly string[]][]) {
    for (const column of columns) {
      for (let after = ''; ;) {
        const { rows } = await sql<{ id: string; value: string }>`
          SELECT id, ${sql.ref(column)} AS value FROM ${sql.table(table)}
          WHERE id > ${after}
            AND substr(${sql.ref(column)}, 1, ${sql.lit(ENVELOPE_PREFIX.length)}) = ${ENVELOPE_PREFIX}
            AND substr(${sql.ref(column)}, 1, ${sql.lit(targetPrefix.length)}) <> ${targetPrefix}
          ORDER BY id LIMIT ${sql.lit(batchSize)}`.execute(store.db);
        if (rows.length === 0) break;
        const outcome = await store.writeTransaction(async (tx) => {
          let done = 0;
          for (const row of rows) {
            const record = parseEnvelope(sealedRecordId(table, column, row.id), row.value);
            const value = serializeEnvelope(rewrap(keyring, record, to));
            const result = await sql`
              UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${value}
              WHERE id = ${row.id} AND ${sql.ref(column)} = ${row.value}`.execute(tx);
            if (result.numAffectedRows === 1n) done++;
          }
          return done;
        });
        count(`${table}.${column}`, outcome, rows.length - outcome);
        after = rows[rows.length - 1]!.id;
      }
    }
  }

  const report: RotationReport = { to, rewrapped, changedMeanwhile };
  await store.writeTransaction((tx) =>
    appendAudit(tx, store.dialect, {
      actor: options.actor,
      action: 'keys.rotated',
      subject: `master-key:${to}`,
      data: report,
      at: now(),
    }),
  );
  return report;
}

/** How many records are under each key id (`(plain)` for values stored in clear), by location. */
export async function masterKeyStatus(store: StoreAccess): Promise<Record<string, Record<string, number>>> {
  const status: Record<string, Record<string, number>> = {};
  const secrets = await store.db
    .selectFrom('secrets')
    .select(['key_id', sql<string | number>`count(*)`.as('n')])
    .groupBy('key_id')
    .execute();
  status['secrets'] = Object.fromEntries(secrets.map((r) => [r.key_id, Number(r.n)]));
  const position = store.dialect === 'postgres' ? sql.raw('strpos') : sql.raw('instr');
  for (const [table, columns] of Object.entries(sealedColumns) as [SealedTable, readonly string[]][]) {
    for (const column of columns) {
      const c = sql.ref(column);
      const { rows } = await sql<{ key_id: string; n: string | number }>`
        SELECT CASE WHEN substr(${c}, 1, ${sql.lit(ENVELOPE_PREFIX.length)}) = ${ENVELOPE_PREFIX}
                    THEN substr(${c}, ${sql.lit(ENVELOPE_PREFIX.length + 1)}, ${position}(substr(${c}, ${sql.lit(ENVELOPE_PREFIX.length + 1)}), ':') - 1)
                    ELSE '(plain)' END AS key_id,
               count(*) AS n
        FROM ${sql.table(table)} GROUP BY 1`.execute(store.db);
      status[`${table}.${column}`] = Object.fromEntries(rows.map((r) => [r.key_id, Number(r.n)]));
    }
  }
  return status;
}
