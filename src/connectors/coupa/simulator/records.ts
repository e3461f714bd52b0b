/**
 * Records as the simulated tenant keeps them (Coupa's JSON: hyphenated keys, decimals as strings, ids
 * as integers) and the helpers the seed builders share.
 */

export type CoupaRecord = { id: number } & Record<string, unknown>;

export function isoAt(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function decimal(minor: bigint): string {
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  const text = `${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
  return negative ? `-${text}` : text;
}

export function accountRef(acct: CoupaRecord): Record<string, unknown> {
  const { id, name, code, 'segment-1': s1, 'segment-2': s2, 'segment-3': s3, 'account-type': type } = acct;
  return { id, name, code, 'segment-1': s1, 'segment-2': s2, 'segment-3': s3, 'account-type': type };
}
