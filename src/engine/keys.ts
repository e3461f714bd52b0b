/**
 * The keys the engine derives, and the only parts of the engine besides the step API that the hub
 * reads by: a document version's run key, the key every version of a document shares, and the
 * idempotency key of one external write.
 */
import { createHash } from 'node:crypto';

export function runKeyOf(flow: string, system: string, documentId: string, version: string): string {
  return `${documentKeyOf(flow, system, documentId)}:${version}`;
}

/** What every version of a document's runs of a flow share: the key of document-scoped effects. */
export function documentKeyOf(flow: string, system: string, documentId: string): string {
  return `${flow}:${system}:${documentId}`;
}

const KEY_ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/**
 * 16 characters: fits the narrowest native reference field we write to (S/4HANA's
 * SupplierInvoiceIDByInvcgParty), 'LL' plus 14 base-34 characters (about 71 bits) of sha256.
 */
export function idempotencyKey(runKey: string, step: string, name: string): string {
  const digest = createHash('sha256').update(`${runKey}\u0000${step}\u0000${name}`).digest();
  let value = digest.readBigUInt64BE(0) ^ (digest.readBigUInt64BE(8) << 7n);
  let out = '';
  for (let i = 0; i < 14; i++) {
    out += KEY_ALPHABET[Number(value % 34n)]!;
    value /= 34n;
  }
  return `LL${out}`;
}
