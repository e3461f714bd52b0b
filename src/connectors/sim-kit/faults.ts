/**
 * Fault injection for simulators (DESIGN.md section 8), set with `POST /_sim/faults`. Counted faults
 * (`count`) apply to that many matching requests and are then used up; rates apply to every matching
 * request with that probability. A `pathPattern` (regular expression) limits a fault to some routes.
 */
export interface FaultSettings {
  /** Added delay before each answer. */
  readonly latencyMs?: number;
  /** Share of requests (0..1) answered with `errorStatus` (default 500). */
  readonly errorRate?: number;
  readonly errorStatus?: number;
  /** The next `count` requests get 429 with Retry-After. */
  readonly rateLimit?: { readonly count: number; readonly retryAfterSeconds?: number };
  /** The next `count` requests get no answer for `holdMs` (default 30 s), then the socket is closed. */
  readonly timeout?: { readonly count: number; readonly holdMs?: number };
  /** Every request gets 503 (with Retry-After) until this long from now. */
  readonly maintenance?: { readonly forSeconds: number };
  /** Access tokens issued so far are treated as expired (the simulator's auth consults this). */
  readonly expireTokens?: boolean;
  /** The next `count` writes are committed and then the connection is dropped without an answer. */
  readonly dropAfterCommit?: { readonly count: number };
  readonly pathPattern?: string;
}

export type FaultDecision =
  | { readonly kind: 'none' }
  | { readonly kind: 'status'; readonly status: number; readonly retryAfterSeconds?: number }
  | { readonly kind: 'hang'; readonly holdMs: number };

export class FaultState {
  private settings: FaultSettings = {};
  private rateLimitLeft = 0;
  private timeoutLeft = 0;
  private dropLeft = 0;
  private maintenanceUntil = 0;
  /** Tokens issued before this moment are expired (set by `expireTokens`). */
  tokensIssuedBefore = 0;

  configure(settings: FaultSettings, now: number = Date.now()): void {
    this.settings = settings;
    this.rateLimitLeft = settings.rateLimit?.count ?? 0;
    this.timeoutLeft = settings.timeout?.count ?? 0;
    this.dropLeft = settings.dropAfterCommit?.count ?? 0;
    this.maintenanceUntil = settings.maintenance === undefined ? 0 : now + settings.maintenance.forSeconds * 1_000;
    if (settings.expireTokens === true) this.tokensIssuedBefore = now + 1;
  }

  clear(): void {
    this.configure({});
    this.tokensIssuedBefore = 0;
  }

  describe(now: number = Date.now()): Record<string, unknown> {
    return {
      settings: this.settings,
      rateLimitLeft: this.rateLimitLeft,
      timeoutLeft: this.timeoutLeft,
      dropAfterCommitLeft: this.dropLeft,
      maintenanceSecondsLeft: Math.max(0, Math.ceil((this.maintenanceUntil - now) / 1_000)),
    };
  }

  private applies(path: string): boolean {
    return this.settings.pathPattern === undefined || new RegExp(this.settings.pathPattern).test(path);
  }

  get latencyMs(): number {
    return this.settings.latencyMs ?? 0;
  }

  /** What to do with a request before it reaches the vendor route. */
  decide(path: string, now: number = Date.now()): FaultDecision {
    if (now < this.maintenanceUntil) {
      return { kind: 'status', status: 503, retryAfterSeconds: Math.ceil((this.maintenanceUntil - now) / 1_000) };
    }
    if (!this.applies(path)) return { kind: 'none' };
    if (this.rateLimitLeft > 0) {
      this.rateLimitLeft--;
      return { kind: 'status', status: 429, retryAfterSeconds: this.settings.rateLimit?.retryAfterSeconds ?? 1 };
    }
    if (this.timeoutLeft > 0) {
      this.timeoutLeft--;
      return { kind: 'hang', holdMs: this.settings.timeout?.holdMs ?? 30_000 };
    }
    const rate = this.settings.errorRate ?? 0;
    if (rate > 0 && Math.random() < rate) return { kind: 'status', status: this.settings.errorStatus ?? 500 };
    return { kind: 'none' };
  }

  /** Whether a write that was just committed should lose its answer. */
  takeDropAfterCommit(path: string): boolean {
    if (this.dropLeft <= 0 || !this.applies(path)) return false;
    this.dropLeft--;
    return true;
  }
}
