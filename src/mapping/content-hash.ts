/**
 * A mapping set's identity: SHA-256 over the canonical JSON of its checked content (object keys
 * sorted at every level, list order kept, no whitespace), so comments, quoting, indentation and key
 * order in the YAML do not change it, while any change to a label, row, status, transform or test does.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical/canonical-json.js';

export function contentHash(content: unknown): string {
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** `${label}@${first 12 hex of the hash}`. */
export function versionOf(label: string, hash: string): string {
  return `${label}@${hash.slice(0, 12)}`;
}
