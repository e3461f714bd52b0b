/**
 * Maps what a remote system answered (or failed to answer) to coded errors whose codes carry the
 * exception class of DESIGN.md section 7: transient (network, timeout, 5xx, 429), auth (401/403),
 * business rejection (other 4xx).
 */
import { LedgerlinkError } from '../../canonical/errors.js';

/** Parses an HTTP Retry-After value (seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function errorForStatus(system: string, status: number, retryAfter: string | null, bodyExcerpt: string): LedgerlinkError {
  const details = [{ message: bodyExcerpt.slice(0, 500), status, system }];
  if (status === 429 || status >= 500 || status === 408) {
    const retryAfterMs = parseRetryAfter(retryAfter);
    return new LedgerlinkError('LL_ERR_REMOTE_TRANSIENT', `${system} answered ${status}`, {
      details,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (status === 401 || status === 403) {
    return new LedgerlinkError('LL_ERR_REMOTE_AUTH', `${system} refused the credentials (${status})`, { details });
  }
  return new LedgerlinkError('LL_ERR_REMOTE_REJECTED', `${system} rejected the request (${status})`, { details });
}

export function errorForNetworkFailure(system: string, cause: unknown): LedgerlinkError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new LedgerlinkError('LL_ERR_REMOTE_TRANSIENT', `${system} could not be reached: ${message}`, { cause });
}
