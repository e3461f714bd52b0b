/** Full-jitter exponential backoff that never retries sooner than the remote's Retry-After. */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly capMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 1_000, capMs: 5 * 60_000 };

/** Delay before attempt `attempt + 1`, given `attempt` attempts so far (1-based). */
export function retryDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  return retryAfterMs === undefined ? jittered : Math.max(retryAfterMs, jittered);
}
