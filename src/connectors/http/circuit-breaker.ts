/**
 * Circuit breaker per connector. Closed: calls go through; after `failureThreshold` consecutive
 * transient failures it opens. Open: calls are answered at once with LL_ERR_REMOTE_TRANSIENT and a
 * retryAfterMs of the remaining open time. After `openMs` it is half-open: one probe goes through
 * (others are refused while it runs); a probe that succeeds closes it, one that fails opens it again.
 *
 * Only transient failures count: an auth failure or a rejection proves the remote is answering.
 */
import { LedgerlinkError, isLedgerlinkError } from '../../canonical/errors.js';

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  readonly system: string;
  /** Consecutive transient failures that open the circuit. Default 5. */
  readonly failureThreshold?: number;
  /** How long the circuit stays open before a probe. Default 30 s. */
  readonly openMs?: number;
  /** Which errors count as failures. Default: LL_ERR_REMOTE_TRANSIENT. */
  readonly isFailure?: (error: unknown) => boolean;
  /** Called on every state change. */
  readonly onStateChange?: (from: CircuitState, to: CircuitState) => void;
  readonly now?: () => number;
}

export function isTransientFailure(error: unknown): boolean {
  return isLedgerlinkError(error) && error.code === 'LL_ERR_REMOTE_TRANSIENT';
}

const BREAKER_REFUSAL = Symbol('CircuitBreaker.refusal');

export class CircuitBreaker {
  readonly system: string;
  readonly failureThreshold: number;
  readonly openMs: number;
  private readonly isFailure: (error: unknown) => boolean;
  private readonly onStateChange: ((from: CircuitState, to: CircuitState) => void) | undefined;
  private readonly now: () => number;
  private current: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probeInFlight = false;

  constructor(options: CircuitBreakerOptions) {
    this.system = options.system;
    this.failureThreshold = options.failureThreshold ?? 5;
    this.openMs = options.openMs ?? 30_000;
    if (!(this.failureThreshold >= 1)) throw new RangeError('failureThreshold must be at least 1');
    if (!(this.openMs >= 0)) throw new RangeError('openMs must not be negative');
    this.isFailure = options.isFailure ?? isTransientFailure;
    this.onStateChange = options.onStateChange;
    this.now = options.now ?? (() => Date.now());
  }

  /** The state now (an open circuit whose time is up reads as half-open). */
  get state(): CircuitState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.openMs) this.move('half_open');
    return this.current;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Runs `call` through the breaker: refused at once when open, counted when it fails. */
  async execute<T>(call: () => Promise<T>): Promise<T> {
    const probe = this.admit();
    let outcome: 'success' | 'failure' | 'neutral' = 'neutral';
    try {
      const result = await call();
      outcome = 'success';
      return result;
    } catch (error) {
      if (this.isFailure(error)) outcome = 'failure';
      else if (isLedgerlinkError(error)) outcome = 'success';
      throw error;
    } finally {
      this.settle(outcome, probe);
    }
  }

  /** True when `error` is the breaker's own refusal (not a call that failed). */
  static isRefusal(error: unknown): boolean {
    return isLedgerlinkError(error) && (error as unknown as Record<symbol, unknown>)[BREAKER_REFUSAL] === true;
  }

  /** Records a success or a failure seen outside `execute` (closed state only). */
  record(outcome: 'success' | 'failure'): void {
    this.settle(outcome, false);
  }

  private admit(): boolean {
    const state = this.state;
    if (state === 'closed') return false;
    if (state === 'half_open' && !this.probeInFlight) {
      this.probeInFlight = true;
      return true;
    }
    const remaining = state === 'open' ? Math.max(0, this.openMs - (this.now() - this.openedAt)) : undefined;
    const error = new LedgerlinkError(
      'LL_ERR_REMOTE_TRANSIENT',
      state === 'open'
        ? `${this.system} circuit is open after ${this.failures} consecutive failures`
        : `${this.system} circuit is half-open and a probe is running`,
      {
        details: [{ message: `circuit ${state}`, system: this.system, circuit: state }],
        ...(remaining === undefined ? {} : { retryAfterMs: remaining }),
      },
    );
    Object.defineProperty(error, BREAKER_REFUSAL, { value: true });
    throw error;
  }

  private settle(outcome: 'success' | 'failure' | 'neutral', probe: boolean): void {
    if (probe) this.probeInFlight = false;
    if (outcome === 'neutral') return;
    if (outcome === 'success') {
      this.failures = 0;
      if (this.current !== 'closed' && (probe || this.current === 'half_open')) this.move('closed');
      return;
    }
    this.failures += 1;
    if (probe || (this.current === 'closed' && this.failures >= this.failureThreshold)) {
      this.openedAt = this.now();
      this.move('open');
    }
  }

  private move(to: CircuitState): void {
    if (this.current === to) return;
    const from = this.current;
    this.current = to;
    this.onStateChange?.(from, to);
  }
}
