/**
 * Token bucket per connector (e.g. Coupa: 25 requests/s, burst 20). `acquire()` resolves when a token
 * is available; waiters are served first come first served by one timer set for the moment the next
 * token exists, so nothing spins. A 429 can hold the bucket for the remote's Retry-After.
 */

export interface RateLimiterOptions {
  /** Tokens added per second. */
  readonly ratePerSecond: number;
  /** Bucket size: how many requests may go at once after a quiet period. Default: ratePerSecond. */
  readonly burst?: number;
  /** Clock in milliseconds; tests may pass their own. */
  readonly now?: () => number;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

export class RateLimiter {
  readonly ratePerSecond: number;
  readonly burst: number;
  private readonly now: () => number;
  private tokens: number;
  private refilledAt: number;
  private heldUntil = 0;
  private readonly queue: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(options: RateLimiterOptions) {
    if (!(options.ratePerSecond > 0) || !Number.isFinite(options.ratePerSecond)) {
      throw new RangeError('ratePerSecond must be a positive number');
    }
    const burst = options.burst ?? Math.max(1, Math.floor(options.ratePerSecond));
    if (!(burst >= 1) || !Number.isFinite(burst)) throw new RangeError('burst must be at least 1');
    this.ratePerSecond = options.ratePerSecond;
    this.burst = burst;
    this.now = options.now ?? (() => performance.now());
    this.tokens = burst;
    this.refilledAt = this.now();
  }

  /** Waits for a token. Rejects with the signal's reason when aborted while waiting. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    if (this.queue.length === 0 && this.takeToken()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          reject(signal?.reason);
          this.schedule();
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.queue.push(waiter);
      this.schedule();
    });
  }

  /** Takes a token if one is there now, without waiting (and without jumping the queue). */
  tryAcquire(): boolean {
    return this.queue.length === 0 && this.takeToken();
  }

  /** Lets nothing through for `ms` (the remote's Retry-After after a 429); the bucket is emptied. */
  holdFor(ms: number): void {
    if (!(ms > 0)) return;
    this.refill();
    this.tokens = 0;
    this.heldUntil = Math.max(this.heldUntil, this.now() + ms);
    this.refilledAt = Math.max(this.refilledAt, this.heldUntil);
    this.schedule(true);
  }

  /** Requests waiting for a token. */
  get waiting(): number {
    return this.queue.length;
  }

  private refill(): void {
    const now = this.now();
    if (now <= this.refilledAt) return;
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) * this.ratePerSecond) / 1_000);
    this.refilledAt = now;
  }

  private takeToken(): boolean {
    if (this.now() < this.heldUntil) return false;
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private drain(): void {
    this.timer = undefined;
    while (this.queue.length > 0 && this.takeToken()) {
      const waiter = this.queue.shift()!;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.resolve();
    }
    this.schedule();
  }

  /** One timer, set for when the head of the queue can have its token. */
  private schedule(reset = false): void {
    if (reset && this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.timer !== undefined || this.queue.length === 0) return;
    this.refill();
    const now = this.now();
    const untilToken = this.tokens >= 1 ? 0 : ((1 - this.tokens) * 1_000) / this.ratePerSecond;
    const wait = Math.max(untilToken, this.heldUntil - now, 0);
    this.timer = setTimeout(() => this.drain(), Math.ceil(wait));
  }
}
