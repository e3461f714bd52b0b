/**
 * How the engine protects what it stores: a payload codec that seals sensitive columns at rest, and a
 * masker that removes card numbers (PANs) before anything is written. The engine defines these
 * interfaces; the composition root wires the implementations (envelope encryption, PAN masking) from
 * the security layer. By default nothing is sealed and nothing is masked.
 *
 * Sealed columns: inbox_events.payload and .headers, runs.input and .state, exceptions.details. Each
 * is sealed with the record id `<table>.<column>:<row id>` as associated data, so a ciphertext moved to
 * another row, another column or another table does not open.
 */
import { LedgerlinkError } from '../canonical/errors.js';

export interface PayloadCodec {
  /** The stored form of `plaintext` for one record. */
  seal(recordId: string, plaintext: string): string;
  /** The plaintext of a stored value; a value stored before sealing was on reads as it is. */
  open(recordId: string, stored: string): string;
}

export interface SensitiveDataMasker {
  /** Free text (messages) with card numbers masked. */
  maskText(text: string): string;
  /** JSON text with card numbers masked; the result is still valid JSON. */
  maskJsonText(json: string): string;
  /** A JSON-like value with card numbers masked in its strings (and card-number integers). */
  maskValue(value: unknown): unknown;
}

export interface RecordProtection {
  readonly codec: PayloadCodec;
  readonly masker: SensitiveDataMasker;
}

/** The prefix of a sealed value (envelope-encryption.ts); plain JSON never starts with it. */
const SEALED_PREFIX = 'lle1:';

/** Stores plaintext; refuses to pretend a sealed value is plaintext. */
export const plainCodec: PayloadCodec = {
  seal: (_recordId, plaintext) => plaintext,
  open: (recordId, stored) => {
    if (stored.startsWith(SEALED_PREFIX)) {
      throw new LedgerlinkError(
        'LL_ERR_MASTER_KEY_MISSING',
        `record ${recordId} is encrypted and no master key is configured`,
        {
          details: [
            {
              path: 'LEDGERLINK_MASTER_KEY',
              message: 'set the master key (or security.masterKeyFile) the records were encrypted with',
              recordId,
            },
          ],
        },
      );
    }
    return stored;
  },
};

export const noMasking: SensitiveDataMasker = {
  maskText: (text) => text,
  maskJsonText: (json) => json,
  maskValue: (value) => value,
};

export const unprotected: RecordProtection = { codec: plainCodec, masker: noMasking };

/** The columns the engine seals, by table; `ledgerlink keys rotate` walks the same list. */
export const sealedColumns = {
  inbox_events: ['payload', 'headers'],
  runs: ['input', 'state'],
  exceptions: ['details'],
} as const;

export type SealedTable = keyof typeof sealedColumns;

/** The associated data of one sealed column of one row. */
export function sealedRecordId(table: SealedTable, column: string, rowId: string): string {
  return `${table}.${column}:${rowId}`;
}

export function sealColumn(
  codec: PayloadCodec,
  table: SealedTable,
  column: string,
  rowId: string,
  plaintext: string,
): string {
  return codec.seal(sealedRecordId(table, column, rowId), plaintext);
}

export function openColumn(
  codec: PayloadCodec,
  table: SealedTable,
  column: string,
  rowId: string,
  stored: string,
): string {
  return codec.open(sealedRecordId(table, column, rowId), stored);
}
