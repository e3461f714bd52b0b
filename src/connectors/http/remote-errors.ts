/**
 * Maps what a remote system answered (or failed to answer) to coded errors whose codes carry the
 * exception class of DESIGN.md section 7: transient (network, timeout, 5xx, 429, 408), auth
 * (401/403), business rejection (other 4xx). Body excerpts and URLs are redacted before they go
 * into details.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import { redactText, redactUrl } from './redact.js';

/** Characters of the remote's answer kept in error details. */
export const BODY_EXCERPT_CHARS = 500;

/** Where a failure happened, for the error details. */
export interface RequestContext {
  readonly method?: string;
  readonly url?: string | URL;
}

/** Parses an HTTP Retry-After value (seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** True for the statuses that are worth retrying later: 408, 429 and every 5xx. */
export function isTransientStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

export function errorForStatus(
  system: string,
  status: number,
  retryAfter: string | null,
  bodyExcerpt: string,
  context: RequestContext = {},
): LedgerlinkError {
  const details = [
    { message: redactText(bodyExcerpt).slice(0, BODY_EXCERPT_CHARS), status, system, ...where(context) },
  ];
  if (isTransientStatus(status)) {
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

/** Connection refused or reset, DNS failure, TLS failure: transient, with the socket error code. */
export function errorForNetworkFailure(system: string, cause: unknown, context: RequestContext = {}): LedgerlinkError {
  const message = cause instanceof Error ? cause.message : String(cause);
  const code = socketErrorCode(cause);
  const shown = redactText(code === undefined ? message : `${message} (${code})`);
  return new LedgerlinkError('LL_ERR_REMOTE_TRANSIENT', `${system} could not be reached: ${shown}`, {
    cause,
    details: [{ message: shown, system, ...(code === undefined ? {} : { errorCode: code }), ...where(context) }],
  });
}

/** No complete answer within the timeout: transient. */
export function errorForTimeout(
  system: string,
  timeoutMs: number,
  context: RequestContext = {},
  cause?: unknown,
): LedgerlinkError {
  return new LedgerlinkError('LL_ERR_REMOTE_TRANSIENT', `${system} did not answer within ${timeoutMs} ms`, {
    details: [{ message: 'timeout', timeoutMs, system, ...where(context) }],
    ...(cause === undefined ? {} : { cause }),
  });
}

/** The first `code` found down the cause chain (undici wraps ECONNRESET as `fetch failed`). */
function socketErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function where(context: RequestContext): { method?: string; url?: string } {
  return {
    ...(context.method === undefined ? {} : { method: context.method }),
    ...(context.url === undefined ? {} : { url: redactUrl(context.url) }),
  };
}
